import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandFingerprint, commandWords } from './command-fingerprint.js';

describe('commandWords', () => {
  it('splits a shell string on blanks and operators and unquotes', () => {
    expect(commandWords(`python "./my agent.py" --config=./c.yaml | tee 'out log'`)).toEqual(['python', './my agent.py', './c.yaml', 'tee', 'out log']);
  });
  it('keeps an array as given', () => {
    expect(commandWords(['node', 'a b.js'])).toEqual(['node', 'a b.js']);
  });
});

describe('commandFingerprint', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evalops-fp-'));
    await mkdir(join(dir, 'lib'), { recursive: true });
    await writeFile(join(dir, 'agent.py'), 'import lib.util\n');
    await writeFile(join(dir, 'lib', 'util.py'), 'X = 1\n');
    await writeFile(join(dir, 'run.mjs'), "import './lib/helper.mjs';\n");
    await writeFile(join(dir, 'lib', 'helper.mjs'), 'export const x = 1;\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('hashes the files the command names under the config folder, not outside it nor missing ones', async () => {
    const fp = await commandFingerprint({ command: `python3 agent.py missing.py ${process.execPath}` }, dir, dir);
    expect(fp.files).toEqual(['agent.py']);
    expect(fp.warnings).toEqual([]);
  });

  it('resolves arguments against the cwd but names them from the config folder', async () => {
    const fp = await commandFingerprint({ command: ['python3', 'util.py'] }, dir, join(dir, 'lib'));
    expect(fp.files).toEqual(['lib/util.py']);
  });

  it('adds files: matches and warns once per glob that matches nothing', async () => {
    const fp = await commandFingerprint({ command: ['python3', 'agent.py'], files: ['./lib/*.py', 'nothing/**'] }, dir, dir);
    expect(fp.files).toEqual(['agent.py', 'lib/util.py']);
    expect(fp.warnings).toEqual([`target.files: "nothing/**" matches no file under ${dir}`]);
  });

  it('follows the local imports of a JS script', async () => {
    const before = await commandFingerprint({ command: ['node', 'run.mjs'] }, dir, dir);
    await writeFile(join(dir, 'lib', 'helper.mjs'), 'export const x = 2;\n');
    const after = await commandFingerprint({ command: ['node', 'run.mjs'] }, dir, dir);
    expect(after.hash).not.toBe(before.hash);
  });
});
