/**
 * Which data plane answers for a set of manifests: the kinds of its routing objects say it.
 */
import { isIngressNginx } from './ingress-nginx';
import { Manifest } from './manifests';
import { DataPlane } from './model';
import { exposedServices } from './service';

const PASS = 'pass { dataPlane: \'service\' | \'ingress\' | \'ingress-nginx\' | \'istio\' | \'gateway-api\' } to say which one answers';

/**
 * HTTPRoute or GRPCRoute: gateway-api; VirtualService: istio; Ingress: ingress-nginx when its
 * class or annotations say so, else the Kubernetes API's semantics; only Services of type
 * NodePort or LoadBalancer: service. Several of them, or none, throw.
 */
export function detectDataPlane(manifests: readonly Manifest[]): DataPlane {
  const found = new Set<DataPlane>();
  for (const m of manifests) {
    if ((m.kind === 'HTTPRoute' || m.kind === 'GRPCRoute') && String(m.apiVersion).startsWith('gateway.networking.k8s.io/')) found.add('gateway-api');
    if (m.kind === 'VirtualService') found.add('istio');
    if (m.kind === 'Ingress') found.add(isIngressNginx(m) ? 'ingress-nginx' : 'ingress');
  }
  if (found.size === 0 && exposedServices(manifests).length > 0) found.add('service');
  if (found.size === 1) return [...found][0];
  if (found.size === 0) {
    throw new Error('route: no Ingress, VirtualService, HTTPRoute, GRPCRoute or Service of type NodePort or LoadBalancer in the manifests: '
      + `pass the chart, the app or the manifests that expose the service, or ${PASS}`);
  }
  throw new Error(`route: the manifests hold the routes of several data planes (${[...found].join(', ')}): ${PASS}`);
}
