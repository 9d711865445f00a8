import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

describe('examples/ci/evalops-gate.yml', () => {
  const wf = parse(readFileSync('examples/ci/evalops-gate.yml', 'utf8')) as { jobs: { gate: { steps: { run?: string }[] } } };
  const scripts = wf.jobs.gate.steps.map((s) => s.run ?? '').join('\n');

  it('runs the eval, gates with Markdown and JUnit reports, and fails on exit codes 1 and 3', () => {
    expect(scripts).toMatch(/npx evalops run /);
    expect(scripts).toMatch(/npx evalops gate --markdown gate\.md --junit gate-junit\.xml --json/);
    expect(scripts).toMatch(/1\) echo "::error::EvalOps gate blocked this change"; exit 1/);
    expect(scripts).toMatch(/3\) echo "::error::EvalOps gate needs an owner's approval/);
  });

  it('uses only commands the CLI has', () => {
    for (const [, cmd] of scripts.matchAll(/npx evalops (\w+)/g)) expect(['run', 'gate']).toContain(cmd);
  });
});
