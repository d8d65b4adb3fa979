/**
 * A Kubernetes Ingress as the API defines it, for any controller
 * (https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types): the rules of
 * the most precise host (exact, then a one-label wildcard, then the rules without a host), then
 * the longest matching path, Exact before Prefix on equal length; Prefix matches element by
 * element. ImplementationSpecific paths are the controller's: the model refuses them.
 */
import { backendKey, hostMatches, Manifest, prefixByElement, splitPath, unread } from './manifests';
import { Forwarded, RouteRequest, RouteResult } from './model';

/** One path of a rule, with the Ingress it belongs to and its field path (for errors). */
export interface IngressPath {
  readonly ingress: Manifest;
  readonly field: string;
  readonly path: string;
  readonly pathType: string;
  readonly backend: any;
}

/** The rules of the Ingresses for the request's host: exact host, else wildcard, else no host. */
export function rulesForHost(ingresses: readonly Manifest[], host: string, singleLabel: boolean): IngressPath[] {
  const all = ingresses.flatMap((ing) => ((ing.spec?.rules ?? []) as any[]).map((rule, i) => ({ ing, rule, i })));
  const exact = all.filter(({ rule }) => rule.host !== undefined && rule.host.toLowerCase() === host);
  const wildcard = all.filter(({ rule }) => rule.host?.startsWith('*.') && hostMatches(rule.host, host, singleLabel));
  const none = all.filter(({ rule }) => rule.host === undefined || rule.host === '');
  const chosen = exact.length > 0 ? exact : wildcard.length > 0 ? wildcard : none;
  return chosen.flatMap(({ ing, rule, i }) => ((rule.http?.paths ?? []) as any[]).map((p, j) => ({
    ingress: ing,
    field: `spec.rules[${i}].http.paths[${j}]`,
    path: p.path ?? '/',
    pathType: p.pathType ?? 'ImplementationSpecific',
    backend: p.backend,
  })));
}

/** `name:port` of an Ingress backend; a resource backend is not a Service, and the model refuses it. */
export function ingressBackendKey(manifests: readonly Manifest[], ingress: Manifest, field: string, backend: any): string {
  if (backend?.service === undefined) throw unread(ingress, `${field}.resource`, 'a resource backend is not a Service: the model routes to Services only');
  return backendKey(manifests, ingress, `${field}.service.port`, backend.service.name, ingress.metadata?.namespace, backend.service.port);
}

/** The generic Ingress model. */
export function routeByIngress(manifests: readonly Manifest[], req: RouteRequest): RouteResult {
  const ingresses = manifests.filter((m) => m.kind === 'Ingress');
  const [path] = splitPath(req.path);
  const paths = rulesForHost(ingresses, req.host, true);
  for (const p of paths) {
    if (p.pathType !== 'Exact' && p.pathType !== 'Prefix') {
      throw unread(p.ingress, `${p.field}.pathType`, `${p.pathType} is controller-specific: the Kubernetes API defines Exact and Prefix only; `
        + 'pass { dataPlane: \'ingress-nginx\' } if ingress-nginx serves it');
    }
  }
  const matching = paths.filter((p) => (p.pathType === 'Exact' ? path === p.path : prefixByElement(p.path, path)));
  const length = (p: IngressPath) => p.path.replace(/\/+$/, '').length;
  matching.sort((a, b) => length(b) - length(a) || (a.pathType === 'Exact' ? 0 : 1) - (b.pathType === 'Exact' ? 0 : 1));
  const best = matching[0];
  if (best !== undefined) return forward(manifests, best.ingress, `${best.field}.backend`, best.backend, req);
  const withDefault = ingresses.find((i) => i.spec?.defaultBackend !== undefined);
  if (withDefault !== undefined) return forward(manifests, withDefault, 'spec.defaultBackend', withDefault.spec.defaultBackend, req);
  return { kind: 'respond', dataPlane: 'ingress', status: 404, reason: 'no route' };
}

function forward(manifests: readonly Manifest[], ingress: Manifest, field: string, backend: any, req: RouteRequest): Forwarded {
  const key = ingressBackendKey(manifests, ingress, field, backend);
  return { kind: 'forward', dataPlane: 'ingress', backend: key, backends: { [key]: 1 }, host: req.host, path: req.path };
}
