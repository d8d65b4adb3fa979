import { ENVOY_GATEWAY } from './implementations/envoy-gateway';
import { GatewayApiImplementation } from './implementations/implementation';
import { TRAEFIK } from './implementations/traefik';

/**
 * The Gateway API implementation behind the GatewayClass, and so which of its own policy objects
 * carry what standard Gateway API has no field for (rate limits, authentication, client IP lists,
 * body size). Without one, `gatewayApi` renders the standard API only and refuses those.
 */
export class GatewayImplementation {
  /**
   * Envoy Gateway (`gateway.envoyproxy.io/v1alpha1`, CRDs of v1.9): rate limits and the body
   * size as a BackendTrafficPolicy, client IP lists, basic auth and JWT as a SecurityPolicy,
   * each targeting the HTTPRoute or one rule of it.
   */
  public static envoyGateway(): GatewayImplementation {
    return new GatewayImplementation(ENVOY_GATEWAY);
  }

  /**
   * Traefik v3 (`traefik.io/v1alpha1` Middlewares, CRDs of v3.7) with its Gateway API provider:
   * client IP allow lists, basic auth, rate limits, the body size and retries as Middlewares the
   * route rules reference by `ExtensionRef` filters.
   */
  public static traefik(): GatewayImplementation {
    return new GatewayImplementation(TRAEFIK);
  }

  /** @internal */
  public readonly _implementation: GatewayApiImplementation;

  private constructor(implementation: GatewayApiImplementation) {
    this._implementation = implementation;
  }
}
