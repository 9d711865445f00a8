import { createHash } from 'node:crypto';

/**
 * Deterministic sampling by trace id. The trace id is hashed (SHA-256) to a number u in [0, 1); a
 * trace is in a sample of rate r when u < r. Hashing, rather than reading the id's bits as the
 * OpenTelemetry TraceIdRatioBased sampler does, keeps the sample fair for SDKs whose ids are not
 * random. The same u serves every rule, so samples nest: a rule at 20% scores every trace a rule at
 * 10% scores — two rules on one trace can be compared.
 * @example traceSampleFraction('4bf92f3577b34da6a3ce929d0e0e4736') // 0.22477405853512122, the same on every machine
 */
export function traceSampleFraction(traceId: string): number {
  const digest = createHash('sha256').update(traceId.toLowerCase()).digest();
  // The first 53 bits of the digest (the full precision of a double): 32 from the first word, 21 from the second.
  return (digest.readUInt32BE(0) * 2 ** 21 + (digest.readUInt32BE(4) >>> 11)) / 2 ** 53;
}

/** @example inSample('4bf92f3577b34da6a3ce929d0e0e4736', 1) // true */
export function inSample(traceId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  return traceSampleFraction(traceId) < rate;
}
