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

/** A request with its method, for routes and policies that depend on it. */
export interface MethodRequest extends Request {
  readonly method: string;
}

/** The name of the VirtualService `http` entry that takes a request: the first whose uri and method match. */
export function virtualServiceEntry(manifests: readonly Manifest[], req: MethodRequest): string | undefined {
  for (const vs of manifests.filter((m) => m.kind === 'VirtualService')) {
    if (!(vs.spec.hosts ?? []).some((h: string) => hostMatches(h, req.host))) continue;
    for (const http of vs.spec.http ?? []) {
      const matches = (http.match ?? [{}]).some((m: any) => {
        const uri = m.uri;
        const uriOk = uri === undefined ? true : uri.exact !== undefined ? req.path === uri.exact
          : uri.prefix !== undefined ? req.path.startsWith(uri.prefix) : new RegExp(`^(?:${uri.regex})$`).test(req.path);
        return uriOk && (m.method === undefined || m.method.exact === req.method);
      });
      if (matches) return http.name;
    }
  }
  return undefined;
}

/**
 * The issuers whose token Istio's DENY AuthorizationPolicies require of a request: each rule
 * with an operation that matches it, `from` the principals not of an issuer (`<iss>/*`).
 * Istio string matches: exact, `prefix*`, `*suffix`, `*` (any).
 */
export function issuersRequiredByIstio(manifests: readonly Manifest[], req: MethodRequest): string[] {
  const matchesString = (pattern: string, value: string) => (pattern === '*' ? true
    : pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : pattern.startsWith('*') ? value.endsWith(pattern.slice(1)) : value === pattern);
  const any = (patterns: string[] | undefined, value: string) => patterns !== undefined && patterns.some((p) => matchesString(p, value));
  const issuers = new Set<string>();
  for (const policy of manifests.filter((m) => m.kind === 'AuthorizationPolicy' && m.spec.action === 'DENY')) {
    for (const rule of policy.spec.rules ?? []) {
      const applies = (rule.to ?? [{ operation: {} }]).some(({ operation: o }: any) =>
        (o.hosts === undefined || o.hosts.some((h: string) => hostMatches(h, req.host)))
        && (o.paths === undefined || any(o.paths, req.path)) && !any(o.notPaths, req.path)
        && (o.methods === undefined || o.methods.includes(req.method)) && !(o.notMethods ?? []).includes(req.method));
      if (!applies) continue;
      for (const from of rule.from ?? []) {
        for (const principal of from.source.notRequestPrincipals ?? []) issuers.add(principal.replace(/\/\*$/, ''));
      }
    }
  }
  return [...issuers].sort();
}

function hostMatches(pattern: string, host: string): boolean {
  return pattern === '*' || pattern === host || (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)));
}

/** A request with its scheme, for strategies that redirect HTTP to HTTPS. */
export interface HttpRequest extends Request {
  readonly scheme: 'http' | 'https';
}

/** What a client's request results in, with the policies that apply to it. */
export type Handling =
  | { readonly kind: 'forward'; readonly backends: Readonly<Record<string, number>>; readonly path: string; readonly timeoutMs?: number }
  | { readonly kind: 'redirect'; readonly scheme?: string; readonly host?: string; readonly path: string }
  | { readonly kind: 'not-found' };

const A = 'nginx.ingress.kubernetes.io/';

/** Shares of each backend from relative weights, rounded to 1e-6 so the models compare exactly. */
function shares(entries: [string, number][]): Record<string, number> {
  const total = entries.reduce((a, [, w]) => a + w, 0);
  return Object.fromEntries(entries.map(([k, w]) => [k, Math.round((w / total) * 1e6) / 1e6]));
}

/**
 * ingress-nginx: TLS hosts redirect HTTP to HTTPS (ssl-redirect); exact paths first, then the
 * longest path; Prefix paths are element-wise, regex paths (use-regex) match from the start and
 * case-insensitively; rewrite-target replaces the URI; a canary Ingress for the same host and
 * path takes canary-weight of canary-weight-total.
 */
export function handleByIngressNginx(manifests: readonly Manifest[], req: HttpRequest): Handling {
  const ingresses = manifests.filter((m) => m.kind === 'Ingress');
  const forHost = (ing: Manifest) => (ing.spec.rules ?? []).filter((r: any) => r.host === undefined || hostMatches(r.host, req.host));
  const annotations = (ing: Manifest): Record<string, string> => ing.metadata.annotations ?? {};
  const main = ingresses.filter((i) => annotations(i)[`${A}canary`] !== 'true');

  const tls = main.some((i) => annotations(i)[`${A}ssl-redirect`] === 'true' && (i.spec.tls ?? []).some((t: any) => t.hosts.some((h: string) => hostMatches(h, req.host))));
  if (tls && req.scheme === 'http') return { kind: 'redirect', scheme: 'https', path: req.path };

  const candidates = main.flatMap((ing) => forHost(ing).flatMap((r: any) => r.http.paths.map((p: any) => ({ ing, p }))));
  const matches = candidates.filter(({ p }) => {
    if (p.pathType === 'Exact') return req.path === p.path;
    if (p.pathType === 'Prefix') return p.path === '/' || req.path === p.path || req.path.startsWith(`${p.path.replace(/\/$/, '')}/`);
    return new RegExp(`^${p.path}`, 'i').test(req.path);
  });
  matches.sort((a, b) => (a.p.pathType === 'Exact' ? 0 : 1) - (b.p.pathType === 'Exact' ? 0 : 1) || b.p.path.length - a.p.path.length);
  const best = matches[0];
  if (best === undefined) return { kind: 'not-found' };

  const ann = annotations(best.ing);
  if (ann[`${A}permanent-redirect`]) {
    // The full URL, written literally (nginx would expand a "$", which the annotation validation refuses).
    const url = /^(\w+):\/\/([^/:]+)(?::\d+)?(\/.*)$/.exec(ann[`${A}permanent-redirect`])!;
    return { kind: 'redirect', scheme: url[1], host: url[2], path: url[3] };
  }
  const service = (b: any) => `${b.service.name}:${b.service.port.number}`;
  const canary = ingresses.find((i) => annotations(i)[`${A}canary`] === 'true'
    && forHost(i).some((r: any) => r.http.paths.some((p: any) => p.path === best.p.path)));
  const backends: [string, number][] = [[service(best.p.backend), 1]];
  if (canary) {
    const weight = Number(annotations(canary)[`${A}canary-weight`]);
    const total = Number(annotations(canary)[`${A}canary-weight-total`] ?? 100);
    const canaryPath = forHost(canary).flatMap((r: any) => r.http.paths).find((p: any) => p.path === best.p.path);
    backends.splice(0, 1, [service(best.p.backend), total - weight], [service(canaryPath.backend), weight]);
  }
  let path = req.path;
  const target = ann[`${A}rewrite-target`];
  if (target !== undefined) {
    const m = new RegExp(`^${best.p.pathType === 'Exact' ? best.p.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : best.p.path}`, 'i').exec(req.path)!;
    path = target.replace(/\$(\d)/g, (_s: string, n: string) => m[Number(n)] ?? '');
  }
  const timeout = ann[`${A}proxy-read-timeout`];
  return { kind: 'forward', backends: shares(backends), path, timeoutMs: timeout === undefined ? undefined : Number(timeout) * 1000 };
}

/**
 * Gateway API: the HTTPRoutes attached to a listener of the request's protocol and host;
 * precedence exact path, then longest prefix (element-wise), then regex (matching the whole
 * path); RequestRedirect, URLRewrite (ReplacePrefixMatch element-wise, ReplaceFullPath),
 * weighted backendRefs, timeouts.request.
 */
export function handleByGatewayApi(manifests: readonly Manifest[], req: HttpRequest): Handling {
  const gateways = manifests.filter((m) => m.kind === 'Gateway' && m.apiVersion.startsWith('gateway.networking.k8s.io/'));
  const protocol = req.scheme === 'https' ? 'HTTPS' : 'HTTP';
  const attached = (route: Manifest) => (route.spec.parentRefs ?? []).some((ref: any) => gateways.some((g) => g.metadata.name === ref.name
    && (g.spec.listeners ?? []).some((l: any) => (ref.sectionName === undefined || l.name === ref.sectionName)
      && l.protocol === protocol && (l.hostname === undefined || hostMatches(l.hostname, req.host)))));
  const routes = manifests.filter((m) => m.kind === 'HTTPRoute' && attached(m)
    && ((m.spec.hostnames ?? []).length === 0 || m.spec.hostnames.some((h: string) => hostMatches(h, req.host))));

  const candidates = routes.flatMap((route) => (route.spec.rules ?? []).flatMap((rule: any) =>
    (rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }]).map((match: any) => ({ rule, path: match.path }))));
  const matching = candidates.filter(({ path: p }) => {
    if (p.type === 'Exact') return req.path === p.value;
    if (p.type === 'PathPrefix') return p.value === '/' || req.path === p.value || req.path.startsWith(`${p.value.replace(/\/$/, '')}/`);
    return new RegExp(`^(?:${p.value})$`).test(req.path);
  });
  const rank = (p: any) => (p.type === 'Exact' ? 0 : p.type === 'PathPrefix' ? 1 : 2);
  matching.sort((a, b) => rank(a.path) - rank(b.path) || b.path.value.length - a.path.value.length);
  const best = matching[0];
  if (best === undefined) return { kind: 'not-found' };

  const filters: any[] = best.rule.filters ?? [];
  const redirect = filters.find((f) => f.type === 'RequestRedirect')?.requestRedirect;
  if (redirect) return { kind: 'redirect', scheme: redirect.scheme, host: redirect.hostname, path: redirect.path?.replaceFullPath ?? req.path };
  let path = req.path;
  const rewrite = filters.find((f) => f.type === 'URLRewrite')?.urlRewrite?.path;
  if (rewrite?.type === 'ReplaceFullPath') path = rewrite.replaceFullPath;
  if (rewrite?.type === 'ReplacePrefixMatch') {
    const rest = req.path.slice(best.path.value === '/' ? 0 : best.path.value.length);
    path = `${rewrite.replacePrefixMatch.replace(/\/$/, '')}${rest}` || '/';
    if (!path.startsWith('/')) path = `/${path}`;
  }
  const refs: any[] = best.rule.backendRefs;
  const timeout = best.rule.timeouts?.request;
  return {
    kind: 'forward',
    backends: shares(refs.map((r) => [`${r.name}:${r.port}`, r.weight ?? 1])),
    path,
    timeoutMs: timeout === undefined ? undefined : [...timeout.matchAll(/(\d+)(ms|h|m|s)/g)]
      .reduce((sum: number, [, n, u]: string[]) => sum + Number(n) * ({ h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as Record<string, number>)[u], 0),
  };
}
