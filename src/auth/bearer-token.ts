/**
 * The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 7235), or
 * undefined when the header is missing or uses another scheme.
 * @example bearerToken('Bearer eo_k3v9qa2m_4Jr…') // 'eo_k3v9qa2m_4Jr…'
 */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  const m = /^[ \t]*bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? m[1] : undefined;
}
