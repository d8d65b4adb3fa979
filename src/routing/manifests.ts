/**
 * Reading the manifests the models answer from: a cdk8s chart or app (by shape: the routing
 * models load nothing of cdk8s), or plain objects; and the helpers every model shares
 * (hosts, backend keys, Services' named ports).
 */
import { RouteRequest } from './model';

/** One Kubernetes object as synthesized or written: `apiVersion`, `kind`, `metadata`, `spec`. */
export type Manifest = Readonly<Record<string, any>>;

/** A cdk8s Chart (its `toJson()`), an App (its `charts`), or the manifests themselves. */
export type RoutingSource = { toJson(): any[] } | { readonly charts: readonly { toJson(): any[] }[] } | readonly Manifest[];

/** The manifests of a chart, of every chart of an app, or the array given. */
export function manifestsOf(source: RoutingSource): Manifest[] {
  if (Array.isArray(source)) return source.filter(isObject);
  const s = source as any;
  if (s !== null && typeof s === 'object' && Array.isArray(s.charts)) return s.charts.flatMap((c: any) => c.toJson()).filter(isObject);
  if (s !== null && typeof s === 'object' && typeof s.toJson === 'function') return s.toJson().filter(isObject);
  throw new Error('route: the source is not a cdk8s Chart, an App or an array of manifests: pass one of them');
}

function isObject(m: unknown): m is Manifest {
  return typeof m === 'object' && m !== null && typeof (m as any).kind === 'string';
}

/** `Kind namespace/name` (or `Kind name`), as errors name an object. */
export function describe(m: Manifest): string {
  const ns = m.metadata?.namespace;
  return `${m.kind} ${ns === undefined ? '' : `${ns}/`}${m.metadata?.name ?? '(no name)'}`;
}

/** The error of a model that meets something it does not read: it throws rather than answer wrongly. */
export function unread(m: Manifest, field: string, why: string): Error {
  return new Error(`route: ${describe(m)}: ${field}: ${why}`);
}

/**
 * Whether a host pattern covers a host. `*` covers every host; `*.example.com` covers the hosts
 * under example.com (one label only where `singleLabel`, as Kubernetes Ingress hosts).
 */
export function hostMatches(pattern: string, host: string, singleLabel: boolean): boolean {
  const p = pattern.toLowerCase();
  if (p === '*' || p === host) return true;
  if (!p.startsWith('*.')) return false;
  const suffix = p.slice(1);
  if (!host.endsWith(suffix) || host.length === suffix.length) return false;
  return !singleLabel || !host.slice(0, host.length - suffix.length).includes('.');
}

/** The port of a request: the URL's, else the scheme's. */
export function portOf(req: RouteRequest): number {
  return req.port ?? (req.scheme === 'https' ? 443 : 80);
}

/** The path without its query string, and the query string with its `?` (or ''). */
export function splitPath(path: string): [string, string] {
  const i = path.indexOf('?');
  return i < 0 ? [path, ''] : [path.slice(0, i), path.slice(i)];
}

/** The query parameters of a path (the first value of each name). */
export function queryOf(path: string): Record<string, string> {
  const [, query] = splitPath(path);
  const params: Record<string, string> = {};
  for (const pair of query.slice(1).split('&').filter((p) => p !== '')) {
    const [name, ...value] = pair.split('=');
    const key = decode(name);
    if (!(key in params)) params[key] = decode(value.join('='));
  }
  return params;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Kubernetes' Prefix match: element by element, a trailing slash ignored (`/api` covers `/api`, `/api/x`, not `/apis`). */
export function prefixByElement(prefix: string, path: string): boolean {
  if (prefix === '/' || prefix === '') return true;
  const p = prefix.replace(/\/+$/, '');
  return path === p || path.startsWith(`${p}/`);
}

/** Shares of each backend from relative weights, rounded to 1e-6; backends of weight 0 are left out. */
export function shares(entries: readonly (readonly [string, number])[]): Record<string, number> {
  const merged = new Map<string, number>();
  for (const [k, w] of entries) merged.set(k, (merged.get(k) ?? 0) + w);
  const total = [...merged.values()].reduce((a, w) => a + w, 0);
  return Object.fromEntries([...merged].filter(([, w]) => w > 0).map(([k, w]) => [k, Math.round((w / total) * 1e6) / 1e6]));
}

/** The backend with the largest share (the first of equals, in order). */
export function largest(backends: Readonly<Record<string, number>>): string {
  return Object.entries(backends).reduce((best, e) => (e[1] > best[1] ? e : best))[0];
}

/**
 * `name:port` of a Service port given by number, or by name resolved from the Service in the
 * manifests (throws when the Service or its port is not there: the model does not guess).
 */
export function backendKey(manifests: readonly Manifest[], owner: Manifest, field: string,
  name: string, namespace: string | undefined, port: { number?: number; name?: string } | number | undefined): string {
  if (typeof port === 'number') return `${name}:${port}`;
  if (port?.number !== undefined) return `${name}:${port.number}`;
  const service = findService(manifests, name, namespace);
  const ports: any[] = service?.spec?.ports ?? [];
  if (port?.name !== undefined) {
    const found = ports.find((p) => p.name === port.name);
    if (found === undefined) {
      throw unread(owner, field, service === undefined
        ? `the port is named '${port.name}' and Service ${name} is not in the manifests: pass them with it, or name the port by number`
        : `Service ${name} has no port named '${port.name}' (it has ${ports.map((p) => p.name ?? p.port).join(', ') || 'none'})`);
    }
    return `${name}:${found.port}`;
  }
  if (ports.length === 1) return `${name}:${ports[0].port}`;
  throw unread(owner, field, service === undefined
    ? `no port, and Service ${name} is not in the manifests: pass them with it, or give the port`
    : `no port, and Service ${name} has ${ports.length} ports: give the port`);
}

/** The Service of a name (in a namespace, when both say one) in the manifests. */
export function findService(manifests: readonly Manifest[], name: string, namespace: string | undefined): Manifest | undefined {
  return manifests.find((m) => m.kind === 'Service' && m.metadata?.name === name
    && (namespace === undefined || m.metadata?.namespace === undefined || m.metadata.namespace === namespace));
}

/** A regular expression of a manifest, or a clear error naming the field. */
export function regex(owner: Manifest, field: string, source: string, flags = ''): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw unread(owner, field, `the regular expression '${source}' is not one JavaScript reads (${(e as Error).message})`);
  }
}

/** A regular expression matched against the whole value (RE2 full match, as Envoy does). */
export function fullMatch(owner: Manifest, field: string, source: string, value: string, flags = ''): boolean {
  return regex(owner, field, `^(?:${source})$`, flags).test(value);
}

/** Header names lower-case. */
export function lowerKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * Runs a model, turning what a malformed manifest makes it stumble on (a list that is not one)
 * into an error that says so: the models read manifests their kinds' schemas accept.
 */
export function readingManifests<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('route: ')) throw e;
    throw new Error(`route: the manifests do not have the shape of their kinds (${e instanceof Error ? e.message : typeof e}): `
      + 'pass manifests their schemas accept');
  }
}
