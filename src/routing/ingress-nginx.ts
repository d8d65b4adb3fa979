/**
 * ingress-nginx (controller v1.15), from its documentation and its nginx template:
 * - the server of the request's host (exact, then a one-label wildcard, else the default server
 *   of the rules without a host) holds the paths of every Ingress for that host;
 * - a Prefix path `/a` is two locations, `= /a` and `/a/` (element-wise), unless its Ingress sets
 *   use-regex or rewrite-target; where any Ingress of the host does, every location of the host is
 *   a case-insensitive regex anchored at the start only (`~* "^/a"`, an Exact path too: its
 *   buildLocation), tried by descending length
 *   (https://kubernetes.github.io/ingress-nginx/user-guide/ingress-path-matching/); else exact
 *   locations first, then the longest prefix;
 * - app-root (server), temporal-redirect then permanent-redirect (location), ssl-redirect and
 *   force-ssl-redirect (308), in that order; rewrite-target with capture groups
 *   (https://kubernetes.github.io/ingress-nginx/examples/rewrite/); canary Ingresses by header,
 *   then cookie, then weight (https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#canary);
 *   upstream-vhost, x-forwarded-prefix, proxy timeouts, mirror-target.
 * Access policies (auth, IP lists, rate limits, CORS, body size) are not evaluated: the model
 * answers where an admitted request goes. Any other annotation of the controller throws.
 */
import { ingressBackendKey, IngressPath, rulesForHost } from './ingress';
import { hostMatches, largest, Manifest, regex, splitPath, unread } from './manifests';
import { Forwarded, RouteRequest, RouteResult } from './model';
import { urlOf } from './request';

const A = 'nginx.ingress.kubernetes.io/';

/** The annotations the model reads. */
const READ = new Set([
  'use-regex', 'rewrite-target', 'ssl-redirect', 'force-ssl-redirect', 'canary', 'canary-weight', 'canary-weight-total', 'canary-by-header',
  'canary-by-header-value', 'canary-by-header-pattern', 'canary-by-cookie', 'permanent-redirect', 'permanent-redirect-code', 'temporal-redirect',
  'temporal-redirect-code', 'app-root', 'upstream-vhost', 'x-forwarded-prefix', 'proxy-read-timeout', 'proxy-send-timeout', 'proxy-connect-timeout',
  'mirror-target', 'mirror-request-body', 'mirror-host',
]);

/** Annotations that decide whether a request is admitted or how it is proxied, not where it goes. */
const POLICY = /^(auth-.*|enable-cors|cors-.*|limit-.*|whitelist-source-range|denylist-source-range|proxy-body-size|client-body-buffer-size|affinity|affinity-mode|affinity-canary-behavior|session-cookie-.*|backend-protocol|proxy-ssl-.*|proxy-next-upstream.*|upstream-hash-by.*|load-balance|proxy-buffering|proxy-buffer-size|proxy-buffers-number|proxy-request-buffering|proxy-http-version|proxy-max-temp-file-size|enable-access-log|enable-opentelemetry|opentelemetry-.*|service-upstream|server-alias|ssl-ciphers|ssl-prefer-server-ciphers|http2-push-preload|enable-modsecurity|modsecurity-.*|satisfy|default-backend|custom-http-errors|connection-proxy-header|proxy-cookie-.*|proxy-redirect-.*|preserve-trailing-slash|from-to-www-redirect|ssl-passthrough|configuration-snippet|server-snippet|stream-snippet|auth-snippet|custom-headers)$/;
/** Of those, the ones that do change routing and that the model does not read. */
const UNREAD: Readonly<Record<string, string>> = {
  'configuration-snippet': 'raw nginx: the model cannot read it',
  'server-snippet': 'raw nginx: the model cannot read it',
  'stream-snippet': 'raw nginx: the model cannot read it',
  'custom-headers': 'headers from a ConfigMap: pass it through the model by hand',
  'custom-http-errors': 'the default backend answers these statuses: the model does not read it',
  'default-backend': 'a per-Ingress default backend: the model does not read it',
  'from-to-www-redirect': 'www redirects: the model does not read it',
  'ssl-passthrough': 'TLS passed through by SNI: the model answers HTTP requests',
  'server-alias': 'more server names: the model does not read it',
  'preserve-trailing-slash': 'changes the HTTPS redirect: the model does not read it',
  'service-upstream': 'the Service\'s cluster IP instead of its endpoints: the model does not read it',
};

function annotations(ing: Manifest): Record<string, string> {
  return ing.metadata?.annotations ?? {};
}

function annotation(ing: Manifest, name: string): string | undefined {
  return annotations(ing)[`${A}${name}`];
}

/** Throws on any controller annotation the model does not read and that changes routing. */
function checkAnnotations(ing: Manifest): void {
  for (const key of Object.keys(annotations(ing))) {
    if (!key.startsWith(A)) continue;
    const name = key.slice(A.length);
    if (READ.has(name)) continue;
    if (UNREAD[name] !== undefined) throw unread(ing, `metadata.annotations['${key}']`, UNREAD[name]);
    if (!POLICY.test(name)) throw unread(ing, `metadata.annotations['${key}']`, 'an ingress-nginx annotation the model does not read');
  }
}

/** One nginx location of the host's server. */
interface Location {
  readonly path: string;
  readonly exact: boolean;
  readonly source: IngressPath;
}

/**
 * The locations ingress-nginx writes for the paths of a server (its updateServerLocations): a
 * Prefix path `/a` becomes the prefix location `/a/` and, unless an Exact path `/a` exists, the
 * exact location `/a`; a Prefix path of an Ingress with use-regex or a rewrite stays as written.
 */
function locationsOf(paths: readonly IngressPath[]): Location[] {
  const exact = new Set(paths.filter((p) => p.pathType === 'Exact').map((p) => p.path));
  return paths.flatMap((p): Location[] => {
    if (p.pathType === 'Exact') return [{ path: p.path, exact: true, source: p }];
    const target = annotation(p.ingress, 'rewrite-target');
    const ownRegex = annotation(p.ingress, 'use-regex') === 'true' || (target !== undefined && target !== '' && target !== p.path);
    if (p.pathType !== 'Prefix' || p.path === '/' || ownRegex) return [{ path: p.path, exact: false, source: p }];
    const normalized = p.path.endsWith('/') ? p.path : `${p.path}/`;
    return [{ path: normalized, exact: false, source: p }, ...(exact.has(p.path) ? [] : [{ path: p.path, exact: true, source: p }])];
  });
}

/** ingress-nginx sorts a server's locations by path, descending, then (stably) by length, descending. */
function sortLocations(locations: Location[]): Location[] {
  return [...locations].sort((a, b) => (a.path < b.path ? 1 : a.path > b.path ? -1 : 0)).sort((a, b) => b.path.length - a.path.length);
}

/** The ingress-nginx model. */
export function routeByIngressNginx(manifests: readonly Manifest[], req: RouteRequest): RouteResult {
  const ingresses = manifests.filter((m) => m.kind === 'Ingress');
  ingresses.forEach(checkAnnotations);
  const main = ingresses.filter((i) => annotation(i, 'canary') !== 'true');
  const canaries = ingresses.filter((i) => annotation(i, 'canary') === 'true');
  const [uri, query] = splitPath(req.path);
  const paths = rulesForHost(main, req.host, true);
  const server = new Set(paths.map((p) => p.ingress));

  // Server level: app-root redirects `/` (https://kubernetes.github.io/ingress-nginx/examples/rewrite/#app-root).
  const appRoot = [...server].map((i) => annotation(i, 'app-root')).find((v) => v !== undefined);
  if (appRoot !== undefined && uri === '/') {
    return { kind: 'redirect', dataPlane: 'ingress-nginx', status: 302, location: urlOf(req.scheme, req.host, req.port, appRoot) };
  }

  const regexMode = [...server].some((i) => annotation(i, 'use-regex') === 'true' || annotation(i, 'rewrite-target') !== undefined);
  const locations = locationsOf(paths);
  let best: Location | undefined;
  let match: RegExpExecArray | null = null;
  if (regexMode) {
    for (const l of sortLocations(locations)) {
      match = regex(l.source.ingress, `${l.source.field}.path`, `^${l.path}`, 'i').exec(uri);
      if (match !== null) {
        best = l;
        break;
      }
    }
  } else {
    best = locations.find((l) => l.exact && l.path === uri)
      ?? locations.filter((l) => !l.exact && uri.startsWith(l.path)).sort((a, b) => b.path.length - a.path.length)[0];
  }
  if (best === undefined) return byDefaultBackend(manifests, main, req);
  const ing = best.source.ingress;

  // Location level, in the order of the template: return (temporal first), then the HTTPS redirect of the Lua rewrite phase.
  const temporal = annotation(ing, 'temporal-redirect');
  const permanent = annotation(ing, 'permanent-redirect');
  if (temporal !== undefined && temporal !== '') {
    return { kind: 'redirect', dataPlane: 'ingress-nginx', status: Number(annotation(ing, 'temporal-redirect-code') ?? 302), location: temporal };
  }
  if (permanent !== undefined && permanent !== '') {
    return { kind: 'redirect', dataPlane: 'ingress-nginx', status: Number(annotation(ing, 'permanent-redirect-code') ?? 301), location: permanent };
  }
  const tls = main.some((i) => ((i.spec?.tls ?? []) as any[]).some((t) => ((t.hosts ?? []) as string[]).some((h) => hostMatches(h, req.host, true))));
  const sslRedirect = (tls && annotation(ing, 'ssl-redirect') !== 'false') || annotation(ing, 'force-ssl-redirect') === 'true';
  if (req.scheme === 'http' && sslRedirect) {
    return { kind: 'redirect', dataPlane: 'ingress-nginx', status: 308, location: urlOf('https', req.host, undefined, req.path) };
  }

  const mainKey = ingressBackendKey(manifests, ing, `${best.source.field}.backend`, best.source.backend);
  const backends = withCanary(manifests, canaries, req, best, mainKey);
  let path = req.path;
  const target = annotation(ing, 'rewrite-target');
  if (target !== undefined) path = rewrite(ing, best, target, uri, query);
  const result: Forwarded = {
    kind: 'forward',
    dataPlane: 'ingress-nginx',
    backend: largest(backends),
    backends,
    host: annotation(ing, 'upstream-vhost') ?? req.host,
    path,
  };
  const timeout = annotation(ing, 'proxy-read-timeout');
  const prefix = annotation(ing, 'x-forwarded-prefix');
  const mirror = annotation(ing, 'mirror-target');
  return {
    ...result,
    ...(timeout === undefined ? {} : { timeout: `${timeout}s` }),
    ...(prefix === undefined ? {} : { requestHeaders: { set: { 'x-forwarded-prefix': prefix } } }),
    ...(mirror === undefined || mirror === '' ? {} : { mirrors: [mirrorKey(ing, mirror)] }),
  };
}

/**
 * A request no location takes goes to the server's root location, whose backend is an Ingress's
 * `spec.defaultBackend` when one sets it (the controller's createServers): for a host's server,
 * the default backend of the Ingresses with rules for that host; for the catch-all server (a host
 * no rule names), that of an Ingress without rules. Else the controller's own 404.
 */
function byDefaultBackend(manifests: readonly Manifest[], main: readonly Manifest[], req: RouteRequest): RouteResult {
  const named = main.filter((i) => ((i.spec?.rules ?? []) as any[]).some((r) => r?.host !== undefined && r.host !== '' && hostMatches(r.host, req.host, true)));
  const candidates = (named.length > 0 ? named : main.filter((i) => ((i.spec?.rules ?? []) as any[]).length === 0))
    .filter((i) => i.spec?.defaultBackend !== undefined);
  if (candidates.length === 0) return { kind: 'respond', dataPlane: 'ingress-nginx', status: 404, reason: 'no route' };
  const keys = [...new Set(candidates.map((i) => ingressBackendKey(manifests, i, 'spec.defaultBackend', i.spec.defaultBackend)))];
  if (keys.length > 1) {
    throw unread(candidates[1], 'spec.defaultBackend', 'several Ingresses set a default backend for this server: the controller takes the oldest Ingress\'s');
  }
  return { kind: 'forward', dataPlane: 'ingress-nginx', backend: keys[0], backends: { [keys[0]]: 1 }, host: req.host, path: req.path };
}

/**
 * nginx's `rewrite "(?i)<location path>" <target> break;`: the whole URI becomes the target with
 * `$1`..`$9` from the (unanchored) match; the query string follows (after `&` when the target has one).
 */
function rewrite(ing: Manifest, best: Location, target: string, uri: string, query: string): string {
  const m = regex(ing, `${best.source.field}.path`, best.path, 'i').exec(uri);
  if (m === null) return `${uri}${query}`;
  const replaced = target.replace(/\$(\d)/g, (_s, n: string) => m[Number(n)] ?? '');
  if (query === '') return replaced;
  return replaced.includes('?') ? `${replaced}&${query.slice(1)}` : `${replaced}${query}`;
}

/**
 * The canary Ingress of the location (same host, path and path type), if any: by header (`always`,
 * `never`, the header value or pattern), then by cookie (`always`, `never`), then by weight.
 */
function withCanary(
  manifests: readonly Manifest[], canaries: readonly Manifest[], req: RouteRequest, best: Location, mainKey: string,
): Record<string, number> {
  // The controller merges a canary into the location of the same path and path type (mergeAlternativeBackends).
  const paths = rulesForHost(canaries, req.host, true).filter((p) => p.path === best.source.path && p.pathType === best.source.pathType);
  if (paths.length === 0) return { [mainKey]: 1 };
  const canary = paths[0];
  const ing = canary.ingress;
  const canaryKey = ingressBackendKey(manifests, ing, `${canary.field}.backend`, canary.backend);
  const only = (key: string) => ({ [key]: 1 });

  const header = annotation(ing, 'canary-by-header');
  if (header !== undefined) {
    const value = req.headers[header.toLowerCase()];
    const expected = annotation(ing, 'canary-by-header-value');
    const pattern = annotation(ing, 'canary-by-header-pattern');
    if (value !== undefined) {
      if (expected !== undefined) {
        if (value === expected) return only(canaryKey);
      } else if (pattern !== undefined) {
        if (regex(ing, `metadata.annotations['${A}canary-by-header-pattern']`, pattern).test(value)) return only(canaryKey);
      } else if (value === 'always') {
        return only(canaryKey);
      } else if (value === 'never') {
        return only(mainKey);
      }
    }
  }
  const cookie = annotation(ing, 'canary-by-cookie');
  if (cookie !== undefined) {
    const value = cookieValue(req.headers.cookie, cookie);
    if (value === 'always') return only(canaryKey);
    if (value === 'never') return only(mainKey);
  }
  const weight = Number(annotation(ing, 'canary-weight') ?? 0);
  const total = Number(annotation(ing, 'canary-weight-total') ?? 100);
  if (weight <= 0) return only(mainKey);
  if (weight >= total) return only(canaryKey);
  const r = (n: number) => Math.round(n * 1e6) / 1e6;
  return { [mainKey]: r((total - weight) / total), [canaryKey]: r(weight / total) };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** `name:port` of a mirror-target URL (`http://name[.ns.svc...][:port]/...`). */
function mirrorKey(ing: Manifest, target: string): string {
  const m = /^(https?):\/\/([^/:$]+)(?::(\d+))?/.exec(target);
  if (m === null) throw unread(ing, `metadata.annotations['${A}mirror-target']`, `'${target}' is not an http(s) URL of a Service`);
  const host = m[2].includes('.svc') ? m[2].split('.')[0] : m[2];
  return `${host}:${m[3] ?? (m[1] === 'https' ? 443 : 80)}`;
}

/** Whether an Ingress is for ingress-nginx: its class or annotations say so. */
export function isIngressNginx(ing: Manifest): boolean {
  const cls = ing.spec?.ingressClassName ?? ing.metadata?.annotations?.['kubernetes.io/ingress.class'];
  return cls === 'nginx' || Object.keys(annotations(ing)).some((k) => k.startsWith(A));
}
