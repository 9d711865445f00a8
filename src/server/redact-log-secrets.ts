/**
 * Secret shapes removed from what the request log writes (paths and query strings): a key pasted into
 * a URL must not end up whole in a log file that more people read than hold the key. Our keys keep
 * their prefix (not secret: it names the key in `keys list`), so the log still says which key it was.
 */
const RULES: readonly (readonly [RegExp, string])[] = [
  // eo_<prefix>_<secret>, and anything else starting eo_ that is long enough to be a key or part of one
  [/\beo_([a-z2-7]{8})_[A-Za-z0-9_-]+/g, 'eo_$1_[redacted]'],
  [/\beo_(?![a-z2-7]{8}_\[redacted\])[A-Za-z0-9_-]{12,}/g, 'eo_[redacted]'],
  // provider keys: OpenAI sk-…, Stripe-style sk_live_/sk_test_/rk_live_
  [/\b(sk|rk)_(live|test)_[A-Za-z0-9]{8,}/g, '$1_$2_[redacted]'],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, 'sk-[redacted]'],
  // a bearer token written into a URL (Bearer%20…, Bearer+…)
  [/(bearer(?:\s|%20|\+)+)[^\s&/?#]+/gi, '$1[redacted]'],
  // query parameters that by their name hold a secret
  [/([?&](?:[\w.-]*(?:key|token|secret|password|passwd|authorization|session)[\w.-]*)=)[^&#]*/gi, '$1[redacted]'],
];

/**
 * `text` with every secret-shaped part replaced by a `[redacted]` marker.
 * @example redactLogSecrets('/api/v1/keys/eo_abcdefgh_s3cr3t…') // '/api/v1/keys/eo_abcdefgh_[redacted]'
 */
export function redactLogSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}
