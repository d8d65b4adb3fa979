import { proxySslDirectives, upstreamScheme } from './nginx-backend-tls';
import { AGGREGATE_NJS_MODULE } from './nginx-njs';
import { clientIdentityHeaders, ProxyTarget, upstream } from './nginx-proxy';
import { quote, quoteKey } from './nginx-text';
import { AggregateIntent, AggregatePartIntent, RouteIntent } from '../../../intent/model';

/*
 * Aggregate routes on the NGINX engine: the route's location answers with njs (`js_content
 * aggregate.compose`, see nginx-aggregate-script.ts), which calls each part as a subrequest to
 * an internal location of its own; that location proxies to the part's upstream with the part's
 * timeouts, so the parts reuse nginx's upstreams, keep-alive and TLS settings.
 */

/** The largest answer of a part that the gateway reads (`subrequest_output_buffer_size`); a larger one fails the part. */
export const PART_BODY_LIMIT = '1m';

/** The internal location of part `k` of route `i`: the part's path and query follow it in the subrequest's URI. */
export function partLocation(i: number, k: number): string {
  return `/__aggregate/${i}/${k}`;
}

/**
 * The last directives of aggregate route `i`'s location: its parts as JSON in `$aggregate_parts`
 * (a rewrite-phase statement), and the njs handler. Writes each part's upstream and location.
 */
export function aggregateDirectives(route: RouteIntent, action: AggregateIntent, i: number, target: ProxyTarget, routeHeaders: readonly string[]):
{ statements: string[]; directives: string[] } {
  action.parts.forEach((part, k) => partProxy(route, part, i, k, target, routeHeaders));
  return {
    statements: [`set $aggregate_parts ${aggregatePartsValue(action, i)};`],
    directives: [`js_content ${AGGREGATE_NJS_MODULE.name}.compose;`],
  };
}

/** The value of route `i`'s `$aggregate_parts`: its parts as the njs script reads them, one quoted token. */
export function aggregatePartsValue(action: AggregateIntent, i: number): string {
  const parts = action.parts.map((part, k) => ({
    name: part.name,
    location: partLocation(i, k),
    required: part.required,
    path: part.path.map((p) => (p.kind === 'text' ? ['text', p.text] : [p.kind, p.name])),
  }));
  return quote(JSON.stringify(parts));
}

/**
 * Part `k`'s internal location: the subrequest's URI after the location's prefix is the part's
 * path (captured as the njs script wrote it, values already percent-encoded, and sent as is), its
 * arguments the part's query. A GET without the client's body or conditions (a 304 is no JSON),
 * answered uncompressed, not retried, within the part's timeout (or the route's).
 */
function partProxy(route: RouteIntent, part: AggregatePartIntent, i: number, k: number, target: ProxyTarget, routeHeaders: readonly string[]): void {
  const name = upstream(`aggregate_${i}_${k}`, [[part.backend, 1]], target);
  const timeout = part.timeoutMs ?? route.timeoutMs;
  target.locations.block(`location ~ ${quoteKey(`^${partLocation(i, k)}(?<aggregate_uri>/.*)$`)}`, (body) => body.add(
    'internal;',
    'proxy_http_version 1.1;',
    'proxy_set_header Connection "";',
    'proxy_set_header Host $host;',
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    'proxy_set_header X-Forwarded-Proto $scheme;',
    'proxy_set_header X-Forwarded-Host $host;',
    'proxy_set_header X-Request-Id $request_id;',
    ...clientIdentityHeaders(target.intent),
    // What the route's checks set for its backends (the consumer of a JWT, the auth service's
    // headers): a location's proxy_set_header replace the enclosing ones, so each part repeats them,
    // and a client's header of the same name never reaches a part.
    ...routeHeaders,
    'proxy_set_header Accept "application/json";',
    'proxy_set_header Accept-Encoding "";',
    'proxy_set_header If-None-Match "";',
    'proxy_set_header If-Modified-Since "";',
    'proxy_set_header Range "";',
    'proxy_set_header Content-Length "";',
    'proxy_pass_request_body off;',
    'proxy_next_upstream off;',
    ...(timeout === undefined ? [] : [`proxy_connect_timeout ${Math.min(timeout, 60_000)}ms;`, `proxy_send_timeout ${timeout}ms;`, `proxy_read_timeout ${timeout}ms;`]),
    `subrequest_output_buffer_size ${PART_BODY_LIMIT};`,
    ...proxySslDirectives(part.backend.tls),
    `proxy_pass ${upstreamScheme([part.backend])}://${name}$aggregate_uri$is_args$args;`,
  )).add('');
}
