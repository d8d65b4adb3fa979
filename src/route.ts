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
   */
  readonly path?: PathMatch;
  /**
   * Header conditions.
   * @default - no header condition
   */
  readonly headers?: HeaderMatch[];
  /**
   * Query parameter conditions.
   * @default - no query parameter condition
   */
  readonly queryParams?: QueryParamMatch[];
  /**
   * The request method.
   * @default - any method
   */
  readonly method?: HttpMethod;
}

/** A backend with a relative weight (canaries, blue/green). */
export interface WeightedBackend {
  readonly backend: Backend;
  /**
   * Relative weight: the backend gets `weight / sum of weights` of the requests. 0 sends none.
   * @default 1
   */
  readonly weight?: number;
}

/** Retries of failed requests. */
export interface RetryPolicy {
  /** Retries after the first try (0 disables retries). */
  readonly attempts: number;
  /**
   * Timeout of each try.
   * @default - the route's timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * Which failures are retried: `5xx`, `gateway-error` (502, 503, 504), `connect-failure`,
   * `reset`, `retriable-4xx` (409).
   * @default ['connect-failure', 'gateway-error', 'reset']
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
   */
  readonly path?: string;
  /**
   * The new `Host` (authority) header.
   * @default - host unchanged
   */
  readonly host?: string;
}

/** Answers with a redirect instead of forwarding. Unset parts keep the request's own. */
export interface RedirectOptions {
  /**
   * @default - the request's scheme
   */
  readonly scheme?: 'http' | 'https';
  /**
   * @default - the request's host
   */
  readonly host?: string;
  /**
   * @default - the scheme's default port
   */
  readonly port?: number;
  /**
   * The new path (replaces the whole path).
   * @default - the request's path
   */
  readonly path?: string;
  /**
   * 301, 302, 303, 307 or 308.
   * @default 301
   */
  readonly statusCode?: number;
}

/** Edits of request or response headers. */
export interface HeaderEdits {
  /**
   * Headers set to a value, replacing any present.
   * @default - none
   */
  readonly set?: Record<string, string>;
  /**
   * Headers added (appended to any present).
   * @default - none
   */
  readonly add?: Record<string, string>;
  /**
   * Headers removed.
   * @default - none
   */
  readonly remove?: string[];
}

/** Sends a copy of requests to another backend; its responses are discarded. */
export interface MirrorPolicy {
  readonly backend: Backend;
  /**
   * Share of requests copied.
   * @default 100
   */
  readonly percentage?: number;
}

/** Fault injection, for resilience testing. */
export interface FaultPolicy {
  /**
   * Answer some requests with an error instead of forwarding them.
   * @default - no abort
   */
  readonly abort?: { readonly httpStatus: number; readonly percentage: number };
  /**
   * Delay some requests before forwarding them.
   * @default - no delay
   */
  readonly delay?: { readonly fixedDelay: Duration; readonly percentage: number };
}

/** Cross-origin resource sharing. */
export interface CorsPolicy {
  /** Allowed origins: `scheme://host[:port]`, or `*`. */
  readonly allowOrigins: string[];
  /**
   * @default - GET, HEAD, POST (the CORS-safelisted methods)
   */
  readonly allowMethods?: HttpMethod[];
  /**
   * @default - none beyond the CORS-safelisted headers
   */
  readonly allowHeaders?: string[];
  /**
   * @default - none
   */
  readonly exposeHeaders?: string[];
  /**
   * Whether credentials (cookies, Authorization) may be sent. Not allowed with origin `*`.
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * How long browsers may cache a preflight answer.
   * @default - the browser's default (5 seconds)
   */
  readonly maxAge?: Duration;
}

/** Policies a route inherits from the ExposedService and may override. */
export interface TrafficPolicy {
  /**
   * Timeout of the whole request.
   * @default - the strategy's or controller's default
   */
  readonly timeout?: Duration;
  /**
   * @default - the strategy's or controller's default
   */
  readonly retries?: RetryPolicy;
  /**
   * @default - no CORS headers
   */
  readonly cors?: CorsPolicy;
  /**
   * @default - no rate limit
   */
  readonly rateLimit?: RateLimit;
  /**
   * @default - no authentication
   */
  readonly auth?: Auth;
}

/** One route: requests that match go to a backend, weighted backends, or a redirect. */
export interface RouteProps extends TrafficPolicy {
  /**
   * `grpc` for gRPC: the path is `/package.Service/Method`, so match a service with
   * `PathMatch.prefix('/package.Service')` and a method with `PathMatch.exact('/package.Service/Method')`.
   * @default - 'grpc' when the route's backends are declared `protocol: 'grpc'`, else 'http'
   */
  readonly protocol?: 'http' | 'grpc';
  /**
   * @default - every request (PathMatch.prefix('/'))
   */
  readonly match?: RouteMatch;
  /**
   * Where matching requests go. Set at most one of `backend`, `backends` and `redirect`.
   * @default - the ExposedService's `backend`
   */
  readonly backend?: Backend;
  /**
   * Weighted backends (canary).
   * @default - a single `backend`
   */
  readonly backends?: WeightedBackend[];
  /**
   * @default - no redirect
   */
  readonly redirect?: RedirectOptions;
  /**
   * @default - request unchanged
   */
  readonly rewrite?: RewriteOptions;
  /**
   * @default - request headers unchanged
   */
  readonly requestHeaders?: HeaderEdits;
  /**
   * @default - response headers unchanged
   */
  readonly responseHeaders?: HeaderEdits;
  /**
   * @default - no mirroring
   */
  readonly mirror?: MirrorPolicy;
  /**
   * @default - no fault injection
   */
  readonly fault?: FaultPolicy;
}
