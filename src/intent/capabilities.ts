/**
 * The features of the intent and how a strategy expresses each. Each strategy folder declares
 * its own rows (a flavour's row lives in the flavour's file); the matrix is assembled from them
 * in `capability-matrix.ts`. Plain data (no cdk8s imports), so `.projenrc.ts` can render
 * docs/capabilities.md from it.
 */

/**
 * How a strategy expresses a feature: `native` in the objects it renders, `annotation` through
 * its controller's annotations (ingress-nginx), `none` not at all (declaring it fails synth).
 */
export type Support = 'native' | 'annotation' | 'none';

/**
 * The features of the declaration a strategy may or may not express, each with its title in
 * docs/capabilities.md; the keys name the features in the capability matrix and in the errors.
 */
export const FEATURES = {
  /** Declared when `hosts` is not empty: the exposure answers for those hostnames only. */
  'hosts': 'Virtual hosts (`hosts`)',
  /** Declared by `tls`: the strategy terminates TLS for `hosts` (or its front does). */
  'tls': 'TLS termination (`tls`)',
  /**
   * Declared by `tls: Tls.certManager(...)`: cert-manager issues the certificate (a Certificate, or
   * the annotations its ingress-shim and gateway-shim read).
   */
  'tls-cert-manager': 'Certificates from cert-manager (`Tls.certManager`)',
  /** Declared by `Tls.fromSecret(name, { namespace })` with another namespace than the exposure's. */
  'cross-namespace-secret': 'TLS Secret in another namespace',
  /** Declared by `tls: Tls.*({ clientCertificates })`: client certificates verified where TLS terminates. */
  'client-certificates': 'Client certificates, mutual TLS (`clientCertificates`)',
  /** Declared by `ClientCertificates.optional(...)`: a client without a certificate is admitted. */
  'client-certificates-optional': 'Optional client certificates (`ClientCertificates.optional`)',
  /** Declared by a client CA bundle in a Secret (`caSecret`). */
  'client-ca-secret': 'Client CA bundle in a Secret (`caSecret`)',
  /** Declared by a client CA bundle in a ConfigMap (`caConfigMap`). */
  'client-ca-config-map': 'Client CA bundle in a ConfigMap (`caConfigMap`)',
  /** Declared by `verifyDepth` of client certificates. */
  'client-certificate-depth': 'Client certificate chain depth (`verifyDepth`)',
  /** Declared by `httpsRedirectCode`: the status of the redirect from plain HTTP to HTTPS. */
  'https-redirect-code': 'Status of the HTTPS redirect (`httpsRedirectCode`)',
  /** Declared by more than one route, or by one route that does not take every request. */
  'path-routing': 'Routes beyond one catch-all route (`routes`)',
  /** Declared by a route matching `PathMatch.exact(...)`. */
  'path-exact': 'Exact path match (`PathMatch.exact`)',
  /** Declared by a route matching `PathMatch.regex(...)`. */
  'path-regex': 'Regex path match (`PathMatch.regex`)',
  /** Declared by a route with `match.headers`. */
  'header-match': 'Header match (`match.headers`)',
  /** Declared by a route with `match.queryParams`. */
  'query-match': 'Query parameter match (`match.queryParams`)',
  /** Declared by a route with `match.method`. */
  'method-match': 'Method match (`match.method`)',
  /** Declared by a route with more than one of `backends`. */
  'weighted-backends': 'Weighted backends, canaries (`backends`)',
  /** Declared by a `Backend.fromName(...)` backend: a Service the app does not define. */
  'backend-by-name': 'Backend outside the app (`Backend.fromName`)',
  /** Declared by a backend in another namespace than the exposure's. */
  'cross-namespace-backend': 'Backend in another namespace',
  /** Declared by a backend with a `subset` (pods selected by labels beyond the Service's selector). */
  'subsets': 'Version subsets of a backend (`subset`)',
  /** Declared by a route of `protocol: 'grpc'`, or whose backends are. */
  'grpc': 'gRPC routes (`protocol: \'grpc\'`)',
  /** Declared by a backend of `protocol: 'h2c'`: HTTP/2 without TLS (prior knowledge) to it, its routes HTTP routes. */
  'h2c': 'HTTP/2 cleartext to the backend (`protocol: \'h2c\'`)',
  /** Declared by a gRPC route's `grpcWeb: true`: browsers' gRPC-Web calls translated to gRPC by the proxy. */
  'grpc-web': 'gRPC-Web clients on a gRPC route (`grpcWeb`)',
  /** Declared by a gRPC route's `jsonTranscoding`: JSON/REST calls transcoded to gRPC by a `.proto` file's HTTP annotations. */
  'grpc-json-transcoding': 'JSON-to-gRPC transcoding (`jsonTranscoding`)',
  /** Declared by a backend's `tls` that verifies the certificate (`BackendTls.fromSecret`, `.fromConfigMap`, `.systemCertificates`). */
  'backend-tls': 'TLS to the backend, verified (`BackendTls`)',
  /** Declared by a backend's `tls: BackendTls.unverified()`: encrypted, the certificate not verified. */
  'backend-tls-unverified': 'TLS to the backend, unverified (`BackendTls.unverified`)',
  /** Declared by `timeout`, on the exposure or a route. */
  'timeout': 'Request timeout (`timeout`)',
  /** Declared by `idleTimeout`, on the exposure or a route: how long a WebSocket or stream may stay silent. */
  'idle-timeout': 'Idle timeout of WebSockets and streams (`idleTimeout`)',
  /** Declared by `retries`, on the exposure or a route. */
  'retries': 'Retries (`retries`)',
  /** Declared by a route's `rewrite.path`. */
  'rewrite-path': 'Path rewrite (`rewrite.path`)',
  /** Declared by a route's `rewrite.host`. */
  'rewrite-host': 'Host rewrite (`rewrite.host`)',
  /** Declared by a route's `redirect`. */
  'redirect': 'Redirect (`redirect`)',
  /** Declared by a route's `requestHeaders`. */
  'request-headers': 'Request header edits (`requestHeaders`)',
  /** Declared by a route's `responseHeaders`. */
  'response-headers': 'Response header edits (`responseHeaders`)',
  /** Declared by a route's `mirror`. */
  'mirror': 'Traffic mirroring (`mirror`)',
  /** Declared by a route's `fault`. */
  'fault': 'Fault injection (`fault`)',
  /** Declared by `cors`, on the exposure or a route. */
  'cors': 'CORS (`cors`)',
  /** Declared by `rateLimit`, on the exposure or a route. */
  'rate-limit': 'Rate limits (`rateLimit`)',
  /** Declared by `auth: Auth.apiKey(...)`, on the exposure or a route. */
  'auth-api-key': 'API keys (`Auth.apiKey`)',
  /** Declared by `auth: Auth.basic(...)`, on the exposure or a route. */
  'auth-basic': 'Basic auth (`Auth.basic`)',
  /** Declared by `auth: Auth.jwt(...)`, on the exposure or a route. */
  'auth-jwt': 'JWT (`Auth.jwt`)',
  /** Declared by `auth: Auth.external(...)`, on the exposure or a route: an auth service checks each request first. */
  'auth-external': 'External authentication (`Auth.external`)',
  /** Declared by `access: AccessPolicy.allowFrom(...)`, on the exposure or a route. */
  'ip-allow-list': 'Client IP allow list (`AccessPolicy.allowFrom`)',
  /** Declared by `access: AccessPolicy.denyFrom(...)`, or by `except` ranges of an allow list. */
  'ip-deny-list': 'Client IP deny list (`AccessPolicy.denyFrom`, `except`)',
  /** Declared by `maxRequestBody`, on the exposure or a route. */
  'max-request-body': 'Request body size limit (`maxRequestBody`)',
  /** Declared by `circuitBreaker` with `maxConnections`, `maxPendingRequests` or `maxRequests`. */
  'connection-limits': 'Connection and request limits of each backend, circuit breaking (`circuitBreaker`)',
  /** Declared by `circuitBreaker` with `consecutiveErrors` (and `interval`, `ejectionTime`, `maxEjectedPercent`). */
  'outlier-detection': 'Ejection of a backend\'s failing endpoints (`circuitBreaker.consecutiveErrors`)',
  /** Declared by `affinity: SessionAffinity.cookie(...)`, on the exposure or a route: a cookie the proxy sets pins the client to a pod. */
  'affinity-cookie': 'Session affinity by cookie (`SessionAffinity.cookie`)',
  /** Declared by `affinity: SessionAffinity.header(...)`: a consistent hash of a request header's value. */
  'affinity-header': 'Session affinity by header (`SessionAffinity.header`)',
  /** Declared by `affinity: SessionAffinity.clientIp()`: the client address picks the pod. */
  'affinity-client-ip': 'Session affinity by client IP (`SessionAffinity.clientIp`)',
  /** Declared by a route's `aggregate`: one answer composed of several backends' answers, called in parallel. */
  'aggregation': 'Request aggregation, API composition (`aggregate`)',
  /**
   * Declared by `deprecation`, on the exposure or a route: the `Deprecation`, `Sunset` and `Link`
   * response headers, written as response header edits.
   */
  'deprecation': 'Deprecation and sunset headers (`deprecation`)',
  /** Declared by `deprecation: Deprecation.of({ retire: true })`: 410 Gone after the sunset, decided at each request. */
  'deprecation-retire': 'Retirement after the sunset, 410 Gone (`retire`)',
  /** Declared by `passthrough`: TLS streams forwarded by SNI hostname, not decrypted. */
  'tls-passthrough': 'TLS passthrough by SNI (`passthrough`)',
  /** Declared by `tcp`: raw TCP ports, each to one backend. */
  'tcp': 'TCP ports (`tcp`)',
} as const;

/** A feature of the declaration: a key of `FEATURES`. */
export type Feature = keyof typeof FEATURES;

/** What one strategy can express: every feature is listed. */
export type Capabilities = Readonly<Record<Feature, Support>>;

/** Every feature at one level of support: the base that each row then overrides. */
export const every = (support: Support): Capabilities =>
  Object.fromEntries(Object.keys(FEATURES).map((f) => [f, support])) as Record<Feature, Support>;

/** A strategy (or a flavour of one) in the matrix: its name as shown in errors and docs, and its capabilities. */
export interface StrategyCapabilities {
  /** The strategy's name as errors and docs/capabilities.md show it, e.g. `ingress (ingressNginx)`. */
  readonly strategy: string;
  /** How the strategy expresses each feature. */
  readonly capabilities: Capabilities;
  /** Why some features are `none` or `annotation`, for the docs. */
  readonly notes?: string;
  /**
   * The strategy this one refines (a controller or channel option of it): errors name the
   * variant only for features its base cannot express.
   */
  readonly variantOf?: string;
  /**
   * The other variants this one combines with its base (a Gateway API implementation on the
   * experimental channel combines the channel's row): errors name it only for features none of
   * them can express. Variants of one base are otherwise alternatives, each named.
   */
  readonly combines?: readonly string[];
}

/**
 * The strategies that express `feature` (natively or through annotations); a variant is named
 * only when no strategy it refines can: its base, and the variants it combines (`combines`).
 */
export function strategiesSupporting(feature: Feature, rows: readonly StrategyCapabilities[]): string[] {
  const supports = (s: StrategyCapabilities) => s.capabilities[feature] !== 'none';
  return rows
    .filter((s) => supports(s) && !rows.some((other) => refines(s, other, rows) && supports(other)))
    .map((s) => s.strategy);
}

/** True when `variant` refines `other`: `other` is its base or a variant it combines, or one they refine. */
function refines(variant: StrategyCapabilities, other: StrategyCapabilities, rows: readonly StrategyCapabilities[]): boolean {
  const parents = [variant.variantOf, ...variant.combines ?? []].flatMap((name) => rows.filter((r) => r.strategy === name && r !== variant));
  return parents.some((parent) => parent === other || refines(parent, other, rows));
}

const SYMBOL: Record<Support, string> = { native: 'yes', annotation: 'A', none: '-' };

/** The capability table of docs/capabilities.md, generated from the rows. */
export function capabilityTable(strategies: readonly StrategyCapabilities[]): string {
  const lines = [
    '# Capability matrix',
    '',
    '<!-- Generated from src/capability-matrix.ts by `npx projen`; do not edit. -->',
    '',
    'What each strategy makes of each feature of the declaration: `yes` natively, `A` through controller',
    'annotations, `-` not at all. Declaring a feature the chosen strategy cannot express fails synth with',
    'an error that names the construct path, the field and the strategies that can.',
    '',
    `| feature | ${strategies.map((s) => `\`${s.strategy}\``).join(' | ')} |`,
    `|---|${strategies.map(() => ':-:').join('|')}|`,
    ...Object.entries(FEATURES).map(([feature, title]) =>
      `| ${title} | ${strategies.map((s) => SYMBOL[s.capabilities[feature as Feature]]).join(' | ')} |`),
    '',
    ...strategies.filter((s) => s.notes).map((s) => `- \`${s.strategy}\`: ${s.notes}`),
    '',
  ];
  return lines.join('\n');
}
