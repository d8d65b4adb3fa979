/**
 * The request a routing model answers, read from the text a test writes:
 * `'GET https://shop.example.com/api/orders?x=1'` (the method is optional: GET).
 */
import { lowerKeys } from './manifests';
import { RouteRequest } from './model';

const REQUEST = /^(?:([A-Za-z]+)\s+)?(https?):\/\/([A-Za-z0-9.*-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?([/?][^\s#]*)?$/;

/**
 * Reads `'[METHOD ]http(s)://host[:port][/path][?query]'`. The host is lower-cased; the path
 * defaults to `/`; header names are lower-cased. Throws on anything else, saying what to write.
 */
export function parseRequest(text: string, headers: Readonly<Record<string, string>> = {}): RouteRequest {
  const m = typeof text === 'string' ? REQUEST.exec(text.trim()) : null;
  const port = m?.[4] === undefined ? undefined : Number(m[4]);
  if (m === null || (port !== undefined && (port < 1 || port > 65535))) {
    throw new Error(`route: cannot read the request ${JSON.stringify(text)}: write it as '[METHOD ]http(s)://host[:port]/path[?query]', `
      + 'e.g. \'GET https://shop.example.com/api/orders?x=1\'');
  }
  let path = m[5] ?? '/';
  if (path.startsWith('?')) path = `/${path}`;
  return {
    method: (m[1] ?? 'GET').toUpperCase(),
    scheme: m[2] as 'http' | 'https',
    host: m[3].toLowerCase(),
    path,
    headers: lowerKeys(headers),
    ...(port === undefined ? {} : { port }),
  };
}

/** The request as a URL (`https://host[:port]/path?query`), for redirects and errors. */
export function urlOf(scheme: string, host: string, port: number | undefined, path: string): string {
  const standard = (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80);
  return `${scheme}://${host}${port === undefined || standard ? '' : `:${port}`}${path}`;
}
