import { DeprecationIntent, HeaderEditsIntent } from './model';
import { imfFixdate, structuredFieldDate } from '../core/http-dates';

/**
 * The response headers of a deprecation, as header edits every strategy that edits response
 * headers writes: `Deprecation` (RFC 9745: an sf-date, `@<seconds>`) and `Sunset` (RFC 8594: an
 * IMF-fixdate) replace any the backend sends (a response has one of each); the `Link` to the
 * documentation (relation `deprecation`, RFC 9745) is added next to the backend's own links.
 */
export function deprecationHeaders(d: DeprecationIntent): HeaderEditsIntent {
  return {
    set: [
      { name: 'deprecation', value: structuredFieldDate(d.sinceSeconds) },
      { name: 'sunset', value: imfFixdate(d.sunsetSeconds) },
    ],
    add: d.link === undefined ? [] : [{ name: 'link', value: `<${d.link}>; rel="deprecation"` }],
    remove: [],
  };
}

/** The names `deprecationHeaders` edits: a route's declared edits of them are refused. */
export const DEPRECATION_HEADER_NAMES = ['deprecation', 'sunset', 'link'] as const;

/** The declared edits and the deprecation's, sorted by name (their names are told apart by the builder). */
export function withDeprecationHeaders(declared: HeaderEditsIntent | undefined, d: DeprecationIntent): HeaderEditsIntent {
  const own = deprecationHeaders(d);
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return {
    set: [...declared?.set ?? [], ...own.set].sort(byName),
    add: [...declared?.add ?? [], ...own.add].sort(byName),
    remove: [...declared?.remove ?? []],
  };
}
