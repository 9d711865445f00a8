import { readFileSync } from 'node:fs';
import { REPO } from '../cli/run-cli.js';

/**
 * The documented part of a fixture app: the lines between `// docs:start` and `// docs:end`, trimmed.
 * A stack test checks that docs/integrations.md holds it verbatim, so the snippet users copy is the
 * code the test runs.
 * @example expect(integrationsDoc()).toContain(docsSnippetOf('test/fixtures/stacks/ai-sdk/app.ts'))
 */
export function docsSnippetOf(file: string): string {
  const match = /\/\/ docs:start\n([\s\S]*?)\/\/ docs:end/.exec(readFileSync(`${REPO}/${file}`, 'utf8'));
  if (match === null) throw new Error(`${file} has no // docs:start … // docs:end part`);
  return match[1]!.trim();
}

/** The text of docs/integrations.md. */
export function integrationsDoc(): string {
  return readFileSync(`${REPO}/docs/integrations.md`, 'utf8');
}
