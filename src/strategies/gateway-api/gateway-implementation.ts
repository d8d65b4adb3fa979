import { ENVOY_GATEWAY } from './implementations/envoy-gateway';
import { GatewayApiImplementation } from './implementations/implementation';
import { KONG } from './implementations/kong';

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
   * The Kong Ingress Controller 3.x with Kong Gateway 3.x OSS (`configuration.konghq.com/v1`):
   * rate limits, client IP lists, the body size, CORS, API keys, basic auth and JWT as KongPlugins
   * that each HTTPRoute rule references by `ExtensionRef` filters, and a KongConsumer per
   * credential Secret. The Secrets are read as KIC reads them: labelled `konghq.com/credential`,
   * one credential each (see the README).
   */
  public static kong(): GatewayImplementation {
    return new GatewayImplementation(KONG);
  }

  /** @internal */
  public readonly _implementation: GatewayApiImplementation;

  private constructor(implementation: GatewayApiImplementation) {
    this._implementation = implementation;
  }
}
