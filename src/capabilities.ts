/**
 * The capability matrix: for every strategy, how it expresses each intent feature. This file is
 * plain data (no cdk8s imports) so that `.projenrc.ts` can render docs/capabilities.md from it.
 */

/** How a strategy expresses a feature. */
export type Support = 'native' | 'annotation' | 'none';

/** The features of the intent a strategy may or may not express. */
export const FEATURES = {
  'hosts': 'Virtual hosts (`hosts`)',
  'tls': 'TLS termination (`tls`)',
  'tls-cert-manager': 'Certificates from cert-manager (`Tls.certManager`)',
  'cross-namespace-secret': 'TLS Secret in another namespace',
  'path-routing': 'Routes beyond one catch-all route (`routes`)',
  'path-exact': 'Exact path match (`PathMatch.exact`)',
  'path-regex': 'Regex path match (`PathMatch.regex`)',
  'header-match': 'Header match (`match.headers`)',
  'query-match': 'Query parameter match (`match.queryParams`)',
  'method-match': 'Method match (`match.method`)',
  'weighted-backends': 'Weighted backends, canaries (`backends`)',
  'backend-by-name': 'Backend outside the app (`Backend.fromName`)',
  'cross-namespace-backend': 'Backend in another namespace',
  'subsets': 'Version subsets of a backend (`subset`)',
  'grpc': 'gRPC routes (`protocol: \'grpc\'`)',
  'timeout': 'Request timeout (`timeout`)',
  'retries': 'Retries (`retries`)',
  'rewrite-path': 'Path rewrite (`rewrite.path`)',
  'rewrite-host': 'Host rewrite (`rewrite.host`)',
  'redirect': 'Redirect (`redirect`)',
  'request-headers': 'Request header edits (`requestHeaders`)',
  'response-headers': 'Response header edits (`responseHeaders`)',
  'mirror': 'Traffic mirroring (`mirror`)',
  'fault': 'Fault injection (`fault`)',
  'cors': 'CORS (`cors`)',
  'rate-limit': 'Rate limits (`rateLimit`)',
  'auth-api-key': 'API keys (`Auth.apiKey`)',
  'auth-basic': 'Basic auth (`Auth.basic`)',
  'auth-jwt': 'JWT (`Auth.jwt`)',
} as const;

export type Feature = keyof typeof FEATURES;

/** What one strategy can express: every feature is listed. */
export type Capabilities = Readonly<Record<Feature, Support>>;

/** Every feature at one level of support: the base that each row then overrides. */
const every = (support: Support): Capabilities => Object.fromEntries(Object.keys(FEATURES).map((f) => [f, support])) as Record<Feature, Support>;

const NONE: Capabilities = every('none');

/** A strategy in the matrix: its name as shown in errors and docs, and its capabilities. */
export interface StrategyCapabilities {
  readonly strategy: string;
  readonly capabilities: Capabilities;
  /** Why some features are `none` or `annotation`, for the docs. */
  readonly notes?: string;
  /**
   * The strategy this one refines (a controller or channel option of it): errors name the
   * variant only for features its base cannot express.
   */
  readonly variantOf?: string;
}

/** A Service routes L4 connections to one backend's pods: nothing else (gRPC is just TCP to it). */
const SERVICE: Capabilities = { ...NONE, grpc: 'native' };

const INGRESS_GENERIC: Capabilities = {
  ...NONE,
  'hosts': 'native',
  'tls': 'native',
  'tls-cert-manager': 'annotation',
  'path-routing': 'native',
  'path-exact': 'native',
  'backend-by-name': 'native',
};

const INGRESS_NGINX: Capabilities = {
  ...INGRESS_GENERIC,
  'path-regex': 'annotation',
  'grpc': 'annotation',
  'weighted-backends': 'annotation',
  'timeout': 'annotation',
  'retries': 'annotation',
  'rewrite-path': 'annotation',
  'rewrite-host': 'annotation',
  'redirect': 'annotation',
  'mirror': 'annotation',
  'cors': 'annotation',
  'rate-limit': 'annotation',
  'auth-basic': 'annotation',
};

/** Istio: the Gateway carries L4-L6 (ports, TLS), the VirtualService all L7 routing. */
const ISTIO: Capabilities = {
  ...every('native'),
  // Istio reads credentials from the gateway workload's namespace only.
  'cross-namespace-secret': 'none',
  // Not Istio-native: an API gateway does these.
  'auth-api-key': 'none',
  'auth-basic': 'none',
  'rate-limit': 'none',
};

/** Gateway API, standard channel: routing and header edits are core or extended features. */
const GATEWAY_API: Capabilities = {
  ...NONE,
  'hosts': 'native',
  'tls': 'native',
  'tls-cert-manager': 'annotation',
  'cross-namespace-secret': 'native',
  'path-routing': 'native',
  'path-exact': 'native',
  'path-regex': 'native',
  'header-match': 'native',
  'query-match': 'native',
  'method-match': 'native',
  'weighted-backends': 'native',
  'backend-by-name': 'native',
  'cross-namespace-backend': 'native',
  'grpc': 'native',
  'timeout': 'native',
  'rewrite-path': 'native',
  'rewrite-host': 'native',
  'redirect': 'native',
  'request-headers': 'native',
  'response-headers': 'native',
  'mirror': 'native',
  'cors': 'native',
};

/** Gateway API, experimental channel: adds retries. */
const GATEWAY_API_EXPERIMENTAL: Capabilities = { ...GATEWAY_API, retries: 'native' };

/** An API gateway with the NGINX (OSS) engine: all routing plus API policy; no JWT, no fault injection. */
const API_GATEWAY_NGINX: Capabilities = {
  ...every('native'),
  'subsets': 'none',
  'grpc': 'none',
  'cross-namespace-secret': 'none',
  'fault': 'none',
  'auth-jwt': 'none',
};

/** An API gateway with the Kong engine (DB-less): JWT and consumer ACLs; no redirects, mirroring or query matches in OSS. */
const API_GATEWAY_KONG: Capabilities = {
  ...API_GATEWAY_NGINX,
  'auth-jwt': 'native',
  'query-match': 'none',
  'redirect': 'none',
  'mirror': 'none',
};

/** Every strategy the library has, in the order of the docs' table. */
export const CAPABILITY_MATRIX = {
  nodePort: { strategy: 'nodePort', capabilities: SERVICE },
  loadBalancer: { strategy: 'loadBalancer', capabilities: SERVICE },
  ingress: {
    strategy: 'ingress',
    capabilities: INGRESS_GENERIC,
    notes: 'Any Ingress controller; only the Ingress v1 spec (`IngressController.generic()`).',
  },
  ingressNginx: {
    strategy: 'ingress (ingressNginx)',
    capabilities: INGRESS_NGINX,
    variantOf: 'ingress',
    notes: 'ingress-nginx annotations (`IngressController.ingressNginx()`); ingress-nginx was retired in March 2026: `gatewayApi` is the way off it.',
  },
  istio: {
    strategy: 'istio',
    capabilities: ISTIO,
    notes: 'Istio `networking.istio.io/v1` Gateway + VirtualService (+ DestinationRule for subsets and traffic policy); JWT through `security.istio.io/v1` RequestAuthentication + AuthorizationPolicy; cert-manager through a `Certificate` in the gateway namespace.',
  },
  gatewayApi: {
    strategy: 'gatewayApi',
    capabilities: GATEWAY_API,
    notes: 'Gateway API `gateway.networking.k8s.io/v1` standard channel (v1.6): Gateway (or a parentRef to an existing one) + HTTPRoute (+ ReferenceGrant `v1beta1` across namespaces); any implementation.',
  },
  gatewayApiExperimental: {
    strategy: 'gatewayApi (experimental)',
    capabilities: GATEWAY_API_EXPERIMENTAL,
    variantOf: 'gatewayApi',
    notes: '`gatewayApi({ experimental: true })`: the experimental channel CRDs must be installed in the cluster.',
  },
  apiGatewayNginx: {
    strategy: 'apiGateway (nginx)',
    capabilities: API_GATEWAY_NGINX,
    notes: 'An NGINX API gateway deployed for the exposure (`ApiGatewayEngine.nginx()`), fronted by `exposedVia`: API keys, basic auth, rate limits, CORS, cache, JSON errors and per-consumer usage logs. nginx OSS cannot validate JWTs.',
  },
  apiGatewayKong: {
    strategy: 'apiGateway (kong)',
    capabilities: API_GATEWAY_KONG,
    notes: 'Kong Gateway in DB-less mode (`ApiGatewayEngine.kong()`): the same declaration as the NGINX engine, plus JWT (with a public key) and consumer ACLs.',
  },
} satisfies Record<string, StrategyCapabilities>;

/**
 * The strategies that express `feature` (natively or through annotations); a variant is named
 * only when its base strategy cannot.
 */
export function strategiesSupporting(feature: Feature): string[] {
  const rows: StrategyCapabilities[] = Object.values(CAPABILITY_MATRIX);
  const supports = (s: StrategyCapabilities) => s.capabilities[feature] !== 'none';
  return rows
    .filter((s) => supports(s) && !rows.some((base) => base.strategy === s.variantOf && supports(base)))
    .map((s) => s.strategy);
}

const SYMBOL: Record<Support, string> = { native: 'yes', annotation: 'A', none: '-' };

/** The capability table of docs/capabilities.md, generated from the matrix above. */
export function renderCapabilityTable(): string {
  const strategies: StrategyCapabilities[] = Object.values(CAPABILITY_MATRIX);
  const lines = [
    '# Capability matrix',
    '',
    '<!-- Generated from src/capabilities.ts by `npx projen`; do not edit. -->',
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
