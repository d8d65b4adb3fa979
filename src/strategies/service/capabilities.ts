import { Capabilities, every, StrategyCapabilities } from '../../intent/capabilities';

/** A Service routes L4 connections to one backend's pods: nothing else (gRPC is just TCP to it). */
const SERVICE: Capabilities = {
  ...every('none'),
  'grpc': 'native',
  // kube-proxy keeps a client address on one pod (sessionAffinity: ClientIP); it reads no cookie or header.
  'affinity-client-ip': 'native',
};

/**
 * A LoadBalancer also restricts its clients (`loadBalancerSourceRanges`, enforced by the cloud's
 * load balancer or kube-proxy): an allow list, without exceptions. A NodePort ignores that field.
 */
const LOAD_BALANCER: Capabilities = { ...SERVICE, 'ip-allow-list': 'native' };

export const NODE_PORT_ROW: StrategyCapabilities = {
  strategy: 'nodePort',
  capabilities: SERVICE,
  notes: 'Client IP affinity as `sessionAffinity: ClientIP` (kube-proxy, 3 hours by default).',
};
export const LOAD_BALANCER_ROW: StrategyCapabilities = {
  strategy: 'loadBalancer',
  capabilities: LOAD_BALANCER,
  notes: 'Client IP allow lists as `loadBalancerSourceRanges` (enforced by the load balancer; no deny list); client IP affinity as `sessionAffinity: ClientIP` (kube-proxy, 3 hours by default).',
};
