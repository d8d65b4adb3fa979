import type * as envoyGateway from '../../../../imports/envoy-gateway-gateway.envoyproxy.io';

/** The Envoy Gateway L1 classes the implementation constructs. */
export interface EnvoyGatewayKinds {
  readonly BackendTrafficPolicy: typeof envoyGateway.BackendTrafficPolicy;
  readonly SecurityPolicy: typeof envoyGateway.SecurityPolicy;
  readonly BackendTrafficPolicySpecRequestBufferLimit: typeof envoyGateway.BackendTrafficPolicySpecRequestBufferLimit;
}

/**
 * Loads the Envoy Gateway L1 module (`gateway.envoyproxy.io`, generated from the policy kinds
 * rendered only): only exposures that render an Envoy Gateway policy pay for it.
 */
export function loadEnvoyGatewayKinds(): EnvoyGatewayKinds {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../../../imports/envoy-gateway-gateway.envoyproxy.io');
}
