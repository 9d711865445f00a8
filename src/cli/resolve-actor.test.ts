import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveActor } from './resolve-actor.js';

/** An environment where git sees no global or system configuration. */
function isolatedEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const home = mkdtempSync(join(tmpdir(), 'evalops-actor-home-'));
  return { PATH: process.env['PATH'], HOME: home, GIT_CONFIG_GLOBAL: join(home, 'none'), GIT_CONFIG_NOSYSTEM: '1', ...extra };
}

function gitRepoWithEmail(email: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-actor-repo-'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['config', 'user.email', email], { cwd: dir });
  return dir;
}

describe('resolveActor', () => {
  it('takes --actor first, trimmed', () => {
    const cwd = gitRepoWithEmail('git@example.com');
    expect(resolveActor('  flag@example.com ', { env: isolatedEnv({ EVALOPS_ACTOR: 'env@example.com' }), cwd })).toBe('flag@example.com');
  });

  it('takes EVALOPS_ACTOR before git', () => {
    const cwd = gitRepoWithEmail('git@example.com');
    expect(resolveActor(undefined, { env: isolatedEnv({ EVALOPS_ACTOR: 'env@example.com' }), cwd })).toBe('env@example.com');
  });

  it('takes the git user email when neither is given', () => {
    const cwd = gitRepoWithEmail('git@example.com');
    expect(resolveActor(undefined, { env: isolatedEnv({ EVALOPS_ACTOR: '' }), cwd })).toBe('git@example.com');
  });

  it('falls back to the OS user name outside a configured git repository', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'evalops-actor-plain-'));
    expect(resolveActor(undefined, { env: isolatedEnv(), cwd })).toBe(userInfo().username);
  });

  it('refuses an empty or control-character --actor as a usage error', () => {
    expect(() => resolveActor('   ', { env: isolatedEnv() })).toThrow(/--actor must not be empty/);
    expect(() => resolveActor('ana\nroot', { env: isolatedEnv() })).toThrow(expect.objectContaining({ code: 'usage' }));
    expect(() => resolveActor(undefined, { env: isolatedEnv({ EVALOPS_ACTOR: 'x'.repeat(400) }) })).toThrow(/EVALOPS_ACTOR must be at most 320/);
  });
});
