import type { IConstruct } from 'constructs';

/*
 * The intent: the validated, normalised, strategy-neutral model of one exposure. Built by
 * `buildIntent` (the only reader of declaration objects) and read by the strategies (which never
 * see props). These types are the contract between the two layers, so they live here and nowhere
 * else.
 */

/**
 * The validated, normalised, strategy-neutral form of an ExposedService declaration: the only
 * input of every strategy renderer. Built once by `buildIntent`; renderers never see props.
 */
export interface ExposureIntent {
  /** The construct path, for error messages. */
  readonly path: string;
  /** Base name of generated objects, derived from the construct path (DNS-1123 label). */
  readonly name: string;
  /** Namespace of the exposure (its chart's), `undefined` for the kubectl context's. */
  readonly namespace?: string;
  readonly hosts: readonly string[];
  readonly tls?: TlsIntent;
  /**
   * In declaration order; the default route when none was declared, or none at all when the
   * exposure declares only streams (`passthrough`, `tcp`) and no backend.
   */
  readonly routes: readonly RouteIntent[];
  /** TLS passthrough by SNI hostname and raw TCP ports, in declaration order (passthrough first). */
  readonly streams: readonly StreamIntent[];
  /** The ExposedService-level backend, if declared. */
  readonly defaultBackend?: BackendIntent;
  /** Every distinct backend the exposure sends traffic to (routes, weighted, mirrors), by key. */
  readonly backends: readonly BackendIntent[];
  /**
   * For each backend key, the field that first declared it (`routes[1].backends[0].backend`).
   * A Map, not an object: backend keys are per-exposure names, and an object keyed by them gives
   * V8 a new hidden class per exposure, which slows every object built afterwards (cdk8s's synth).
   */
  readonly backendFields: ReadonlyMap<string, string>;
  /**
   * Set on the intent of an L4 front (see `frontIntent`) whose workload compares client
   * addresses: the Service must deliver connections with the client's source address.
   */
  readonly preserveClientAddress?: boolean;
  /**
   * Set on the intent of an L7 front (see `frontIntent`): the largest request body the workload
   * behind it accepts, in bytes, so a front that limits bodies by default (ingress-nginx: 1 MiB)
   * passes them on up to it and the workload's own limits are the ones a client meets.
   */
  readonly passBodiesUpToBytes?: number;
  /** Limits of the calls to each backend Service, and ejection of its failing endpoints (`circuitBreaker`). */
  readonly circuitBreaker?: CircuitBreakerIntent;
}

/**
 * Circuit breaking of every backend Service: counts are whole numbers of at least 1 (the percentage
 * at most 100), durations whole milliseconds of at least 1; the ejection fields only with
 * `consecutiveErrors`; at least one field is set.
 */
export interface CircuitBreakerIntent {
  readonly maxConnections?: number;
  readonly maxPendingRequests?: number;
  readonly maxRequests?: number;
  readonly consecutiveErrors?: number;
  readonly intervalMs?: number;
  readonly ejectionTimeMs?: number;
  readonly maxEjectedPercent?: number;
}

/** True when a circuit breaker declares a limit of connections or requests. */
export function limitsConnections(c: CircuitBreakerIntent | undefined): boolean {
  return c !== undefined && (c.maxConnections !== undefined || c.maxPendingRequests !== undefined || c.maxRequests !== undefined);
}

/** One route with the ExposedService-level policies merged in. */
export interface RouteIntent {
  /** `routes[i]`, or `routes` for the default route. */
  readonly field: string;
  /** True when the route is the default one (no `routes` declared). */
  readonly isDefault: boolean;
  /** The application protocol of the route. */
  readonly protocol: 'http' | 'grpc';
  /** gRPC-Web clients, translated to gRPC by the gateway (a gRPC route; declared at `<field>.grpcWeb`). */
  readonly grpcWeb?: true;
  /** JSON clients, transcoded to gRPC by the `.proto` file's HTTP annotations (a gRPC route; declared at `<field>.jsonTranscoding`). */
  readonly jsonTranscoding?: GrpcProtoIntent;
  readonly match: MatchIntent;
  readonly action: ForwardIntent | RedirectIntent | AggregateIntent;
  readonly timeoutMs?: number;
  /** The longest silence on the connection to the backend (`idleTimeout`). */
  readonly idleTimeoutMs?: number;
  readonly retries?: RetryIntent;
  readonly rewrite?: RewriteIntent;
  readonly requestHeaders?: HeaderEditsIntent;
  readonly responseHeaders?: HeaderEditsIntent;
  readonly mirror?: MirrorIntent;
  readonly fault?: FaultIntent;
  readonly cors?: CorsIntent;
  readonly rateLimit?: RateLimitIntent;
  readonly auth?: AuthIntent;
  readonly access?: AccessIntent;
  /** The largest request body accepted, in bytes: a whole number of at least 1. */
  readonly maxRequestBodyBytes?: number;
  /** How the requests of one client keep reaching one endpoint of the backend (forwarding routes only). */
  readonly affinity?: AffinityIntent;
  /**
   * The route's deprecation and sunset (`deprecation`). Its headers are in `responseHeaders`
   * already (see `deprecationHeaders`); strategies read this for `retire` only.
   */
  readonly deprecation?: DeprecationIntent;
  /** Where each policy of this route was declared (`timeout` or `routes[1].timeout`), for errors. */
  readonly sources: Readonly<Partial<Record<RoutePolicy, string>>>;
}

/**
 * A stream the exposure forwards without reading it: a TLS connection by its SNI hostname
 * (`tls-passthrough`, the backend terminates TLS), or every connection to a TCP port (`tcp`).
 */
export type StreamIntent =
  | { readonly kind: 'tls-passthrough'; readonly field: string; readonly host: string; readonly port: number; readonly backend: BackendIntent }
  | { readonly kind: 'tcp'; readonly field: string; readonly port: number; readonly backend: BackendIntent };

/** The streams' ports, each once, ascending. */
export function streamPorts(intent: ExposureIntent): number[] {
  return [...new Set(intent.streams.map((s) => s.port))].sort((a, b) => a - b);
}

/** The TLS passthrough streams of the intent. */
export function passthroughStreams(intent: ExposureIntent): Extract<StreamIntent, { kind: 'tls-passthrough' }>[] {
  return intent.streams.filter((s): s is Extract<StreamIntent, { kind: 'tls-passthrough' }> => s.kind === 'tls-passthrough');
}

/** The TCP streams of the intent. */
export function tcpStreams(intent: ExposureIntent): Extract<StreamIntent, { kind: 'tcp' }>[] {
  return intent.streams.filter((s): s is Extract<StreamIntent, { kind: 'tcp' }> => s.kind === 'tcp');
}

/** A class of failures that retries apply to. */
export type RetryCondition = '5xx' | 'gateway-error' | 'connect-failure' | 'reset' | 'retriable-4xx';

/** A path match: plain data every strategy renders. */
export interface PathMatchIntent {
  readonly kind: 'prefix' | 'exact' | 'regex';
  readonly value: string;
}

/** A header match. Header names are lowercased (HTTP names are case-insensitive). */
export interface HeaderMatchIntent {
  readonly name: string;
  readonly kind: 'exact' | 'prefix' | 'regex';
  readonly value: string;
}

/** A query parameter match. Names are case-sensitive, as in URLs. */
export interface QueryParamMatchIntent {
  readonly name: string;
  readonly kind: 'exact' | 'regex';
  readonly value: string;
}

/** A backend: a Service name, namespace and port, resolved and validated. */
export interface BackendIntent {
  /** Identity for de-duplication and cross-references: `namespace/name:port`. */
  readonly key: string;
  readonly name: string;
  /** `undefined` means the namespace of the exposure. */
  readonly namespace?: string;
  readonly port: number;
  /** The container port behind `port`, when the library knows it. */
  readonly targetPort?: number;
  /** How the backend was declared: the factory it came from. */
  readonly origin: 'service' | 'deployment' | 'name';
  /**
   * The labels of the pods behind the backend, read at synth (a Service's selector may be edited
   * after the ExposedService is declared). `undefined` for `fromName`: its pods are unknown.
   */
  readonly podLabels?: () => Record<string, string>;
  /** For `fromDeployment`: the Deployment whose Service the library creates (see `provisionBackendServices`). */
  readonly deployment?: DeploymentOfBackend;
  /** A version subset of the pods (Istio DestinationRule subset). */
  readonly subset?: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  /** The application protocol: HTTP/1.1, gRPC, or HTTP/2 without TLS by prior knowledge (`h2c`). */
  readonly protocol: 'http' | 'grpc' | 'h2c';
  /** TLS to the backend; unset: plain text. */
  readonly tls?: BackendTlsIntent;
}

/**
 * TLS from the proxy to a backend. `ca` unset: the certificate is not verified. A Secret or a
 * ConfigMap is in the exposure's namespace, its CA certificate(s) in key `ca.crt`.
 */
export interface BackendTlsIntent {
  readonly ca?: { readonly kind: 'secret' | 'config-map'; readonly name: string } | { readonly kind: 'system' };
  /** The name sent as SNI and, with `ca`, verified in the certificate; always set with `ca`. */
  readonly serverName?: string;
}

/** TLS to a backend in words, for error messages and conflicts: `verified by Secret "ca" as api.svc`. */
export function describeBackendTls(tls: BackendTlsIntent | undefined): string {
  if (tls === undefined) return 'plain text';
  const ca = tls.ca;
  const by = ca === undefined ? 'unverified' : ca.kind === 'system' ? 'verified by the system CAs'
    : `verified by ${ca.kind === 'secret' ? 'Secret' : 'ConfigMap'} "${ca.name}"`;
  return `TLS ${by}${tls.serverName === undefined ? '' : ` as ${tls.serverName}`}`;
}

/**
 * The Deployment of a `Backend.fromDeployment` backend, as the strategies use it: the construct
 * its Service is placed under, and the labels of its pods.
 */
export interface DeploymentOfBackend extends IConstruct {
  readonly matchLabels: Record<string, string>;
}

/** TLS for the exposure's hosts. */
export interface TlsIntent {
  readonly secretName: string;
  /** Set when the Secret lives in another namespace than the exposure. */
  readonly secretNamespace?: string;
  /** Set when cert-manager issues the certificate into `secretName`. */
  readonly certManager?: { readonly issuerKind: 'Issuer' | 'ClusterIssuer'; readonly issuerName: string };
  /** The declared status of the redirect from plain HTTP to HTTPS; unset: the strategy's own. */
  readonly redirectCode?: number;
  /** Set when client certificates are verified where TLS terminates. */
  readonly clientCertificates?: ClientCertificatesIntent;
}

/**
 * Client certificates verified against a CA bundle (the PEM under `ca.crt` of a Secret or a
 * ConfigMap in the exposure's namespace). `require`: no valid certificate, no connection;
 * `optional`: a client without one is admitted, an invalid one refused.
 */
export interface ClientCertificatesIntent {
  readonly mode: 'require' | 'optional';
  readonly ca: { readonly kind: 'secret' | 'config-map'; readonly name: string };
  /** nginx's `ssl_verify_depth`; unset: the proxy's own. */
  readonly verifyDepth?: number;
}

/** Authentication of a route. */
export type AuthIntent =
  | { readonly kind: 'api-key'; readonly secretName: string; readonly header: string }
  | { readonly kind: 'basic'; readonly secretName: string; readonly realm: string }
  | {
    readonly kind: 'jwt';
    readonly issuer: string;
    readonly jwksUri: string;
    readonly audiences: readonly string[];
    readonly publicKeySecret?: string;
    /** The JWKS the NGINX engine verifies with (`jwks.json` of this Secret or ConfigMap). */
    readonly jwks?: { readonly kind: 'secret' | 'config-map'; readonly name: string };
  }
  | ExternalAuthIntent;

/**
 * External authentication: each request of the route is first sent (without its body) to
 * `service` at `pathPrefix` + the client's path and query; a 2xx answer lets it through.
 */
export interface ExternalAuthIntent {
  readonly kind: 'external';
  /** The auth service: one of the intent's backends (its field `auth.service` or `routes[i].auth.service`). */
  readonly service: BackendIntent;
  /** Prepended to the client's path; undefined: none. */
  readonly pathPrefix?: string;
  /** Client request headers sent to the auth service besides Authorization (lowercase, in declaration order). */
  readonly forwardHeaders: readonly string[];
  /** Headers of the auth service's 2xx answer copied into the request to the backend (lowercase). */
  readonly responseHeaders: readonly string[];
  /** Where a 401 is redirected (302); undefined: the 401 reaches the client. */
  readonly signinUrl?: string;
}

/** A rate limit of a route. */
export interface RateLimitIntent {
  readonly requests: number;
  readonly per: 'second' | 'minute';
  readonly burst: number;
  readonly key: 'client-ip' | 'api-key';
}

/**
 * Which client addresses a route admits: those in `allow` (every client when unset) and in no
 * range of `deny`. Ranges are in normal form (`10.0.0.0/8`, `2001:db8::/32`), sorted, none inside
 * another of its list; with `allow`, each `deny` range lies strictly inside an allowed one, so a
 * denied range always wins and a longest-prefix match gives the same answer.
 */
export interface AccessIntent {
  readonly allow?: readonly string[];
  readonly deny: readonly string[];
}

/**
 * Session affinity of a route: by a cookie the proxy sets (name as declared; `ttlSeconds` unset: a
 * session cookie), by a request header (name lowercased), or by the client address.
 */
export type AffinityIntent =
  | { readonly kind: 'cookie'; readonly name: string; readonly ttlSeconds?: number; readonly path?: string }
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'client-ip' };

/** An affinity in words, for error messages: `cookie "route"`, `header x-user`, `client IP`, `none`. */
export function describeAffinity(a: AffinityIntent | undefined): string {
  if (a === undefined) return 'none';
  if (a.kind === 'cookie') return `cookie ${JSON.stringify(a.name)}${a.ttlSeconds === undefined ? '' : ` ttl ${a.ttlSeconds}s`}${a.path === undefined ? '' : ` path ${a.path}`}`;
  return a.kind === 'header' ? `header ${a.name}` : 'client IP';
}

/** The policies a route can carry. */
export type RoutePolicy = 'timeout' | 'idleTimeout' | 'retries' | 'rewrite' | 'redirect' | 'requestHeaders' | 'responseHeaders'
| 'mirror' | 'fault' | 'cors' | 'rateLimit' | 'auth' | 'access' | 'maxRequestBody' | 'affinity' | 'protocol'
| 'deprecation';

/**
 * A deprecated route (RFC 9745) and its sunset (RFC 8594): dates in whole seconds since 1970
 * (`since` at most `sunset`, both before the year 10000); `link` an absolute http(s) URI.
 * `retire`: after the sunset the gateway answers 410 Gone, decided at each request.
 */
export interface DeprecationIntent {
  readonly sinceSeconds: number;
  readonly sunsetSeconds: number;
  readonly link?: string;
  readonly retire: boolean;
}

/** A `.proto` file: the key `file` of ConfigMap `configMap`, in the exposure's namespace. */
export interface GrpcProtoIntent {
  readonly configMap: string;
  readonly file: string;
}

/** True when the route's clients speak HTTP (gRPC-Web or JSON) to the gateway, which speaks gRPC to its backends. */
export function translatesGrpc(route: RouteIntent): boolean {
  return route.grpcWeb === true || route.jsonTranscoding !== undefined;
}

export interface MatchIntent {
  readonly path: PathMatchIntent;
  readonly headers: readonly HeaderMatchIntent[];
  readonly queryParams: readonly QueryParamMatchIntent[];
  readonly method?: string;
}

export interface ForwardIntent {
  readonly kind: 'forward';
  /** One entry for a single backend; weights are relative and not all 0. */
  readonly backends: readonly { readonly backend: BackendIntent; readonly weight: number }[];
}

/**
 * A route answering one JSON object composed of its parts' answers (`aggregate`), in declaration
 * order: each part's backend called with GET on its path, the parts in parallel.
 */
export interface AggregateIntent {
  readonly kind: 'aggregate';
  readonly parts: readonly AggregatePartIntent[];
}

/** One part of an aggregate route. */
export interface AggregatePartIntent {
  /** Its member in the answer: 1 to 63 letters, digits, `_` or `-`, starting with a letter; never `errors`. */
  readonly name: string;
  /** `routes[i].aggregate.<name>`, for errors. */
  readonly field: string;
  readonly backend: BackendIntent;
  /** When it fails: the request fails (true), or it is reported under `errors` (false). */
  readonly required: boolean;
  /**
   * The path and query requested, in pieces: text as declared (a valid URL path, then optionally
   * `?` and a query), and values of the client request, percent-encoded where they are put.
   */
  readonly path: readonly AggregatePathPiece[];
  /** Connect and read timeout, whole milliseconds; unset: nginx's own. */
  readonly timeoutMs?: number;
}

/** A piece of a part's path: literal text, or the value of a query parameter (name as declared) or a request header (name lowercased). */
export type AggregatePathPiece =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'query' | 'header'; readonly name: string };

export interface RedirectIntent {
  readonly kind: 'redirect';
  readonly scheme?: 'http' | 'https';
  readonly host?: string;
  readonly port?: number;
  readonly path?: string;
  readonly statusCode: number;
}

export interface RetryIntent {
  readonly attempts: number;
  readonly perTryTimeoutMs?: number;
  readonly retryOn: readonly RetryCondition[];
}

export interface RewriteIntent {
  readonly path?: string;
  readonly host?: string;
}

/** Header edits with lowercased names, sorted by name for deterministic output. */
export interface HeaderEditsIntent {
  readonly set: readonly { readonly name: string; readonly value: string }[];
  readonly add: readonly { readonly name: string; readonly value: string }[];
  readonly remove: readonly string[];
}

export interface MirrorIntent {
  readonly backend: BackendIntent;
  readonly percentage: number;
}

export interface FaultIntent {
  readonly abort?: { readonly httpStatus: number; readonly percentage: number };
  readonly delay?: { readonly fixedDelayMs: number; readonly percentage: number };
}

export interface CorsIntent {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAgeSeconds?: number;
}

/** True for the route that takes every request: prefix `/` with no other condition. */
export function isCatchAll(match: MatchIntent): boolean {
  return match.path.kind === 'prefix' && match.path.value === '/'
    && match.headers.length === 0 && match.queryParams.length === 0 && match.method === undefined;
}

/** The identity of a backend: one Service port (and subset) in one namespace. */
export function backendKey(name: string, namespace: string | undefined, port: number, subset?: { readonly name: string }): string {
  return `${namespace ?? ''}/${name}:${port}${subset ? `#${subset.name}` : ''}`;
}

/** The field that first declared one of the intent's backends (`routes[1].backends[0].backend`). */
export function backendField(intent: ExposureIntent, backend: BackendIntent): string {
  const field = intent.backendFields.get(backend.key);
  if (field === undefined) throw new Error(`${intent.path}: backend ${backend.key} is not one of the intent's backends`);
  return field;
}

/** Where a route's policy was declared (`rateLimit`, or `routes[1].rateLimit`), for error messages. */
export function policyField(route: RouteIntent, policy: RoutePolicy): string {
  return route.sources[policy] ?? `${route.field}.${policy}`;
}

/** The route's name in generated objects: `routes-1`, or `default` for the default route. */
export function routeName(route: RouteIntent): string {
  return route.field === 'routes' ? 'default' : route.field.replace(/\[(\d+)\]/, '-$1');
}

/** A match in words, for error messages: `path prefix /api, method GET`. */
export function describeMatch(m: MatchIntent): string {
  const parts = [`path ${m.path.kind} ${m.path.value}`];
  if (m.method) parts.push(`method ${m.method}`);
  for (const h of m.headers) parts.push(`header ${h.name} ${h.kind} ${h.value}`);
  for (const q of m.queryParams) parts.push(`query ${q.name} ${q.kind} ${q.value}`);
  return parts.join(', ');
}
