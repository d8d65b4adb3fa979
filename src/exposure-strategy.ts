import { IngressController } from './ingress-controller';
import { GatewayApiRenderer, GatewayApiStrategyOptions } from './strategies/gateway-api/gateway-api';
import { IngressRenderer } from './strategies/ingress/ingress';
import { IstioRenderer, IstioStrategyOptions } from './strategies/istio/istio';
import { StrategyRenderer } from './strategies/renderer';
import { LoadBalancerStrategyOptions, NodePortStrategyOptions, ServiceRenderer } from './strategies/service';

/** Options for `ExposureStrategy.ingress`. */
export interface IngressStrategyOptions {
  /** The IngressClass (`spec.ingressClassName`), e.g. `nginx`, `istio`, `traefik`. */
  readonly className: string;
  /**
   * The controller behind the class, which decides what annotations can express.
   * @default IngressController.generic() - the Ingress v1 spec only
   */
  readonly controller?: IngressController;
}

/**
 * How the service is exposed: the one prop of an ExposedService that changes between
 * environments. Each factory takes that strategy's own options.
 */
export class ExposureStrategy {
  /** A NodePort Service: every node forwards a port to the backend's pods (L4 only). */
  public static nodePort(options: NodePortStrategyOptions = {}): ExposureStrategy {
    return new ExposureStrategy(ServiceRenderer.nodePort(options));
  }

  /** A LoadBalancer Service: the cloud's load balancer forwards to the backend's pods (L4 only). */
  public static loadBalancer(options: LoadBalancerStrategyOptions = {}): ExposureStrategy {
    return new ExposureStrategy(ServiceRenderer.loadBalancer(options));
  }

  /** An Ingress `networking.k8s.io/v1` for an Ingress controller. */
  public static ingress(options: IngressStrategyOptions): ExposureStrategy {
    const controller = options.controller ?? IngressController.generic();
    return new ExposureStrategy(new IngressRenderer(options.className, controller._dialect));
  }

  /**
   * Istio: a Gateway (ports, TLS) and a VirtualService bound to it that carries all L7 routing,
   * with DestinationRules for subsets and JWT through RequestAuthentication/AuthorizationPolicy.
   */
  public static istio(options: IstioStrategyOptions = {}): ExposureStrategy {
    return new ExposureStrategy(new IstioRenderer(options));
  }

  /**
   * Gateway API: a Gateway (or a parentRef to an existing one) and an HTTPRoute, for any
   * implementation. The way off ingress-nginx: keep the declaration, change this one prop.
   */
  public static gatewayApi(options: GatewayApiStrategyOptions): ExposureStrategy {
    return new ExposureStrategy(new GatewayApiRenderer(options));
  }

  private constructor(/** @internal */ public readonly _renderer: StrategyRenderer) {}

  /** The strategy's name, as in errors and the capability table. */
  public get name(): string {
    return this._renderer.name;
  }
}
