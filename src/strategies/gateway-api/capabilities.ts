import { Capabilities, every, StrategyCapabilities } from '../../intent/capabilities';

/** Gateway API, standard channel: routing and header edits are core or extended features. */
const GATEWAY_API: Capabilities = {
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
  'mirror': 'native',
  'cors': 'native',
};

/** Gateway API, experimental channel: adds retries. */
const GATEWAY_API_EXPERIMENTAL: Capabilities = { ...GATEWAY_API, retries: 'native' };

export const GATEWAY_API_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi',
  capabilities: GATEWAY_API,
  notes: 'Gateway API `gateway.networking.k8s.io/v1` standard channel (v1.6): Gateway (or a parentRef to an existing one) + HTTPRoute (+ ReferenceGrant `v1beta1` across namespaces); any implementation.',
};

export const GATEWAY_API_EXPERIMENTAL_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi (experimental)',
  capabilities: GATEWAY_API_EXPERIMENTAL,
  variantOf: 'gatewayApi',
  notes: '`gatewayApi({ experimental: true })`: the experimental channel CRDs must be installed in the cluster.',
};
