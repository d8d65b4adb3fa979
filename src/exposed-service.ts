import { Construct } from 'constructs';
import { Backend } from './backend';
import { ExposureStrategy } from './exposure-strategy';
import { buildIntent } from './intent/build';
import { checkCapabilities } from './intent/check-capabilities';
import { registerClaims } from './intent/conflicts';
import { throwIfProblems } from './intent/errors';
import { ExposureIntent } from './intent/model';
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

  /** @internal */
  public readonly _intent: ExposureIntent;

  /** @internal */
  public readonly _renderer: StrategyRenderer;

  constructor(scope: Construct, id: string, props: ExposedServiceProps) {
    super(scope, id);
    const renderer = props.strategy._renderer;
    this._renderer = renderer;
    this.strategyName = renderer.name;
    throwIfProblems(this, renderer.problems.map((message) => ({ field: 'strategy', message })));
    // Copies everything it keeps: a later edit of the props does not reach the YAML.
    this._intent = buildIntent(this, props);
    checkCapabilities(this, this._intent, renderer.name, renderer.capabilities);
    registerClaims(this, this._intent, renderer.claims(this._intent));
    this.resources = renderer.render(this, this._intent);
  }
}
