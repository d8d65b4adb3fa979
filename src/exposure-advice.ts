/**
 * What the advisor says of one exposure: for each candidate strategy, whether it can express the
 * exposure and, if not, the problems synth with it would report, word for word.
 */
import { IConstruct } from 'constructs';
import { distinctProblems, formatProblem, Problem } from './core/errors';
import { ExposureStrategy } from './exposure-strategy';
import { BuiltIntent } from './intent/build';
import { chooseStrategy } from './strategy-choice';
import { evaluateStrategy, evaluationProblems, strategyLabel } from './strategy-evaluation';

/** One candidate strategy for one exposure. */
export interface StrategyAdvice {
  /**
   * The strategy as errors name it; an API gateway with its front.
   * @example 'apiGateway (nginx) via loadBalancer'
   */
  readonly strategy: string;
  /**
   * True when synth with this strategy would succeed (its row, its checks and its front's refuse nothing, and the declaration is valid).
   * @example false
   */
  readonly canExpress: boolean;
  /**
   * What the strategy would refuse, each line as synth's error reads it; empty when it can express the exposure.
   * @example ["ExposedService shop/api: routes[0].retries: 'retries' is not supported by gatewayApi; supported by: ..."]
   */
  readonly problems: readonly string[];
}

/** The advice for one exposure. */
export interface ExposureAdvice {
  /**
   * The construct path of the ExposedService.
   * @example 'shop/api'
   */
  readonly path: string;
  /**
   * The name of the strategy the exposure declares.
   * @example 'firstOf(gatewayApi, apiGateway (nginx))'
   */
  readonly strategy: string;
  /**
   * The strategy the exposure renders with, as the candidates are named: the declared one, or the
   * candidate `firstOf` chose.
   * @default - undefined when the declared strategy refuses the exposure (an app run in advise mode)
   * @example 'apiGateway (nginx) via gatewayApi'
   */
  readonly rendersWith?: string;
  /**
   * The declaration's own problems (invalid values), as synth reports them: every strategy fails on them until they are fixed.
   * @example ['ExposedService shop/api: hosts[0]: "API.example.com" has uppercase letters; hostnames are lowercase: "api.example.com"']
   */
  readonly declarationProblems: readonly string[];
  /**
   * Every candidate, in the order given.
   * @example [{ strategy: 'istio', canExpress: true, problems: [] }]
   */
  readonly candidates: readonly StrategyAdvice[];
}

/**
 * The advice for the exposure at `scope`, of the declaration `built` and the strategy it declares,
 * over `candidates`. The judgement is synth's own (`evaluateStrategy`): nothing is rendered or registered.
 */
export function adviseExposure(scope: IConstruct, declared: ExposureStrategy, built: BuiltIntent,
  candidates: readonly ExposureStrategy[]): ExposureAdvice {
  const lines = (problems: readonly Problem[]) => distinctProblems(problems).map((p) => formatProblem(scope, p));
  const declarationProblems = lines(built.problems);
  return {
    path: scope.node.path,
    strategy: declared.name,
    rendersWith: declarationProblems.length > 0 ? undefined : rendersWith(scope, declared, built),
    declarationProblems,
    candidates: candidates.map((candidate) => {
      const evaluation = evaluateStrategy(scope, candidate._renderer, built.intent);
      const problems = lines(evaluationProblems(evaluation));
      const canExpress = problems.length === 0 && declarationProblems.length === 0;
      return { strategy: strategyLabel(candidate._renderer, evaluation), canExpress, problems };
    }),
  };
}

/** The label of the strategy the exposure renders with, if its declared strategy can express it. */
function rendersWith(scope: IConstruct, declared: ExposureStrategy, built: BuiltIntent): string | undefined {
  if (declared._candidates !== undefined) {
    const choice = chooseStrategy(scope, declared._candidates, built.intent);
    return choice.chosen ? choice.label : undefined;
  }
  const evaluation = evaluateStrategy(scope, declared._renderer, built.intent);
  return evaluationProblems(evaluation).length === 0 ? strategyLabel(declared._renderer, evaluation) : undefined;
}
