/**
 * Dates in HTTP header fields, from whole seconds since the Unix epoch (UTC): the IMF-fixdate of
 * HTTP (RFC 9110 5.6.7, the `Sunset` field of RFC 8594) and the Date of Structured Fields
 * (RFC 9651 3.3.7, the `Deprecation` field of RFC 9745). Both are exact to the second.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The first second an IMF-fixdate cannot write (its year has four digits): 10000-01-01T00:00:00Z. */
export const HTTP_DATE_END_SECONDS = Date.UTC(10000, 0, 1) / 1000;

/** `Sun, 06 Nov 1994 08:49:37 GMT`: RFC 9110's preferred format, the one a sender generates. */
export function imfFixdate(epochSeconds: number): string {
  if (!Number.isInteger(epochSeconds) || epochSeconds < 0 || epochSeconds >= HTTP_DATE_END_SECONDS) {
    throw new Error(`${epochSeconds} is not a whole second from 1970 to 9999`);
  }
  const d = new Date(epochSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCFullYear()).padStart(4, '0')} `
    + `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;
}

/** `@784111777`: an sf-date, "@" and the integer seconds since the epoch. */
export function structuredFieldDate(epochSeconds: number): string {
  if (!Number.isInteger(epochSeconds) || epochSeconds < 0) throw new Error(`${epochSeconds} is not a whole second from 1970`);
  return `@${epochSeconds}`;
}
