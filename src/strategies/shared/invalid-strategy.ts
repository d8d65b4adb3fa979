import { Construct } from 'constructs';
import { Problem } from '../../core/errors';
import { every } from '../../intent/capabilities';
import { StrategyRenderer } from '../contract';

/**
 * A strategy whose options are not what its factory takes (wrong runtime types): it only reports
 * them, under `strategy`; synth stops there, so it never renders.
 */
export function invalidStrategy(name: string, problems: readonly string[]): StrategyRenderer {
  return {
    name,
    capabilities: every('none'),
    problems,
    references: [],
    check: (): Problem[] => [],
    claims: () => undefined,
    render: (_scope: Construct): object => {
      throw new Error(`${name}: rendered despite the problems of its options`);
    },
  };
}
