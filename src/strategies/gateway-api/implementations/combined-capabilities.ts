import { Capabilities, Feature, Support } from '../../../intent/capabilities';

/** The union of two rows' capabilities: the channel and the implementation are orthogonal options. */
export function combined(base: Capabilities, extra: Partial<Record<Feature, Support>>): Capabilities {
  const out = { ...base } as Record<Feature, Support>;
  for (const [feature, support] of Object.entries(extra) as [Feature, Support][]) {
    if (support !== 'none') out[feature] = support;
  }
  return out;
}
