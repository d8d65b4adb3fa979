import { object, optional, required, Shape } from './core/runtime-shape';
import { describeValue } from './core/runtime-types';
import { ApiGatewayRenderer } from './strategies/api-gateway/api-gateway';
import { ApiGatewayEngine } from './strategies/api-gateway/api-gateway-engine';
import { GatewayMonitoring, MONITORING_SHAPE } from './strategies/api-gateway/monitoring';
import { GatewayWorkloadOptions, WORKLOAD_OPTIONS_FIELDS } from './strategies/api-gateway/workload';
import { StrategyRenderer } from './strategies/contract';
import { GATEWAY_API_OPTIONS_SHAPE, GatewayApiRenderer, GatewayApiStrategyOptions } from './strategies/gateway-api/gateway-api';
import { IngressRenderer } from './strategies/ingress/ingress';
import { INGRESS_OPTIONS_SHAPE, IngressController, IngressStrategyOptions } from './strategies/ingress/ingress-controller';
import { IstioRenderer, IstioStrategyOptions } from './strategies/istio/istio';
import { ISTIO_OPTIONS_SHAPE } from './strategies/istio/istio-options';
import { LoadBalancerStrategyOptions, NodePortStrategyOptions, ServiceRenderer } from './strategies/service/service';
import { invalidStrategy } from './strategies/shared/invalid-strategy';
import { optionProblems, requiredOptionsProblem } from './strategies/shared/option-shapes';
import { candidatesRenderer } from './strategy-choice';

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
  /**
   * Prometheus metrics of the gateway per route, consumer and status (on a metrics Service of
   * their own), with an optional ServiceMonitor and alerts (prometheus-operator).
   * @default - no metrics port, no ServiceMonitor, no alerts
   * @example monitoring: { serviceMonitor: true, alerts: { errorRatio: 0.01, latencyP99: Duration.millis(300) } }
   */
  readonly monitoring?: GatewayMonitoring;
}

const API_GATEWAY_OPTIONS_SHAPE = object('the options of ExposureStrategy.apiGateway', {
  ...WORKLOAD_OPTIONS_FIELDS,
  engine: required({ kind: 'instance', is: (v) => v instanceof ApiGatewayEngine, use: 'ApiGatewayEngine.nginx() or ApiGatewayEngine.kong()' }),
  exposedVia: optional({ kind: 'instance', is: (v) => v instanceof ExposureStrategy, use: 'another ExposureStrategy, e.g. ExposureStrategy.gatewayApi(...)' }),
  monitoring: optional(MONITORING_SHAPE),
});

/**
 * A strategy that only reports its options' problems, when they are not what the factory takes
 * (a JavaScript caller may pass anything); undefined when they are.
 */
function optionsOf(name: string, options: unknown, shape: Shape): ExposureStrategy | undefined {
  const notAnObject = requiredOptionsProblem(options);
  const problems = notAnObject !== undefined ? [notAnObject] : optionProblems(options, shape);
  // eslint-disable-next-line @typescript-eslint/no-use-before-define
  return problems.length === 0 ? undefined : ExposureStrategy._invalid(name, problems);
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
    const types = optionsOf('ingress', options, INGRESS_OPTIONS_SHAPE);
    if (types) return types;
    const controller = options.controller ?? IngressController.generic();
    return new ExposureStrategy(new IngressRenderer(options.className, controller._dialect));
  }

  /**
   * Istio: a Gateway (ports, TLS) and a VirtualService bound to it that carries all L7 routing,
   * with DestinationRules for subsets and JWT through RequestAuthentication/AuthorizationPolicy.
   */
  public static istio(options: IstioStrategyOptions = {}): ExposureStrategy {
    const types = options === undefined ? undefined : optionsOf('istio', options, ISTIO_OPTIONS_SHAPE);
    if (types) return types;
    return new ExposureStrategy(new IstioRenderer(options));
  }

  /**
   * Gateway API: a Gateway (or a parentRef to an existing one) and an HTTPRoute, for any
   * implementation. The way off ingress-nginx: keep the declaration, change this one prop.
   */
  public static gatewayApi(options: GatewayApiStrategyOptions): ExposureStrategy {
    const types = optionsOf('gatewayApi', options, GATEWAY_API_OPTIONS_SHAPE);
    if (types) return types;
    return new ExposureStrategy(new GatewayApiRenderer(options));
  }

  /**
   * An API gateway deployed for the exposure: API keys, basic auth, rate limits, CORS, caching and
   * per-consumer usage logs on top of routing, exposed itself by `exposedVia`.
   */
  public static apiGateway(options: ApiGatewayStrategyOptions): ExposureStrategy {
    const types = optionsOf('apiGateway', options, API_GATEWAY_OPTIONS_SHAPE);
    if (types) return types;
    const { engine, exposedVia, monitoring, ...workload } = options;
    // The gateway's front is one strategy: a choice between fronts is a choice between gateways.
    if (exposedVia?._candidates !== undefined) {
      return ExposureStrategy._invalid('apiGateway', ['exposedVia is ExposureStrategy.firstOf(...); choose between whole gateways instead: '
        + 'ExposureStrategy.firstOf(ExposureStrategy.apiGateway({ ..., exposedVia: a }), ExposureStrategy.apiGateway({ ..., exposedVia: b }))']);
    }
    return new ExposureStrategy(new ApiGatewayRenderer(engine._engine, exposedVia?._renderer, workload,
      (port) => ServiceRenderer.loadBalancer({ port }), monitoring));
  }

  /**
   * Per exposure, the first of `strategies` that can express it: the first whose capability row,
   * own checks and front (an API gateway's `exposedVia`) refuse nothing of the declaration. The
   * choice weighs only these; conflicts with other exposures of the app (a host and path already
   * claimed, a shared Gateway's listeners) are checked after it, for the chosen candidate alone, and
   * fail synth as they would with that strategy alone: the next candidate is not tried. The exposure
   * renders with it (its claims, shared objects and front are the chosen one's), its `strategyName`
   * is the chosen one's, and every object it renders carries the annotation `cdk8s-expose/strategy`
   * naming the choice. When none can, synth fails with every candidate's problems, each prefixed
   * with the candidate (`firstOf[1] istio: ...`).
   *
   * Not a column of the capability matrix: it expresses exactly what the candidate it picks does,
   * which depends on the exposure; `advise()` shows which candidate each exposure gets.
   *
   * @param strategies the candidates, in order of preference; at least one, none of them a `firstOf`
   * @example ExposureStrategy.firstOf(ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }), ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }))
   */
  public static firstOf(...strategies: ExposureStrategy[]): ExposureStrategy {
    const candidates: unknown[] = strategies;
    const name = `firstOf(${candidates.map((c) => (c instanceof ExposureStrategy ? c.name : describeValue(c))).join(', ')})`;
    const problems = candidates.length === 0
      ? ['ExposureStrategy.firstOf has no candidates; list the strategies to choose from, in order of preference']
      : candidates.flatMap((c, i) => {
        if (!(c instanceof ExposureStrategy)) {
          return [`firstOf[${i}] is ${describeValue(c)}; use ExposureStrategy.nodePort(), .loadBalancer(), .ingress(...), .istio(), .gatewayApi(...) or .apiGateway(...)`];
        }
        if (c._candidates !== undefined) return [`firstOf[${i}] is itself ExposureStrategy.firstOf(...); list its candidates in this one`];
        return c._renderer.problems.map((p) => `firstOf[${i}] ${c.name}: ${p}`);
      });
    if (problems.length > 0) return ExposureStrategy._invalid(name, problems);
    const renderers = strategies.map((s) => s._renderer);
    return new ExposureStrategy(candidatesRenderer(name), renderers);
  }

  /**
   * A strategy that reports the problems of its options and renders nothing.
   * @internal
   */
  public static _invalid(name: string, problems: readonly string[]): ExposureStrategy {
    return new ExposureStrategy(invalidStrategy(name, problems));
  }

  /** @internal */
  public readonly _renderer: StrategyRenderer;

  /**
   * The candidates of `firstOf`, in order: the exposure renders with the first that can express it.
   * @internal
   */
  public readonly _candidates?: readonly StrategyRenderer[];

  private constructor(renderer: StrategyRenderer, candidates?: readonly StrategyRenderer[]) {
    this._renderer = renderer;
    this._candidates = candidates;
  }

  /** The strategy's name, as in errors and the capability table. */
  public get name(): string {
    return this._renderer.name;
  }
}
