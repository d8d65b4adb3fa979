import { Capabilities, every, StrategyCapabilities } from '../../intent/capabilities';

/** Any Ingress controller: the Ingress v1 spec only. */
const INGRESS_GENERIC: Capabilities = {
  ...every('none'),
  'hosts': 'native',
  'tls': 'native',
  'tls-cert-manager': 'annotation',
  'path-routing': 'native',
  'path-exact': 'native',
  'backend-by-name': 'native',
};

/** ingress-nginx: the spec plus what its annotations carry. */
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

export const INGRESS_GENERIC_ROW: StrategyCapabilities = {
  strategy: 'ingress',
  capabilities: INGRESS_GENERIC,
  notes: 'Any Ingress controller; only the Ingress v1 spec (`IngressController.generic()`).',
};

export const INGRESS_NGINX_ROW: StrategyCapabilities = {
  strategy: 'ingress (ingressNginx)',
  capabilities: INGRESS_NGINX,
  variantOf: 'ingress',
  notes: 'ingress-nginx annotations (`IngressController.ingressNginx()`); ingress-nginx was retired in March 2026: `gatewayApi` is the way off it.',
};
