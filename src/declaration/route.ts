import { Duration } from 'cdk8s';
import { Auth } from './auth';
import { Backend } from './backend';
import { HeaderMatch } from './header-match';
import { PathMatch } from './path-match';
import { QueryParamMatch } from './query-param-match';
import { RateLimit } from './rate-limit';

/** An HTTP method a route can match. */
export type HttpMethod = 'CONNECT' | 'DELETE' | 'GET' | 'HEAD' | 'OPTIONS' | 'PATCH' | 'POST' | 'PUT' | 'TRACE';

/** What requests a route takes. All conditions must hold. */
export interface RouteMatch {
  /**
   * The request path.
   * @default PathMatch.prefix('/')
   * @example match: { path: PathMatch.exact('/healthz') }
   */
  readonly path?: PathMatch;
  /**
   * Header conditions.
   * @default - no header condition
   * @example match: { headers: [HeaderMatch.exact('x-canary', 'true')] }
   */
  readonly headers?: HeaderMatch[];
  /**
   * Query parameter conditions.
   * @default - no query parameter condition
   * @example match: { queryParams: [QueryParamMatch.exact('version', '2')] }
   */
  readonly queryParams?: QueryParamMatch[];
  /**
   * The request method.
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

/** Retries of failed requests. */
export interface RetryPolicy {
  /**
   * Retries after the first try (0 disables retries).
   * @example retries: { attempts: 3 }
   */
  readonly attempts: number;
  /**
   * Timeout of each try.
   * @default - the route's timeout
   * @example retries: { attempts: 3, perTryTimeout: Duration.seconds(2) }
   */
  readonly perTryTimeout?: Duration;
  /**
   * Which failures are retried: `5xx`, `gateway-error` (502, 503, 504), `connect-failure`,
   * `reset`, `retriable-4xx` (409).
   * @default ['connect-failure', 'gateway-error', 'reset']
   * @example retries: { attempts: 2, retryOn: ['connect-failure', 'reset'] }
   */
  readonly retryOn?: RetryOn[];
}

/** A class of failures that retries apply to. */
export type RetryOn = '5xx' | 'gateway-error' | 'connect-failure' | 'reset' | 'retriable-4xx';

/** Rewrites the request before it reaches the backend. */
export interface RewriteOptions {
  /**
   * The new path: replaces the matched prefix for a prefix match, the whole path otherwise.
   * @default - path unchanged
   * @example rewrite: { path: '/' }
   */
  readonly path?: string;
  /**
   * The new `Host` (authority) header.
   * @default - host unchanged
   * @example rewrite: { host: 'internal.example.com' }
   */
  readonly host?: string;
}

/** Answers with a redirect instead of forwarding. Unset parts keep the request's own. */
export interface RedirectOptions {
  /**
   * @default - the request's scheme
   * @example redirect: { scheme: 'https' }
   */
  readonly scheme?: 'http' | 'https';
  /**
   * @default - the request's host
   * @example redirect: { scheme: 'https', host: 'www.example.com' }
   */
  readonly host?: string;
  /**
   * @default - the scheme's default port
   * @example redirect: { port: 8443 }
   */
  readonly port?: number;
  /**
   * The new path (replaces the whole path).
   * @default - the request's path
   * @example redirect: { path: '/new-home' }
   */
  readonly path?: string;
  /**
   * 301, 302, 303, 307 or 308.
   * @default 301
   * @example redirect: { path: '/login', statusCode: 302 }
   */
  readonly statusCode?: number;
}

/** Edits of request or response headers. */
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
   * Share of requests copied.
   * @default 100
   * @example mirror: { backend: Backend.fromName('shadow', 8080), percentage: 10 }
   */
  readonly percentage?: number;
}

/** Answers some requests with an error instead of forwarding them. */
export interface FaultAbort {
  /**
   * The status answered (200-599).
   * @example abort: { httpStatus: 503, percentage: 1 }
   */
  readonly httpStatus: number;
  /**
   * Share of requests aborted (0-100).
   * @example abort: { httpStatus: 503, percentage: 1 }
   */
  readonly percentage: number;
}

/** Delays some requests before forwarding them. */
export interface FaultDelay {
  /**
   * How long.
   * @example delay: { fixedDelay: Duration.seconds(2), percentage: 5 }
   */
  readonly fixedDelay: Duration;
  /**
   * Share of requests delayed (0-100).
   * @example delay: { fixedDelay: Duration.seconds(2), percentage: 5 }
   */
  readonly percentage: number;
}

/** Fault injection, for resilience testing. */
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

/** Cross-origin resource sharing. */
export interface CorsPolicy {
  /**
   * Allowed origins: `scheme://host[:port]`, or `*`.
   * @example cors: { allowOrigins: ['https://app.example.com'] }
   */
  readonly allowOrigins: string[];
  /**
   * @default - GET, HEAD, POST (the CORS-safelisted methods)
   * @example cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'] }
   */
  readonly allowMethods?: HttpMethod[];
  /**
   * @default - none beyond the CORS-safelisted headers
   * @example cors: { allowOrigins: ['https://app.example.com'], allowHeaders: ['authorization'] }
   */
  readonly allowHeaders?: string[];
  /**
   * @default - none
   * @example cors: { allowOrigins: ['https://app.example.com'], exposeHeaders: ['x-request-id'] }
   */
  readonly exposeHeaders?: string[];
  /**
   * Whether credentials (cookies, Authorization) may be sent. Not allowed with origin `*`.
   * @default false
   * @example cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true }
   */
  readonly allowCredentials?: boolean;
  /**
   * How long browsers may cache a preflight answer.
   * @default - the browser's default (5 seconds)
   * @example cors: { allowOrigins: ['https://app.example.com'], maxAge: Duration.hours(1) }
   */
  readonly maxAge?: Duration;
}

/** Policies a route inherits from the ExposedService and may override. */
export interface TrafficPolicy {
  /**
   * Timeout of the whole request.
   * @default - the strategy's or controller's default
   * @example timeout: Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * @default - the strategy's or controller's default
   * @example retries: { attempts: 3, perTryTimeout: Duration.seconds(2) }
   */
  readonly retries?: RetryPolicy;
  /**
   * @default - no CORS headers
   * @example cors: { allowOrigins: ['https://app.example.com'] }
   */
  readonly cors?: CorsPolicy;
  /**
   * @default - no rate limit
   * @example rateLimit: RateLimit.perSecond(10, { burst: 20 })
   */
  readonly rateLimit?: RateLimit;
  /**
   * @default - no authentication
   * @example auth: Auth.apiKey({ secret: 'api-consumers' })
   */
  readonly auth?: Auth;
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
   * Weighted backends (canary).
   * @default - a single `backend`
   * @example backends: [{ backend: v1, weight: 90 }, { backend: v2, weight: 10 }]
   */
  readonly backends?: WeightedBackend[];
  /**
   * @default - no redirect
   * @example redirect: { scheme: 'https', host: 'www.example.com', statusCode: 308 }
   */
  readonly redirect?: RedirectOptions;
  /**
   * @default - request unchanged
   * @example rewrite: { path: '/' }
   */
  readonly rewrite?: RewriteOptions;
  /**
   * @default - request headers unchanged
   * @example requestHeaders: { set: { 'x-env': 'prod' }, remove: ['x-debug'] }
   */
  readonly requestHeaders?: HeaderEdits;
  /**
   * @default - response headers unchanged
   * @example responseHeaders: { set: { 'x-frame-options': 'DENY' } }
   */
  readonly responseHeaders?: HeaderEdits;
  /**
   * @default - no mirroring
   * @example mirror: { backend: Backend.fromName('shadow', 8080), percentage: 10 }
   */
  readonly mirror?: MirrorPolicy;
  /**
   * @default - no fault injection
   * @example fault: { abort: { httpStatus: 503, percentage: 1 } }
   */
  readonly fault?: FaultPolicy;
}
