import { Capabilities, StrategyCapabilities, strategiesSupporting } from './capabilities';
import { declaredFeatures } from './features';
import { ExposureIntent } from './model';
import { Problem } from '../core/errors';

/**
 * The features the intent declares that the strategy cannot express, each naming its field and
 * the strategies (rows of `matrix`) that can: nothing is dropped silently.
 */
export function capabilityProblems(intent: ExposureIntent, strategy: string, capabilities: Capabilities,
  matrix: readonly StrategyCapabilities[]): Problem[] {
  return declaredFeatures(intent)
    .filter((d) => capabilities[d.feature] === 'none')
    .map((d) => {
      const others = strategiesSupporting(d.feature, matrix);
      return {
        field: d.field,
        message: `'${d.feature}' is not supported by ${strategy}; supported by: ${others.length > 0 ? others.join(', ') : 'no strategy yet'}`,
      };
    });
}
