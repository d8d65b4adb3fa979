import { combined } from './combined-capabilities';
import { Feature, StrategyCapabilities, Support } from '../../../intent/capabilities';
import { GATEWAY_API, GATEWAY_API_EXPERIMENTAL } from '../capabilities';

/**
 * What Istio's security policies (`security.istio.io/v1`, `targetRefs` to the Gateway: Istio
 * 1.22+) add to the standard API. Istio has no rate limit, body size, basic auth or API key
 * policy for Gateway API routes (nor a retry policy on the standard channel): those stay refused.
 */
const ISTIO_POLICIES: Partial<Record<Feature, Support>> = {
  // RequestAuthentication + a DENY AuthorizationPolicy without a request principal.
  'auth-jwt': 'native',
  // A CUSTOM AuthorizationPolicy naming the mesh's extension provider (on both channels: Istio has no ExternalAuth filter).
  'auth-external': 'native',
  // A DENY AuthorizationPolicy on the client's address (remoteIpBlocks).
  'ip-allow-list': 'native',
  'ip-deny-list': 'native',
};

const NOTES = 'Istio (`GatewayImplementation.istio()`): the standard HTTPRoute, plus `security.istio.io/v1` policies whose `targetRefs` name the Gateway '
  + '(Istio 1.22+; Istio attaches them to a Gateway of their own namespace only, so they are written in the Gateway\'s namespace: the created one\'s, or the existing one\'s), '
  + 'each scoped to the exposure\'s hosts (on an existing Gateway hosts are required) and, per route, to the paths and method the HTTPRoute gives that route '
  + '(a prefix element-wise, as an HTTPRoute matches it; routes of regex, header or query matches and gRPC routes only exposure-wide; none beside TCP or passthrough streams, '
  + 'where a policy cannot be scoped by host): '
  + 'JWT as a RequestAuthentication and a DENY AuthorizationPolicy for requests without a principal of the issuer; client IP lists as a DENY AuthorizationPolicy on '
  + '`remoteIpBlocks` (the original client\'s address as the gateway resolves it: X-Forwarded-For with the gateway\'s `numTrustedProxies`, or the PROXY protocol; '
  + 'else the connection\'s; `ipBlocks` would be the peer\'s, a load balancer or a node); external authentication as a CUSTOM AuthorizationPolicy naming the mesh\'s '
  + 'extension provider (`externalAuthProvider`: an `envoyExtAuthzHttp` entry of meshConfig `extensionProviders`), on both channels. Rate limits, the body size, '
  + 'basic auth and API keys have no Istio policy for Gateway API routes (use Envoy Gateway or apiGateway); retries only on the experimental channel (the rule\'s `retry`).';

export const GATEWAY_API_ISTIO_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi (istio)',
  capabilities: combined(GATEWAY_API, ISTIO_POLICIES),
  variantOf: 'gatewayApi',
  notes: NOTES,
};

export const GATEWAY_API_ISTIO_EXPERIMENTAL_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi (istio, experimental)',
  // Istio does not implement the experimental rule's sessionPersistence (istio/istio#55839): refused, not dropped.
  capabilities: { ...combined(GATEWAY_API_EXPERIMENTAL, ISTIO_POLICIES), 'affinity-cookie': 'none' },
  variantOf: 'gatewayApi (istio)',
  combines: ['gatewayApi (experimental)'],
  notes: '`gatewayApi({ experimental: true, implementation: GatewayImplementation.istio() })`: both, the experimental channel\'s features on its HTTPRoute '
    + '(external authentication stays Istio\'s CUSTOM AuthorizationPolicy, not the rule\'s ExternalAuth filter) and Istio\'s policies on the Gateway.',
};
