import { Construct } from 'constructs';
import { Backend } from './backend';
import { ExposureStrategy } from './exposure-strategy';
import { buildIntent } from './intent/build';
import { checkCapabilities } from './intent/check-capabilities';
import { registerClaims, registerObjectNames } from './intent/conflicts';
import { throwIfProblems } from './intent/errors';
import { RouteProps, TrafficPolicy } from './route';
import { ExposedResources, StrategyRenderer } from './strategies/renderer';
import { Tls } from './tls';

/** The one declaration of how a service is exposed. */
export interface ExposedServiceProps extends TrafficPolicy {
  /**
   * What is synthesized: `ExposureStrategy.nodePort()`, `.loadBalancer()`, `.ingress({ className })`, ...
   * @example strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' })
   */
  readonly strategy: ExposureStrategy;

  /**
   * Hostnames the exposure answers for (RFC 1123, lowercase; a wildcard only as a leading `*.`).
   * @default - every host
   * @example hosts: ['shop.example.com', '*.shop.example.com']
   */
  readonly hosts?: string[];

  /**
   * Where requests go unless a route says otherwise.
   * @default - none; then every route sets `backend`, `backends` or `redirect`
   * @example backend: Backend.fromDeployment(api, { port: 8080 })
   */
  readonly backend?: Backend;

  /**
   * Routes. When several match a request, the most specific wins: exact path over prefix, longer
   * prefix over shorter, then method, headers and query parameters (the Ingress and Gateway API
   * precedence; the Istio rendering orders routes so).
   * @default - one route taking every request (PathMatch.prefix('/')) to `backend`
   * @example routes: [{ match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080) }]
   */
  readonly routes?: RouteProps[];

  /**
   * TLS for `hosts`.
   * @default - plain HTTP
   * @example tls: Tls.certManager({ clusterIssuer: 'letsencrypt' })
   */
  readonly tls?: Tls;
}

/**
 * Exposes a service: hosts, routes, backends, TLS and policies, synthesized as the resources of
 * the chosen strategy. Declaring a feature the strategy cannot express fails synth with an error
 * naming the construct path, the field and the strategies that can.
 */
export class ExposedService extends Construct {
  /** The objects the strategy synthesized (escape hatches). */
  public readonly resources: ExposedResources;

  /** The name of the strategy that rendered this exposure (`ingress`, `nodePort`, ...). */
  public readonly strategyName: string;

  /**
   * The Services outside this app that the exposure routes to (`Backend.fromName`).
   * @internal
   */
  public readonly _externalServices: readonly { readonly name: string; readonly namespace?: string; readonly port: number }[];

  /** @internal */
  public readonly _renderer: StrategyRenderer;

  constructor(scope: Construct, id: string, props: ExposedServiceProps) {
    super(scope, id);
    const renderer = props.strategy._renderer;
    this._renderer = renderer;
    this.strategyName = renderer.name;
    throwIfProblems(this, renderer.problems.map((message) => ({ field: 'strategy', message })));
    // Copies everything it keeps: a later edit of the props does not reach the YAML.
    const intent = buildIntent(this, props);
    checkCapabilities(this, intent, renderer.name, renderer.capabilities);
    registerClaims(this, intent, renderer.claims(intent));
    this.resources = renderer.render(this, intent);
    registerObjectNames(this);
    // The intent is not kept: once rendered it is garbage, and thousands of exposures would hold
    // thousands of intents (BENCHMARKS.md).
    this._externalServices = intent.backends.filter((b) => b.origin === 'name').map(({ name, namespace, port }) => ({ name, namespace, port }));
  }
}
