import { percentEncoding } from '../../../core/percent-encoding';

/*
 * Kong normalizes the request path before routing (kong/tools/uri.lua `normalize`): it decodes
 * every `%XX` except those of RFC 3986's reserved characters and `%` (kept, hex upper-cased),
 * removes `.` and `..` segments and merges `//` (match paths with those, encoded or not, are
 * refused at the intent). It refuses a configured plain path that is not in
 * that form ("non-normalized path"), and a regex path only ever sees normalized paths. So a
 * declared path is written in the form Kong normalizes requests to, or refused.
 */

/** The characters whose percent-encodings Kong keeps: decoding them would change the URI. */
const KEPT_ENCODED = new Set([..."!*'();:@&=+$,/?%#[]"].map((c) => c.charCodeAt(0)));

/** A path as Kong's normalization leaves it, or why Kong cannot route it as declared. */
export type KongPath = { readonly path: string } | { readonly problem: string };

/**
 * The declared path in Kong's normalized form: the percent-encodings Kong decodes, decoded (unreserved
 * characters, and every other byte: UTF-8 text such as `%C3%A9` is decoded too, as Kong does), the
 * others with upper-case hex. A problem when Kong cannot match the path as declared.
 */
export function kongPath(declared: string): KongPath {
  // The intent's path grammar leaves no "%" that starts no percent-encoding.
  let problem: string | undefined;
  const path = declared.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const decoded = decodeRun(run);
    if (decoded === undefined) {
      problem ??= `Kong decodes "${run}" in request paths to bytes that are not UTF-8 text, which its configuration cannot hold; `
        + 'use the nginx engine, istio or gatewayApi';
      return run;
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(decoded)) {
      problem ??= `Kong decodes "${run}" in request paths to control characters, which the library does not write into Kong's configuration; `
        + 'use the nginx engine, istio or gatewayApi';
    }
    return decoded;
  });
  if (problem !== undefined) return { problem };
  return { path };
}

/** A run of `%XX`: the reserved ones kept (upper-case hex), the others decoded as UTF-8; undefined if they are not UTF-8. */
function decodeRun(run: string): string | undefined {
  const bytes = run.slice(1).split('%').map((hex) => parseInt(hex, 16));
  let out = '';
  let pending: number[] = [];
  const flush = (): boolean => {
    try {
      // ignoreBOM: a decoded U+FEFF is a character of the path, not a mark to drop.
      out += new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(pending));
    } catch {
      return false;
    }
    pending = [];
    return true;
  };
  for (const byte of bytes) {
    if (!KEPT_ENCODED.has(byte)) {
      pending.push(byte);
      continue;
    }
    if (!flush()) return undefined;
    out += percentEncoding(byte);
  }
  return flush() ? out : undefined;
}
