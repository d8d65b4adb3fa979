import { Capabilities, every, StrategyCapabilities } from '../../intent/capabilities';

/** A Service routes L4 connections to one backend's pods: nothing else (gRPC is just TCP to it). */
const SERVICE: Capabilities = { ...every('none'), grpc: 'native' };

export const NODE_PORT_ROW: StrategyCapabilities = { strategy: 'nodePort', capabilities: SERVICE };
export const LOAD_BALANCER_ROW: StrategyCapabilities = { strategy: 'loadBalancer', capabilities: SERVICE };
