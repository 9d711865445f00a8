import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { EvalOpsError } from '../../src/core/errors.js';

describe('loadEnv', () => {
  it('leaves the database undefined when EVALOPS_DATABASE_URL is unset or empty', () => {
    expect(loadEnv({})).toEqual({ database: undefined, serverUrl: undefined, apiKey: undefined });
    expect(loadEnv({ EVALOPS_DATABASE_URL: '' }).database).toBeUndefined();
  });

  it('reads sqlite and postgres URLs', () => {
    expect(loadEnv({ EVALOPS_DATABASE_URL: 'sqlite:./data/evalops.db' }).database).toEqual({ dialect: 'sqlite', path: './data/evalops.db' });
    expect(loadEnv({ EVALOPS_DATABASE_URL: 'sqlite::memory:' }).database).toEqual({ dialect: 'sqlite', path: ':memory:' });
    const pg = 'postgres://evalops:secret@127.0.0.1:5432/evalops';
    expect(loadEnv({ EVALOPS_DATABASE_URL: pg }).database).toEqual({ dialect: 'postgres', url: pg });
    expect(loadEnv({ EVALOPS_DATABASE_URL: 'postgresql://h/db' }).database).toEqual({ dialect: 'postgres', url: 'postgresql://h/db' });
  });

  it('refuses anything else with a config error naming the variable', () => {
    for (const url of ['mysql://h/db', 'sqlite:', './evalops.db', 'postgres://']) {
      let error: unknown;
      try {
        loadEnv({ EVALOPS_DATABASE_URL: url });
      } catch (e) {
        error = e;
      }
      expect(error, url).toBeInstanceOf(EvalOpsError);
      expect((error as EvalOpsError).code).toBe('config');
      expect((error as EvalOpsError).message).toMatch(/^EVALOPS_DATABASE_URL: expected "sqlite:PATH"/);
    }
  });

  it('reads the server URL and API key of remote mode, refusing a URL that is not http(s)', () => {
    expect(loadEnv({ EVALOPS_SERVER_URL: 'http://127.0.0.1:8787', EVALOPS_API_KEY: ' eo_abc ' })).toMatchObject({ serverUrl: 'http://127.0.0.1:8787', apiKey: 'eo_abc' });
    expect(loadEnv({ EVALOPS_SERVER_URL: '', EVALOPS_API_KEY: '' })).toMatchObject({ serverUrl: undefined, apiKey: undefined });
    for (const url of ['ftp://h', 'localhost:8787', 'not a url']) {
      expect(() => loadEnv({ EVALOPS_SERVER_URL: url }), url).toThrow(/^EVALOPS_SERVER_URL: /);
    }
  });
});
