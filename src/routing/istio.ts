/**
 * Istio's ingress gateway (https://istio.io/latest/docs/reference/config/networking/gateway/ and
 * .../virtual-service/): the Gateway server of the request's port and host (an `httpsRedirect`
 * answers 301), the VirtualService bound to that Gateway for the host, then its first `http`
 * entry whose match holds, in order. Without a Gateway in the manifests (the mesh, or an existing
 * Gateway the manifests attach to), the VirtualServices of the host answer. Delegation, and any field that changes routing the model does not read,
 * throw. DestinationRule subsets are checked to exist.
 */
import {
  backendKey, fullMatch, hostMatches, largest, lowerKeys, Manifest, portOf, queryOf, regex, shares, splitPath, unread,
} from './manifests';
import { Forwarded, HeaderEdits, InjectedFault, RouteRequest, RouteResult } from './model';
import { urlOf } from './request';

const HTTP_FIELDS = new Set([
  'name', 'match', 'route', 'redirect', 'directResponse', 'delegate', 'rewrite', 'timeout', 'retries', 'fault', 'mirror', 'mirrors',
  'mirrorPercentage', 'mirrorPercent', 'mirror_percent', 'corsPolicy', 'headers',
]);
const MATCH_FIELDS = new Set(['name', 'uri', 'scheme', 'method', 'authority', 'headers', 'queryParams', 'port', 'ignoreUriCase', 'withoutHeaders', 'gateways']);

/** A Gateway's hosts are `[namespace/]host`. */
function serverHost(h: string): string {
  return h.includes('/') ? h.slice(h.indexOf('/') + 1) : h;
}

/** The Istio model. */
export function routeByIstio(manifests: readonly Manifest[], req: RouteRequest): RouteResult {
  const gateways = manifests.filter((m) => m.kind === 'Gateway' && String(m.apiVersion).startsWith('networking.istio.io/'));
  const services = manifests.filter((m) => m.kind === 'VirtualService');
  let gateway: Manifest | undefined;
  if (gateways.length > 0) {
    const port = portOf(req);
    const onPort = gateways.flatMap((g) => ((g.spec?.servers ?? []) as any[]).map((s, i) => ({ g, s, i })))
      .filter(({ s }) => s.port?.number === port);
    if (onPort.length === 0) return { kind: 'respond', dataPlane: 'istio', status: 0, reason: `connection refused: no Gateway server on port ${port}` };
    const servers = onPort.filter(({ s }) => ((s.hosts ?? []) as string[]).some((h) => hostMatches(serverHost(h), req.host, false)));
    if (servers.length === 0) return { kind: 'respond', dataPlane: 'istio', status: 404, reason: 'no route' };
    const { g, s, i } = servers[0];
    const protocol = String(s.port.protocol ?? '').toUpperCase();
    if (req.scheme === 'http' && s.tls?.httpsRedirect === true) {
      return { kind: 'redirect', dataPlane: 'istio', status: 301, location: urlOf('https', req.host, undefined, req.path) };
    }
    if (s.tls?.mode === 'PASSTHROUGH' || s.tls?.mode === 'AUTO_PASSTHROUGH') {
      throw unread(g, `spec.servers[${i}].tls.mode`, `${s.tls.mode} passes TLS through by SNI: the model answers HTTP requests`);
    }
    if ((req.scheme === 'https') !== (protocol === 'HTTPS')) {
      return { kind: 'respond', dataPlane: 'istio', status: 0, reason: `connection refused: the server on port ${port} speaks ${protocol}` };
    }
    gateway = g;
  }
  // Without a Gateway in the manifests (the mesh, or an existing Gateway), every VirtualService of the host answers.
  const bound = services.filter((vs) => (vs.spec?.hosts ?? []).some((h: string) => hostMatches(h, req.host, false))
    && (gateway === undefined || bindsGateway(vs, gateway)));
  if (bound.length > 1) {
    throw new Error(`route: several VirtualServices (${bound.map((v) => v.metadata?.name).join(', ')}) bind ${req.host}: `
      + 'Istio merges them in an order it does not promise: pass the manifests of one');
  }
  if (bound.length === 0) return { kind: 'respond', dataPlane: 'istio', status: 404, reason: 'no route' };
  const vs = bound[0];
  if (vs.spec?.http === undefined && (vs.spec?.tls !== undefined || vs.spec?.tcp !== undefined)) {
    throw unread(vs, 'spec.tls', 'TLS and TCP routes are not HTTP: the model answers HTTP requests');
  }
  const entries: any[] = vs.spec?.http ?? [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const field = `spec.http[${i}]`;
    for (const key of Object.keys(entry)) if (!HTTP_FIELDS.has(key)) throw unread(vs, `${field}.${key}`, 'a field the model does not read');
    const matched = matchOf(vs, field, entry.match, req, gateway);
    if (matched === undefined) continue;
    if (entry.delegate !== undefined) throw unread(vs, `${field}.delegate`, 'delegation to another VirtualService: pass that one\'s manifests and route it');
    const answered = answer(manifests, vs, field, entry, matched, req);
    return entry.name === undefined ? answered : { ...answered, rule: entry.name };
  }
  return { kind: 'respond', dataPlane: 'istio', status: 404, reason: 'no route' };
}

function bindsGateway(vs: Manifest, gateway: Manifest): boolean {
  const name = gateway.metadata?.name;
  const ns = gateway.metadata?.namespace;
  return ((vs.spec?.gateways ?? []) as string[]).some((g) => g === name || (ns !== undefined && g === `${ns}/${name}`)
    || (ns === undefined && g.endsWith(`/${name}`)));
}

/** An Istio StringMatch (exact, prefix, regex: RE2, the whole value). */
function stringMatches(owner: Manifest, field: string, m: any, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  if (m === undefined || m === null || Object.keys(m).length === 0) return true;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (m.exact !== undefined) return v === (ignoreCase ? m.exact.toLowerCase() : m.exact);
  if (m.prefix !== undefined) return v.startsWith(ignoreCase ? m.prefix.toLowerCase() : m.prefix);
  if (m.regex !== undefined) return fullMatch(owner, `${field}.regex`, m.regex, value);
  throw unread(owner, field, `a string match of ${Object.keys(m).join(', ')}: the model reads exact, prefix and regex`);
}

/** The match that holds (`{}` for an entry without matches), or undefined. */
function matchOf(vs: Manifest, field: string, matches: any[] | undefined, req: RouteRequest, gateway: Manifest | undefined): any {
  const [path] = splitPath(req.path);
  const query = queryOf(req.path);
  const headers = lowerKeys(req.headers);
  for (const [j, m] of (matches ?? [{}]).entries()) {
    const f = `${field}.match[${j}]`;
    for (const key of Object.keys(m)) if (!MATCH_FIELDS.has(key)) throw unread(vs, `${f}.${key}`, 'a match the model does not read');
    if (m.uri !== undefined && !stringMatches(vs, `${f}.uri`, m.uri, path, m.ignoreUriCase === true)) continue;
    if (m.scheme !== undefined && !stringMatches(vs, `${f}.scheme`, m.scheme, req.scheme)) continue;
    if (m.method !== undefined && !stringMatches(vs, `${f}.method`, m.method, req.method)) continue;
    if (m.authority !== undefined && !stringMatches(vs, `${f}.authority`, m.authority, req.host)) continue;
    if (m.port !== undefined && m.port !== portOf(req)) continue;
    if (m.gateways !== undefined && (gateway === undefined || !bindsGateway({ spec: { gateways: m.gateways } }, gateway))) continue;
    if (!Object.entries(m.headers ?? {}).every(([k, v]) => stringMatches(vs, `${f}.headers.${k}`, v, headers[k.toLowerCase()]))) continue;
    if (Object.entries(m.withoutHeaders ?? {}).some(([k, v]) => stringMatches(vs, `${f}.withoutHeaders.${k}`, v, headers[k.toLowerCase()]))) continue;
    if (!Object.entries(m.queryParams ?? {}).every(([k, v]) => stringMatches(vs, `${f}.queryParams.${k}`, v, query[k]))) continue;
    return m;
  }
  return undefined;
}

/** What an http entry does with the request it matched. */
function answer(manifests: readonly Manifest[], vs: Manifest, field: string, entry: any, match: any, req: RouteRequest): RouteResult {
  const [path, query] = splitPath(req.path);
  if (entry.redirect !== undefined) {
    const r = entry.redirect;
    const scheme = r.scheme ?? req.scheme;
    const port = r.port ?? (r.derivePort === 'FROM_REQUEST_PORT' ? portOf(req) : undefined);
    const uri = r.uri !== undefined ? (r.uri.includes('?') ? r.uri : `${r.uri}${query}`) : req.path;
    return { kind: 'redirect', dataPlane: 'istio', status: r.redirectCode ?? 301, location: urlOf(scheme, r.authority ?? req.host, port, uri) };
  }
  if (entry.directResponse !== undefined) {
    return { kind: 'respond', dataPlane: 'istio', status: entry.directResponse.status, reason: 'direct response' };
  }
  const fault = faultOf(entry.fault);
  if (fault?.abort?.share === 1) return { kind: 'respond', dataPlane: 'istio', status: fault.abort.status, reason: 'fault abort' };
  const routes: any[] = entry.route ?? [];
  if (routes.length === 0) throw unread(vs, `${field}.route`, 'no route, redirect or direct response');
  const keyed = routes.map((r, k) => [destinationKey(manifests, vs, `${field}.route[${k}].destination`, r.destination), r.weight ?? (routes.length === 1 ? 100 : 0)] as const);
  const backends = shares(keyed);
  if (Object.keys(backends).length === 0) return { kind: 'respond', dataPlane: 'istio', status: 503, reason: 'no backend weight' };

  let newPath = req.path;
  const rw = entry.rewrite;
  if (rw?.uri !== undefined) newPath = `${rewriteUri(match, path, rw.uri)}${query}`;
  if (rw?.uriRegexRewrite !== undefined) {
    const re = regex(vs, `${field}.rewrite.uriRegexRewrite.match`, rw.uriRegexRewrite.match, 'g');
    newPath = `${path.replace(re, String(rw.uriRegexRewrite.rewrite).replace(/\\(\d)/g, '$$$1'))}${query}`;
  }
  const requestHeaders = edits(entry.headers?.request);
  const responseHeaders = edits(entry.headers?.response);
  const mirrors = [
    ...(entry.mirror === undefined ? [] : [destinationKey(manifests, vs, `${field}.mirror`, entry.mirror)]),
    ...((entry.mirrors ?? []) as any[]).map((m, k) => destinationKey(manifests, vs, `${field}.mirrors[${k}].destination`, m.destination)),
  ];
  const result: Forwarded = {
    kind: 'forward',
    dataPlane: 'istio',
    backend: largest(backends),
    backends,
    host: rw?.authority ?? req.host,
    path: newPath,
    ...(entry.timeout === undefined ? {} : { timeout: entry.timeout }),
    ...(requestHeaders === undefined ? {} : { requestHeaders }),
    ...(responseHeaders === undefined ? {} : { responseHeaders }),
    ...(mirrors.length === 0 ? {} : { mirrors }),
    ...(fault === undefined ? {} : { fault }),
  };
  return result;
}

/**
 * Istio's `rewrite.uri`: the matched prefix is replaced on a prefix match (a match without a uri
 * is a prefix match of `/`); on an exact or regex match, the whole path.
 */
function rewriteUri(match: any, path: string, uri: string): string {
  const prefix: string | undefined = match.uri === undefined ? '/' : match.uri.prefix;
  if (prefix === undefined) return uri;
  return `${uri}${path.slice(prefix.length)}`;
}

function edits(h: any): HeaderEdits | undefined {
  if (h === undefined) return undefined;
  const lower = (r: Record<string, string> | undefined) => (r === undefined ? undefined : lowerKeys(r));
  const out: HeaderEdits = {
    ...(h.set === undefined ? {} : { set: lower(h.set) }),
    ...(h.add === undefined ? {} : { add: lower(h.add) }),
    ...(h.remove === undefined ? {} : { remove: (h.remove as string[]).map((n) => n.toLowerCase()) }),
  };
  return Object.keys(out).length === 0 ? undefined : out;
}

function faultOf(f: any): InjectedFault | undefined {
  if (f === undefined) return undefined;
  const share = (p: any) => (p?.value === undefined ? 1 : Math.round((p.value / 100) * 1e6) / 1e6);
  const abort = f.abort?.httpStatus === undefined ? undefined : { status: f.abort.httpStatus, share: share(f.abort.percentage) };
  const delay = f.delay?.fixedDelay === undefined ? undefined : { duration: f.delay.fixedDelay, share: share(f.delay.percentage) };
  return abort === undefined && delay === undefined ? undefined : { ...(abort ? { abort } : {}), ...(delay ? { delay } : {}) };
}

/**
 * A Kubernetes Service's name from an Istio host, as Istio reads it
 * (https://istio.io/latest/docs/reference/config/networking/virtual-service/#Destination): a short
 * name without dots (`reviews`) is a Service of the rule's namespace, `reviews.ns.svc.cluster.local`
 * one of namespace ns; other hosts with a Service's labels stay whole. `reviews.ns` and
 * `reviews.ns.svc` are not expanded by Istio, so they are undefined: which Service, if any, they
 * reach depends on the mesh's registry (a ServiceEntry), not on the manifests.
 */
export function serviceName(host: string): { name: string; namespace?: string } | undefined {
  const labels = host.split('.');
  if (labels.length === 1) return { name: host };
  if (labels.length === 2 || (labels.length === 3 && labels[2] === 'svc')) return undefined;
  if (labels[2] === 'svc') return { name: labels[0], namespace: labels[1] };
  return { name: host };
}

/** `name:port[/subset]` of a destination; a subset must be defined by a DestinationRule of the manifests that has it. */
function destinationKey(manifests: readonly Manifest[], vs: Manifest, field: string, d: any): string {
  if (d?.host === undefined) throw unread(vs, field, 'a destination without host');
  const service = serviceName(d.host);
  if (service === undefined) {
    throw unread(vs, `${field}.host`, `'${d.host}' is neither a short name (Istio expands only a name without dots, to the VirtualService's namespace) `
      + 'nor a Service\'s FQDN (name.namespace.svc.cluster.local): which Service it reaches is the mesh registry\'s, not in the manifests');
  }
  const { name, namespace } = service;
  const key = backendKey(manifests, vs, `${field}.port`, name, namespace ?? vs.metadata?.namespace, d.port?.number);
  if (d.subset === undefined) return key;
  const rules = manifests.filter((m) => m.kind === 'DestinationRule' && serviceName(m.spec?.host ?? '')?.name === name);
  if (rules.length > 0 && !rules.some((r) => ((r.spec?.subsets ?? []) as any[]).some((s) => s.name === d.subset))) {
    throw unread(vs, `${field}.subset`, `no DestinationRule of ${name} defines the subset '${d.subset}' (Istio answers 503)`);
  }
  return `${key}/${d.subset}`;
}
