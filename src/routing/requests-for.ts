/**
 * The table of requests that compares two renderings of one exposure: every host and path the
 * routing objects mention, and the boundaries of each path, with the methods, headers and query
 * parameters their matches mention.
 */
import { manifestsOf, Manifest, readingManifests, RoutingSource } from './manifests';

/** One request of the table `requestsFor()` makes, as `route()` takes it. */
export interface GeneratedRequest {
  /**
   * The method and URL.
   *
   * @example 'GET https://shop.example.com/api/'
   */
  readonly request: string;
  /**
   * The headers that go with it.
   *
   * @example { 'x-canary': 'always' }
   * @default - none
   */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The most requests `requestsFor()` returns (the first, in its order). */
export const REQUESTS_FOR_LIMIT = 5000;

/** A host no rule names, to see what the exposure answers to any other host. */
const OTHER_HOST = 'other.example.invalid';

/** Characters that end the literal start of a regular expression. */
const REGEX_META = /[\\^$.|?*+()[\]{}]/;

/**
 * The requests that tell two renderings of an exposure apart, for round-trip and migration tests:
 * every host the routing objects mention (a wildcard as `wildcard.<domain>`), plus one other host;
 * `/` and every path they mention (a regex by its literal start) with its boundaries: the path,
 * with and without a trailing slash, one more path element, a sibling that shares its prefix as
 * a string (`/api` -> `/apis`) and an upper-case variant; over http, and https where TLS is
 * configured; each with GET, then with each other method, header value (the matched value and
 * another) and query parameter the matches mention. Deterministic (sorted, deduplicated) and
 * bounded: at most `REQUESTS_FOR_LIMIT` (5000) requests, the first in that order.
 *
 * @param source a cdk8s `Chart`, an `App` or an array of manifests
 * @example
 * for (const { request, headers } of requestsFor(nginxChart)) {
 *   expect(route(gatewayApiChart, request, { headers })).toEqual(route(nginxChart, request, { headers }));
 * }
 */
export function requestsFor(source: RoutingSource): GeneratedRequest[] {
  return readingManifests(() => table(manifestsOf(source)));
}

function table(manifests: readonly Manifest[]): GeneratedRequest[] {
  const facts = collect(manifests);
  const hosts = [...facts.hosts].sort();
  const paths = [...new Set(['/', ...[...facts.paths].sort().flatMap(boundaries)])].sort();
  const schemes = facts.tls ? ['http', 'https'] : ['http'];
  const preferred = facts.tls ? 'https' : 'http';
  const out: GeneratedRequest[] = [];
  const seen = new Set<string>();
  const push = (method: string, scheme: string, host: string, path: string, headers?: Record<string, string>) => {
    const r: GeneratedRequest = { request: `${method} ${scheme}://${host}${path}`, ...(headers === undefined ? {} : { headers }) };
    const key = JSON.stringify(r);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(r);
    }
  };
  for (const host of [...hosts, OTHER_HOST]) for (const path of paths) for (const scheme of schemes) push('GET', scheme, host, path);
  for (const method of [...facts.methods].sort()) for (const host of hosts) for (const path of paths) push(method, preferred, host, path);
  const headerVariants = [...facts.headers].sort().map((h) => JSON.parse(h) as [string, string]);
  for (const [name, value] of headerVariants) for (const host of hosts) for (const path of paths) push('GET', preferred, host, path, { [name]: value });
  for (const q of [...facts.query].sort()) for (const host of hosts) for (const path of paths) push('GET', preferred, host, `${path}?${q}`);
  for (const path of [...facts.grpc].sort()) for (const host of hosts) push('POST', preferred, host, path, { 'content-type': 'application/grpc' });
  return out.slice(0, REQUESTS_FOR_LIMIT);
}

interface Facts {
  readonly hosts: Set<string>;
  readonly paths: Set<string>;
  readonly methods: Set<string>;
  /** `[name, value]` as JSON. */
  readonly headers: Set<string>;
  /** `name=value`. */
  readonly query: Set<string>;
  readonly grpc: Set<string>;
  tls: boolean;
}

/** The path, with and without a trailing slash, one more element, a string sibling, an upper-case variant. */
function boundaries(path: string): string[] {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return ['/'];
  const upper = trimmed.toUpperCase();
  return [path, trimmed, `${trimmed}/`, `${trimmed}/x`, `${trimmed}s`, ...(upper === trimmed ? [] : [upper])];
}

/** The literal start of a regular expression (`/api(/|$)(.*)` -> `/api`). */
function literalStart(regex: string): string {
  const i = regex.search(REGEX_META);
  const start = i < 0 ? regex : regex.slice(0, i);
  return start.startsWith('/') ? start : '/';
}

function addHost(facts: Facts, host: unknown): void {
  if (typeof host !== 'string' || host === '' || host === '*') return;
  const h = host.includes('/') ? host.slice(host.indexOf('/') + 1) : host;
  if (h === '*') return;
  facts.hosts.add(h.startsWith('*.') ? `wildcard${h.slice(1)}` : h.toLowerCase());
}

/** A string match's values: the matched one and another. */
function values(m: any): string[] {
  if (m === undefined || m === null) return [];
  if (typeof m.exact === 'string') return [m.exact, `${m.exact}-other`];
  if (typeof m.prefix === 'string') return [`${m.prefix}x`, 'other'];
  if (typeof m.value === 'string' && (m.type ?? 'Exact') === 'Exact') return [m.value, `${m.value}-other`];
  return ['other'];
}

function collect(manifests: readonly Manifest[]): Facts {
  const facts: Facts = { hosts: new Set(), paths: new Set(), methods: new Set(), headers: new Set(), query: new Set(), grpc: new Set(), tls: false };
  const header = (name: string, value: string) => facts.headers.add(JSON.stringify([name.toLowerCase(), value]));
  for (const m of manifests) {
    const spec = m.spec ?? {};
    if (m.kind === 'Ingress') {
      for (const rule of spec.rules ?? []) {
        addHost(facts, rule.host);
        for (const p of rule.http?.paths ?? []) facts.paths.add(p.pathType === 'ImplementationSpecific' ? literalStart(p.path ?? '/') : p.path ?? '/');
      }
      for (const t of spec.tls ?? []) {
        facts.tls = true;
        (t.hosts ?? []).forEach((h: string) => addHost(facts, h));
      }
      const a = m.metadata?.annotations ?? {};
      const byHeader = a['nginx.ingress.kubernetes.io/canary-by-header'];
      if (byHeader !== undefined) {
        const value = a['nginx.ingress.kubernetes.io/canary-by-header-value'];
        for (const v of value === undefined ? ['always', 'never', 'other'] : [value, `${value}-other`]) header(byHeader, v);
      }
      const byCookie = a['nginx.ingress.kubernetes.io/canary-by-cookie'];
      if (byCookie !== undefined) for (const v of ['always', 'never']) header('cookie', `${byCookie}=${v}`);
    }
    if (m.kind === 'Gateway' && String(m.apiVersion).startsWith('networking.istio.io/')) {
      for (const s of spec.servers ?? []) {
        (s.hosts ?? []).forEach((h: string) => addHost(facts, h));
        if (String(s.port?.protocol).toUpperCase() === 'HTTPS') facts.tls = true;
      }
    }
    if (m.kind === 'Gateway' && String(m.apiVersion).startsWith('gateway.networking.k8s.io/')) {
      for (const l of spec.listeners ?? []) {
        addHost(facts, l.hostname);
        if (l.protocol === 'HTTPS') facts.tls = true;
      }
    }
    if (m.kind === 'VirtualService') {
      (spec.hosts ?? []).forEach((h: string) => addHost(facts, h));
      for (const http of spec.http ?? []) {
        for (const match of http.match ?? []) {
          const uri = match.uri ?? {};
          if (typeof uri.exact === 'string') facts.paths.add(uri.exact);
          if (typeof uri.prefix === 'string') facts.paths.add(uri.prefix);
          if (typeof uri.regex === 'string') facts.paths.add(literalStart(uri.regex));
          if (typeof match.method?.exact === 'string') facts.methods.add(match.method.exact);
          for (const [name, v] of Object.entries(match.headers ?? {})) values(v).forEach((x) => header(name, x));
          for (const [name, v] of Object.entries(match.queryParams ?? {})) values(v).forEach((x) => facts.query.add(`${name}=${encodeURIComponent(x)}`));
        }
      }
    }
    if (m.kind === 'HTTPRoute' || m.kind === 'GRPCRoute') {
      (spec.hostnames ?? []).forEach((h: string) => addHost(facts, h));
      for (const rule of spec.rules ?? []) {
        for (const match of rule.matches ?? []) {
          if (m.kind === 'GRPCRoute') {
            const service = match.method?.service ?? 'any.Service';
            facts.grpc.add(`/${service}/${match.method?.method ?? 'Any'}`);
            facts.grpc.add(`/${service}/Other`);
          } else if (match.path !== undefined) {
            facts.paths.add(match.path.type === 'RegularExpression' ? literalStart(match.path.value) : match.path.value ?? '/');
          }
          if (typeof match.method === 'string') facts.methods.add(match.method);
          for (const h of match.headers ?? []) values(h).forEach((x) => header(h.name, x));
          for (const q of match.queryParams ?? []) values(q).forEach((x) => facts.query.add(`${q.name}=${encodeURIComponent(x)}`));
        }
      }
    }
  }
  if (facts.hosts.size === 0) facts.hosts.add('example.com');
  return facts;
}
