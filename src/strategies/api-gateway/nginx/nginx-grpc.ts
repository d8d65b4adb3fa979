import { GRPC_ERRORS } from './nginx-grpc-errors';
import { secretDir } from './nginx-layout';
import { ProxyTarget, requestHeaderEdits, upstream } from './nginx-proxy';
import { quote } from './nginx-text';
import { ForwardIntent, RouteIntent } from '../../../intent/model';
import { proxyNextUpstream } from '../../shared/nginx-retries';

/*
 * gRPC routes on the NGINX engine: the route's location passes the request with `grpc_pass`
 * (HTTP/2 to the backend; `grpcs://` with TLS to it) instead of `proxy_pass`. The client reaches
 * the gateway over HTTP/2: on its gRPC port (h2c, see `nginx-config.ts`) or, where the gateway
 * terminates TLS, on its HTTPS port (h2 negotiated by ALPN).
 */

/**
 * The directives of gRPC route `i`'s location after its policies: its gateway errors as gRPC
 * statuses, the request URI restored, the headers, timeouts and retries, TLS to the backend, and
 * `grpc_pass` to its upstream (written to http level).
 */
export function grpcDirectives(route: RouteIntent, action: ForwardIntent, i: number, target: ProxyTarget): string[] {
  const tries = route.retries === undefined ? 1 : route.retries.attempts + 1;
  const name = upstream(`route_${i}`, action.backends.map((b) => [b.backend, b.weight]), target, tries);
  const tls = action.backends[0].backend.tls;
  return [
    'grpc_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    'grpc_set_header X-Forwarded-Proto $scheme;',
    'grpc_set_header X-Forwarded-Host $host;',
    'grpc_set_header X-Request-Id $request_id;',
    ...route.rewrite?.host === undefined ? [] : [`grpc_set_header Host ${quote(route.rewrite.host)};`],
    ...requestHeaderEdits(route, i, target.http, 'grpc_set_header'),
    ...grpcTimeouts(route),
    ...grpcSslDirectives(tls),
    `grpc_pass ${tls === undefined ? 'grpc' : 'grpcs'}://${name};`,
  ];
}

/**
 * The rewrite-phase statement that ends a gRPC route's statements: the route selection jumped to
 * `/__route/<i>`, and `grpc_pass` (which takes no URI) sends the current one; this puts back the
 * path the client sent (`/package.Service/Method`) and stops the rewrite module here.
 */
export const RESTORE_GRPC_PATH = 'rewrite ^ $original_uri break;';

/**
 * In a gRPC route's location: the gateway's own errors as gRPC statuses (see `nginx-grpc-errors.ts`),
 * answered with HTTP 200 (`=200`: an error page keeps the error's status otherwise).
 */
export const GRPC_ERROR_PAGE_DIRECTIVES = Object.keys(GRPC_ERRORS).map((code) => `error_page ${code} =200 @grpc_error_${code};`);

function grpcTimeouts(route: RouteIntent): string[] {
  const lines: string[] = [];
  const perTry = route.retries?.perTryTimeoutMs ?? route.timeoutMs;
  // As for HTTP routes: the timeout bounds each try; connecting at most 60 s.
  if (perTry !== undefined) lines.push(`grpc_connect_timeout ${Math.min(perTry, 60_000)}ms;`, `grpc_send_timeout ${perTry}ms;`, `grpc_read_timeout ${perTry}ms;`);
  // The longest silence of a stream (a server stream waiting for its next message).
  const idle = route.idleTimeoutMs;
  if (idle !== undefined) lines.push(`grpc_send_timeout ${idle}ms;`, `grpc_read_timeout ${idle}ms;`);
  const r = route.retries;
  if (r === undefined) return lines;
  if (r.attempts === 0) return [...lines, 'grpc_next_upstream off;'];
  // nginx retries on what it sees of HTTP (a connection error, a timeout, a 5xx status), not on a
  // gRPC status in the trailers; every gRPC call is a POST: non_idempotent lets it retry them.
  lines.push(`grpc_next_upstream ${proxyNextUpstream(r)} non_idempotent;`, `grpc_next_upstream_tries ${r.attempts + 1};`);
  if (route.timeoutMs !== undefined) lines.push(`grpc_next_upstream_timeout ${route.timeoutMs}ms;`);
  return lines;
}

/** The grpc_ssl directives of a location that passes to backends with TLS (the checks made the CA a Secret). */
function grpcSslDirectives(tls: ForwardIntent['backends'][number]['backend']['tls']): string[] {
  if (tls === undefined) return [];
  const ca = tls.ca;
  if (ca !== undefined && ca.kind !== 'secret') throw new Error('nginx: the check let through a backend CA that is not a Secret');
  return [
    ...(tls.serverName === undefined ? [] : ['grpc_ssl_server_name on;', `grpc_ssl_name ${quote(tls.serverName)};`]),
    ...(ca === undefined ? ['grpc_ssl_verify off;'] : [
      'grpc_ssl_verify on;',
      'grpc_ssl_verify_depth 100;',
      `grpc_ssl_trusted_certificate ${secretDir(ca.name)}/ca.crt;`,
    ]),
  ];
}
