import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** `evalops completion bash|zsh|fish`, generated from the registered commands. */
describe('evalops completion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-completion-'));

  /** Sources the bash script and completes the words, as bash does on TAB. */
  const complete = (script: string, words: string[]): string[] => {
    const file = join(dir, 'evalops.bash');
    writeFileSync(file, script);
    const res = spawnSync('bash', ['-c', `source ${JSON.stringify(file)}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _evalops; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
    return res.stdout.split('\n').filter(Boolean);
  };

  it('bash: a valid script that completes commands, subcommands and options', async () => {
    const res = await runCli(['completion', 'bash']);
    expect(res.code).toBe(0);
    const file = join(dir, 'check.bash');
    writeFileSync(file, res.stdout);
    expect(spawnSync('bash', ['-n', file]).status).toBe(0);
    expect(complete(res.stdout, ['evalops', 'ru'])).toEqual(['run', 'runs', 'rubric']);
    expect(complete(res.stdout, ['evalops', 'runs', ''])).toEqual(expect.arrayContaining(['list', 'show']));
    expect(complete(res.stdout, ['evalops', 'runs', 'show', 'run_1', '--pro'])).toEqual(['--project']);
    expect(complete(res.stdout, ['evalops', 'review', 'queues', 'cr'])).toEqual(['create']);
    expect(complete(res.stdout, ['evalops', 'completion', ''])).toEqual(expect.arrayContaining(['--help']));
  });

  it('zsh: the same functions through bashcompinit', async () => {
    const res = await runCli(['completion', 'zsh']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^#compdef evalops/);
    expect(res.stdout).toContain('bashcompinit');
    expect(res.stdout).toContain("'runs show') echo");
    expect(res.stdout).toContain('complete -o default -F _evalops evalops');
  });

  it('fish: one complete line per subcommand and option', async () => {
    const res = await runCli(['completion', 'fish']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("complete -c evalops -n '__fish_seen_subcommand_from runs; and not __fish_seen_subcommand_from list show' -a show -d 'one run: scorecard, and with --results its results'");
    expect(res.stdout).toMatch(/complete -c evalops -n '__fish_seen_subcommand_from gate; and __fish_seen_subcommand_from show' -l project -r -d/);
  });

  it('an unknown shell exits 2', async () => {
    const res = await runCli(['completion', 'tcsh']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('completion is for bash, zsh, fish (got "tcsh")');
  });
});
