import { Cidr, cidrContains, parseCidr } from '../core/cidr';
import { describeValue, isPlainObject } from '../core/runtime-types';

/** Options for `AccessPolicy.allowFrom`. */
export interface AllowFromOptions {
  /**
   * Ranges inside the allowed ones whose clients are refused all the same (a deny list within
   * the allow list). Each must lie strictly inside one of the allowed ranges.
   * @default - no exception
   * @example AccessPolicy.allowFrom(['10.0.0.0/8'], { except: ['10.66.0.0/16'] })
   */
  readonly except?: string[];
}

/** What an AccessPolicy declares, normalised (internal). */
export interface AccessSpec {
  /** The allowed ranges in normal form; `undefined`: every client not denied. */
  readonly allow?: readonly string[];
  /** The denied ranges in normal form; each lies inside an allowed range when `allow` is set. */
  readonly deny: readonly string[];
}

/**
 * Which client addresses may reach an exposure or a route: an allow list (every other client
 * gets 403), optionally with exceptions inside it, or a deny list. Addresses are IPv4 or IPv6
 * ranges (`10.0.0.0/8`, `2001:db8::/32`) or single addresses (`203.0.113.7`). A client is
 * admitted when its address is in an allowed range (if any) and in no denied one: a denied range
 * always wins. The client address is the one the strategy's proxy determines (see the README:
 * it needs the real client address to reach the proxy).
 */
export class AccessPolicy {
  /**
   * Only clients in `ranges` are admitted (less those in `options.except`); every other client gets 403.
   * @example AccessPolicy.allowFrom(['10.0.0.0/8', '2001:db8::/32'])
   */
  public static allowFrom(ranges: string[], options: AllowFromOptions = {}): AccessPolicy {
    if (!isPlainObject(options)) return new AccessPolicy({ deny: [] }, [`options is ${describeValue(options)}; use an object`]);
    const problems: string[] = [];
    const allow = rangeList(ranges, 'ranges', problems);
    const except = options.except === undefined ? [] : rangeList(options.except, 'except', problems, true);
    // A declared exception outside every allowed range changes nothing, and one equal to an
    // allowed range removes it: both are mistakes, not policies.
    except.forEach((e, i) => {
      const outer = allow.find((a) => cidrContains(a, e));
      if (outer === undefined) problems.push(`except[${i}] "${e.text}" is outside every allowed range, so it is refused already; remove it`);
      else if (outer.prefix === e.prefix) problems.push(`except[${i}] "${e.text}" is an allowed range itself; remove it from both lists`);
    });
    return new AccessPolicy({ allow: allow.map((c) => c.text), deny: except.map((c) => c.text) }, problems);
  }

  /**
   * Clients in `ranges` get 403; every other client is admitted.
   * @example AccessPolicy.denyFrom(['203.0.113.0/24'])
   */
  public static denyFrom(ranges: string[]): AccessPolicy {
    const problems: string[] = [];
    const deny = rangeList(ranges, 'ranges', problems);
    return new AccessPolicy({ deny: deny.map((c) => c.text) }, problems);
  }

  /** @internal */
  public readonly _problems: readonly string[];
  /** What was declared, normalised; read by the intent builder. @internal */
  public readonly _spec: AccessSpec;

  private constructor(spec: AccessSpec, problems: string[]) {
    this._spec = spec;
    this._problems = problems;
  }
}

/**
 * The ranges of a list, parsed, sorted for deterministic output (IPv4 first, then by address and
 * prefix), with a problem for each bad entry, an empty list, a duplicate or a range inside another
 * of the same list (each range is said once).
 */
function rangeList(ranges: unknown, what: string, problems: string[], isExcept = false): Cidr[] {
  if (!Array.isArray(ranges)) {
    problems.push(`${what} is ${describeValue(ranges)}; use an array of IP ranges such as ["10.0.0.0/8"]`);
    return [];
  }
  if (ranges.length === 0) {
    problems.push(isExcept ? `${what} is empty; leave it unset for no exception` : `${what} is empty; list at least one IP range, e.g. "10.0.0.0/8"`);
    return [];
  }
  const parsed: Cidr[] = [];
  ranges.forEach((r, i) => {
    const { cidr, problem } = parseCidr(r);
    if (problem !== undefined) {
      problems.push(`${what}[${i}]: ${problem}`);
      return;
    }
    const same = parsed.findIndex((p) => cidrContains(p, cidr!) || cidrContains(cidr!, p));
    if (same >= 0) {
      const other = parsed[same];
      problems.push(other.prefix === cidr!.prefix
        ? `${what}[${i}] "${cidr!.text}" is listed twice; list it once`
        : `${what}[${i}] "${cidr!.text}" and "${other.text}" overlap (one contains the other); keep the larger range`);
      return;
    }
    parsed.push(cidr!);
  });
  return parsed.sort((a, b) => a.family - b.family || (a.network < b.network ? -1 : a.network > b.network ? 1 : a.prefix - b.prefix));
}
