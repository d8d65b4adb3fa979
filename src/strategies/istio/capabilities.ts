import { Capabilities, every, StrategyCapabilities } from '../../intent/capabilities';

/** Istio: the Gateway carries L4-L6 (ports, TLS), the VirtualService all L7 routing. */
const ISTIO: Capabilities = {
  ...every('native'),
  // Istio reads credentials from the gateway workload's namespace only.
  'cross-namespace-secret': 'none',
  // Not Istio-native: an API gateway does these.
  'auth-api-key': 'none',
  'auth-basic': 'none',
  'rate-limit': 'none',
  // A VirtualService route has no idle timeout of its streams.
  'idle-timeout': 'none',
  // No VirtualService or Gateway field: Envoy's buffer filter needs an EnvoyFilter, which is not rendered.
  'max-request-body': 'none',
};

export const ISTIO_ROW: StrategyCapabilities = {
  strategy: 'istio',
  capabilities: ISTIO,
  notes: 'Istio `networking.istio.io/v1` Gateway + VirtualService (+ DestinationRule for subsets and traffic policy); JWT through `security.istio.io/v1` RequestAuthentication + AuthorizationPolicy; '
    + 'the HTTPS redirect is the Gateway\'s `tls.httpsRedirect` (301 only); h2c backends as the DestinationRule\'s port-level `h2UpgradePolicy: UPGRADE`; client IP lists through an AuthorizationPolicy (DENY, `remoteIpBlocks`) on the gateway workload; cert-manager through a `Certificate` in the gateway namespace.',
};
