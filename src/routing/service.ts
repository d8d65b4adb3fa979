/**
 * The nodePort and loadBalancer strategies: a Service of type NodePort or LoadBalancer answers on
 * its ports (a NodePort Service on its node ports too) and forwards everything, host and path
 * unchanged, to its own endpoints. The backend is the Service and the port the client reached.
 */
import { Manifest, portOf } from './manifests';
import { RouteRequest, RouteResult } from './model';

/** The Services a client outside the cluster reaches. */
export function exposedServices(manifests: readonly Manifest[]): Manifest[] {
  return manifests.filter((m) => m.kind === 'Service' && (m.spec?.type === 'NodePort' || m.spec?.type === 'LoadBalancer'));
}

/** The Service model. */
export function routeByService(manifests: readonly Manifest[], req: RouteRequest): RouteResult {
  const port = portOf(req);
  const answering = exposedServices(manifests).flatMap((s) => ((s.spec?.ports ?? []) as any[])
    .filter((p) => p.port === port || p.nodePort === port).map((p) => ({ s, p })));
  if (answering.length > 1) {
    throw new Error(`route: several Services answer on port ${port} (${answering.map(({ s }) => s.metadata?.name).join(', ')}): `
      + 'each has its own address: pass the manifests of one');
  }
  if (answering.length === 0) {
    return { kind: 'respond', dataPlane: 'service', status: 0, reason: `connection refused: no Service of type NodePort or LoadBalancer on port ${port}` };
  }
  const { s, p } = answering[0];
  const key = `${s.metadata.name}:${p.port}`;
  return { kind: 'forward', dataPlane: 'service', backend: key, backends: { [key]: 1 }, host: req.host, path: req.path };
}
