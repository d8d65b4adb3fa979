import { object, optional, required, STRING } from '../../core/runtime-shape';
import { dnsLabelProblem, dnsSubdomainProblem, problemsOf } from '../../core/validators';
import { optionProblems, requiredOptionsProblem } from '../shared/option-shapes';

/** Options for `GatewayApiGateway.create`. */
export interface GatewayApiGatewayCreateOptions {
  /**
   * The GatewayClass of the Gateway (e.g. `istio`, `eg` for Envoy Gateway, `cilium`, `nginx`).
   * @example GatewayApiGateway.create({ gatewayClassName: 'eg' })
   */
  readonly gatewayClassName: string;
  /**
   * The Gateway's name.
   * @default - the gatewayClassName
   * @example GatewayApiGateway.create({ gatewayClassName: 'eg', name: 'public' })
   */
  readonly name?: string;
  /**
   * The Gateway's namespace. Exposures of other namespaces attach to it only when it is set:
   * each listener of theirs admits the routes of their namespace alone.
   * @default - the namespace of the first exposure that attaches to it
   * @example GatewayApiGateway.create({ gatewayClassName: 'eg', namespace: 'infra' })
   */
  readonly namespace?: string;
}

/** What a shared Gateway is (internal). */
export interface GatewayApiGatewayConfig {
  readonly gatewayClassName: string;
  readonly name: string;
  readonly namespace?: string;
}

const CREATE_OPTIONS = object('the options of GatewayApiGateway.create', {
  gatewayClassName: required(STRING), name: optional(STRING), namespace: optional(STRING),
});

/**
 * A Gateway API Gateway that many exposures share (one load balancer): pass the same value as
 * `gateway` to each of them. It is synthesized once per app, in the chart of the first exposure
 * that attaches to it; each exposure adds the listeners of its hosts (HTTP :80, HTTPS :443 with
 * its TLS Secret) and of its streams, named after the exposure, and attaches its routes to them.
 */
export class GatewayApiGateway {
  /** A Gateway of `gatewayClassName` that the exposures given it as `gateway` share. */
  public static create(options: GatewayApiGatewayCreateOptions): GatewayApiGateway {
    const types = problemsOf(requiredOptionsProblem(options, 'gateway options'));
    if (types.length === 0) types.push(...optionProblems(options, CREATE_OPTIONS, 'gateway options'));
    if (types.length > 0) return new GatewayApiGateway({ gatewayClassName: '', name: '' }, types);
    const name = options.name ?? options.gatewayClassName;
    return new GatewayApiGateway({ gatewayClassName: options.gatewayClassName, name, namespace: options.namespace }, problemsOf(
      dnsSubdomainProblem(options.gatewayClassName, 'gatewayClassName'),
      dnsSubdomainProblem(name, 'gateway name'),
      options.namespace === undefined ? undefined : dnsLabelProblem(options.namespace, 'gateway namespace'),
    ));
  }

  /** @internal */
  public readonly _config: GatewayApiGatewayConfig;

  /** @internal */
  public readonly _problems: readonly string[];

  private constructor(config: GatewayApiGatewayConfig, problems: readonly string[]) {
    this._config = config;
    this._problems = problems;
  }
}
