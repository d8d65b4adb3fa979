import { IConstruct } from 'constructs';
import { Capabilities, strategiesSupporting } from '../capabilities';
import { throwIfProblems } from './errors';
import { declaredFeatures } from './features';
import { ExposureIntent } from './model';

/**
 * Fails when the intent declares a feature the strategy cannot express, naming every such
 * field and the strategies that can: nothing is dropped silently.
 */
export function checkCapabilities(scope: IConstruct, intent: ExposureIntent, strategy: string, capabilities: Capabilities): void {
  const problems = declaredFeatures(intent)
    .filter((d) => capabilities[d.feature] === 'none')
    .map((d) => {
      const others = strategiesSupporting(d.feature);
      return {
        field: d.field,
        message: `'${d.feature}' is not supported by ${strategy}; supported by: ${others.length > 0 ? others.join(', ') : 'no strategy yet'}`,
      };
    });
  throwIfProblems(scope, problems);
}
