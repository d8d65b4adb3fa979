import { combined } from './combined-capabilities';
import { Feature, StrategyCapabilities, Support } from '../../../intent/capabilities';
import { GATEWAY_API, GATEWAY_API_EXPERIMENTAL } from '../capabilities';

/**
 * What Envoy Gateway's own policies (`gateway.envoyproxy.io/v1alpha1`) add to the standard API:
 * BackendTrafficPolicy for rate limits and body size, SecurityPolicy for client IP lists, basic
 * auth and JWT. Each targets the HTTPRoute (or GRPCRoute), or one rule of it by `sectionName`.
 */
const ENVOY_GATEWAY_POLICIES: Partial<Record<Feature, Support>> = {
  // BackendTrafficPolicy rateLimit.local: a bucket per client address (sourceCIDR Distinct).
  'rate-limit': 'native',
  // BackendTrafficPolicy requestBuffer.limit: 413 above it.
  'max-request-body': 'native',
  // SecurityPolicy authorization: rules of clientCIDRs, the first that matches decides.
  'ip-allow-list': 'native',
  'ip-deny-list': 'native',
  // SecurityPolicy basicAuth: an htpasswd file in the Secret's key `.htpasswd`.
  'auth-basic': 'native',
  // SecurityPolicy jwt: a provider with a remote JWKS.
  'auth-jwt': 'native',
  // BackendTrafficPolicy retry on the standard channel (the experimental one has the rule's retry).
  'retries': 'native',
};

const NOTES = 'Envoy Gateway (`GatewayImplementation.envoyGateway()`, its CRDs v1.9): the standard HTTPRoute, plus `gateway.envoyproxy.io/v1alpha1` policies that target the HTTPRoute '
  + '(or one rule of it by `sectionName`, Gateway API v1.6 names each rule): rate limits as a BackendTrafficPolicy `rateLimit.local` with a bucket per client address '
  + '(`sourceCIDR` of type `Distinct` over `0.0.0.0/0` and `::/0`, Envoy Gateway v1.4+), counted by each Envoy replica and refilled each second or minute (no burst above the rate; '
  + 'a limit per API key refused); the body size as `requestBuffer.limit` (the request is buffered, 413 above it; not on gRPC routes); client IP lists as a SecurityPolicy `authorization` '
  + '(`clientCIDRs`; the address Envoy sees: its Service keeps the client\'s with `externalTrafficPolicy: Local`, its default; behind an L7 proxy set the Gateway\'s ClientTrafficPolicy '
  + '`clientIPDetection`); basic auth as `basicAuth.users`, whose Secret holds an htpasswd file under the key `.htpasswd` (SHA hashes; ingress-nginx reads the same file under `auth`; '
  + 'no realm of the exposure\'s choosing); JWT as a `jwt` provider with a remote JWKS; on the standard channel, retries as `retry` '
  + '(`numRetries`, the conditions as `retryOn.triggers`; the per-try timeout the rule\'s `timeouts.backendRequest`).';

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
  notes: '`gatewayApi({ experimental: true, implementation: GatewayImplementation.envoyGateway() })`: both, the experimental channel\'s features on its HTTPRoute and Envoy Gateway\'s policies.',
};
