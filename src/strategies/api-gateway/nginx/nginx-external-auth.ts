import { ExternalAuthIntent } from '../../../intent/model';
import { backendAddress } from '../engine';
import { ERROR_PAGE_DIRECTIVES } from './nginx-error-pages';
import { ProxyTarget } from './nginx-proxy';
import { headerVariable, quote, variable } from './nginx-text';

/**
 * External authentication of route `i`: `auth_request` to an internal location that proxies a
 * bodiless copy of the request to the auth service, at the declared prefix followed by the URI as
 * the client sent it, with the client's method. The auth service gets the client's Host, its
 * Authorization and the declared headers (no other header of the client), and the original
 * request as `X-Original-URI`, `X-Original-Method`, `X-Forwarded-Host`, `X-Forwarded-Proto` and
 * `X-Forwarded-For`. A 2xx answer lets the request through, with the declared headers of that
 * answer set on the request to the backend (absent ones removed, so a client cannot forge them);
 * 401 and 403 answer the client (401 redirected to `signinUrl` when declared); nginx answers any
 * other status of the auth service, or its failure, with 500.
 *
 * Writes the auth upstream (http level) and the internal location (the route server); returns
 * the directives of the route's location. `routeName` is the route's `$route_name`.
 */
export function externalAuthDirectives(auth: ExternalAuthIntent, i: number, routeName: string, target: ProxyTarget): string[] {
  target.http.add(`upstream auth_${i} {`, `  server ${backendAddress(auth.service, target.intent, target.clusterDomain)} max_fails=0;`, '  keepalive 16;', '}', '');
  const forwarded = ['authorization', ...auth.forwardHeaders.filter((h) => h !== 'authorization')];
  target.locations.block(`location = /__auth/${i}`, (body) => body.add(
    'internal;',
    // A subrequest shares the request's variables and runs the server's rewrite phase again,
    // which resets $route_name for the usage log: set back here.
    `set $route_name ${routeName};`,
    'proxy_pass_request_body off;',
    // Else nginx announces the client's body length, and the auth service waits for a body that never comes.
    'proxy_set_header Content-Length "";',
    // Only the headers declared reach the auth service: the client's others stay with the gateway.
    'proxy_pass_request_headers off;',
    'proxy_http_version 1.1;',
    // The method of the client's request ($request_method is the main request's), not the subrequest's GET.
    'proxy_method $request_method;',
    'proxy_set_header Connection "";',
    'proxy_set_header Host $host;',
    ...forwarded.map((h) => `proxy_set_header ${h} ${headerVariable(h)};`),
    'proxy_set_header X-Original-URI $request_uri;',
    'proxy_set_header X-Original-Method $request_method;',
    'proxy_set_header X-Forwarded-Host $host;',
    'proxy_set_header X-Forwarded-Proto $scheme;',
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    // The URI as the client sent it ($request_uri of the main request: path and query, not decoded).
    `proxy_pass ${quote(`http://auth_${i}`, auth.pathPrefix ?? '', variable('request_uri'))};`,
  )).add('');
  const directives = [`auth_request /__auth/${i};`];
  auth.responseHeaders.forEach((h, k) => {
    directives.push(`auth_request_set $auth_${i}_${k} $upstream_http_${h.replace(/-/g, '_')};`, `proxy_set_header ${h} $auth_${i}_${k};`);
  });
  if (auth.signinUrl !== undefined) {
    // error_page directives of a location replace the server's: the others are repeated.
    directives.push(...ERROR_PAGE_DIRECTIVES.filter((d) => !d.startsWith('error_page 401 ')), `error_page 401 ${quote(auth.signinUrl)};`);
  }
  return directives;
}
