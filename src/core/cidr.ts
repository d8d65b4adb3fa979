/**
 * Client address ranges (CIDRs), IPv4 and IPv6: parsed strictly, checked, and written in one
 * normal form (`10.0.0.0/8`, `2001:db8::/32`, RFC 5952 for IPv6), which every target reads alike.
 */
import { describeValue } from './runtime-types';

/** A parsed range: its family, its network address as a number, and its prefix length. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
  /** The normal form: `<network>/<prefix>`, always with the prefix. */
  readonly text: string;
}

const IPV4_OCTET = /^(0|[1-9][0-9]{0,2})$/;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => IPV4_OCTET.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256n + BigInt(Number(p)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  // An embedded IPv4 address in the last 32 bits (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`).
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    // Keep a "::" that ends right before the IPv4 part; drop a single ":".
    head = text.slice(0, text[lastColon - 1] === ':' ? lastColon + 1 : lastColon);
  }
  const groupsWanted = tailV4 === undefined ? 8 : 6;
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groupsOf(halves[0]);
  const right = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (![...left, ...right].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const missing = groupsWanted - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...left, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...right];
  const n = groups.reduce((acc, g) => acc * 0x10000n + BigInt(parseInt(g, 16)), 0n);
  return tailV4 === undefined ? n : n * 2n ** 32n + tailV4;
}

function formatIpv4(n: bigint): string {
  return [3n, 2n, 1n, 0n].map((byte) => String((n / 256n ** byte) % 256n)).join('.');
}

/** RFC 5952: lowercase, no leading zeros, the longest run (first of equals) of two or more zero groups as `::`. */
function formatIpv6(n: bigint): string {
  const groups = [7n, 6n, 5n, 4n, 3n, 2n, 1n, 0n].map((group) => Number((n / 0x10000n ** group) % 0x10000n));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.length < 2) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

// ::ffff:0:0/96: IPv4 clients as an IPv6 socket shows them. Proxies compare them as IPv4.
const IPV4_MAPPED = { network: 0xffffn * 2n ** 32n, prefix: 96 };

/**
 * The range `text` declares (`10.0.0.0/8`, `2001:db8::/32`, or one address: `/32` and `/128`
 * are implied), or the problem with it: not an address, a prefix out of range, host bits set
 * (`10.0.0.1/8` is refused rather than read as `10.0.0.0/8`), an IPv4-mapped IPv6 address.
 */
export function parseCidr(text: unknown): { cidr?: Cidr; problem?: string } {
  if (typeof text !== 'string') return { problem: `${describeValue(text)} is not an address range; use a string such as "10.0.0.0/8"` };
  const [address, prefixText, ...rest] = text.split('/');
  const v4 = parseIpv4(address);
  const v6 = v4 === undefined && address.includes(':') ? parseIpv6(address) : undefined;
  if (rest.length > 0 || (v4 === undefined && v6 === undefined)) {
    return { problem: `"${text}" is not an IP address or range; use an IPv4 or IPv6 address with an optional prefix length, e.g. "10.0.0.0/8" or "2001:db8::/32"` };
  }
  const family = v4 !== undefined ? 4 : 6;
  const bits = family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) {
    return { problem: `"${text}" has prefix length "${prefixText}"; use a whole number from 0 to ${bits}` };
  }
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return { problem: `"${text}" has prefix length ${prefix}; an IPv${family} prefix is at most ${bits}` };
  const value = (v4 ?? v6)!;
  const hostRange = 2n ** BigInt(bits - prefix);
  const network = value - (value % hostRange);
  const format = family === 4 ? formatIpv4 : formatIpv6;
  if (network !== value) {
    return { problem: `"${text}" has host bits set; the range is "${format(network)}/${prefix}" (or write the address alone for one client)` };
  }
  if (family === 6 && prefix >= IPV4_MAPPED.prefix && network - (network % 2n ** 32n) === IPV4_MAPPED.network) {
    return { problem: `"${text}" is an IPv4-mapped IPv6 address, which proxies compare as IPv4; write "${formatIpv4(network % 2n ** 32n)}/${prefix - 96}"` };
  }
  return { cidr: { family, network, prefix, text: `${format(network)}/${prefix}` } };
}

/** Whether `inner` lies within `outer` (the same range included). Two ranges either nest or are disjoint. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const outerSize = 2n ** BigInt((outer.family === 4 ? 32 : 128) - outer.prefix);
  return inner.network / outerSize === outer.network / outerSize;
}
