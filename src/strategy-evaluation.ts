/**
 * Whether a strategy can express an intent: its capability row, its own checks, and its front's
 * (an API gateway's `exposedVia`). The one evaluation that synth, `ExposureStrategy.firstOf` and
 * the strategy advisor share, so that a strategy refuses the same things everywhere with the same
 * messages.
 */
import { IConstruct } from 'constructs';
import { CAPABILITY_ROWS } from './capability-matrix';
import { Problem } from './core/errors';
import { capabilityProblems } from './intent/capability-check';
import { frontIntent } from './intent/front';
import { ExposureIntent } from './intent/model';
import { Front, StrategyRenderer } from './strategies/contract';

/** What a strategy would refuse of an intent, and its front with the intent the front renders. */
export interface StrategyEvaluation {
  /** The problems of the strategy's own options, under `strategy`. */
  readonly optionProblems: readonly Problem[];
  /** What the strategy (or its front) cannot express of the intent; empty when its options are wrong. */
  readonly refusals: readonly Problem[];
  readonly front?: Front;
  readonly fronted?: ExposureIntent;
}

/** The strategies an API gateway's front can be: every one but the API gateway itself. */
const FRONT_ROWS = CAPABILITY_ROWS.filter((row) => !row.strategy.startsWith('apiGateway'));

/**
 * Evaluates `renderer` on `intent` (built without input problems, or with them: a strategy's
 * refusals are reported beside them). Pure: it registers nothing in the app.
 */
export function evaluateStrategy(scope: IConstruct, renderer: StrategyRenderer, intent: ExposureIntent): StrategyEvaluation {
  const front = renderer.front?.(scope, intent);
  const fronted = front && frontIntent(intent, front.target);
  return {
    front,
    fronted,
    optionProblems: renderer.problems.map((message) => ({ field: 'strategy', message })),
    refusals: [
      // A strategy whose options are wrong is not the one the user meant: what it lacks is moot.
      ...(renderer.problems.length > 0 ? [] : strategyProblems(renderer, intent, renderer.name)),
      ...(front && fronted && front.renderer.problems.length === 0
        ? strategyProblems(front.renderer, fronted, `${front.renderer.name} (exposedVia)`, FRONT_ROWS) : []),
    ],
  };
}

/** Every problem of the evaluation: none when the strategy can express the intent. */
export function evaluationProblems(evaluation: StrategyEvaluation): Problem[] {
  return [...evaluation.optionProblems, ...evaluation.refusals];
}

/** The strategy's name as the advisor and the choice of `firstOf` show it: an API gateway with its front. */
export function strategyLabel(renderer: StrategyRenderer, evaluation: StrategyEvaluation): string {
  return evaluation.front === undefined ? renderer.name : `${renderer.name} via ${evaluation.front.renderer.name}`;
}

/**
 * What `renderer` cannot express in `intent`: its capability row, then its own checks. A refusal
 * names the strategies of `alternatives` that can (for a front, those that can be one).
 */
function strategyProblems(renderer: StrategyRenderer, intent: ExposureIntent, name: string, alternatives = CAPABILITY_ROWS): Problem[] {
  const unsupported = capabilityProblems(intent, name, renderer.capabilities, alternatives);
  // A strategy's own checks assume the features it lacks were refused.
  return unsupported.length > 0 ? unsupported : renderer.check(intent);
}
