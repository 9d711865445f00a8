import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys: `eo_<prefix>_<secret>`. The prefix (8 characters of lower-case base32, 40 random bits)
 * is not secret: it names the key in lists and audit entries and finds its row in one indexed
 * lookup. The secret is 32 random bytes (256 bits) in base64url. Only a hash of the whole key is
 * stored.
 *
 * Why SHA-256 and not bcrypt, scrypt or argon2: slow hashes exist to make guessing low-entropy
 * passwords expensive after a database leak. A 256-bit random secret cannot be guessed however fast
 * the hash is, so a slow hash buys nothing — while every API request (hot OTLP ingest included) has
 * to verify its key, and a deliberately slow hash there would cost tens of milliseconds of CPU per
 * request and make the server easy to exhaust.
 */

/** A parsed key: the prefix to look the row up by, and the full text to hash. */
export interface ParsedApiKey {
  readonly prefix: string;
  readonly key: string;
}

const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const PREFIX_LENGTH = 8;
const SECRET_BYTES = 32;
/** 32 bytes in base64url without padding are 43 characters. */
const KEY_PATTERN = /^eo_([a-z2-7]{8})_([A-Za-z0-9_-]{43})$/;
const PREFIX_PATTERN = /^[a-z2-7]{8}$/;

/**
 * A new random key; show it to its owner once and store only `hashApiKey(key)`.
 * @example generateApiKey() // { prefix: 'k3v9qa2m', key: 'eo_k3v9qa2m_4Jr…' }
 */
export function generateApiKey(): ParsedApiKey {
  const bytes = randomBytes(5); // 40 bits = 8 base32 characters
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let prefix = '';
  for (let i = PREFIX_LENGTH - 1; i >= 0; i -= 1) prefix += PREFIX_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return { prefix, key: `eo_${prefix}_${randomBytes(SECRET_BYTES).toString('base64url')}` };
}

/** The key's parts, or undefined when the text is not shaped like a key. */
export function parseApiKey(text: string): ParsedApiKey | undefined {
  const m = KEY_PATTERN.exec(text);
  return m ? { prefix: m[1] as string, key: text } : undefined;
}

/** Whether a text is a key prefix (as shown by `evalops keys list`). */
export function isKeyPrefix(text: string): boolean {
  return PREFIX_PATTERN.test(text);
}

/** How a key is shown once created: `eo_<prefix>`, never the secret. */
export function displayKey(prefix: string): string {
  return `eo_${prefix}`;
}

/** SHA-256 hex of the whole key (prefix included, so a hash is valid for its own prefix only). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Whether `key` hashes to `storedHash`, compared in constant time. */
export function verifyApiKey(key: string, storedHash: string): boolean {
  const actual = Buffer.from(hashApiKey(key), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  // A malformed stored hash (wrong length) never matches; timingSafeEqual needs equal lengths.
  if (expected.length !== actual.length) return false;
  return timingSafeEqual(actual, expected);
}
