import { Duration, Size } from 'cdk8s';
import { AccessPolicy } from './access-policy';
import { AggregatePart } from './aggregate-part';
import { Auth } from './auth';
import { Backend } from './backend';
import { Deprecation } from './deprecation';
import { GrpcProto } from './grpc-proto';
import { HeaderMatch } from './header-match';
import { PathMatch } from './path-match';
import { QueryParamMatch } from './query-param-match';
import { RateLimit } from './rate-limit';
import { SessionAffinity } from './session-affinity';

/** An HTTP method a route can match. */
export type HttpMethod = 'CONNECT' | 'DELETE' | 'GET' | 'HEAD' | 'OPTIONS' | 'PATCH' | 'POST' | 'PUT' | 'TRACE';

/** What requests a route takes. All conditions must hold. */
export interface RouteMatch {
  /**
   * The request path: a prefix (element-wise: `/api` takes `/api` and `/api/v1`, not `/apis`;
   * Istio and the Kong engine compare string prefixes), an exact path, or an RE2 regex matched in
   * full.
   * @default PathMatch.prefix('/')
   * @example match: { path: PathMatch.exact('/healthz') }
   */
  readonly path?: PathMatch;
  /**
   * Header conditions: every one must hold. Names compare case-insensitively, values exactly
   * (the Kong engine compares values in any case, so it refuses exact and prefix values with
   * letters: match them with `HeaderMatch.regex(name, '(?i)...')`).
   * @default - no header condition
   * @example match: { headers: [HeaderMatch.exact('x-canary', 'true')] }
   */
  readonly headers?: HeaderMatch[];
  /**
   * Query parameter conditions on the request URL: every one must hold.
   * @default - no query parameter condition
   * @example match: { queryParams: [QueryParamMatch.exact('version', '2')] }
   */
  readonly queryParams?: QueryParamMatch[];
  /**
   * The request method (one; declare a route per method to take several).
   * @default - any method
   * @example match: { path: PathMatch.prefix('/orders'), method: 'POST' }
   */
  readonly method?: HttpMethod;
}

/** A backend with a relative weight (canaries, blue/green). */
export interface WeightedBackend {
  /**
   * One of the backends of the route.
   * @example { backend: Backend.fromName('api-v2', 8080), weight: 10 }
   */
  readonly backend: Backend;
  /**
   * Relative weight: the backend gets `weight / sum of weights` of the requests. 0 sends none.
   * @default 1
   * @example backends: [{ backend: v1, weight: 90 }, { backend: v2, weight: 10 }]
   */
  readonly weight?: number;
}

/**
 * Retries of failed requests. Istio writes `retries` on the route; Gateway API (experimental
 * channel) `retry` with the status codes and `timeouts.backendRequest`; ingress-nginx
 * `proxy-next-upstream` annotations; the NGINX engine `proxy_next_upstream`; the Kong engine the
 * service's `retries` (connection failures only).
 */
export interface RetryPolicy {
  /**
   * Retries after the first try, so a request is tried at most `attempts + 1` times (0 to 100).
   * 0 turns the strategy's own retries off (Gateway API cannot: there it is an error).
   * @example retries: { attempts: 3 }
   */
  readonly attempts: number;
  /**
   * Timeout of each try (Istio `perTryTimeout`, Gateway API `timeouts.backendRequest`, the
   * engines' connect, send and read timeouts). Gateway API requires it within the route's
   * `timeout`; the Kong engine takes this or `timeout`, not both; ingress-nginx has none (an
   * error there).
   * @default - the route's timeout
   * @example retries: { attempts: 3, perTryTimeout: Duration.seconds(2) }
   */
  readonly perTryTimeout?: Duration;
  /**
   * Which failures are retried: `5xx`, `gateway-error` (502, 503, 504), `connect-failure`,
   * `reset`, `retriable-4xx` (409). ingress-nginx and the NGINX engine cannot retry on 409; the
   * Kong engine retries `connect-failure` and `reset` only.
   * @default ['connect-failure', 'gateway-error', 'reset']
   * @example retries: { attempts: 2, retryOn: ['connect-failure', 'reset'] }
   */
  readonly retryOn?: RetryOn[];
}

/**
 * A class of failures that retries apply to: `5xx` (a 5xx answer or none: Istio retries any 5xx,
 * the other targets 500, 502, 503 and 504), `gateway-error` (502, 503, 504), `connect-failure`
 * (the connection to the backend failed or timed out), `reset` (the backend reset the
 * connection), `retriable-4xx` (409).
 */
export type RetryOn = '5xx' | 'gateway-error' | 'connect-failure' | 'reset' | 'retriable-4xx';

/** Rewrites the request before it reaches the backend. */
export interface RewriteOptions {
  /**
   * The new path: replaces the matched prefix for a prefix match (`/legacy` -> `/` turns
   * `/legacy/x` into `/x`), the whole path for an exact or regex match.
   * @default - path unchanged
   * @example rewrite: { path: '/' }
   */
  readonly path?: string;
  /**
   * The new `Host` (authority) header sent to the backend.
   * @default - host unchanged
   * @example rewrite: { host: 'internal.example.com' }
   */
  readonly host?: string;
}

/** Answers with a redirect instead of forwarding. Unset parts keep the request's own. */
export interface RedirectOptions {
  /**
   * The scheme of the `Location`.
   * @default - the request's scheme
   * @example redirect: { scheme: 'https' }
   */
  readonly scheme?: 'http' | 'https';
  /**
   * The host of the `Location`.
   * @default - the request's host
   * @example redirect: { scheme: 'https', host: 'www.example.com' }
   */
  readonly host?: string;
  /**
   * The port of the `Location`.
   * @default - the scheme's default port
   * @example redirect: { port: 8443 }
   */
  readonly port?: number;
  /**
   * The path of the `Location` (replaces the whole path). ingress-nginx requires it: its redirect
   * annotation cannot keep the request's path.
   * @default - the request's path
   * @example redirect: { path: '/new-home' }
   */
  readonly path?: string;
  /**
   * The status of the redirect: 301, 302, 303, 307 or 308 (307 and 308 keep the method and body).
   * @default 301
   * @example redirect: { path: '/login', statusCode: 302 }
   */
  readonly statusCode?: number;
}

/**
 * Edits of request headers (before the request reaches the backend) or response headers (before
 * the response reaches the client). Names are HTTP tokens; values are sent literally.
 */
export interface HeaderEdits {
  /**
   * Headers set to a value, replacing any present.
   * @default - none
   * @example requestHeaders: { set: { 'x-env': 'prod' } }
   */
  readonly set?: Record<string, string>;
  /**
   * Headers added (appended to any present).
   * @default - none
   * @example responseHeaders: { add: { 'cache-control': 'no-store' } }
   */
  readonly add?: Record<string, string>;
  /**
   * Headers removed.
   * @default - none
   * @example requestHeaders: { remove: ['x-debug'] }
   */
  readonly remove?: string[];
}

/** Sends a copy of requests to another backend; its responses are discarded. */
export interface MirrorPolicy {
  /**
   * Where the copies go.
   * @example mirror: { backend: Backend.fromName('shadow', 8080) }
   */
  readonly backend: Backend;
  /**
   * Share of requests copied, in percent (0-100). ingress-nginx mirrors every request (only 100).
   * @default 100
   * @example mirror: { backend: Backend.fromName('shadow', 8080), percentage: 10 }
   */
  readonly percentage?: number;
}

/** Answers some requests with an error instead of forwarding them. */
export interface FaultAbort {
  /**
   * The HTTP status answered (200-599).
   * @example abort: { httpStatus: 503, percentage: 1 }
   */
  readonly httpStatus: number;
  /**
   * Share of requests aborted, in percent (0-100).
   * @example abort: { httpStatus: 503, percentage: 1 }
   */
  readonly percentage: number;
}

/** Delays some requests before forwarding them. */
export interface FaultDelay {
  /**
   * How long each delayed request waits before it is forwarded.
   * @example delay: { fixedDelay: Duration.seconds(2), percentage: 5 }
   */
  readonly fixedDelay: Duration;
  /**
   * Share of requests delayed, in percent (0-100).
   * @example delay: { fixedDelay: Duration.seconds(2), percentage: 5 }
   */
  readonly percentage: number;
}

/** Fault injection, for resilience testing (Istio's `fault`; no other strategy has it). */
export interface FaultPolicy {
  /**
   * Answer some requests with an error instead of forwarding them.
   * @default - no abort
   * @example fault: { abort: { httpStatus: 503, percentage: 1 } }
   */
  readonly abort?: FaultAbort;
  /**
   * Delay some requests before forwarding them.
   * @default - no delay
   * @example fault: { delay: { fixedDelay: Duration.seconds(2), percentage: 5 } }
   */
  readonly delay?: FaultDelay;
}

/**
 * Cross-origin resource sharing: the answers to browsers' preflight (`OPTIONS`) requests and the
 * `Access-Control-*` headers on responses to the allowed origins. Istio writes `corsPolicy`,
 * Gateway API the `CORS` filter (v1.5+), ingress-nginx its `cors-*` annotations, the engines
 * their own CORS handling (the Kong engine its `cors` plugin).
 */
export interface CorsPolicy {
  /**
   * Allowed origins, compared exactly: `scheme://host[:port]`, or `*` for any origin.
   * @example cors: { allowOrigins: ['https://app.example.com'] }
   */
  readonly allowOrigins: string[];
  /**
   * Methods a cross-origin request may use (`Access-Control-Allow-Methods`).
   * @default - GET, HEAD, POST (the CORS-safelisted methods)
   * @example cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'] }
   */
  readonly allowMethods?: HttpMethod[];
  /**
   * Request headers a cross-origin request may send beyond the CORS-safelisted ones
   * (`Access-Control-Allow-Headers`), e.g. `authorization` or the API key header.
   * @default - none beyond the CORS-safelisted headers
   * @example cors: { allowOrigins: ['https://app.example.com'], allowHeaders: ['authorization'] }
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers the browser lets the page read beyond the CORS-safelisted ones
   * (`Access-Control-Expose-Headers`).
   * @default - none
   * @example cors: { allowOrigins: ['https://app.example.com'], exposeHeaders: ['x-request-id'] }
   */
  readonly exposeHeaders?: string[];
  /**
   * Whether cross-origin requests may carry credentials (cookies, `Authorization`): sends
   * `Access-Control-Allow-Credentials: true`. Not allowed with origin `*`.
   * @default false
   * @example cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true }
   */
  readonly allowCredentials?: boolean;
  /**
   * How long browsers may cache a preflight answer (`Access-Control-Max-Age`, whole seconds).
   * @default - the browser's default (5 seconds)
   * @example cors: { allowOrigins: ['https://app.example.com'], maxAge: Duration.hours(1) }
   */
  readonly maxAge?: Duration;
}

/**
 * Policies set on the ExposedService apply to every route; a route may set its own, which
 * replaces the inherited one whole (a route's `retries` is not merged with the service's).
 */
export interface TrafficPolicy {
  /**
   * How long the gateway waits for the backend before it answers 504. Istio and Gateway API bound
   * the whole request (`timeout`, `timeouts.request`); ingress-nginx sets `proxy-read-timeout` and
   * `proxy-send-timeout` (whole seconds, between two reads or writes), and the API gateway engines
   * their connect, send and read timeouts.
   * @default - the strategy's or controller's default
   * @example timeout: Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * How long the connection to the backend may stay silent (nothing read, nothing sent) before the
   * gateway closes it: what keeps a WebSocket or another long-lived stream open. WebSockets pass
   * through every L7 strategy without it. The NGINX engine sets `proxy_read_timeout` and
   * `proxy_send_timeout` (its default: 60 s), which `timeout` and `retries.perTryTimeout` also set:
   * declare one of them per route. Other strategies refuse it.
   * @default - the strategy's or controller's default (the NGINX engine: 60 s)
   * @example idleTimeout: Duration.hours(1)
   */
  readonly idleTimeout?: Duration;
  /**
   * Retries of failed requests: how many, on which failures, and each try's timeout. Istio,
   * Gateway API on its experimental channel, ingress-nginx and both API gateway engines retry;
   * elsewhere it is an error.
   * @default - the strategy's or controller's default: Istio's and ingress-nginx's own retries, no retry on the API gateway engines
   * @example retries: { attempts: 3, perTryTimeout: Duration.seconds(2) }
   */
  readonly retries?: RetryPolicy;
  /**
   * Cross-origin resource sharing for browsers on other origins: which origins, methods and
   * headers may call the routes, and how long a preflight answer is cached.
   * @default - no CORS headers
   * @example cors: { allowOrigins: ['https://app.example.com'] }
   */
  readonly cors?: CorsPolicy;
  /**
   * How many requests a client (by address, or by API key) may make per second or minute; above
   * it the gateway answers 429. ingress-nginx (per client address, counted per controller replica)
   * and the API gateway engines (counted per gateway pod) have rate limits; other strategies refuse
   * them.
   * @default - no rate limit
   * @example rateLimit: RateLimit.perSecond(10, { burst: 20 })
   */
  readonly rateLimit?: RateLimit;
  /**
   * How clients authenticate: an API key (API gateway engines), basic auth (ingress-nginx, API
   * gateway engines) or a JWT (Istio, the Kong engine). Requests without valid credentials are
   * refused: 401 (Istio answers a request without a token 403, from its AuthorizationPolicy).
   * @default - no authentication
   * @example auth: Auth.apiKey({ secret: 'api-consumers' })
   */
  readonly auth?: Auth;
  /**
   * Which client IP addresses are admitted; others get 403.
   * @default - every client address
   * @example access: AccessPolicy.allowFrom(['10.0.0.0/8'], { except: ['10.66.0.0/16'] })
   */
  readonly access?: AccessPolicy;
  /**
   * The largest request body accepted, a whole number of bytes; a larger one gets 413.
   * ingress-nginx (`proxy-body-size`) and both API gateway engines (`client_max_body_size`,
   * Kong's `request-size-limiting`) enforce it; on an API gateway it overrides the engine's
   * `maxBodySize` for its routes. Other strategies refuse it.
   * @default - the controller's or engine's default (1 MiB on ingress-nginx and the API gateway engines)
   * @example maxRequestBody: Size.mebibytes(8)
   */
  readonly maxRequestBody?: Size;
  /**
   * Session affinity: a client's requests keep reaching the same pod of the route's backend (by a
   * cookie the gateway sets, a request header or the client address). Every route to one backend
   * declares the same affinity; a route with weighted backends takes none. See the README for
   * what each strategy renders.
   * @default - no affinity: each request is balanced on its own
   * @example affinity: SessionAffinity.cookie({ name: 'route', ttl: Duration.hours(8) })
   */
  readonly affinity?: SessionAffinity;
  /**
   * The route (or, on the exposure, every route: an API version) is deprecated: each response
   * carries `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and, with `link`, `Link: <link>;
   * rel="deprecation"`, written as response header edits (so the route's `responseHeaders` cannot
   * also edit those names). With `retire`, the API gateway engines answer 410 Gone after the
   * sunset. Strategies that cannot edit response headers refuse it.
   * @default - not deprecated
   * @example deprecation: Deprecation.of({ since: new Date('2026-01-01T00:00:00Z'), sunset: new Date('2026-07-01T00:00:00Z'), link: 'https://developer.example.com/v2' })
   */
  readonly deprecation?: Deprecation;
}

/** One route: requests that match go to a backend, weighted backends, or a redirect. */
export interface RouteProps extends TrafficPolicy {
  /**
   * `grpc` for gRPC: the path is `/package.Service/Method`, so match a service with
   * `PathMatch.prefix('/package.Service')` and a method with `PathMatch.exact('/package.Service/Method')`.
   * @default - 'grpc' when the route's backends are declared `protocol: 'grpc'`, else 'http'
   * @example { match: { path: PathMatch.prefix('/shop.v1.Catalog') }, protocol: 'grpc' }
   */
  readonly protocol?: 'http' | 'grpc';
  /**
   * gRPC-Web: browsers call the route's gRPC backend (`/package.Service/Method`) over HTTP/1.1
   * or HTTP/2 with `application/grpc-web+proto` (or `-text`), translated to gRPC by the gateway
   * (Kong's `grpc-web` plugin, which answers with `Access-Control-Allow-Origin: *`). The route's
   * clients are then web clients: a native gRPC client takes another route. Only on a gRPC route;
   * see the README for which strategies translate.
   * @default false
   * @example { match: { path: PathMatch.prefix('/shop.v1.Catalog') }, backend: Backend.fromName('catalog', 9090, { protocol: 'grpc' }), grpcWeb: true }
   */
  readonly grpcWeb?: boolean;
  /**
   * JSON-to-gRPC transcoding: HTTP clients call REST paths with JSON bodies, which the gateway
   * maps to the gRPC methods by the `google.api.http` annotations of the `.proto` file (Kong's
   * `grpc-gateway` plugin). The route's match takes the REST paths (e.g. `PathMatch.prefix('/v1/items')`);
   * its backends speak gRPC. Only on a gRPC route, and not with `grpcWeb`.
   * @default - no transcoding
   * @example jsonTranscoding: GrpcProto.fromConfigMap('catalog-proto', 'catalog.proto')
   */
  readonly jsonTranscoding?: GrpcProto;
  /**
   * What requests the route takes: path, headers, query parameters and method, all of which must
   * hold. When several routes match a request, the most specific wins (see `routes`).
   * @default - every request (PathMatch.prefix('/'))
   * @example match: { path: PathMatch.prefix('/api'), method: 'GET' }
   */
  readonly match?: RouteMatch;
  /**
   * Where matching requests go. Set at most one of `backend`, `backends` and `redirect`.
   * @default - the ExposedService's `backend`
   * @example backend: Backend.fromName('api', 8080)
   */
  readonly backend?: Backend;
  /**
   * Weighted backends (canary, blue/green): each gets its share of the route's requests.
   * ingress-nginx takes two (a canary Ingress with `canary-weight`).
   * @default - a single `backend`
   * @example backends: [{ backend: v1, weight: 90 }, { backend: v2, weight: 10 }]
   */
  readonly backends?: WeightedBackend[];
  /**
   * Answer the route's requests with a redirect instead of forwarding them; unset parts of the
   * `Location` keep the request's own.
   * @default - no redirect
   * @example redirect: { scheme: 'https', host: 'www.example.com', statusCode: 308 }
   */
  readonly redirect?: RedirectOptions;
  /**
   * Rewrite the path or the `Host` of the request before it reaches the backend.
   * @default - request unchanged
   * @example rewrite: { path: '/' }
   */
  readonly rewrite?: RewriteOptions;
  /**
   * Set, add or remove request headers before the request reaches the backend.
   * @default - request headers unchanged
   * @example requestHeaders: { set: { 'x-env': 'prod' }, remove: ['x-debug'] }
   */
  readonly requestHeaders?: HeaderEdits;
  /**
   * Set, add or remove response headers before the response reaches the client.
   * @default - response headers unchanged
   * @example responseHeaders: { set: { 'x-frame-options': 'DENY' } }
   */
  readonly responseHeaders?: HeaderEdits;
  /**
   * Copy a share of the route's requests to another backend (shadow traffic); its responses are
   * discarded.
   * @default - no mirroring
   * @example mirror: { backend: Backend.fromName('shadow', 8080), percentage: 10 }
   */
  readonly mirror?: MirrorPolicy;
  /**
   * Inject delays or errors into a share of the route's requests (Istio only).
   * @default - no fault injection
   * @example fault: { abort: { httpStatus: 503, percentage: 1 } }
   */
  readonly fault?: FaultPolicy;
  /**
   * Compose the answer from several backends (API composition): the gateway calls every part in
   * parallel with GET and answers one JSON object whose members, named after the parts, are
   * their JSON answers; failed optional parts are named under `errors` (`{ "status": 503 }`, or
   * `{ "error": "timeout" }`), a failed required part fails the request (the gateway's JSON
   * 502). One client request costs one hop to the gateway and one call to each part. Instead of
   * `backend`, `backends` or `redirect`; only the NGINX engine of `apiGateway` renders it (njs).
   * Part names are 1 to 63 letters, digits, `_` or `-`, starting with a letter; `errors` is taken.
   * @default - no aggregation: the route forwards to its backend
   * @example aggregate: { user: AggregatePart.required(Backend.fromName('users', 8080), { path: '/users/{query.user}' }) }
   */
  readonly aggregate?: Record<string, AggregatePart>;
}
