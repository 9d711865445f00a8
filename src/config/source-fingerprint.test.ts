import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFingerprint } from './source-fingerprint.js';

describe('sourceFingerprint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-fp-'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  writeFileSync(join(dir, 'helper.ts'), 'export const greeting = "hi";\n');
  writeFileSync(join(dir, 'entry.ts'), 'import { greeting } from "./helper.js";\nexport const answer = () => greeting;\n');

  it('is stable for unchanged sources', async () => {
    expect(await sourceFingerprint(join(dir, 'entry.ts'))).toBe(await sourceFingerprint(join(dir, 'entry.ts')));
  });

  it('changes when a file the entry imports changes, not only the entry', async () => {
    const before = await sourceFingerprint(join(dir, 'entry.ts'));
    writeFileSync(join(dir, 'helper.ts'), 'export const greeting = "hello";\n');
    expect(await sourceFingerprint(join(dir, 'entry.ts'))).not.toBe(before);
  });

  it('ignores files the entry does not import', async () => {
    const before = await sourceFingerprint(join(dir, 'entry.ts'));
    writeFileSync(join(dir, 'unrelated.ts'), 'export const x = 1;\n');
    expect(await sourceFingerprint(join(dir, 'entry.ts'))).toBe(before);
  });

  it('falls back to the entry alone when the graph cannot be read', async () => {
    writeFileSync(join(dir, 'broken.ts'), 'export const = ;\n');
    await expect(sourceFingerprint(join(dir, 'broken.ts'))).resolves.toMatch(/^[0-9a-f]{64}$/);
  });
});
