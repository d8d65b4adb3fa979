/**
 * The features of the intent and how a strategy expresses each. Each strategy folder declares
 * its own rows (a flavour's row lives in the flavour's file); the matrix is assembled from them
 * in `capability-matrix.ts`. Plain data (no cdk8s imports), so `.projenrc.ts` can render
 * docs/capabilities.md from it.
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
export const every = (support: Support): Capabilities =>
  Object.fromEntries(Object.keys(FEATURES).map((f) => [f, support])) as Record<Feature, Support>;

/** A strategy (or a flavour of one) in the matrix: its name as shown in errors and docs, and its capabilities. */
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

/**
 * The strategies that express `feature` (natively or through annotations); a variant is named
 * only when its base strategy cannot.
 */
export function strategiesSupporting(feature: Feature, rows: readonly StrategyCapabilities[]): string[] {
  const supports = (s: StrategyCapabilities) => s.capabilities[feature] !== 'none';
  return rows
    .filter((s) => supports(s) && !rows.some((base) => base.strategy === s.variantOf && supports(base)))
    .map((s) => s.strategy);
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
