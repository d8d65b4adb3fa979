import { IngressDialect } from './dialect';
import { GENERIC_DIALECT } from './generic';
import { INGRESS_NGINX_DIALECT } from './ingress-nginx';
import { object, optional, required, STRING } from '../../core/runtime-shape';

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

  /** @internal */
  public readonly _dialect: IngressDialect;

  private constructor(dialect: IngressDialect) {
    this._dialect = dialect;
  }
}

/** Options for `ExposureStrategy.ingress`. */
export interface IngressStrategyOptions {
  /**
   * The IngressClass (`spec.ingressClassName`), e.g. `nginx`, `istio`, `traefik`.
   * @example ExposureStrategy.ingress({ className: 'nginx' })
   */
  readonly className: string;
  /**
   * The controller behind the class, which decides what annotations can express.
   * @default IngressController.generic() - the Ingress v1 spec only
   * @example ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() })
   */
  readonly controller?: IngressController;
}

/** The runtime shape of `IngressStrategyOptions` (a JavaScript caller may pass anything). */
export const INGRESS_OPTIONS_SHAPE = object('the options of ExposureStrategy.ingress', {
  className: required(STRING),
  controller: optional({ kind: 'instance', is: (v) => v instanceof IngressController, use: 'IngressController.generic() or IngressController.ingressNginx()' }),
});
