/**
 * What Kong (3.x, `router_flavor = traditional_compatible`, DB-less) does with a request, read
 * off its declarative configuration (kong.yml). Kong cannot run in this test environment: the
 * model follows Kong's documentation and its router's source (kong/router/compat.lua, atc.lua,
 * utils.lua; plugins' handlers), and is not checked against a running Kong.
 *
 * - Matching: a route matches when every field it has matches (methods exactly; hosts exactly,
 *   or `*.` suffix / `.*` prefix wildcards, on the Host header without its port; paths as string
 *   prefixes, or `~` regexes anchored at the start, on the path normalized by Kong; headers, their
 *   values lower-cased, compared lower-cased, `~*` regexes). A route of several paths is split,
 *   one per prefix length and one for its regexes.
 * - Precedence (compat.lua, get_priority): the number of fields, then hosts without wildcards,
 *   then the number of headers, then regex paths, then regex_priority (regex paths only), then the
 *   prefix's length. Routes of equal priority are ordered by their ids, which the model does not
 *   know: where that decides, it throws.
 * - The upstream path (utils.lua, get_upstream_uri, path_handling v0): the service's path, then
 *   the request's path, without the matched prefix with strip_path; the query string kept.
 * - The Host: the client's with preserve_host; else the upstream's host_header, else the
 *   target's host (with its port when not the scheme's).
 * - Plugins (route over service over global): request-transformer and response-transformer
 *   header edits; request-termination; the CORS preflight answered by `cors`; the engine's
 *   retirement `pre-function` (410 from its sunset). Authentication, access lists, rate limits,
 *   caches, logs and metrics are checks, not routing: the model answers for a request that
 *   passes them. Any other plugin, and any transformer edit of the URI, query or body, throws.
 */
import type * as JsYaml from 'js-yaml';
import type * as Re2js from 're2js';
import { backendName } from './engine-pod';
import { largest, sharesOf } from './engine-shares';
import { DataPlane, Forwarded, HeaderEdits, RouteRequest, RouteResult } from './model';

const DATA_PLANE: DataPlane = 'api-gateway-kong';

export class KongModelError extends Error {}

/** Plugins that check or observe a request and do not route it. */
const CHECKS = new Set(['key-auth', 'basic-auth', 'jwt', 'acl', 'ip-restriction', 'rate-limiting', 'request-size-limiting', 'proxy-cache',
  'prometheus', 'file-log', 'http-log', 'correlation-id', 'bot-detection', 'hmac-auth', 'oauth2', 'ldap-auth', 'session']);

/** Response headers of policies (TLS, CORS), not a route's edits. */
const POLICY_RESPONSE_HEADERS = /^(strict-transport-security|access-control-.*|vary)$/;

interface KongRoute {
  readonly name?: string;
  readonly hosts?: string[];
  readonly paths?: string[];
  readonly methods?: string[];
  readonly headers?: Record<string, string[]>;
  readonly snis?: string[];
  readonly protocols?: string[];
  readonly strip_path?: boolean;
  readonly preserve_host?: boolean;
  readonly regex_priority?: number;
  readonly https_redirect_status_code?: number;
  readonly plugins?: KongPlugin[];
  readonly sources?: unknown;
  readonly destinations?: unknown;
  readonly expression?: string;
}

interface KongService {
  readonly name?: string;
  readonly host: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly path?: string;
  readonly url?: string;
  readonly read_timeout?: number;
  readonly routes?: KongRoute[];
  readonly plugins?: KongPlugin[];
}

interface KongPlugin {
  readonly name: string;
  readonly config?: any;
  readonly enabled?: boolean;
  readonly route?: string;
  readonly service?: string;
  readonly consumer?: string;
}

interface KongUpstream {
  readonly name: string;
  readonly host_header?: string;
  readonly targets?: { target: string; weight?: number }[];
}

/** A declarative configuration, as the model reads it. */
export interface KongConfig {
  readonly services: readonly KongService[];
  readonly upstreams: readonly KongUpstream[];
  readonly plugins: readonly KongPlugin[];
}

/** The parsed kong.yml (YAML or JSON). */
export function parseKongConfig(text: string): KongConfig {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml: typeof JsYaml = require('js-yaml');
  const doc = yaml.load(text) as any;
  if (doc === null || typeof doc !== 'object') throw new KongModelError('the declarative configuration is not a mapping');
  if (Array.isArray(doc.routes) && doc.routes.length > 0) throw new KongModelError('top-level routes (outside their services) are not modelled');
  return { services: doc.services ?? [], upstreams: doc.upstreams ?? [], plugins: doc.plugins ?? [] };
}

/** One matcher of Kong's router: a route (or its part of one path length / its regexes) and its priority. */
interface Matcher {
  readonly route: KongRoute;
  readonly service: KongService;
  readonly paths?: string[];
  readonly priority: readonly number[];
}

/** Where Kong sends `request`, arriving on a listener of `scheme`. */
export function routeThroughKong(config: KongConfig, scheme: 'http' | 'https', request: RouteRequest): RouteResult {
  const headers = new Map(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const hostHeader = headers.get('host') ?? request.host;
  const host = hostHeader.replace(/:\d+$/, '');
  const q = request.path.indexOf('?');
  const args = q < 0 ? '' : request.path.slice(q + 1);
  const path = normalizeKongPath(q < 0 ? request.path : request.path.slice(0, q));
  const method = request.method.toUpperCase();

  const matchers = config.services.flatMap((service) => (service.routes ?? []).flatMap((route) => split(route, service)));
  const matching: { m: Matcher; matchedPath?: string }[] = [];
  for (const m of matchers) {
    const matchedPath = matches(m, method, host, path, headers);
    if (matchedPath !== undefined) matching.push({ m, matchedPath: matchedPath === true ? undefined : matchedPath });
  }
  if (matching.length === 0) return respond(404, 'no route');
  matching.sort((a, b) => compare(b.m.priority, a.m.priority));
  const best = matching[0];
  const tied = matching.filter((x) => compare(x.m.priority, best.m.priority) === 0 && x.m.route !== best.m.route);
  if (tied.length > 0) {
    throw new KongModelError(`routes ${[best, ...tied].map((x) => JSON.stringify(x.m.route.name ?? '?')).join(', ')} match with equal priority: Kong orders them by id`);
  }
  const { route, service } = best.m;
  const protocols = route.protocols ?? ['http', 'https'];
  if (!protocols.includes(scheme)) {
    const code = route.https_redirect_status_code ?? 426;
    if ([301, 302, 307, 308].includes(code) && scheme === 'http') return { kind: 'redirect', dataPlane: DATA_PLANE, status: code, location: `https://${hostHeader}${request.path}` };
    return respond(code, `status ${code}`);
  }

  const plugins = pluginsFor(config, service, route);
  for (const plugin of plugins) {
    if (CHECKS.has(plugin.name) || plugin.name === 'request-transformer' || plugin.name === 'response-transformer') continue;
    if (plugin.name === 'cors') {
      if (method === 'OPTIONS' && headers.has('origin') && headers.has('access-control-request-method') && !plugin.config?.preflight_continue) {
        return respond(200, 'direct response');
      }
      continue;
    }
    if (plugin.name === 'request-termination') return respond(plugin.config?.status_code ?? 503, 'direct response');
    if (plugin.name === 'pre-function') {
      const sunset = retirement(plugin);
      if (Date.now() / 1000 >= sunset) return respond(410, 'retired');
      continue;
    }
    throw new KongModelError(`the plugin "${plugin.name}" is not modelled`);
  }

  const requestPostfix = sanitizePostfix(route.strip_path && best.matchedPath !== undefined ? path.slice(best.matchedPath.length) : path.slice(1));
  const upstreamPath = upstreamUri(route.strip_path === true && best.matchedPath !== undefined, requestPostfix, path, service.path ?? '/');
  const { backends, host: targetHost } = targets(config, service);
  const upstream = config.upstreams.find((u) => u.name === service.host);
  const forwardedHost = route.preserve_host ? hostHeader : upstream?.host_header ?? targetHost;
  const requestHeaders = requestEdits(plugins.find((p) => p.name === 'request-transformer'), headers);
  const responseHeaders = responseEdits(plugins.find((p) => p.name === 'response-transformer'));
  const shares = sharesOf(backends);
  const result: Forwarded = {
    kind: 'forward',
    dataPlane: DATA_PLANE,
    backend: largest(shares),
    backends: shares,
    host: forwardedHost,
    path: `${escapePath(upstreamPath)}${args === '' ? '' : `?${args}`}`,
    ...(service.read_timeout === undefined ? {} : { timeout: `${service.read_timeout}ms` }),
    ...(requestHeaders === undefined ? {} : { requestHeaders }),
    ...(responseHeaders === undefined ? {} : { responseHeaders }),
  };
  return result;
}

/** compat.lua, split_route_by_path_into and get_priority: one matcher per prefix length, one for the regexes. */
function split(route: KongRoute, service: KongService): Matcher[] {
  if (route.expression !== undefined || route.sources !== undefined || route.destinations !== undefined) {
    throw new KongModelError(`the route ${JSON.stringify(route.name)}: expression and stream routes are not modelled`);
  }
  const paths = route.paths ?? [];
  if (paths.length <= 1) return [{ route, service, paths: paths.length === 0 ? undefined : paths, priority: priority(route, paths) }];
  const groups = new Map<string, string[]>();
  for (const p of paths) {
    const key = p.startsWith('~') ? 'regex' : String(p.length);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((group) => ({ route, service, paths: group, priority: priority(route, group) }));
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function priority(route: KongRoute, paths: readonly string[]): number[] {
  const present = (v: unknown) => v !== undefined && v !== null && (!Array.isArray(v) || v.length > 0) && (typeof v !== 'object' || Object.keys(v as object).length > 0);
  const headerCount = present(route.headers) ? Math.min(Object.keys(route.headers!).length, 255) : 0;
  const weight = [route.snis, route.methods, route.hosts, route.headers].filter(present).length + (paths.length > 0 ? 1 : 0);
  const plainHostOnly = Array.isArray(route.hosts) && !route.hosts.some((h) => h.includes('*'));
  const regex = paths.length > 0 && paths[0].startsWith('~');
  const length = regex || paths.length === 0 ? 0 : paths[0].length;
  // The fields of Kong's 64-bit priority, most significant first (compared in that order).
  return [weight, plainHostOnly ? 1 : 0, headerCount, regex ? 1 : 0, regex ? route.regex_priority ?? 0 : 0, length % 0x80000];
}

/** Whether the matcher takes the request: true, or the path it matched (the prefix, or the regex's match); undefined when not. */
function matches(m: Matcher, method: string, host: string, path: string, headers: Map<string, string>): string | true | undefined {
  const { route } = m;
  if (route.snis !== undefined && route.snis.length > 0) throw new KongModelError(`the route ${JSON.stringify(route.name)}: snis are not modelled`);
  if (route.methods !== undefined && route.methods.length > 0 && !route.methods.includes(method)) return undefined;
  if (route.hosts !== undefined && route.hosts.length > 0 && !route.hosts.some((h) => hostMatches(h, host))) return undefined;
  for (const [name, values] of Object.entries(route.headers ?? {})) {
    const sent = headers.get(name.toLowerCase());
    if (sent === undefined) return undefined;
    const value = sent.toLowerCase();
    const ok = values.some((v) => (v.startsWith('~*') ? re2(v.slice(2).toLowerCase()).test(value) : value === v.toLowerCase()));
    if (!ok) return undefined;
  }
  if (m.paths === undefined) return true;
  for (const p of m.paths) {
    if (p.startsWith('~')) {
      const found = re2(`^${p.slice(1)}`).match(path);
      if (found !== undefined) return found;
    } else if (path.startsWith(p)) {
      return p;
    }
  }
  return undefined;
}

function hostMatches(pattern: string, host: string): boolean {
  const [name, port] = pattern.split(':');
  if (port !== undefined) throw new KongModelError(`the route host ${pattern}: hosts with a port are not modelled`);
  if (name.startsWith('*')) return host.endsWith(name.slice(1));
  if (name.endsWith('*')) return host.startsWith(name.slice(0, -1));
  return host === name;
}

/** A regex as Kong's router runs it (Rust's regex crate, RE2 syntax). */
function re2(source: string): { test(s: string): boolean; match(s: string): string | undefined } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RE2JS } = require('re2js') as typeof Re2js;
  let compiled: Re2js.RE2JS;
  try {
    compiled = RE2JS.compile(source.replace(/\(\?</g, '(?P<'));
  } catch (e) {
    throw new KongModelError(`the regex ${JSON.stringify(source)} does not compile: ${(e as Error).message}`);
  }
  return {
    test: (s) => compiled.matcher(s).find(),
    match: (s) => {
      const m = compiled.matcher(s);
      return m.find() ? m.group(0) ?? '' : undefined;
    },
  };
}

/** Characters whose percent-encodings Kong keeps (kong/tools/uri.lua, RESERVED_CHARS). */
const RESERVED = new Set([..."!*'();:@&=+$,/?%#[]"]);

/**
 * kong.tools.uri.normalize(uri, merge_slashes = true): percent-encodings decoded except those of
 * reserved characters (kept, hex upper-cased), then dot segments removed and runs of "/" merged,
 * as its loop does.
 */
export function normalizeKongPath(raw: string): string {
  if (raw === '' || raw === '/') return raw;
  let uri = raw.replace(/%([0-9A-Fa-f]{2})/g, (m, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    return RESERVED.has(c) ? m.toUpperCase() : c;
  });
  if (!uri.includes('.') && !uri.includes('//')) return uri;
  const out: string[] = [];
  while (uri.length > 0) {
    if (uri === '/.') {uri = '/';} else if (uri === '/..') { uri = '/'; out.pop(); } else if (uri === '.' || uri === '..') {uri = '';} else if (uri.startsWith('../')) {uri = uri.slice(3);} else if (uri.startsWith('./')) {uri = uri.slice(2);} else if (uri.startsWith('/./')) {uri = uri.slice(2);} else if (uri.startsWith('/../')) { uri = uri.slice(3); out.pop(); } else if (uri.startsWith('//')) {uri = uri.slice(1);} else {
      const i = uri.indexOf('/', 1);
      out.push(i < 0 ? uri : uri.slice(0, i));
      uri = i < 0 ? '' : uri.slice(i);
    }
  }
  return out.join('');
}

/** utils.lua, sanitize_uri_postfix. */
function sanitizePostfix(postfix: string): string {
  if (postfix === '.' || postfix === '..') return '';
  if (postfix.startsWith('./')) return postfix.slice(2);
  if (postfix.startsWith('../')) return postfix.slice(3);
  return postfix;
}

/** utils.lua, get_upstream_uri (path_handling v0). */
function upstreamUri(strip: boolean, postfix: string, reqUri: string, base: string): string {
  if (base.endsWith('/')) {
    if (!strip) return `${base}${reqUri.slice(1)}`;
    if (postfix === '') return base === '/' ? '/' : reqUri.endsWith('/') ? base : base.slice(0, -1);
    return postfix.startsWith('/') ? `${base.slice(0, -1)}${postfix}` : `${base}${postfix}`;
  }
  if (!strip) return reqUri === '/' ? base : `${base}${reqUri}`;
  if (postfix === '') return reqUri.length > 1 && reqUri.endsWith('/') ? `${base}/` : base;
  return postfix.startsWith('/') ? `${base}${postfix}` : `${base}/${postfix}`;
}

/** kong.tools.uri.escape: what is neither reserved, unreserved nor "%" percent-encoded, as Kong sends the upstream URI. */
function escapePath(path: string): string {
  return path.replace(/[^!#$&'()*+,/:;=?@[\]A-Za-z0-9\-_.~%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The service's backends (an upstream's targets with their weights, or its host and port) and the Host a target gets. */
function targets(config: KongConfig, service: KongService): { backends: [string, number][]; host: string } {
  if (service.url !== undefined) throw new KongModelError(`the service ${JSON.stringify(service.name)}: url is not modelled (host, port, path are)`);
  const protocol = service.protocol ?? 'http';
  if (!['http', 'https', 'grpc', 'grpcs'].includes(protocol)) throw new KongModelError(`the service protocol ${protocol} is not modelled`);
  const defaultPort = protocol === 'https' || protocol === 'grpcs' ? 443 : 80;
  const withPort = (h: string, port: number) => (port === defaultPort ? h : `${h}:${port}`);
  const upstream = config.upstreams.find((u) => u.name === service.host);
  if (upstream === undefined) {
    const port = service.port ?? defaultPort;
    return { backends: [[backendName(service.host, port), 1]], host: withPort(service.host, port) };
  }
  const list = (upstream.targets ?? []).map((t) => {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(t.target);
    if (m === null) throw new KongModelError(`the target ${t.target} is not an address`);
    const port = m[2] === undefined ? 8000 : Number(m[2]);
    return { name: backendName(m[1], port), host: withPort(m[1], port), weight: t.weight ?? 100 };
  });
  if (list.length === 0) throw new KongModelError(`the upstream ${upstream.name} has no targets`);
  const heaviest = [...list].sort((a, b) => b.weight - a.weight)[0];
  return { backends: list.map((t) => [t.name, t.weight]), host: heaviest.host };
}

/** The plugins that apply: per name, the route's, else the service's, else the global one (consumer-scoped ones are not modelled). */
function pluginsFor(config: KongConfig, service: KongService, route: KongRoute): KongPlugin[] {
  const byName = new Map<string, KongPlugin>();
  for (const p of [...config.plugins, ...(service.plugins ?? []), ...(route.plugins ?? [])]) {
    if (p.enabled === false) continue;
    if (p.consumer !== undefined) throw new KongModelError(`the plugin "${p.name}" of a consumer is not modelled`);
    if (p.route !== undefined || p.service !== undefined) throw new KongModelError(`the plugin "${p.name}" scoped by reference is not modelled`);
    byName.set(p.name, p);
  }
  return [...byName.values()];
}

/** The sunset of the engine's retirement pre-function; any other Lua throws. */
function retirement(plugin: KongPlugin): number {
  const lua: unknown[] = plugin.config?.access ?? [];
  const other = Object.keys(plugin.config ?? {}).filter((k) => k !== 'access' && (plugin.config[k] ?? []).length > 0);
  const m = lua.length === 1 && other.length === 0
    ? /^return function\(\) if ngx\.time\(\) >= (\d+) then return kong\.response\.error\(410, "Gone"\) end end$/.exec(String(lua[0])) : null;
  if (m === null) throw new KongModelError('the plugin "pre-function" runs Lua the model does not know');
  return Number(m[1]);
}

/** "name:value" entries of a transformer's list. */
function entries(list: unknown): [string, string][] {
  return ((list as string[] | undefined) ?? []).map((e) => {
    const i = e.indexOf(':');
    const [name, value] = i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)];
    if (value.includes('$(')) throw new KongModelError(`the transformer value ${JSON.stringify(value)}: templates are not modelled`);
    return [name.toLowerCase(), value];
  });
}

/**
 * request-transformer (remove, rename, replace, add, append, in that order): replace where the
 * header was sent and add where it was not is a `set`; append an `add`; remove a `remove`. A
 * replace or add alone acts on this request only, as it was sent.
 */
function requestEdits(plugin: KongPlugin | undefined, headers: Map<string, string>): HeaderEdits | undefined {
  if (plugin === undefined) return undefined;
  const c = plugin.config ?? {};
  rejectNonHeaderEdits(c, 'request-transformer', ['querystring', 'body', 'uri']);
  if (c.http_method) throw new KongModelError('request-transformer: http_method is not modelled');
  return headerEdits(c, (name) => headers.has(name));
}

/** response-transformer: the same on the response headers (a header the backend sends is replaced by `replace`). */
function responseEdits(plugin: KongPlugin | undefined): HeaderEdits | undefined {
  if (plugin === undefined) return undefined;
  const c = plugin.config ?? {};
  rejectNonHeaderEdits(c, 'response-transformer', ['json']);
  // Whether the backend sends a header is not known: only replace-and-add pairs (set) and appends are exact.
  return headerEdits(c, undefined);
}

function rejectNonHeaderEdits(c: any, plugin: string, fields: string[]): void {
  for (const op of ['remove', 'rename', 'replace', 'add', 'append']) {
    for (const f of fields) {
      const v = c[op]?.[f];
      if (v !== undefined && v !== null && (typeof v === 'string' ? v !== '' : (v as unknown[]).length > 0)) {
        throw new KongModelError(`${plugin}: ${op}.${f} is not modelled`);
      }
    }
    if (op === 'rename' && entries(c.rename?.headers).length > 0) throw new KongModelError(`${plugin}: rename.headers is not modelled`);
  }
}

function headerEdits(c: any, sent: ((name: string) => boolean) | undefined): HeaderEdits | undefined {
  const set: Record<string, string> = {};
  const add: Record<string, string> = {};
  const remove = entries(c.remove?.headers).map(([n]) => n);
  const replaced = new Map(entries(c.replace?.headers));
  const added = new Map(entries(c.add?.headers));
  for (const name of new Set([...replaced.keys(), ...added.keys()])) {
    if (POLICY_RESPONSE_HEADERS.test(name) && sent === undefined) continue;
    const r = replaced.get(name);
    const a = added.get(name);
    if (r !== undefined && a !== undefined && r === a) {
      set[name] = r;
      continue;
    }
    if (sent === undefined) throw new KongModelError(`response-transformer: "${name}" replaced or added alone depends on the backend's response`);
    const value = sent(name) || remove.includes(name) ? (remove.includes(name) ? a : r) : a;
    if (value !== undefined) set[name] = value;
  }
  for (const [name, value] of entries(c.append?.headers)) add[name] = add[name] === undefined ? value : `${add[name]}, ${value}`;
  const removed = remove.filter((n) => set[n] === undefined);
  const out = {
    ...(Object.keys(set).length > 0 ? { set } : {}),
    ...(Object.keys(add).length > 0 ? { add } : {}),
    ...(removed.length > 0 ? { remove: [...new Set(removed)].sort() } : {}),
  };
  return Object.keys(out).length === 0 ? undefined : out;
}

function respond(status: number, reason: string): RouteResult {
  return { kind: 'respond', dataPlane: DATA_PLANE, status, reason };
}
