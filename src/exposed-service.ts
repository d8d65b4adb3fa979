import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { isAdvising, recordAdvice } from './advise-mode';
import { throwIfProblems } from './core/errors';
import { describeValue } from './core/runtime-types';
import { ExposureDeclaration } from './declaration/exposure';
import { ExposedResources } from './exposed-resources';
import { adviseExposure } from './exposure-advice';
import { ExposureStrategy } from './exposure-strategy';
import { buildIntent, BuiltIntent } from './intent/build';
import { Claims, registerClaims, registerDeploymentPorts, registerObjectNames } from './intent/conflicts';
import { ExposureIntent } from './intent/model';
import { shapeProblems } from './intent/shape';
import { ExternalReference, Front, StrategyRenderer } from './strategies/contract';
import { isShared } from './strategies/shared/shared-objects';
import { defaultCandidates } from './strategy-candidates';
import { CHOSEN_STRATEGY_ANNOTATION, chooseStrategy } from './strategy-choice';
import { evaluateStrategy, StrategyEvaluation } from './strategy-evaluation';

/** The one declaration of how a service is exposed, and the strategy that synthesizes it. */
export interface ExposedServiceProps extends ExposureDeclaration {
  /**
   * What is synthesized: `ExposureStrategy.nodePort()`, `.loadBalancer()`, `.ingress({ className })`, ...
   * @example strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' })
   */
  readonly strategy: ExposureStrategy;
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
   * The objects the exposure routes or attaches to without creating them: Services declared with
   * `Backend.fromName`, and existing Gateways. They must exist in the cluster (for review, and
   * for checks that every reference of the output resolves).
   */
  public readonly externalReferences: readonly ExternalReference[];

  /**
   * The declaration, validated for types, that the strategy advisor weighs against every candidate.
   * @internal
   */
  public readonly _declaration: ExposedServiceProps;

  /**
   * Declares the exposure and synthesizes the strategy's objects under this construct.
   * @param scope the chart (or a construct in it); the chart's namespace is the exposure's
   * @param id the construct id; object names derive from the construct path (`shop/public` -> `shop-public`)
   * @param props the declaration and the strategy
   * @throws ExposureError listing every problem of the declaration at once, one line each with the
   * construct path and the field, when it is invalid or the strategy cannot express it; in advise
   * mode (`cdk8s-expose advise`), it records them for the advisor instead and renders nothing
   */
  constructor(scope: Construct, id: string, props: ExposedServiceProps) {
    super(scope, id);
    // Runtime types first (a JavaScript caller may pass anything); then every other problem at
    // once: the strategy's options, the declaration's values, and what the strategy (and its
    // front) cannot express of what was declared.
    const strategy: unknown = (props as Partial<ExposedServiceProps> | undefined)?.strategy;
    throwIfProblems(this, [
      ...(strategy instanceof ExposureStrategy ? [] : [{ field: 'strategy', message: `is ${describeValue(strategy)}; use ExposureStrategy.nodePort(), .loadBalancer(), .ingress(...), .istio(), .gatewayApi(...) or .apiGateway(...)` }]),
      ...shapeProblems(props),
    ]);
    const built = buildIntent(this, props);
    const intent = built.intent;
    const { renderer, evaluation, choice } = this.strategyFor(props.strategy, built);
    this.strategyName = renderer.name;
    const { front, fronted } = evaluation;
    this._declaration = props;
    const problems = [...evaluation.optionProblems, ...built.problems, ...evaluation.refusals];
    if (isAdvising(this)) {
      recordAdvice(adviseExposure(this, props.strategy, built, defaultCandidates()));
      // The advice says what is refused; the exposure renders nothing, and the app goes on to the next.
      if (problems.length > 0) {
        this.resources = {};
        this.externalReferences = [];
        return;
      }
    }
    throwIfProblems(this, problems);
    // Conflicts with other exposures are checked here, after a `firstOf` chose: registering them is
    // app-wide state, which only the chosen candidate may leave.
    registerClaims(this, intent, front && fronted ? frontClaims(front, fronted) : renderer.claims(intent));
    // What the exposure adds to an object shared across exposures (a shared Gateway's listeners).
    throwIfProblems(this, front && fronted ? front.renderer.share?.(this, fronted) ?? [] : renderer.share?.(this, intent) ?? []);
    // The ClusterIP Service of Deployment backends is shared: its ports must agree across exposures.
    if (!renderer.selectsPods) registerDeploymentPorts(this, intent);
    this.resources = render(this, renderer, intent, front, fronted);
    registerObjectNames(this);
    if (choice !== undefined) annotateObjects(this, CHOSEN_STRATEGY_ANNOTATION, choice);
    // The intent is not kept: once rendered it is garbage, and thousands of exposures would hold
    // thousands of intents (BENCHMARKS.md).
    this.externalReferences = [
      ...intent.backends.filter((b) => b.origin === 'name')
        .map(({ name, namespace, port }) => ({ apiGroup: '', kind: 'Service', name, namespace, port })),
      ...renderer.references,
      ...(front?.renderer.references ?? []),
    ];
  }

  /**
   * The strategy that renders the exposure and what it refuses: the declared one, or the candidate
   * `firstOf` chose (with its label). A `firstOf` chooses only on a valid declaration and valid
   * candidates; until then it refuses nothing of its own.
   */
  private strategyFor(strategy: ExposureStrategy, built: BuiltIntent): StrategyInUse {
    const declared = strategy._renderer;
    const candidates = strategy._candidates;
    if (candidates === undefined || built.problems.length > 0) {
      return { renderer: declared, evaluation: evaluateStrategy(this, declared, built.intent) };
    }
    const choice = chooseStrategy(this, candidates, built.intent);
    if (!choice.chosen) return { renderer: declared, evaluation: { optionProblems: [], refusals: choice.problems } };
    return { renderer: choice.renderer, evaluation: choice.evaluation, choice: choice.label };
  }
}

/** The strategy that renders an exposure, what it refuses, and the label of the choice when `firstOf` made one. */
interface StrategyInUse {
  readonly renderer: StrategyRenderer;
  readonly evaluation: StrategyEvaluation;
  readonly choice?: string;
}

/**
 * Annotates every object the exposure rendered (its own and its front's), but those it shares with
 * other exposures (a shared Gateway created under it), which may have chosen otherwise.
 */
function annotateObjects(scope: Construct, key: string, value: string): void {
  for (const object of scope.node.findAll()) {
    if (object instanceof ApiObject && !isShared(object)) object.metadata.addAnnotation(key, value);
  }
}

/**
 * A workload behind a front (an API gateway) takes every path of the exposure's hosts on the
 * front's shared scope: it routes further itself.
 */
function frontClaims(front: Front, fronted: ExposureIntent): Claims | undefined {
  const claims = front.renderer.claims(fronted);
  return claims && { scope: claims.scope, routes: claims.routes.map((r) => ({ ...r, field: 'hosts' })) };
}

/** The strategy's objects, and its front's (under `Front`) merged in: lists concatenated, the strategy's own first. */
function render(scope: Construct, renderer: StrategyRenderer, intent: ExposureIntent, front?: Front, fronted?: ExposureIntent): ExposedResources {
  const own: Record<string, unknown> = { ...renderer.render(scope, intent) };
  if (front === undefined || fronted === undefined) return own;
  const theirs: Record<string, unknown> = { ...front.renderer.render(new Construct(scope, 'Front'), fronted) };
  for (const [key, value] of Object.entries(own)) {
    const other = theirs[key];
    theirs[key] = Array.isArray(value) && Array.isArray(other) ? [...value, ...other] : value ?? other;
  }
  return theirs;
}
