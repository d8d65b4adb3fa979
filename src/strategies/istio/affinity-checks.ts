import { affinityOfHost } from './destination-rules';
import { Problem } from '../../core/errors';
import { describeAffinity, ExposureIntent } from '../../intent/model';

/**
 * Istio writes a route's affinity as the `loadBalancer.consistentHash` of its backend's
 * DestinationRule: one per Service host, which every route and port to that Service shares.
 */
export function affinityProblems(intent: ExposureIntent, ctx: { readonly loadBalancer?: string }): Problem[] {
  const problems: Problem[] = [];
  const { byHost, conflicts } = affinityOfHost(intent);
  for (const c of conflicts) {
    problems.push({
      field: c.field,
      message: `declares affinity ${describeAffinity(c.affinity)} for Service ${c.host}, which ${c.otherField} reaches with affinity ${describeAffinity(c.otherAffinity)} `
        + '(another port or subset); Istio holds one load balancer per Service (its DestinationRule): declare the same affinity',
    });
  }
  const declared = new Map<string, string>();
  for (const route of intent.routes) if (route.affinity !== undefined) declared.set(route.sources.affinity!, route.affinity.kind);
  if (ctx.loadBalancer !== undefined && byHost.size > 0) {
    for (const field of declared.keys()) {
      problems.push({
        field,
        message: `Istio writes affinity as the DestinationRule's loadBalancer.consistentHash, and the strategy option trafficPolicy.loadBalancer "${ctx.loadBalancer}" `
          + 'sets the same loadBalancer; remove one of them',
      });
    }
  }
  return problems;
}
