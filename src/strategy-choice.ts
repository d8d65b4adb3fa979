/**
 * The choice of `ExposureStrategy.firstOf`: per exposure, the first candidate that can express it,
 * judged by the evaluation synth uses for a single strategy (capability row, the strategy's checks,
 * its front's). Conflicts with other exposures (claims, what `share()` adds to shared objects) are
 * not weighed: they are checked by registering app-wide state, which a candidate that is not chosen
 * must not leave behind, so the exposure checks them after the choice, for the chosen candidate.
 */
import { IConstruct } from 'constructs';
import { Problem } from './core/errors';
import { every } from './intent/capabilities';
import { ExposureIntent } from './intent/model';
import { StrategyRenderer } from './strategies/contract';
import { evaluateStrategy, evaluationProblems, StrategyEvaluation, strategyLabel } from './strategy-evaluation';

/** The annotation naming the candidate `firstOf` chose, on every object the exposure renders. */
export const CHOSEN_STRATEGY_ANNOTATION = 'cdk8s-expose/strategy';

/** The candidate chosen, or every candidate's problems when none can express the intent. */
export type StrategyChoice =
  | { readonly chosen: true; readonly renderer: StrategyRenderer; readonly evaluation: StrategyEvaluation; readonly label: string }
  | { readonly chosen: false; readonly problems: readonly Problem[] };

/**
 * The first of `candidates` that can express `intent`. When none can, every candidate's problems,
 * each under its own field and prefixed with the candidate (`firstOf[1] istio: ...`), after one
 * line under `strategy` that names them all.
 */
export function chooseStrategy(scope: IConstruct, candidates: readonly StrategyRenderer[], intent: ExposureIntent): StrategyChoice {
  const evaluations = [];
  for (const renderer of candidates) {
    const evaluation = evaluateStrategy(scope, renderer, intent);
    // Later candidates are not evaluated: the first that fits is the choice.
    if (evaluationProblems(evaluation).length === 0) return { chosen: true, renderer, evaluation, label: strategyLabel(renderer, evaluation) };
    evaluations.push({ renderer, evaluation });
  }
  const labels = evaluations.map(({ renderer, evaluation }, i) => `firstOf[${i}] ${strategyLabel(renderer, evaluation)}`);
  return {
    chosen: false,
    problems: [
      { field: 'strategy', message: `no candidate of ExposureStrategy.firstOf can express the exposure: ${labels.join(', ')}` },
      ...evaluations.flatMap(({ evaluation }, i) => evaluationProblems(evaluation).map((p) => ({ field: p.field, message: `${labels[i]}: ${p.message}` }))),
    ],
  };
}

/**
 * The renderer `firstOf` stands on until the exposure's intent is known: the exposure evaluates the
 * candidates and renders with the chosen one's renderer, never with this one.
 */
export function candidatesRenderer(name: string): StrategyRenderer {
  return {
    name,
    capabilities: every('native'),
    problems: [],
    references: [],
    check: (): Problem[] => [],
    claims: () => undefined,
    render: (): object => {
      throw new Error(`${name}: rendered itself instead of the candidate it chose`);
    },
  };
}
