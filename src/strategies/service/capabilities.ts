import { Capabilities, every, StrategyCapabilities } from '../../intent/capabilities';

/**
 * A Service routes L4 connections to one backend's pods: nothing else (gRPC and h2c are just TCP
 * to it; its port's `appProtocol: kubernetes.io/h2c` tells load balancers and meshes which HTTP).
 */
const SERVICE: Capabilities = { ...every('none'), grpc: 'native', h2c: 'native' };

/**
 * A LoadBalancer also restricts its clients (`loadBalancerSourceRanges`, enforced by the cloud's
 * load balancer or kube-proxy): an allow list, without exceptions. A NodePort ignores that field.
 */
const LOAD_BALANCER: Capabilities = { ...SERVICE, 'ip-allow-list': 'native' };

export const NODE_PORT_ROW: StrategyCapabilities = { strategy: 'nodePort', capabilities: SERVICE };
export const LOAD_BALANCER_ROW: StrategyCapabilities = {
  strategy: 'loadBalancer',
  capabilities: LOAD_BALANCER,
  notes: 'Client IP allow lists as `loadBalancerSourceRanges` (enforced by the load balancer; no deny list).',
};
