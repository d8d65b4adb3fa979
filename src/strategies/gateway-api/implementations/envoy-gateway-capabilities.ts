import { combined } from './combined-capabilities';
import { Feature, StrategyCapabilities, Support } from '../../../intent/capabilities';
import { GATEWAY_API, GATEWAY_API_EXPERIMENTAL } from '../capabilities';

/**
 * What Envoy Gateway's own policies (`gateway.envoyproxy.io/v1alpha1`) add to the standard API:
 * BackendTrafficPolicy for rate limits and body size, SecurityPolicy for client IP lists, API
 * keys, basic auth and JWT. Each targets the HTTPRoute (or GRPCRoute), or one rule of it by `sectionName`.
 */
const ENVOY_GATEWAY_POLICIES: Partial<Record<Feature, Support>> = {
  // BackendTrafficPolicy rateLimit.local: a bucket of the whole rate per client address (sourceCIDR Distinct); burst = rate.
  'rate-limit': 'native',
  // BackendTrafficPolicy requestBuffer.limit: 413 above it.
  'max-request-body': 'native',
  // SecurityPolicy authorization: rules of clientCIDRs, the first that matches decides.
  'ip-allow-list': 'native',
  'ip-deny-list': 'native',
  // SecurityPolicy apiKeyAuth: the Secret's data keys are the client ids, as the API gateway engines read it.
  'auth-api-key': 'native',
  // SecurityPolicy basicAuth: an htpasswd file in the Secret's key `.htpasswd`.
  'auth-basic': 'native',
  // SecurityPolicy jwt: a provider with a remote JWKS.
  'auth-jwt': 'native',
  // SecurityPolicy extAuth on the standard channel (the experimental one keeps the HTTPRoute's ExternalAuth filter).
  'auth-external': 'native',
  // BackendTrafficPolicy circuitBreaker and healthCheck.passive, where each Service is the one backend of one rule.
  'connection-limits': 'native',
  'outlier-detection': 'native',
  // BackendTrafficPolicy loadBalancer ConsistentHash (Cookie, Header, SourceIP) over a rule of one backend; on the
  // experimental channel a cookie on an HTTPRoute stays the rule's sessionPersistence.
  'affinity-cookie': 'native',
  'affinity-header': 'native',
  'affinity-client-ip': 'native',
  // BackendTrafficPolicy retry on the standard channel (the experimental one has the rule's retry).
  'retries': 'native',
};

const NOTES = 'Envoy Gateway (`GatewayImplementation.envoyGateway()`, its CRDs v1.9): the standard HTTPRoute, plus `gateway.envoyproxy.io/v1alpha1` policies that target the HTTPRoute '
  + '(or one rule of it by `sectionName`, Gateway API v1.6 names each rule): rate limits as a BackendTrafficPolicy `rateLimit.local` with a bucket per client address '
  + '(`sourceCIDR` of type `Distinct` over `0.0.0.0/0` and `::/0`, Envoy Gateway v1.4+), counted by each Envoy replica and refilled whole each second or minute, so a client may send the whole rate at once: '
  + '`burst` must equal the rate (within one request: nginx\'s count admits one more; an ingress-nginx limit of multiplier 1 moves unchanged); a limit per API key counts per client id, the header `x-consumer-username` that the API key auth sets '
  + '(a `Distinct` header selector, which the backend sees too); the body size as `requestBuffer.limit` (the request is buffered, 413 above it; not on gRPC routes); client IP lists as a SecurityPolicy `authorization` '
  + '(`clientCIDRs`; the address Envoy sees: its Service keeps the client\'s with `externalTrafficPolicy: Local`, its default; behind an L7 proxy set the Gateway\'s ClientTrafficPolicy '
  + '`clientIPDetection`); basic auth as `basicAuth.users`, whose Secret holds an htpasswd file under the key `.htpasswd` (SHA hashes; ingress-nginx reads the same file under `auth`; '
  + 'no realm of the exposure\'s choosing); JWT as a `jwt` provider with a remote JWKS; API keys as `apiKeyAuth`: its Secret is the one the API gateway engines read (Opaque, one data key per consumer, '
  + 'its value the key; Envoy Gateway calls the data key the client id), the key read from the declared header and passed on to the backend; on the standard channel, retries as `retry` '
  + '(`numRetries`, the conditions as `retryOn.triggers`; a per-try timeout refused: Envoy Gateway reads the rule\'s `timeouts.backendRequest` as the whole request\'s) and external authentication as `extAuth.http` '
  + '(the auth Service in the exposure\'s namespace, `path` the prefix, `headersToExtAuth` the forwarded headers, `headersToBackend` the response headers, none when none are declared; '
  + 'no sign-in redirect: the auth service\'s own refusal reaches the client; not on gRPC routes). '
  + 'Circuit breaking as `circuitBreaker` (`maxConnections`, `maxPendingRequests`, `maxRequests` as `maxParallelRequests`; undeclared ones keep Envoy\'s 1024) and the ejection as '
  + '`healthCheck.passive` (`consecutive5XxErrors`, failed connections counted alike; `interval`, `baseEjectionTime`, `maxEjectionPercent`; Envoy Gateway\'s own defaults 3s, 30s, 10 %), '
  + 'counted per Envoy replica and per route rule: each Service must be the one backend of one rule (no mirror, stream or external auth service beside it). '
  + 'Affinity as `loadBalancer` `ConsistentHash` of type `Cookie` (`name`, `ttl`, `0s` for a session cookie, the path as the cookie\'s `Path` attribute; Envoy generates the cookie when the '
  + 'request has none), `Header` or `SourceIP`: Envoy\'s hash over the endpoints of the rule\'s one backend, so a client stays on its pod while the set of pods is stable.';

export const GATEWAY_API_ENVOY_GATEWAY_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi (envoyGateway)',
  capabilities: combined(GATEWAY_API, ENVOY_GATEWAY_POLICIES),
  variantOf: 'gatewayApi',
  notes: NOTES,
};

export const GATEWAY_API_ENVOY_GATEWAY_EXPERIMENTAL_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi (envoyGateway, experimental)',
  capabilities: combined(GATEWAY_API_EXPERIMENTAL, ENVOY_GATEWAY_POLICIES),
  variantOf: 'gatewayApi (envoyGateway)',
  combines: ['gatewayApi (experimental)'],
  notes: '`gatewayApi({ experimental: true, implementation: GatewayImplementation.envoyGateway() })`: both, the experimental channel\'s features on its HTTPRoute (retries, the ExternalAuth filter and cookie affinity as `sessionPersistence` stay there) and Envoy Gateway\'s policies.',
};
