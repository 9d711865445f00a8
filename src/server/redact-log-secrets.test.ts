import { describe, expect, it } from 'vitest';
import { generateApiKey } from '../auth/api-key.js';
import { redactLogSecrets } from './redact-log-secrets.js';

describe('redactLogSecrets', () => {
  it('keeps the prefix of our keys and drops the secret, anywhere in a path', () => {
    const { prefix, key } = generateApiKey();
    const secret = key.slice(12);
    const out = redactLogSecrets(`/api/v1/projects/${key}/runs/${key}x`);
    expect(out).toBe(`/api/v1/projects/eo_${prefix}_[redacted]/runs/eo_${prefix}_[redacted]`);
    expect(out).not.toContain(secret);
  });

  it('drops broken or partial keys of our shape too', () => {
    expect(redactLogSecrets('/x/eo_ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toBe('/x/eo_[redacted]');
  });

  it('drops provider keys, bearer tokens and secret-named query parameters', () => {
    expect(redactLogSecrets('/a/sk-proj-abcdefghijklmnopqrstu/b')).toBe('/a/sk-[redacted]/b');
    expect(redactLogSecrets('/a/sk_live_51Habcdefghij')).toBe('/a/sk_live_[redacted]');
    expect(redactLogSecrets('?auth=Bearer%20abc.def.ghi&x=1')).toBe('?auth=Bearer%20[redacted]&x=1');
    expect(redactLogSecrets('?api_key=hunter2&limit=5&token=t0k')).toBe('?api_key=[redacted]&limit=5&token=[redacted]');
  });

  it('leaves ordinary paths and queries alone', () => {
    const path = '/api/v1/projects/support-bot/runs?limit=50&cursor=eyJhIjoxfQ&status=open';
    expect(redactLogSecrets(path)).toBe(path);
  });
});
