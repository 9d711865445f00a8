import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { EvalOpsError } from '../../core/errors.js';
import { printJson, withErrorHandling } from '../handle-errors.js';

const files = (project: string): Record<string, string> => ({
  'evalops.yaml': `version: 1
project: ${project}
target:
  type: module
  path: ./agent.ts
  export: answer
dataset:
  name: cases
  path: ./data/cases.jsonl
metrics:
  - name: mentions_keyword
    owner: you@example.com
    failureClass: answer_quality
    scorer: { type: icontains, value: "{{expected.keyword}}" }
  - name: concise
    failureClass: answer_quality
    scorer: { type: length, maxWords: 60 }
gate:
  baseline: last-approved
  rules:
    - { metric: mentions_keyword, noRegression: true, action: block }
`,
  'agent.ts': `/** The system under test: replace with a call into your app. */
export async function answer(input: { question: string }): Promise<string> {
  return \`You asked: \${input.question}. See our help centre for details.\`;
}
`,
  'data/cases.jsonl': [
    { id: 'help-1', input: { question: 'Where is the help centre?' }, expected: { keyword: 'help centre' }, slices: ['intent:help'] },
    { id: 'help-2', input: { question: 'How do I reset my password?' }, expected: { keyword: 'password' }, slices: ['intent:account'] },
  ]
    .map((r) => JSON.stringify(r))
    .join('\n')
    .concat('\n'),
});

/** `evalops init`: a working project in one command; refuses to overwrite without --force. */
export async function initCommand(flags: { dir?: string; force?: boolean; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const dir = resolve(flags.dir ?? '.');
    const project = basename(dir).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'my-project';
    const plan = files(project);
    const existing = Object.keys(plan).filter((f) => existsSync(join(dir, f)));
    if (existing.length > 0 && !flags.force) throw new EvalOpsError('usage', `${existing.join(', ')} already exist in ${dir}; pass --force to overwrite`);
    for (const [name, content] of Object.entries(plan)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), content);
    }
    if (flags.json) return printJson({ dir, project, files: Object.keys(plan) });
    process.stdout.write(`created ${Object.keys(plan).join(', ')} in ${dir}\nnext: evalops run\n`);
  });
}
