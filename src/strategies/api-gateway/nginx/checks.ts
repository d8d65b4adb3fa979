import { grpcRouteProblems } from './grpc-checks';
import { backendTlsProblems } from './nginx-backend-tls';
import { connectionLimitProblems } from './nginx-connection-limits';
import { CONSUMER_HEADER } from './nginx-jwt';
import { matchConditions, namedGroup } from './nginx-route-selection';
import { tokenLengthProblems } from './nginx-token-length';
import { streamProblems } from './stream-checks';
import { Problem } from '../../../core/errors';
import { ExposureIntent, RouteIntent } from '../../../intent/model';
import { orderBySpecificity } from '../../../intent/precedence';
import { idleTimeoutConflicts } from '../../shared/idle-timeout';
import { retryOnProblems } from '../../shared/nginx-retries';

/**
 * What the NGINX engine cannot express in an intent that its capability row accepts: every
 * problem, routes in declaration order, each route's fields in the order its location is written,
 * then the streams.
 */
export function nginxProblems(intent: ExposureIntent): Problem[] {
  return [
    ...routeProblems(intent), ...connectionLimitProblems(intent), ...backendTlsProblems(intent),
    ...streamProblems(intent), ...streamConnectionLimits(intent),
  ];
}

function routeProblems(intent: ExposureIntent): Problem[] {
  const written = orderBySpecificity(intent.routes);
  return intent.routes.flatMap((route) => [
    ...headerNameProblems(route),
    ...tokenLengthProblems(route, written.indexOf(route)),
    ...queryParamProblems(route),
    ...matchProblems(route),
    ...authProblems(route),
    ...hopByHopProblems(route),
    ...externalAuthHeaderProblems(route),
    ...clientIdentityProblems(route, intent),
    ...responseHeaderProblems(route),
    ...grpcRouteProblems(route),
    // A redirect route forwards nothing: the retries and timeouts it inherits are not written.
    ...idleTimeoutConflicts(route, 'nginx\'s proxy_read_timeout and proxy_send_timeout'),
    ...(route.action.kind === 'forward' ? retryProblems(route) : []),
  ]);
}

/** The engine writes Upgrade and Connection itself: WebSockets pass through, other requests keep the upstream connection alive. */
function hopByHopProblems(route: RouteIntent): Problem[] {
  return editedNames(route.requestHeaders).filter((n) => ['connection', 'upgrade'].includes(n.toLowerCase())).map((name) => ({
    field: route.sources.requestHeaders!,
    message: `the NGINX engine sets "${name}" itself (WebSocket upgrades and keep-alive to the backends); remove it from the edits`,
  }));
}

/** A header of the auth answer is set on the request to the backend: the route's request header edits cannot also write it. */
function externalAuthHeaderProblems(route: RouteIntent): Problem[] {
  if (route.auth?.kind !== 'external') return [];
  // The auth subrequest is proxied over plain HTTP: TLS to the auth service is not written.
  if (route.auth.service.tls !== undefined) {
    return [{
      field: `${route.sources.auth!}.service`,
      message: 'the NGINX engine calls the auth service over plain HTTP; remove tls, or use gatewayApi (experimental)',
    }];
  }
  const edited = new Set(editedNames(route.requestHeaders).map((n) => n.toLowerCase()));
  return route.auth.responseHeaders.filter((h) => edited.has(h)).map((name) => ({
    field: `${route.sources.auth!}.responseHeaders`,
    message: `"${name}" is copied from the auth service's answer and edited by ${route.sources.requestHeaders!} too; keep one`,
  }));
}

/** The identity headers of client certificates are the engine's: an edit would forge or drop who the client is. */
const CLIENT_IDENTITY_HEADERS = ['ssl-client-verify', 'ssl-client-subject-dn', 'ssl-client-issuer-dn', 'ssl-client-cert'];

function clientIdentityProblems(route: RouteIntent, intent: ExposureIntent): Problem[] {
  if (intent.tls?.clientCertificates === undefined) return [];
  return editedNames(route.requestHeaders).filter((n) => CLIENT_IDENTITY_HEADERS.includes(n.toLowerCase())).map((name) => ({
    field: route.sources.requestHeaders!,
    message: `the NGINX engine sets "${name}" itself from the verified client certificate; remove it from the edits`,
  }));
}

/**
 * nginx reads a request header through the variable `$http_<name>` (lowercased, "-" as "_") and
 * writes names unquoted: only letters, digits and "-" arrive as declared. A "_" collides with "-"
 * (and nginx drops such headers by default), a "." or "$" names another variable, and a "#" or a
 * quote ends the directive. The HTTP token grammar allows them; this engine refuses them.
 */
function headerNameProblems(route: RouteIntent): Problem[] {
  const named: [string | undefined, readonly string[]][] = [
    [`${route.field}.match.headers`, route.match.headers.map((h) => h.name)],
    [route.sources.requestHeaders, editedNames(route.requestHeaders)],
    [route.sources.responseHeaders, editedNames(route.responseHeaders)],
    [route.sources.auth, route.auth?.kind === 'api-key' ? [route.auth.header] : []],
    [route.sources.cors, route.cors ? [...route.cors.allowHeaders, ...route.cors.exposeHeaders] : []],
  ];
  const external = route.auth?.kind === 'external' ? [...route.auth.forwardHeaders, ...route.auth.responseHeaders] : [];
  return [
    ...named.flatMap(([field, names]) => names.filter((n) => !NGINX_HEADER_NAME.test(n)).map((name) => ({
      field: field!,
      message: `nginx carries header "${name}" only if its name is letters, digits and "-" ("_" reads as "-", "." and "$" as other variables); rename it, or use the Kong engine`,
    }))),
    // Kong has no external authentication: the other strategies that have it.
    ...external.filter((n) => !NGINX_HEADER_NAME.test(n)).map((name) => ({
      field: route.sources.auth!,
      message: `nginx carries header "${name}" only if its name is letters, digits and "-" ("_" reads as "-", "." and "$" as other variables); `
        + 'rename it, or use istio or gatewayApi (experimental)',
    })),
  ];
}

const NGINX_HEADER_NAME = /^[A-Za-z0-9-]+$/;

function editedNames(edits: RouteIntent['requestHeaders']): string[] {
  return edits === undefined ? [] : [...edits.set.map((h) => h.name), ...edits.add.map((h) => h.name), ...edits.remove];
}

/**
 * nginx matches query parameters on the query string as sent (`$args`): an exact value is matched
 * in every encoding, a regex cannot be.
 */
function queryParamProblems(route: RouteIntent): Problem[] {
  return route.match.queryParams.filter((q) => q.kind === 'regex').map((q) => ({
    field: `${route.field}.match.queryParams`,
    message: `nginx holds the query value of "${q.name}" percent-encoded as sent, so a regex would not see the value declared; match it exactly, or use istio or gatewayApi`,
  }));
}

/**
 * Each condition of the match is a regex of a map, whose named groups nginx turns into variables.
 * nginx runs declared regexes with PCRE on bytes, not UTF-8 characters as RE2 does: a non-ASCII
 * character, `\x{...}` or a Unicode class would match other text than declared.
 */
function matchProblems(route: RouteIntent): Problem[] {
  const named = matchConditions(route).flatMap((c) => {
    const group = namedGroup(c.regex);
    return group === undefined ? [] : [{
      field: `${route.field}.match`,
      message: `nginx turns the named group "${group}" of ${JSON.stringify(c.regex)} into a variable; use (?:...)`,
    }];
  });
  const { path, headers } = route.match;
  const declared = [...path.kind === 'regex' ? [path.value] : [], ...headers.filter((h) => h.kind === 'regex').map((h) => h.value)];
  const bytewise = declared.filter((regex) => /[^\u0000-\u007f]|\\x\{|\\[pP]/.test(regex)).map((regex) => ({
    field: `${route.field}.match`,
    message: `nginx matches regexes byte by byte, not by UTF-8 character: ${JSON.stringify(regex)} has a non-ASCII character, \\x{...} or \\p; `
      + 'write it in ASCII, or use istio or gatewayApi',
  }));
  return [...named, ...bytewise];
}

/**
 * A JWT is verified against the issuer's JWKS the gateway mounts (it fetches nothing at request
 * time), and the subject is sent to the backend as X-Consumer-Username: the route's request header
 * edits cannot also write it.
 */
function authProblems(route: RouteIntent): Problem[] {
  if (route.auth?.kind !== 'jwt') return [];
  const field = route.sources.auth!;
  const consumer = CONSUMER_HEADER.toLowerCase();
  return [
    ...(route.auth.jwks === undefined ? [{
      field,
      message: 'the NGINX engine verifies tokens with the issuer\'s JWKS mounted from a Secret or ConfigMap, not fetched from jwksUri: '
        + 'set Auth.jwt({ ..., jwksSecret }) or jwksConfigMap',
    }] : []),
    ...editedNames(route.requestHeaders).filter((n) => n.toLowerCase() === consumer).map((name) => ({
      field: route.sources.requestHeaders!,
      message: `the NGINX engine sets "${name}" to the token's subject on routes with Auth.jwt; remove it from the edits`,
    })),
  ];
}

/** nginx writes Server and Date itself, after every module. */
function responseHeaderProblems(route: RouteIntent): Problem[] {
  const edits = route.responseHeaders;
  if (edits === undefined) return [];
  const field = route.sources.responseHeaders!;
  const own = [...edits.set.map((h) => h.name), ...edits.remove].filter((n) => n === 'server' || n === 'date').map((name) => ({
    field,
    message: `nginx always sends its own "${name}" header (server_tokens off hides the version); it cannot be set or removed`,
  }));
  return own;
}

/** Retries on conditions proxy_next_upstream has (attempts 0 turns retries off: no condition is written). */
function retryProblems(route: RouteIntent): Problem[] {
  const retries = route.retries;
  return retries === undefined || retries.attempts === 0 ? [] : retryOnProblems(retries, route.sources.retries!, 'nginx');
}

/** The stream block's upstreams carry no max_conns: a limit would hold for the HTTP routes and not for the streams. */
function streamConnectionLimits(intent: ExposureIntent): Problem[] {
  return intent.circuitBreaker === undefined || intent.streams.length === 0 ? [] : [{
    field: 'circuitBreaker',
    message: 'the NGINX engine limits the connections of its HTTP routes, not of the passthrough and tcp streams; declare the streams in an exposure of their own, or use istio',
  }];
}
