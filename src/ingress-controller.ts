import { GENERIC_DIALECT, IngressDialect } from './strategies/ingress/dialect';
import { INGRESS_NGINX_DIALECT } from './strategies/ingress/ingress-nginx';

/**
 * Which Ingress controller reads the Ingress, and so which annotations carry the features the
 * Ingress v1 spec lacks.
 */
export class IngressController {
  /** Any controller: only the Ingress v1 spec (hosts, paths, TLS). */
  public static generic(): IngressController {
    return new IngressController(GENERIC_DIALECT);
  }

  /**
   * ingress-nginx: rewrites, redirects, CORS, timeouts, retries, canary weights, rate limits,
   * mirroring and basic auth through its annotations.
   *
   * ingress-nginx was retired in March 2026 (no more releases or security fixes). To move off it,
   * change the strategy to `ExposureStrategy.gatewayApi(...)`: the declaration stays the same.
   */
  public static ingressNginx(): IngressController {
    return new IngressController(INGRESS_NGINX_DIALECT);
  }

  private constructor(/** @internal */ public readonly _dialect: IngressDialect) {}
}
