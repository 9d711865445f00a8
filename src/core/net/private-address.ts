/**
 * Which network addresses a webhook may not reach unless the operator allows it: loopback, private,
 * link-local (the cloud metadata service at 169.254.169.254 among them), unspecified, carrier-grade
 * NAT, multicast and reserved ranges, and IPv6 forms that carry one of those IPv4 addresses
 * (IPv4-mapped, IPv4-compatible, NAT64, 6to4). Pure: parses text, no DNS.
 */

/** Why an address is refused, e.g. `loopback`; undefined for a public address. */
export type AddressClass = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'shared (CGNAT)' | 'multicast' | 'reserved' | 'unique-local' | 'unparsable';

/** Host names of metadata services and loopback, refused before any lookup. */
const BLOCKED_NAMES = new Set(['localhost', 'metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

/** [first address, prefix length, class] in IPv4. */
const V4_RANGES: readonly (readonly [string, number, AddressClass])[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

/**
 * The class of an IP address (v4 or v6 text, brackets allowed) that a webhook may not reach, or
 * undefined when it is a public address. Text that is not an IP address is `unparsable` (refused).
 * @example blockedAddressClass('169.254.169.254') // 'link-local'
 * @example blockedAddressClass('::ffff:127.0.0.1') // 'loopback'
 * @example blockedAddressClass('93.184.216.34') // undefined
 */
export function blockedAddressClass(address: string): AddressClass | undefined {
  const text = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return classifyV4(v4);
  const v6 = parseIpv6(text);
  if (v6 === undefined) return 'unparsable';
  return classifyV6(v6);
}

/**
 * Whether a host name is refused by name (localhost and its subdomains, metadata service names),
 * before it is looked up. The trailing dot of a fully qualified name is ignored.
 * @example isBlockedHostName('metadata.google.internal') // true
 */
export function isBlockedHostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return BLOCKED_NAMES.has(name) || name.endsWith('.localhost');
}

function classifyV4(ip: number): AddressClass | undefined {
  for (const [base, bits, cls] of V4_RANGES) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if (((ip & mask) >>> 0) === parseIpv4(base)) return cls;
  }
  return undefined;
}

function classifyV6(b: readonly number[]): AddressClass | undefined {
  const zeroTo = (n: number): boolean => b.slice(0, n).every((x) => x === 0);
  const v4At = (i: number): number => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  if (zeroTo(16)) return 'unspecified';
  if (zeroTo(15) && b[15] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible) reach the IPv4 address itself.
  if (zeroTo(10) && b[10] === 0xff && b[11] === 0xff) return classifyV4(v4At(12));
  if (zeroTo(12)) return classifyV4(v4At(12));
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) lead to the embedded IPv4 address.
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0)) return classifyV4(v4At(12));
  if (b[0] === 0x20 && b[1] === 0x02) return classifyV4(v4At(2));
  if ((b[0]! & 0xfe) === 0xfc) return 'unique-local';
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) return 'link-local';
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0xc0) return 'private'; // fec0::/10, the deprecated site-local range
  if (b[0] === 0xff) return 'multicast';
  return undefined;
}

/** A dotted-quad IPv4 address as an unsigned 32-bit number, or undefined. */
function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** An IPv6 address (with `::` and an optional dotted IPv4 tail) as 16 bytes, or undefined. */
function parseIpv6(text: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return undefined;
  let groups: string[] = [];
  const [head, tail] = text.split('::') as [string, string | undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const all = [...headGroups, ...tailGroups];
  const last = all[all.length - 1];
  const v4Tail = last !== undefined && last.includes('.') ? parseIpv4(last) : undefined;
  if (last !== undefined && last.includes('.') && (v4Tail === undefined || !text.endsWith(last))) return undefined;
  const words = v4Tail === undefined ? 8 : 6;
  const headCount = headGroups.length;
  const tailCount = tailGroups.length - (v4Tail === undefined ? 0 : 1);
  if (tail === undefined) {
    if (headCount - (v4Tail === undefined ? 0 : 1) !== words) return undefined;
    groups = headGroups.slice(0, words);
  } else {
    const missing = words - headCount - tailCount;
    if (missing < 1) return undefined;
    groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups.slice(0, tailCount)];
  }
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const bytes = groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
  if (v4Tail !== undefined) bytes.push(v4Tail >>> 24, (v4Tail >>> 16) & 0xff, (v4Tail >>> 8) & 0xff, v4Tail & 0xff);
  return bytes.length === 16 ? bytes : undefined;
}
