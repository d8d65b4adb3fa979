import { BackendIntent, ExposureIntent, ForwardIntent, MirrorIntent, RouteIntent } from '../../../intent/model';
import { proxyNextUpstream } from '../../shared/nginx-retries';
import { backendAddress } from '../engine';
import { proxySslDirectives, upstreamScheme } from './nginx-backend-tls';
import { maxConns, serversKey } from './nginx-connection-limits';
import { ConfigLines, headerVariable, literalRegex, NginxVariable, quote, regexKey, variable } from './nginx-text';

/** Where a forwarding route's proxy is written: upstreams and maps at http level, its mirror's location in the route server. */
export interface ProxyTarget {
  readonly intent: ExposureIntent;
  readonly clusterDomain: string;
  readonly http: ConfigLines;
  readonly locations: ConfigLines;
  /** The upstreams written with a connection limit, by their servers (`serversKey`), so routes to the same servers share one. */
  readonly upstreams: Map<string, string>;
}

/**
 * The proxy directives of route `i` (its location's last ones): writes its upstream, the maps of
 * its header edits and rewrite, and its mirror (an upstream and an internal location).
 */
export function proxyDirectives(route: RouteIntent, action: ForwardIntent, i: number, target: ProxyTarget): string[] {
  const { http } = target;
  // With retries each server is listed once per try: a Service is one address, and nginx only
  // retries on another peer of the upstream.
  const tries = route.retries === undefined ? 1 : route.retries.attempts + 1;
  const name = upstream(`route_${i}`, action.backends.map((b) => [b.backend, b.weight]), target, tries);
  const proxy: string[] = [
    'proxy_http_version 1.1;',
    // An Upgrade (WebSocket) is passed on; other requests keep the upstream connection alive.
    'proxy_set_header Upgrade $http_upgrade;',
    'proxy_set_header Connection $connection_upgrade;',
    `proxy_set_header Host ${route.rewrite?.host ? quote(route.rewrite.host) : '$host'};`,
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    'proxy_set_header X-Forwarded-Proto $scheme;',
    'proxy_set_header X-Forwarded-Host $host;',
    'proxy_set_header X-Request-Id $request_id;',
    ...clientIdentityHeaders(target.intent),
    ...requestHeaderEdits(route, i, http),
    ...timeouts(route),
  ];
  const backends = action.backends.map((b) => b.backend);
  proxy.push(...proxySslDirectives(backends[0].tls));
  if (route.mirror) proxy.push(mirror(route.mirror, i, target));
  proxy.push(`proxy_pass ${proxyPassTarget(route, i, http, name)};`);
  return proxy;
}

/**
 * With client certificates, who the client is, under ingress-nginx's header names (a backend
 * reads the same headers behind either): the verification result (SUCCESS, or NONE without a
 * certificate when it is optional), the subject and issuer DNs (RFC 2253) and the certificate as
 * URL-encoded PEM. Set on every request, so a client cannot send its own: an empty value (no
 * certificate) sends none.
 */
export function clientIdentityHeaders(intent: ExposureIntent): string[] {
  if (intent.tls?.clientCertificates === undefined) return [];
  return [
    'proxy_set_header ssl-client-verify $ssl_client_verify;',
    'proxy_set_header ssl-client-subject-dn $ssl_client_s_dn;',
    'proxy_set_header ssl-client-issuer-dn $ssl_client_i_dn;',
    'proxy_set_header ssl-client-cert $ssl_client_escaped_cert;',
  ];
}

/**
 * Writes an upstream of weighted servers (Services by FQDN, resolved when nginx starts) and
 * returns its name. With the circuit breaker's limit each server line gets `max_conns`, counted
 * across the worker processes in the upstream's shared `zone`; routes with the same servers then
 * share one upstream, so the limit spans them (the checks refuse a Service in two different ones).
 */
export function upstream(name: string, servers: [BackendIntent, number][], target: ProxyTarget, copies = 1): string {
  const limit = maxConns(target.intent.circuitBreaker);
  // nginx has no weight 0: such a server takes no traffic while it is marked down. max_fails=0:
  // a Service address is never taken out of rotation (kube-proxy balances behind it).
  const lines = servers.map(([b, weight]) => `  server ${backendAddress(b, target.intent, target.clusterDomain)}`
    + `${weight === 0 ? ' down' : ` weight=${weight}`} max_fails=0${limit === undefined ? '' : ` max_conns=${limit}`};`);
  const all = Array.from({ length: copies }, () => lines).flat();
  if (limit === undefined) {
    target.http.add(`upstream ${name} {`, ...all, '  keepalive 16;', '}', '');
    return name;
  }
  const key = serversKey(servers);
  const shared = target.upstreams.get(key);
  if (shared !== undefined) return shared;
  target.upstreams.set(key, name);
  target.http.add(`upstream ${name} {`, `  zone ${name} 64k;`, ...all, '  keepalive 16;', '}', '');
  return name;
}

/** A sample of the requests copied to the mirror's upstream by an internal location; the `mirror` directive. */
function mirror(m: MirrorIntent, i: number, target: ProxyTarget): string {
  const { http, locations } = target;
  const name = upstream(`mirror_${i}`, [[m.backend, 1]], target);
  if (m.percentage < 100) http.add(`split_clients "$request_id" $mirror_sample_${i} {`, `  ${m.percentage}% 1;`, '  * "";', '}', '');
  locations.add(`location = /__mirror/${i} {`, '  internal;',
    ...(m.percentage < 100 ? [`  if ($mirror_sample_${i} = "") {`, '    return 204;', '  }'] : []),
    '  proxy_set_header Host $host;', ...proxySslDirectives(m.backend.tls).map((line) => `  ${line}`),
    `  proxy_pass ${upstreamScheme([m.backend])}://${name}$request_uri;`, '}', '');
  return `mirror /__mirror/${i};`;
}

/** The URI sent upstream: the original one, or the rewritten path with the query string. */
function upstreamUri(route: RouteIntent, i: number, http: ConfigLines): (string | NginxVariable)[] {
  const target = route.rewrite?.path;
  if (target === undefined) return [variable('request_uri')];
  const { kind, value } = route.match.path;
  if (kind !== 'prefix') return [target, variable('is_args'), variable('args')];
  // Element-wise prefix replacement, e.g. /api -> /v2 turns /api/x into /v2/x and /api into /v2,
  // on the URI as the client sent it ($request_uri, with its query): nothing decoded reaches the
  // upstream request line. The route was chosen on the normalized path, so a URI whose raw form
  // differs from it (a dot segment, "//", an encoded "." or an encoded prefix) would be rewritten
  // wrongly (`/api/../x` to `/v2/../x`, outside the target): it gets no rewrite but a 400.
  http.add(`map $request_uri $upstream_uri_${i} {`, '  default "";',
    `  ${regexKey('[^?]*?(?:/\\.\\.?(?:/|\\?|$)|//|%2[Ee])[\\s\\S]*')} "";`,
    ...prefixRewrites(value, target, i).map(([key, uri]) => `  ${key} ${uri};`),
    '}', '');
  return [variable(`upstream_uri_${i}`)];
}

/**
 * The map entries (key, value) of a prefix rewrite of route `i` from `prefix` to `target`: the
 * prefix itself (with its query) gets the bare target, a path below it the target and the rest.
 */
export function prefixRewrites(prefix: string, target: string, i: number): [string, string][] {
  const base = target.endsWith('/') && target !== '/' ? target.slice(0, -1) : target;
  const literal = prefix === '/' ? '' : literalRegex(prefix);
  return [
    [regexKey(`${literal}(?<bare_${i}>\\?.*)?`), quote(base, variable(`bare_${i}`))],
    [regexKey(`${literal}(?<rest_${i}>/[^?]*)(?<query_${i}>\\?.*)?`), quote(base === '/' ? '' : base, variable(`rest_${i}`), variable(`query_${i}`))],
  ];
}

/** The `proxy_pass` target of route `i`, a string nginx expands: https to backends with TLS. */
export function proxyPassTarget(route: RouteIntent, i: number, http: ConfigLines, upstreamName = `route_${i}`): string {
  const scheme = route.action.kind === 'forward' ? upstreamScheme(route.action.backends.map((b) => b.backend)) : 'http';
  return quote(`${scheme}://${upstreamName}`, ...upstreamUri(route, i, http));
}

/** A prefix rewrite answers 400 where the raw URI is not in the normalized form the route was chosen on. */
export function rewritableUriCheck(route: RouteIntent, i: number): string[] {
  if (route.rewrite?.path === undefined || route.match.path.kind !== 'prefix') return [];
  return [`if ($upstream_uri_${i} = "") {`, '  return 400;', '}'];
}

/** The route's request header edits, as `directive` (`proxy_set_header`, or `grpc_set_header` for a gRPC route) lines. */
export function requestHeaderEdits(route: RouteIntent, i: number, http: ConfigLines, directive = 'proxy_set_header'): string[] {
  const e = route.requestHeaders;
  if (e === undefined) return [];
  const lines = e.set.map((h) => `${directive} ${h.name} ${quote(h.value)};`);
  e.add.forEach((h, k) => {
    // Appending joins with ", " when the client sent the header, as repeated headers mean.
    const added = `$added_header_${i}_${k}`;
    const sent = headerVariable(h.name);
    http.add(`map ${sent} ${added} {`, `  "" ${quote(h.value)};`, `  default ${appendedHeaderValue(h.name, h.value)};`, '}', '');
    lines.push(`${directive} ${h.name} ${added};`);
  });
  return [...lines, ...e.remove.map((name) => `${directive} ${name} "";`)];
}

/** An appended request header's value when the client sent the header: what it sent, ", ", the declared value. */
export function appendedHeaderValue(name: string, value: string): string {
  return quote(variable(headerVariable(name).slice(1)), ', ', value);
}

function timeouts(route: RouteIntent): string[] {
  const lines: string[] = [];
  const perTry = route.retries?.perTryTimeoutMs ?? route.timeoutMs;
  // The timeout bounds the request; connecting gets the same bound, at most 60 s (nginx's own
  // default; its docs warn the connect timeout usually cannot exceed 75 s).
  if (perTry !== undefined) lines.push(`proxy_connect_timeout ${Math.min(perTry, 60_000)}ms;`, `proxy_send_timeout ${perTry}ms;`, `proxy_read_timeout ${perTry}ms;`);
  // The longest silence of an upgraded (WebSocket) or streaming connection; the checks let it through alone.
  const idle = route.idleTimeoutMs;
  if (idle !== undefined) lines.push(`proxy_send_timeout ${idle}ms;`, `proxy_read_timeout ${idle}ms;`);
  const r = route.retries;
  if (r === undefined) return lines;
  if (r.attempts === 0) return [...lines, 'proxy_next_upstream off;'];
  const conditions = proxyNextUpstream(r);
  lines.push(`proxy_next_upstream ${conditions} non_idempotent;`, `proxy_next_upstream_tries ${r.attempts + 1};`);
  if (route.timeoutMs !== undefined) lines.push(`proxy_next_upstream_timeout ${route.timeoutMs}ms;`);
  return lines;
}
