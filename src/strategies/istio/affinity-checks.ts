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
  // A DestinationRule's load balancer is the whole Service's: its streams would be pinned too.
  const service = (b: { name: string; namespace?: string }) => `${b.namespace ?? intent.namespace ?? ''}/${b.name}`;
  for (const s of intent.streams) {
    const pinned = byHost.get(service(s.backend));
    if (pinned === undefined) continue;
    const route = intent.routes.find((r) => r.affinity !== undefined && r.action.kind === 'forward'
      && r.action.backends.some((b) => service(b.backend) === service(s.backend)));
    problems.push({
      field: route?.sources.affinity ?? 'affinity',
      message: `Istio holds one load balancer per Service, and ${s.field} reaches Service ${service(s.backend).replace(/^\//, '')} too: its connections would be pinned by `
        + `affinity ${describeAffinity(pinned)}; send the stream to another Service, or remove affinity`,
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
