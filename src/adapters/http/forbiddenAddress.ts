import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which addresses the ERP downloader must never connect to: anything but public unicast, in
 * every spelling that reaches a private, loopback or otherwise special IPv4 address. A pure
 * decision on one address (as DNS answers it or as a URL states it), so it is tested without
 * sending a packet.
 */

/** IPv4 ranges that are not public unicast (IANA special-purpose registry), as [first address, prefix length]. */
const SPECIAL_IPV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network", the unspecified address
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata at 169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

const ipv4Number = (address: string): number => address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);

const SPECIAL_IPV4_RANGES = SPECIAL_IPV4.map(([first, bits]) => ({ first: ipv4Number(first), size: 2 ** (32 - bits) }));

function isSpecialIpv4(value: number): boolean {
  return SPECIAL_IPV4_RANGES.some(({ first, size }) => value >= first && value < first + size);
}

/** The eight 16-bit groups of a valid IPv6 address (zone removed, `::` expanded, a trailing dotted quad as two groups). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!;
  const tail: number[] = [];
  if (text.includes('.')) {
    const lastColon = text.lastIndexOf(':');
    const v4 = ipv4Number(text.slice(lastColon + 1));
    tail.push(Math.floor(v4 / 65536), v4 % 65536);
    // `::1.2.3.4` keeps its `::`; `::ffff:1.2.3.4` loses the colon before the quad.
    text = text.slice(0, text[lastColon - 1] === ':' ? lastColon + 1 : lastColon);
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const gap = text.indexOf('::');
  if (gap === -1) return [...parse(text), ...tail];
  const head = parse(text.slice(0, gap));
  const rest = parse(text.slice(gap + 2));
  return [...head, ...Array.from({ length: 8 - tail.length - head.length - rest.length }, () => 0), ...rest, ...tail];
}

const startsWith = (groups: readonly number[], prefix: readonly number[]) => prefix.every((group, index) => groups[index] === group);
const v4Of = (high: number, low: number) => high * 65536 + low;

/** An IPv6 address that is not public unicast, or that embeds an IPv4 address which is not. */
function isForbiddenIpv6(address: string): boolean {
  const groups = ipv6Groups(address);
  const [g0 = 0, g1 = 0, g2 = 0, , , , g6 = 0, g7 = 0] = groups;
  // ::ffff:a.b.c.d (IPv4-mapped, any spelling) and ::ffff:0:a.b.c.d (IPv4-translated): the IPv4 decides.
  if (startsWith(groups, [0, 0, 0, 0, 0, 0xffff])) return isSpecialIpv4(v4Of(g6, g7));
  if (startsWith(groups, [0, 0, 0, 0, 0xffff, 0])) return isSpecialIpv4(v4Of(g6, g7));
  // ::/96: the unspecified address, loopback and the deprecated IPv4-compatible ::a.b.c.d, all refused.
  if (startsWith(groups, [0, 0, 0, 0, 0, 0])) return true;
  // NAT64: the well-known prefix 64:ff9b::/96 carries the IPv4 in its last 32 bits; the local-use
  // 64:ff9b:1::/48 (RFC 8215) is someone's own network, refused whole.
  if (startsWith(groups, [0x64, 0xff9b, 0, 0, 0, 0])) return isSpecialIpv4(v4Of(g6, g7));
  if (startsWith(groups, [0x64, 0xff9b, 0x1])) return true;
  // 6to4 2002:a.b.c.d::/48 routes to the IPv4 in bits 16–47.
  if (g0 === 0x2002) return isSpecialIpv4(v4Of(g1, g2));
  // 2001::/23, IETF protocol assignments: Teredo 2001::/32 (whose client address is the
  // obfuscated IPv4 behind some NAT), benchmarking, ORCHID, ...
  if (g0 === 0x2001 && g1 < 0x200) return true;
  // Documentation: 2001:db8::/32, 3fff::/20.
  if ((g0 === 0x2001 && g1 === 0x0db8) || (g0 === 0x3fff && g1 < 0x1000)) return true;
  // Only 2000::/3 is global unicast: unique-local fc00::/7, link-local fe80::/10, site-local
  // fec0::/10, multicast ff00::/8, discard-only 100::/64 and the reserved rest are outside it.
  return (g0 & 0xe000) !== 0x2000;
}

/**
 * Whether the downloader must refuse to connect to `address`: a private, loopback, link-local,
 * carrier-grade NAT, multicast, reserved or unspecified IPv4 address, or an IPv6 address that is
 * not global unicast or that maps to such an IPv4 address (IPv4-mapped and -translated, the
 * IPv4-compatible `::/96` whole, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`), Teredo, local-use
 * NAT64 and documentation prefixes. Anything that is not an IP address is refused too: it
 * cannot be judged.
 *
 * @example
 * isForbiddenAddress('::127.0.0.1'); // true
 * isForbiddenAddress('64:ff9b::10.0.0.1'); // true
 * isForbiddenAddress('64:ff9b::8.8.8.8'); // false
 */
export function isForbiddenAddress(address: string): boolean {
  if (isIPv4(address)) return isSpecialIpv4(ipv4Number(address));
  if (isIPv6(address)) return isForbiddenIpv6(address);
  return true;
}
