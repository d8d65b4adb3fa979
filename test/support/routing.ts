/**
 * Where a request goes, read off synthesized manifests: a small model of how each data plane
 * picks a route, for tests that compare strategies on the same requests.
 */
import { Manifest } from './schema';

export interface Request {
  readonly host: string;
  readonly path: string;
}

/** `name:port` of the backend a request reaches, `redirect` for a redirect, or undefined (404). */
export type Outcome = string | undefined;

/** Istio's handling of an Ingress: exact paths first, then prefixes, longest first; prefixes are string prefixes. */
export function routeByIngress(manifests: readonly Manifest[], req: Request): Outcome {
  const candidates = manifests.filter((m) => m.kind === 'Ingress').flatMap((ing) => (ing.spec.rules ?? [])
    .filter((r: any) => r.host === undefined || hostMatches(r.host, req.host))
    .flatMap((r: any) => r.http.paths));
  const matching = candidates.filter((p: any) => (p.pathType === 'Exact' ? req.path === p.path : req.path.startsWith(p.path)));
  matching.sort((a: any, b: any) => (a.pathType === 'Exact' ? 0 : 1) - (b.pathType === 'Exact' ? 0 : 1) || b.path.length - a.path.length);
  const best = matching[0];
  return best && `${best.backend.service.name}:${best.backend.service.port.number}`;
}

/** A VirtualService: the first http entry whose match holds; destinations by short name. */
export function routeByVirtualService(manifests: readonly Manifest[], req: Request): Outcome {
  for (const vs of manifests.filter((m) => m.kind === 'VirtualService')) {
    if (!(vs.spec.hosts ?? []).some((h: string) => hostMatches(h, req.host))) continue;
    for (const http of vs.spec.http ?? []) {
      const uriMatches = (http.match ?? [{}]).some((m: any) => {
        const uri = m.uri;
        if (uri === undefined) return true;
        if (uri.exact !== undefined) return req.path === uri.exact;
        if (uri.prefix !== undefined) return req.path.startsWith(uri.prefix);
        return new RegExp(`^(?:${uri.regex})$`).test(req.path);
      });
      if (!uriMatches) continue;
      if (http.redirect) return 'redirect';
      const d = http.route[0].destination;
      return `${d.host.split('.')[0]}:${d.port.number}`;
    }
  }
  return undefined;
}

function hostMatches(pattern: string, host: string): boolean {
  return pattern === '*' || pattern === host || (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)));
}
