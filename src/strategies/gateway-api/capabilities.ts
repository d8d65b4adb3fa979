import { Capabilities, every, StrategyCapabilities } from '../../intent/capabilities';

/** Gateway API, standard channel: routing and header edits are core or extended features. */
export const GATEWAY_API: Capabilities = {
  ...every('none'),
  'hosts': 'native',
  'tls': 'native',
  'tls-cert-manager': 'annotation',
  'cross-namespace-secret': 'native',
  'https-redirect-code': 'native',
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
  // GEP-1911: the Service port's appProtocol kubernetes.io/h2c, on the Services the library creates;
  // a Service it does not create is refused by the checks (a route cannot declare it).
  'h2c': 'native',
  // BackendTLSPolicy (standard since v1.4); it always verifies the certificate.
  'backend-tls': 'native',
  'timeout': 'native',
  'rewrite-path': 'native',
  'rewrite-host': 'native',
  'redirect': 'native',
  'request-headers': 'native',
  'response-headers': 'native',
  // Its headers as the ResponseHeaderModifier filter; no filter answers by the date (retire).
  'deprecation': 'native',
  'mirror': 'native',
  'cors': 'native',
  // A created Gateway's spec.tls.frontend.default.validation: a ConfigMap CA, AllowValidOnly.
  'client-certificates': 'native',
  'client-ca-config-map': 'native',
  // No circuit breaking in either channel: XBackendTrafficPolicy (experimental) has only
  // retryConstraint and sessionPersistence; implementations' own policies are not rendered.
  'connection-limits': 'none',
  'outlier-detection': 'none',
  // TLSRoute and TCPRoute are standard (v1) since Gateway API v1.5 and v1.6.
  'tls-passthrough': 'native',
  'tcp': 'native',
};

/** Gateway API, experimental channel: adds retries, the ExternalAuth filter and cookie session persistence. */
export const GATEWAY_API_EXPERIMENTAL: Capabilities = {
  ...GATEWAY_API,
  'retries': 'native',
  'auth-external': 'native',
  // A rule's sessionPersistence (type Cookie). Its type Header is a token the gateway issues, not a
  // hash of a header the client chooses; the client address is not expressible.
  'affinity-cookie': 'native',
};

export const GATEWAY_API_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi',
  capabilities: GATEWAY_API,
  notes: 'Gateway API `gateway.networking.k8s.io/v1` standard channel (v1.6): Gateway (or a parentRef to an existing one) + HTTPRoute (+ ReferenceGrant `v1beta1` across namespaces); any implementation. Client certificates through the created Gateway\'s `spec.tls.frontend.default.validation` (a ConfigMap CA, `AllowValidOnly`; `AllowInsecureFallback` also admits invalid certificates, so optional ones are refused); no header carries the identity in the standard API. '
    + 'TLS passthrough as a TLSRoute on a TLS listener in mode Passthrough, TCP as a TCPRoute on a TCP listener (`v1`: Gateway API v1.6+; the implementation must support them).',
};

export const GATEWAY_API_EXPERIMENTAL_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi (experimental)',
  capabilities: GATEWAY_API_EXPERIMENTAL,
  variantOf: 'gatewayApi',
  notes: '`gatewayApi({ experimental: true })`: the experimental channel CRDs must be installed in the cluster; retries, and external authentication as the HTTPRoute `ExternalAuth` filter (HTTP); cookie affinity as the rule\'s `sessionPersistence` (a `path` refused).',
};
