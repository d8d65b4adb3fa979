import type { IngressDialect } from './dialect';
import { Capabilities, every, StrategyCapabilities } from '../../intent/capabilities';

/** Any Ingress controller: the Ingress v1 spec only. */
export const INGRESS_GENERIC: Capabilities = {
  ...every('none'),
  'hosts': 'native',
  'tls': 'native',
  'tls-cert-manager': 'annotation',
  'path-routing': 'native',
  'path-exact': 'native',
  'backend-by-name': 'native',
  // The Ingress spec has no backend protocol; ingress-nginx's backend-protocol has no H2C either
  // (HTTP, HTTPS, AUTO_HTTP, GRPC, GRPCS, FCGI): 'h2c' stays 'none' in both rows.
};

export const INGRESS_GENERIC_ROW: StrategyCapabilities = {
  strategy: 'ingress',
  capabilities: INGRESS_GENERIC,
  notes: 'Any Ingress controller; only the Ingress v1 spec (`IngressController.generic()`).',
};

/**
 * The generic dialect: the Ingress v1 spec only, which every controller reads. Its row says it
 * all: prefix and exact paths to one backend each, nothing the spec lacks.
 */
export const GENERIC_DIALECT: IngressDialect = {
  row: INGRESS_GENERIC_ROW,
  check: () => [],
  exposureProblems: () => [],
  route(route) {
    const { kind, value } = route.match.path;
    if (kind === 'regex') throw new Error('ingress: the capability check let a regex path through to the generic Ingress controller');
    return { path: value, pathType: kind === 'exact' ? 'Exact' : 'Prefix', annotations: {} };
  },
  exposureAnnotations: () => ({}),
  canaryAnnotations() {
    throw new Error('ingress: the capability check let weighted backends through to the generic Ingress controller');
  },
};
