import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, pure: Stripe's scheme. The `evalops-signature` header is
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`; the timestamp inside the signed text
 * stops an old, captured request from being replayed later, and receivers compare in constant time.
 */

export const SIGNATURE_SCHEME = 'v1';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type WebhookVerification = { readonly ok: true } | { readonly ok: false; readonly reason: 'malformed' | 'stale' | 'mismatch'; readonly message: string };

export interface VerifyWebhookInput {
  /** The `evalops-signature` header as received. */
  readonly header: string | null | undefined;
  readonly secret: string;
  /** The raw request body, exactly as received (not re-serialised JSON). */
  readonly body: string | Uint8Array;
  readonly nowSeconds: number;
  /** How far the signed timestamp may be from now, either way. */
  readonly toleranceSeconds?: number;
}

/**
 * HMAC-SHA256 of `data` under `key`, as lowercase hex.
 * @example hmacSha256Hex('Jefe', 'what do ya want for nothing?') // '5bdcc146…3843' (RFC 4231 case 2)
 */
export function hmacSha256Hex(key: string, data: string | Uint8Array): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

/**
 * The signature header for one delivery attempt.
 * @example signWebhook('whsec_…', 1700000000, '{"id":"whd_…"}') // 't=1700000000,v1=3f…'
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string | Uint8Array): string {
  const t = Math.floor(timestampSeconds);
  return `t=${t},${SIGNATURE_SCHEME}=${hmacSha256Hex(secret, signedText(t, body))}`;
}

/**
 * Checks a received signature header: well formed, timestamp within the tolerance, and one of its
 * `v1` signatures (there may be several while a secret is rotated) matching the body.
 * @example verifyWebhook({ header: req.headers['evalops-signature'], secret, body: rawBody, nowSeconds: Date.now() / 1000 })
 */
export function verifyWebhook(input: VerifyWebhookInput): WebhookVerification {
  const parsed = parseSignatureHeader(input.header);
  if (!parsed.ok) return parsed;
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(input.nowSeconds - parsed.timestamp) > tolerance) {
    return { ok: false, reason: 'stale', message: `timestamp ${parsed.timestamp} is more than ${tolerance} s from now (${Math.floor(input.nowSeconds)})` };
  }
  const expected = Buffer.from(hmacSha256Hex(input.secret, signedText(parsed.timestamp, input.body)), 'hex');
  const matches = parsed.signatures.some((hex) => timingSafeEqual(Buffer.from(hex, 'hex'), expected));
  return matches ? { ok: true } : { ok: false, reason: 'mismatch', message: 'no v1 signature matches the body under this secret' };
}

function signedText(t: number, body: string | Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${t}.`), typeof body === 'string' ? Buffer.from(body) : body]);
}

type ParsedHeader = { ok: true; timestamp: number; signatures: string[] } | { ok: false; reason: 'malformed'; message: string };

function parseSignatureHeader(header: string | null | undefined): ParsedHeader {
  const malformed = (message: string): ParsedHeader => ({ ok: false, reason: 'malformed', message });
  if (!header) return malformed('no signature header');
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return malformed(`"${part.trim()}" is not key=value`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== undefined) return malformed('t must appear once, as unix seconds');
      timestamp = Number(value);
    } else if (key === SIGNATURE_SCHEME) {
      if (!/^[0-9a-f]{64}$/i.test(value)) return malformed('v1 must be 64 hex digits');
      signatures.push(value.toLowerCase());
    }
    // Other schemes are ignored, so a receiver keeps working when a new one is added beside v1.
  }
  if (timestamp === undefined) return malformed('no t= timestamp');
  if (signatures.length === 0) return malformed('no v1= signature');
  return { ok: true, timestamp, signatures };
}
