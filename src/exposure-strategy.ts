import { ApiGatewayRenderer } from './strategies/api-gateway/api-gateway';
import { ApiGatewayEngine } from './strategies/api-gateway/api-gateway-engine';
import { GatewayWorkloadOptions } from './strategies/api-gateway/workload';
import { StrategyRenderer } from './strategies/contract';
import { GatewayApiRenderer, GatewayApiStrategyOptions } from './strategies/gateway-api/gateway-api';
import { IngressRenderer } from './strategies/ingress/ingress';
import { IngressController, IngressStrategyOptions } from './strategies/ingress/ingress-controller';
import { IstioRenderer, IstioStrategyOptions } from './strategies/istio/istio';
import { LoadBalancerStrategyOptions, NodePortStrategyOptions, ServiceRenderer } from './strategies/service/service';

/**
 * Options for `ExposureStrategy.apiGateway`. They live here, not in the API gateway's folder,
 * because `exposedVia` is another strategy: only this level knows every strategy.
 */
export interface ApiGatewayStrategyOptions extends GatewayWorkloadOptions {
  /**
   * The proxy the gateway runs: `ApiGatewayEngine.nginx()`.
   * @example engine: ApiGatewayEngine.kong()
   */
  readonly engine: ApiGatewayEngine;
  /**
   * How the gateway itself is exposed. Behind a Service (loadBalancer, nodePort) the gateway
   * terminates TLS; behind ingress, istio or gatewayApi that front does.
   * @default ExposureStrategy.loadBalancer() - on port 80, or 443 with TLS
   * @example exposedVia: ExposureStrategy.istio()
   */
  readonly exposedVia?: ExposureStrategy;
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

  /**
   * An API gateway deployed for the exposure: API keys, basic auth, rate limits, CORS, caching and
   * per-consumer usage logs on top of routing, exposed itself by `exposedVia`.
   */
  public static apiGateway(options: ApiGatewayStrategyOptions): ExposureStrategy {
    const { engine, exposedVia, ...workload } = options;
    return new ExposureStrategy(new ApiGatewayRenderer(engine._engine, exposedVia?._renderer, workload,
      (port) => ServiceRenderer.loadBalancer({ port })));
  }

  /** @internal */
  public readonly _renderer: StrategyRenderer;

  private constructor(renderer: StrategyRenderer) {
    this._renderer = renderer;
  }

  /** The strategy's name, as in errors and the capability table. */
  public get name(): string {
    return this._renderer.name;
  }
}
