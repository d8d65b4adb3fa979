import { HSTS_HEADER } from './nginx-layout';
import { ConfigLines } from './nginx-text';

// Errors the gateway itself answers, as JSON (errors of the backends pass through unchanged).
const ERRORS: Record<number, string> = {
  400: 'bad request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found',
  405: 'method not allowed',
  // A retired route after its sunset (`Deprecation.of({ retire: true })`).
  410: 'gone',
  413: 'request body too large',
  429: 'too many requests',
  500: 'internal error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout',
};

/** The `error_page` directives of the route server: each error to its named location. */
export const ERROR_PAGE_DIRECTIVES = Object.keys(ERRORS).map((code) => `error_page ${code} @error_${code};`);
// The same for every exposure (with or without HSTS): written once, not once per exposure.
const errorPageBlocks = new Map<boolean, readonly string[]>();

/**
 * The body of a named location that answers `code` as the gateway's JSON error; `headers`
 * (`add_header ... always;`) come before the answer.
 */
export function errorPageBody(code: number, hsts: boolean, headers: readonly string[] = []): string[] {
  return [
    'default_type application/json;',
    ...(hsts ? [HSTS_HEADER] : []),
    ...(code === 429 ? ['add_header Retry-After $retry_after always;'] : []),
    ...headers,
    `return ${code} '{"error":"${ERRORS[code]}","status":${code},"request_id":"$request_id"}\\n';`,
  ];
}

/**
 * The named locations that answer the gateway's own errors as JSON, indented for `server`'s body
 * (the route server's, at the same depth in every configuration: the cache is by HSTS only).
 */
export function errorPagesFor(hsts: boolean, server: ConfigLines): readonly string[] {
  let block = errorPageBlocks.get(hsts);
  if (block === undefined) {
    const pages = server.detached();
    for (const code of Object.keys(ERRORS)) pages.block(`location @error_${code}`, (page) => page.add(...errorPageBody(Number(code), hsts)));
    block = pages.lines;
    errorPageBlocks.set(hsts, block);
  }
  return block;
}
