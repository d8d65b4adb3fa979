/**
 * What the routing models answer: for one request, what the data plane does with it. Each data
 * plane's model reads the manifests (or the API gateway's generated configuration) and nothing
 * of the declaration, so a test that compares two renderings through them shares no assumption
 * with the renderers.
 */

/** The data planes the models read. */
export type DataPlane =
  | 'service'
  | 'ingress'
  | 'ingress-nginx'
  | 'istio'
  | 'gateway-api'
  | 'api-gateway-nginx'
  | 'api-gateway-kong';

/** A request: method, URL, headers (names in any case). */
export interface RouteRequest {
  /** The method, upper-case (`GET`). */
  readonly method: string;
  /** The scheme the client speaks. */
  readonly scheme: 'http' | 'https';
  /** The host, lower-case, without a port. */
  readonly host: string;
  /** The path, with its query string when there is one (`/a?b=c`). */
  readonly path: string;
  /** The headers, names lower-case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The port the client connects to, when the URL names one (else 80 for http, 443 for https). */
  readonly port?: number;
}

/** Header edits a data plane makes. Names lower-case. */
export interface HeaderEdits {
  /**
   * Headers set (replacing any of the same name).
   *
   * @example { 'x-env': 'prod' }
   * @default - none
   */
  readonly set?: Readonly<Record<string, string>>;
  /**
   * Headers added (next to any of the same name).
   *
   * @example { via: 'edge' }
   * @default - none
   */
  readonly add?: Readonly<Record<string, string>>;
  /**
   * Headers removed.
   *
   * @example ['x-debug']
   * @default - none
   */
  readonly remove?: readonly string[];
}

/** A fault a data plane injects into a share of the requests (Istio's `fault`). */
export interface InjectedFault {
  /** The status answered instead of forwarding, and the share of requests (0..1) that get it. */
  readonly abort?: { readonly status: number; readonly share: number };
  /** The delay added before forwarding (`5s`), and the share of requests (0..1) that get it. */
  readonly delay?: { readonly duration: string; readonly share: number };
}

/** The request is sent to a backend. */
export interface Forwarded {
  /** Forwarded to a backend. */
  readonly kind: 'forward';
  /** The data plane that answered. */
  readonly dataPlane: DataPlane;
  /** `name:port` (a Service by name, the port by number) of the backend with the largest share. */
  readonly backend: string;
  /** Every backend that may get the request and its share (0..1, rounded to 1e-6). */
  readonly backends: Readonly<Record<string, number>>;
  /** The Host the backend sees. */
  readonly host: string;
  /** The path (and query) the backend sees, after rewrites. */
  readonly path: string;
  /** The request timeout, as the manifests write it (`5s`), when there is one. */
  readonly timeout?: string;
  /** What the data plane does to the request's headers. */
  readonly requestHeaders?: HeaderEdits;
  /** What the data plane does to the response's headers. */
  readonly responseHeaders?: HeaderEdits;
  /** `name:port` of each backend the request is mirrored to. */
  readonly mirrors?: readonly string[];
  /** Faults injected into a share of the requests (a fault that takes every request is a `Responded`). */
  readonly fault?: InjectedFault;
  /** The name of the rule that took the request, where the data plane names its rules (an Istio http entry, a Gateway API rule). */
  readonly rule?: string;
  /** When an API gateway is in front: what the front did before it (it forwarded to the gateway). */
  readonly via?: RouteResult;
}

/** The data plane answers with a redirect. */
export interface Redirected {
  /** Answered with a redirect. */
  readonly kind: 'redirect';
  /** The data plane that answered. */
  readonly dataPlane: DataPlane;
  /** The redirect's status (301, 302, 303, 307, 308). */
  readonly status: number;
  /** The absolute URL of the Location header. */
  readonly location: string;
  /** The name of the rule that took the request, where the data plane names its rules. */
  readonly rule?: string;
  /** When an API gateway answered: what the front did before it. */
  readonly via?: RouteResult;
}

/** The data plane answers itself: no route (404), a fault or a direct response. */
export interface Responded {
  /** Answered by the data plane itself. */
  readonly kind: 'respond';
  /** The data plane that answered. */
  readonly dataPlane: DataPlane;
  /** The status of the answer (0: no HTTP answer). */
  readonly status: number;
  /**
   * Why (`no route`, `fault abort`, `retired`). Status 0 with reason `connection refused`: no
   * listener on the request's port, so no HTTP answer.
   */
  readonly reason: string;
  /** The name of the rule that took the request, where the data plane names its rules. */
  readonly rule?: string;
  /** When an API gateway answered: what the front did before it. */
  readonly via?: RouteResult;
}

/** What a data plane does with a request: forward it, redirect it, or answer it itself. */
export type RouteResult = Forwarded | Redirected | Responded;
