import { Feature } from './capabilities';
import { backendField, ExposureIntent, isCatchAll, limitsConnections } from './model';

/** A feature the declaration uses, and the field that declares it. */
export interface DeclaredFeature {
  readonly feature: Feature;
  readonly field: string;
}

/**
 * Every feature the intent declares, each with the field it comes from, without duplicates
 * (a service-level `timeout` inherited by three routes is reported once, as `timeout`).
 */
export function declaredFeatures(intent: ExposureIntent): DeclaredFeature[] {
  const found = new Map<string, DeclaredFeature>();
  const add = (feature: Feature, field: string) => {
    const key = `${feature} ${field}`;
    if (!found.has(key)) found.set(key, { feature, field });
  };

  if (intent.hosts.length > 0) add('hosts', 'hosts');
  if (intent.tls) add('tls', 'tls');
  if (intent.tls?.certManager) add('tls-cert-manager', 'tls');
  if (intent.tls?.secretNamespace !== undefined) add('cross-namespace-secret', 'tls');
  if (intent.tls?.redirectCode !== undefined) add('https-redirect-code', 'httpsRedirectCode');
  const client = intent.tls?.clientCertificates;
  if (client !== undefined) {
    add('client-certificates', 'tls.clientCertificates');
    if (client.mode === 'optional') add('client-certificates-optional', 'tls.clientCertificates');
    add(client.ca.kind === 'secret' ? 'client-ca-secret' : 'client-ca-config-map', `tls.clientCertificates.${client.ca.kind === 'secret' ? 'caSecret' : 'caConfigMap'}`);
    if (client.verifyDepth !== undefined) add('client-certificate-depth', 'tls.clientCertificates.verifyDepth');
  }
  if (limitsConnections(intent.circuitBreaker)) add('connection-limits', 'circuitBreaker');
  if (intent.circuitBreaker?.consecutiveErrors !== undefined) add('outlier-detection', 'circuitBreaker');
  if (intent.routes.length > 1 || !intent.routes.every((r) => isCatchAll(r.match))) add('path-routing', 'routes');

  for (const route of intent.routes) {
    const { match, sources } = route;
    const f = route.field;
    if (match.path.kind === 'exact') add('path-exact', `${f}.match.path`);
    if (match.path.kind === 'regex') add('path-regex', `${f}.match.path`);
    if (match.headers.length > 0) add('header-match', `${f}.match.headers`);
    if (match.queryParams.length > 0) add('query-match', `${f}.match.queryParams`);
    if (match.method !== undefined) add('method-match', `${f}.match.method`);
    if (route.action.kind === 'forward' && route.action.backends.length > 1) add('weighted-backends', `${f}.backends`);
    if (route.action.kind === 'redirect') add('redirect', sources.redirect!);
    if (route.action.kind === 'aggregate') add('aggregation', `${f}.aggregate`);
    if (route.protocol === 'grpc') add('grpc', sources.protocol!);
    if (route.grpcWeb) add('grpc-web', `${f}.grpcWeb`);
    if (route.jsonTranscoding) add('grpc-json-transcoding', `${f}.jsonTranscoding`);
    if (route.timeoutMs !== undefined) add('timeout', sources.timeout!);
    if (route.idleTimeoutMs !== undefined) add('idle-timeout', sources.idleTimeout!);
    if (route.retries !== undefined) add('retries', sources.retries!);
    if (route.rewrite?.path !== undefined) add('rewrite-path', `${sources.rewrite!}.path`);
    if (route.rewrite?.host !== undefined) add('rewrite-host', `${sources.rewrite!}.host`);
    if (route.requestHeaders !== undefined) add('request-headers', sources.requestHeaders!);
    // A deprecation's headers are edits of its own feature, not declared ones.
    if (route.responseHeaders !== undefined && sources.responseHeaders !== sources.deprecation) add('response-headers', sources.responseHeaders!);
    if (route.mirror !== undefined) add('mirror', sources.mirror!);
    if (route.fault !== undefined) add('fault', sources.fault!);
    if (route.cors !== undefined) add('cors', sources.cors!);
    if (route.rateLimit !== undefined) add('rate-limit', sources.rateLimit!);
    if (route.auth !== undefined) add(`auth-${route.auth.kind}` as Feature, sources.auth!);
    if (route.access?.allow !== undefined) add('ip-allow-list', sources.access!);
    if ((route.access?.deny.length ?? 0) > 0) add('ip-deny-list', sources.access!);
    if (route.maxRequestBodyBytes !== undefined) add('max-request-body', sources.maxRequestBody!);
    if (route.affinity !== undefined) add(`affinity-${route.affinity.kind}`, sources.affinity!);
    if (route.deprecation !== undefined) add('deprecation', sources.deprecation!);
    if (route.deprecation?.retire === true) add('deprecation-retire', `${sources.deprecation!}.retire`);
  }

  for (const stream of intent.streams) add(stream.kind, stream.field);

  for (const backend of intent.backends) {
    const field = backendField(intent, backend);
    if (backend.origin === 'name') add('backend-by-name', field);
    if (backend.namespace !== intent.namespace) add('cross-namespace-backend', field);
    if (backend.subset !== undefined) add('subsets', field);
    if (backend.protocol === 'h2c') add('h2c', field);
    if (backend.tls !== undefined) add(backend.tls.ca === undefined ? 'backend-tls-unverified' : 'backend-tls', field);
  }
  return [...found.values()];
}
