/**
 * The work of the offline bench, written once for both tools: N examples whose input is a small JSON
 * object, echoed back by the target as JSON text, and three deterministic checks on that text —
 * `contains` a per-example keyword, a `regex` on the order code, and a function that parses the JSON
 * and checks `status`. The expected pass counts are computed here from the same strings, so each
 * tool's stored results can be checked against them.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const TOPICS = ['refund', 'shipping', 'billing', 'privacy'];
const PREFIXES = ['ORD', 'INV', 'RMA'];
/** The regex both tools apply; matches the code field of the echoed JSON. */
export const CODE_PATTERN = '"code":"[A-Z]{3}-\\d{4}"';

/** Example i: every 10th has status "error", every 20th a keyword not in the text, every 25th a bad code. */
export function exampleAt(i) {
  const id = `ex-${String(i).padStart(5, '0')}`;
  const topic = TOPICS[i % TOPICS.length];
  const input = {
    id,
    topic,
    code: i % 25 === 0 ? 'unknown' : `${PREFIXES[i % PREFIXES.length]}-${String(i % 10_000).padStart(4, '0')}`,
    status: i % 10 === 0 ? 'error' : 'ok',
    text: `Customer message ${i}: a question about a ${topic} request`,
  };
  return { id, input, keyword: i % 20 === 0 ? 'escalation' : topic };
}

/** Pass counts per check and of all three together, computed from the echoed text. */
export function expectedCounts(n) {
  const re = new RegExp(CODE_PATTERN);
  const counts = { contains: 0, regex: 0, function: 0, all: 0 };
  for (let i = 0; i < n; i++) {
    const { input, keyword } = exampleAt(i);
    const text = JSON.stringify(input);
    const c = text.includes(keyword);
    const r = re.test(text);
    const f = JSON.parse(text).status === 'ok';
    counts.contains += c ? 1 : 0;
    counts.regex += r ? 1 : 0;
    counts.function += f ? 1 : 0;
    counts.all += c && r && f ? 1 : 0;
  }
  return counts;
}

const yamlString = (s) => `'${s.replace(/'/g, "''")}'`;

/**
 * EvalOps project: evalops.yaml (JS target and scorer) and evalops-ts.yaml (the same in TypeScript,
 * loaded through tsx), dataset data/examples.jsonl.
 */
export function writeEvalOpsProject(dir, n, concurrency) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(`${dir}/data`, { recursive: true });
  mkdirSync(`${dir}/scorers`, { recursive: true });
  const rows = [];
  for (let i = 0; i < n; i++) {
    const { id, input, keyword } = exampleAt(i);
    rows.push(JSON.stringify({ id, input, expected: { keyword } }));
  }
  writeFileSync(`${dir}/data/examples.jsonl`, `${rows.join('\n')}\n`);
  writeFileSync(`${dir}/echo.mjs`, '/** Echo target: the input back as JSON text (what promptfoo\'s echo provider returns for a `{{input}}` prompt). */\nexport default function echo(input) {\n  return JSON.stringify(input);\n}\n');
  writeFileSync(`${dir}/echo.ts`, 'export default function echo(input: unknown): string {\n  return JSON.stringify(input);\n}\n');
  writeFileSync(`${dir}/scorers/status-ok.mjs`, '/** Parses the JSON output and checks a field. */\nexport default function statusOk({ text }) {\n  return JSON.parse(text).status === \'ok\';\n}\n');
  writeFileSync(`${dir}/scorers/status-ok.ts`, 'export default function statusOk({ text }: { text: string }): boolean {\n  return (JSON.parse(text) as { status?: string }).status === \'ok\';\n}\n');
  const config = (ext) =>
    [
      'version: 1',
      'project: bench-offline',
      `target: { type: module, path: ./echo.${ext} }`,
      `dataset: { name: bench-${n}, path: ./data/examples.jsonl }`,
      'metrics:',
      '  - name: has_keyword',
      '    scorer: { type: contains, value: "{{expected.keyword}}" }',
      '  - name: code_format',
      `    scorer: { type: regex, pattern: ${yamlString(CODE_PATTERN)} }`,
      '  - name: status_ok',
      `    scorer: { type: function, path: ./scorers/status-ok.${ext} }`,
      `run: { concurrency: ${concurrency} }`,
      '',
    ].join('\n');
  writeFileSync(`${dir}/evalops.yaml`, config('mjs'));
  writeFileSync(`${dir}/evalops-ts.yaml`, config('ts'));
}

/** promptfoo project: echo provider, `{{input}}` prompt (input is the JSON text), tests.jsonl. */
export function writePromptfooProject(dir, n) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rows = [];
  for (let i = 0; i < n; i++) {
    const { input, keyword } = exampleAt(i);
    rows.push(JSON.stringify({ vars: { input: JSON.stringify(input), keyword } }));
  }
  writeFileSync(`${dir}/tests.jsonl`, `${rows.join('\n')}\n`);
  writeFileSync(
    `${dir}/promptfooconfig.yaml`,
    [
      'description: evalops offline bench',
      "prompts: ['{{input}}']",
      'providers: [echo]',
      'tests: file://tests.jsonl',
      'sharing: false',
      'defaultTest:',
      '  assert:',
      '    - type: contains',
      "      value: '{{keyword}}'",
      '    - type: regex',
      `      value: ${yamlString(CODE_PATTERN)}`,
      '    - type: javascript',
      '      value: "JSON.parse(output).status === \'ok\'"',
      '',
    ].join('\n'),
  );
}
