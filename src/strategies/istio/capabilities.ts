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
  // The server's tls reads the CA from a Secret (credentialName's ca.crt or <credentialName>-cacert); no depth setting.
  'client-ca-config-map': 'none',
  'client-certificate-depth': 'none',
  // A VirtualService routes each request to one destination: composing answers is an API gateway's.
  'aggregation': 'none',
  // The headers are the route's response header edits; a VirtualService cannot answer by the date.
  'deprecation-retire': 'none',
  // Envoy's grpc_web filter runs on a Gateway server of protocol GRPC-WEB (one protocol for the
  // whole server), and its gRPC-JSON transcoder takes a descriptor set through an EnvoyFilter:
  // neither is rendered.
  'grpc-web': 'none',
  'grpc-json-transcoding': 'none',
};

export const ISTIO_ROW: StrategyCapabilities = {
  strategy: 'istio',
  capabilities: ISTIO,
  notes: 'Istio `networking.istio.io/v1` Gateway + VirtualService (+ DestinationRule for subsets and traffic policy); JWT through `security.istio.io/v1` RequestAuthentication + AuthorizationPolicy; '
    + 'the HTTPS redirect is the Gateway\'s `tls.httpsRedirect` (301 only); h2c backends as the DestinationRule\'s port-level `h2UpgradePolicy: UPGRADE`; client IP lists through an AuthorizationPolicy (DENY, `remoteIpBlocks`) on the gateway workload; session affinity as the backend DestinationRule\'s `loadBalancer.consistentHash`; '
    + 'external authentication through a `CUSTOM` AuthorizationPolicy naming the mesh\'s extension provider (`externalAuthProvider`); cert-manager through a `Certificate` in the gateway namespace; client certificates as the server\'s `tls.mode` MUTUAL or OPTIONAL_MUTUAL, the CA from the TLS Secret\'s `ca.crt` or the Secret `<TLS Secret>-cacert` (`caSecret` names one of them), the identity in `x-forwarded-client-cert` per the gateway\'s `forwardClientCertDetails`. '
    + 'TLS passthrough as a Gateway server of protocol TLS (mode PASSTHROUGH) and a VirtualService `tls` route by `sniHosts`, TCP as a server of protocol TCP and a `tcp` route by port '
    + '(the gateway workload\'s Service must expose those ports). '
    + 'The JWT, client IP list and external authentication policies live in the Gateway\'s namespace, and Istio applies them to the gateway pods of that namespace only '
    + '(every namespace from the root namespace): with them a created Gateway must name the namespace where its workload runs.',
};
