import { HTTP_DATE_END_SECONDS } from '../core/http-dates';
import { describeValue, isPlainObject } from '../core/runtime-types';

/** Options for `Deprecation.of`: when a route or API version is deprecated, when it goes away, and where to read about it. */
export interface DeprecationOptions {
  /**
   * When the deprecation takes (or took) effect: the `Deprecation` response header (RFC 9745, a
   * Structured Field Date, `@<seconds since 1970>`). RFC 9745 defines the field by this date and
   * has no form without one, so it is declared, never taken from the synth time. Whole seconds,
   * UTC, from 1970 to 9999; at most `sunset`.
   * @example Deprecation.of({ since: new Date('2026-01-01T00:00:00Z'), sunset: new Date('2026-07-01T00:00:00Z') })
   */
  readonly since: Date;
  /**
   * When the route stops answering: the `Sunset` response header (RFC 8594, an HTTP-date,
   * `Wed, 01 Jul 2026 00:00:00 GMT`). Whole seconds, from 1970 to 9999. With `retire`, the API
   * gateway engines answer 410 Gone from then on.
   * @example Deprecation.of({ since: new Date('2026-01-01T00:00:00Z'), sunset: new Date('2026-07-01T00:00:00Z') })
   */
  readonly sunset: Date;
  /**
   * Where the deprecation is documented (what replaces the route, how to migrate): sent as
   * `Link: <link>; rel="deprecation"` (RFC 9745). An absolute `https://` or `http://` URL,
   * written as a URI (RFC 3986: percent-encode other characters).
   * @default - no Link header
   * @example Deprecation.of({ since, sunset, link: 'https://developer.example.com/migrate-to-v2' })
   */
  readonly link?: string;
  /**
   * After `sunset`, answer 410 Gone (the gateway's JSON error) instead of forwarding: decided at
   * each request by the gateway's clock, not at synth. The API gateway engines only; the other
   * strategies refuse it.
   * @default false - the route keeps forwarding after its sunset; only the headers announce it
   * @example Deprecation.of({ since, sunset, retire: true })
   */
  readonly retire?: boolean;
}

/** What a Deprecation declares (internal): dates in whole seconds since 1970. */
export interface DeprecationSpec {
  readonly sinceSeconds: number;
  readonly sunsetSeconds: number;
  readonly link?: string;
  readonly retire: boolean;
}

const KNOWN = ['since', 'sunset', 'link', 'retire'];
/** The characters of a URI (RFC 3986): nothing that ends `<...>` of a Link, or needs encoding. */
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;
const MAX_LINK_LENGTH = 2048;

/**
 * The lifecycle of a route or API version (on a route, or on the exposure for every route): each
 * response announces its deprecation (`Deprecation`, RFC 9745), its sunset (`Sunset`, RFC 8594)
 * and, with `link`, where to read about it; with `retire`, the API gateway engines answer 410
 * Gone after the sunset. The headers are response header edits: every strategy that edits
 * response headers writes them.
 */
export class Deprecation {
  /**
   * A deprecation as declared.
   * @example Deprecation.of({ since: new Date('2026-01-01T00:00:00Z'), sunset: new Date('2026-07-01T00:00:00Z'), link: 'https://example.com/v2', retire: true })
   */
  public static of(options: DeprecationOptions): Deprecation {
    return new Deprecation(options);
  }

  /** @internal */
  public readonly _problems: readonly string[];
  /** What was declared, checked; read by the intent builder. @internal */
  public readonly _spec: DeprecationSpec;

  private constructor(options: DeprecationOptions) {
    // A Date is an object too: Deprecation.of(sunset) is the likely slip.
    if (!isPlainObject(options) || options instanceof Date) {
      this._problems = [`options is ${describeValue(options)}; use an object such as { since: new Date('2026-01-01T00:00:00Z'), sunset: new Date('2026-07-01T00:00:00Z') }`];
      this._spec = { sinceSeconds: 0, sunsetSeconds: 0, retire: false };
      return;
    }
    const problems: string[] = [];
    const since = dateSeconds(options.since, 'since', problems);
    const sunset = dateSeconds(options.sunset, 'sunset', problems);
    // RFC 9745 section 4: the Sunset date should not be earlier than the Deprecation date.
    if (since !== undefined && sunset !== undefined && sunset < since) {
      problems.push(`sunset ${iso(sunset)} is before since ${iso(since)}; a route is deprecated before its sunset (RFC 9745): declare a later sunset`);
    }
    const link = options.link;
    if (link !== undefined) {
      const problem = linkProblem(link);
      if (problem !== undefined) problems.push(problem);
    }
    const retire = options.retire;
    if (retire !== undefined && typeof retire !== 'boolean') problems.push(`retire is ${describeValue(retire)}; use true or false`);
    for (const key of Object.keys(options)) {
      if (!KNOWN.includes(key)) problems.push(`${key} is not an option of Deprecation.of; use ${KNOWN.join(', ')}`);
    }
    this._problems = problems;
    this._spec = { sinceSeconds: since ?? 0, sunsetSeconds: sunset ?? 0, link: typeof link === 'string' ? link : undefined, retire: retire === true };
  }
}

/** The date in whole seconds since 1970, or undefined with a problem: both header formats are exact to the second, years 1970 to 9999. */
function dateSeconds(value: unknown, field: 'since' | 'sunset', problems: string[]): number | undefined {
  if (!(value instanceof Date)) {
    problems.push(`${field} is ${describeValue(value)}; use a Date, e.g. new Date('2026-07-01T00:00:00Z')`);
    return undefined;
  }
  const ms = value.getTime();
  if (Number.isNaN(ms)) {
    problems.push(`${field} is an invalid Date; use a Date of a real time, e.g. new Date('2026-07-01T00:00:00Z')`);
    return undefined;
  }
  if (ms % 1000 !== 0) {
    problems.push(`${field} ${value.toISOString()} is not a whole second; the HTTP date headers are exact to the second: drop the milliseconds`);
    return undefined;
  }
  const seconds = ms / 1000;
  if (seconds < 0 || seconds >= HTTP_DATE_END_SECONDS) {
    problems.push(`${field} ${value.toISOString()} is not from 1970 to 9999, the years an HTTP date writes`);
    return undefined;
  }
  return seconds;
}

function linkProblem(link: unknown): string | undefined {
  if (typeof link !== 'string') return `link is ${describeValue(link)}; use an absolute URL such as "https://developer.example.com/deprecation"`;
  let url: URL | undefined;
  try {
    url = new URL(link);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.host === '' || !/^https?:\/\//i.test(link)) {
    return `link "${link}" is not an absolute https:// or http:// URL; use e.g. "https://developer.example.com/deprecation"`;
  }
  if (!URI_CHARACTERS.test(link) || /%(?![0-9A-Fa-f]{2})/.test(link)) {
    return `link "${link}" has characters a URI does not (white space, quotes, "<", ">", non-ASCII, a "%" not followed by two hex digits); percent-encode them (RFC 3986)`;
  }
  if (link.length > MAX_LINK_LENGTH) return `link is ${link.length} characters; at most ${MAX_LINK_LENGTH}`;
  return undefined;
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
