import { Capabilities, every, StrategyCapabilities } from '../../intent/capabilities';

/**
 * A Service routes L4 connections to one backend's pods: nothing else (gRPC and h2c are just TCP
 * to it; its port's `appProtocol: kubernetes.io/h2c` tells load balancers and meshes which HTTP).
 * TCP ports are Service ports; a port carrying TLS is one of them, but routing by SNI is not.
 */
const SERVICE: Capabilities = {
  ...every('none'),
  'grpc': 'native',
  'h2c': 'native',
  'tcp': 'native',
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
  notes: 'Client IP affinity as `sessionAffinity: ClientIP` (kube-proxy, 3 hours by default). '
    + 'TCP ports as more ports of the one Service, to the same backend\'s pods; no routing by SNI (a TLS port to one backend is a TCP port).',
};
export const LOAD_BALANCER_ROW: StrategyCapabilities = {
  strategy: 'loadBalancer',
  capabilities: LOAD_BALANCER,
  notes: 'Client IP allow lists as `loadBalancerSourceRanges` (enforced by the load balancer; no deny list); client IP affinity as `sessionAffinity: ClientIP` (kube-proxy, 3 hours by default). '
    + 'TCP ports as more ports of the one Service, to the same backend\'s pods; no routing by SNI (a TLS port to one backend is a TCP port).',
};
