import { Chart, Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { aggregatePath, partNameProblem } from './aggregate';
import { resolveBackend } from './backends';
import { DEPRECATION_HEADER_NAMES, withDeprecationHeaders } from './deprecation-headers';
import {
  AccessIntent, AffinityIntent, AggregateIntent, AggregatePartIntent,
  AuthIntent, BackendIntent, backendKey, CorsIntent, DeprecationIntent, describeAffinity, describeBackendTls, describeMatch,
  ExposureIntent, FaultIntent, ForwardIntent, HeaderEditsIntent, MatchIntent, MirrorIntent, RedirectIntent, RetryCondition, RetryIntent,
  RewriteIntent, RouteIntent, RoutePolicy, StreamIntent, TlsIntent,
} from './model';
import { Problem, Problems } from '../core/errors';
import { resourceName } from '../core/naming';
import {
  headerNameProblem, headerValueProblem, hostnameProblem, methodProblem, originProblem, percentageProblem, portProblem, urlPathProblem,
} from '../core/validators';
import { AccessSpec } from '../declaration/access-policy';
import { Auth } from '../declaration/auth';
import { Backend } from '../declaration/backend';
import { Deprecation } from '../declaration/deprecation';
import { ExposureDeclaration } from '../declaration/exposure';
import { PathMatch } from '../declaration/path-match';
import { CorsPolicy, FaultPolicy, HeaderEdits, RedirectOptions, RetryPolicy, RewriteOptions, RouteProps, TrafficPolicy } from '../declaration/route';
import { AffinitySpec } from '../declaration/session-affinity';
import { Tls } from '../declaration/tls';

const RETRY_ON: readonly RetryCondition[] = ['5xx', 'gateway-error', 'connect-failure', 'reset', 'retriable-4xx'];
const DEFAULT_RETRY_ON: readonly RetryCondition[] = ['connect-failure', 'gateway-error', 'reset'];
const REDIRECT_CODES = [301, 302, 303, 307, 308];
const HTTPS_REDIRECT_CODES = [301, 302, 307, 308];
const MAX_DURATION_MS = 99_999 * 3_600_000;
/** The most parts an aggregate route calls per request. */
const MAX_AGGREGATE_PARTS = 16;
/** The exposure-level defaults of the HTTP routes (`TrafficPolicy`). */
const TRAFFIC_POLICY_KEYS = [
  'timeout', 'idleTimeout', 'retries', 'cors', 'rateLimit', 'auth', 'access', 'maxRequestBody', 'affinity',
  'deprecation',
] as const satisfies readonly (keyof TrafficPolicy)[];
// Fails to compile when TrafficPolicy gains a policy this list lacks: it would be dropped silently.
const everyTrafficPolicy: [Exclude<keyof TrafficPolicy, typeof TRAFFIC_POLICY_KEYS[number]>] extends [never] ? true : never = true;
void everyTrafficPolicy;

/** The intent of a declaration, and every problem found in it. */
export interface BuiltIntent {
  readonly intent: ExposureIntent;
  /** Every input problem, in declaration order; the intent is only usable when there are none. */
  readonly problems: readonly Problem[];
}

/**
 * Builds the intent from the declaration: every input check of the library happens here, once,
 * and every problem found is returned (path, field, what would be valid), not only the first.
 */
export function buildIntent(scope: IConstruct, props: ExposureDeclaration): BuiltIntent {
  return new IntentBuilder(scope, props).build();
}

class IntentBuilder {
  private readonly problems = new Problems();
  private readonly backends = new Map<string, BackendIntent>();
  private readonly backendFields = new Map<string, string>();
  private readonly namespace: string | undefined;

  constructor(private readonly scope: IConstruct, private readonly props: ExposureDeclaration) {
    this.namespace = Chart.of(scope).namespace;
  }

  public build(): BuiltIntent {
    const props = this.props;
    const name = resourceName(this.scope);
    const hosts = this.hosts(props.hosts ?? []);
    const defaultBackend = props.backend === undefined ? undefined : this.backend(props.backend, 'backend');
    const streams = this.streams(props);
    // An exposure of streams only has no HTTP route, unless it declares a backend for one.
    const streamsOnly = (props.passthrough !== undefined || props.tcp !== undefined) && props.backend === undefined;
    const routes = props.routes === undefined
      ? (streamsOnly ? [] : [this.route({}, 'routes', true, defaultBackend)])
      : props.routes.map((r, i) => this.route(r, `routes[${i}]`, false, defaultBackend));
    if (props.routes !== undefined && props.routes.length === 0) {
      this.problems.add('routes', 'is empty; leave it unset for one route taking every request, or declare routes');
    }
    this.checkDuplicateMatches(routes);
    this.checkAffinityPerBackend(routes);

    let tls;
    if (props.tls !== undefined) {
      this.problems.addAll('tls', props.tls._problems);
      this.problems.addAll('tls.clientCertificates', props.tls._clientCertificateProblems);
      if (hosts.length === 0) this.problems.add('tls', 'TLS needs hosts: a certificate is issued and served for names; set hosts');
      tls = this.tls(props.tls, `${name}-tls`, props.httpsRedirectCode);
    }
    const redirectCode = props.httpsRedirectCode;
    if (redirectCode !== undefined && !HTTPS_REDIRECT_CODES.includes(redirectCode)) {
      this.problems.add('httpsRedirectCode', `${redirectCode} is not a redirect status for HTTPS; use one of ${HTTPS_REDIRECT_CODES.join(', ')}`);
    }
    if (redirectCode !== undefined && props.tls === undefined) {
      this.problems.add('httpsRedirectCode', 'plain HTTP is redirected to HTTPS only with TLS; set tls, or remove httpsRedirectCode');
    }

    if (routes.length === 0) {
      // An exposure-level policy is the default of the HTTP routes: with none, it would apply to nothing.
      for (const key of TRAFFIC_POLICY_KEYS.filter((k) => props[k] !== undefined)) {
        this.problems.add(key, 'applies to HTTP routes, and the exposure declares none (streams are forwarded as bytes); remove it, or declare backend or routes');
      }
      if (hosts.length > 0) this.problems.add('hosts', 'names the hosts of HTTP routes, and the exposure declares none; remove hosts, or declare backend or routes');
      if (props.tls !== undefined) this.problems.add('tls', 'terminates TLS for HTTP routes, and the exposure declares none; remove tls (passthrough backends terminate their own), or declare backend or routes');
    } else {
      this.checkStreamsAgainstRoutes(streams, hosts, props.tls !== undefined);
    }

    const intent: ExposureIntent = {
      path: this.scope.node.path,
      name,
      namespace: this.namespace,
      hosts,
      tls,
      routes,
      streams,
      defaultBackend,
      backends: [...this.backends.values()],
      backendFields: this.backendFields,
      circuitBreaker: props.circuitBreaker === undefined ? undefined
        : (this.problems.addAll('circuitBreaker', props.circuitBreaker._problems), { ...props.circuitBreaker._spec }),
    };
    return { intent, problems: this.problems.all };
  }

  /** The passthrough and TCP streams, checked: ports, hosts, backends, and no two on one port and host. */
  private streams(props: ExposureDeclaration): StreamIntent[] {
    const streams: StreamIntent[] = [];
    if (props.passthrough !== undefined && props.passthrough.length === 0) this.problems.add('passthrough', 'is empty; leave it unset, or declare TlsPassthrough.host(...)');
    if (props.tcp !== undefined && props.tcp.length === 0) this.problems.add('tcp', 'is empty; leave it unset, or declare TcpPort.of(...)');
    const seen = new Map<string, string>();
    (props.passthrough ?? []).forEach((p, i) => {
      const field = `passthrough[${i}]`;
      this.problems.addAll(field, p._problems);
      if (p._problems.length > 0) return;
      const { host, port } = p._spec;
      this.check(`${field}.host`, host, hostnameProblem);
      this.check(`${field}.port`, port, (v) => portProblem(v));
      const backend = this.streamBackend(p._spec.backend, `${field}.backend`);
      const key = `${port} ${host}`;
      const first = seen.get(key);
      if (first !== undefined) this.problems.add(`${field}.host`, `"${host}" on port ${port} is passed through by ${first} already; a hostname goes to one backend`);
      else seen.set(key, field);
      if (backend) streams.push({ kind: 'tls-passthrough', field, host, port, backend });
    });
    const passthroughPorts = new Map(streams.map((s) => [s.port, s.field]));
    const tcpPorts = new Map<number, string>();
    (props.tcp ?? []).forEach((t, i) => {
      const field = `tcp[${i}]`;
      this.problems.addAll(field, t._problems);
      if (t._problems.length > 0) return;
      const port = t._spec.port;
      this.check(`${field}.port`, port, (v) => portProblem(v));
      const backend = this.streamBackend(t._spec.backend, `${field}.backend`);
      const other = tcpPorts.get(port) ?? passthroughPorts.get(port);
      if (other !== undefined) this.problems.add(`${field}.port`, `${port} is the port of ${other} already; a TCP port takes every connection to it: use another port`);
      else tcpPorts.set(port, field);
      if (backend) streams.push({ kind: 'tcp', field, port, backend });
    });
    return streams;
  }

  /** A stream's backend: any Service port; a stream is bytes, so no gRPC or HTTP/2 applies to it. */
  private streamBackend(backend: Backend, field: string): BackendIntent | undefined {
    const intent = this.backend(backend, field);
    if (intent !== undefined && intent.protocol !== 'http') {
      this.problems.add(field, `is declared with protocol "${intent.protocol}", and a stream is forwarded as bytes without HTTP routing; remove protocol`);
    }
    // A passthrough carries the client's own TLS to the backend, and a TCP port its bytes: TLS
    // started by the proxy would wrap them a second time.
    if (intent?.tls !== undefined) {
      this.problems.add(field, 'is declared with tls, and a stream is forwarded as the client sent it (a passthrough keeps the client\'s TLS end to end); remove tls');
    }
    return intent;
  }

  /**
   * HTTP routes listen on 80 (and 443 with TLS): a TCP port takes every connection, so it cannot
   * share them; a passthrough shares 443 with HTTPS by SNI, for hostnames the routes do not serve.
   */
  private checkStreamsAgainstRoutes(streams: StreamIntent[], hosts: string[], tls: boolean): void {
    const httpPorts = tls ? [80, 443] : [80];
    for (const s of streams) {
      if (s.kind === 'tcp' && httpPorts.includes(s.port)) {
        this.problems.add(`${s.field}.port`, `${s.port} is a port of the HTTP routes (80${tls ? ' and 443' : ''}); use another port`);
      }
      if (s.kind === 'tls-passthrough' && s.port === 80) {
        this.problems.add(`${s.field}.port`, '80 is the plain HTTP port of the routes; use 443 or another port');
      }
      if (s.kind === 'tls-passthrough' && tls && s.port === 443 && hosts.includes(s.host)) {
        this.problems.add(`${s.field}.host`, `"${s.host}" is in hosts, whose TLS the routes terminate on port 443; a hostname is either terminated or passed through`);
      }
    }
  }

  private tls(tls: Tls, defaultSecretName: string, redirectCode: number | undefined): TlsIntent {
    const spec = tls._spec;
    const clientCertificates = spec.clientCertificates && { ...spec.clientCertificates, ca: { ...spec.clientCertificates.ca } };
    if (spec.kind === 'cert-manager') {
      const certManager = { issuerKind: spec.issuerKind, issuerName: spec.issuerName };
      return { secretName: spec.secretName ?? defaultSecretName, certManager, redirectCode, clientCertificates };
    }
    // A Secret in the exposure's own namespace is no cross-namespace reference.
    const secretNamespace = spec.secretNamespace === this.namespace ? undefined : spec.secretNamespace;
    return { secretName: spec.secretName, secretNamespace, redirectCode, clientCertificates };
  }

  private hosts(hosts: string[]): string[] {
    const seen = new Set<string>();
    hosts.forEach((host, i) => {
      const problem = hostnameProblem(host);
      if (problem) this.problems.add(`hosts[${i}]`, problem);
      if (seen.has(host)) this.problems.add(`hosts[${i}]`, `"${host}" is listed twice`);
      seen.add(host);
    });
    return [...hosts];
  }

  private backend(backend: Backend, field: string): BackendIntent | undefined {
    const resolved = resolveBackend(backend._spec, this.scope.node.root);
    this.problems.addAll(field, resolved.problems);
    const intent = resolved.intent;
    if (intent === undefined) return undefined;
    // One backend object per Service and port, whoever declared it: the exposure's namespace is
    // filled in first, so fromName('a', 80) and fromName('a', 80, { namespace: <its own> }) are one.
    const namespace = intent.namespace ?? this.namespace;
    const normalised = { ...intent, namespace, key: backendKey(intent.name, namespace, intent.port, intent.subset) };
    const existing = this.backends.get(normalised.key);
    if (existing) {
      // One Service port has one target port and protocol: a second declaration must agree.
      // fromName knows no target port: it agrees with any.
      const targetPortsDiffer = existing.targetPort !== undefined && normalised.targetPort !== undefined
        && existing.targetPort !== normalised.targetPort;
      if (targetPortsDiffer || existing.protocol !== normalised.protocol) {
        this.problems.add(field, `port ${normalised.port} of "${normalised.name}" goes to target port ${normalised.targetPort} (${normalised.protocol}), `
          + `but ${this.backendFields.get(existing.key)} declared it with target port ${existing.targetPort} (${existing.protocol}); use another port, or the same target and protocol`);
      } else if (describeBackendTls(existing.tls) !== describeBackendTls(normalised.tls)) {
        // One Service port speaks TLS or not, with one certificate.
        this.problems.add(`${field}.tls`, `port ${normalised.port} of "${normalised.name}" is declared with ${describeBackendTls(normalised.tls)}, `
          + `but ${this.backendFields.get(existing.key)} declared it with ${describeBackendTls(existing.tls)}; declare the same tls`);
      }
      return existing;
    }
    this.backends.set(normalised.key, normalised);
    this.backendFields.set(normalised.key, field);
    return normalised;
  }

  private route(route: RouteProps, field: string, isDefault: boolean, defaultBackend: BackendIntent | undefined): RouteIntent {
    const props = this.props;
    const sources: Partial<Record<RoutePolicy, string>> = {};
    // A route's own policy wins over the ExposedService-level default of the same name.
    const pick = <K extends RoutePolicy & keyof RouteProps>(key: K): RouteProps[K] | undefined => {
      if (route[key] !== undefined) {
        sources[key] = `${field}.${key}`;
        return route[key];
      }
      const inherited = (props as RouteProps)[key];
      if (inherited !== undefined) sources[key] = key;
      return inherited;
    };

    const match = this.match(route, field);
    const action = route.aggregate !== undefined ? this.aggregate(route, field) : this.action(route, field, defaultBackend);
    if (action?.kind === 'redirect') {
      for (const key of ['backend', 'rewrite', 'requestHeaders', 'mirror', 'fault', 'retries', 'timeout', 'idleTimeout', 'affinity'] as const) {
        if (route[key] !== undefined) this.problems.add(`${field}.${key}`, 'a redirect route forwards nothing; remove it or the redirect');
      }
    }

    // The exposure's retries and idle timeout concern the routes that forward: an aggregate route
    // calls each part once, within the part's timeout (its own declaration of them is refused).
    const forwarding = <K extends 'idleTimeout' | 'retries'>(key: K): RouteProps[K] | undefined =>
      (action?.kind === 'aggregate' && route[key] === undefined ? undefined : pick(key));
    const timeout = pick('timeout');
    const idleTimeout = forwarding('idleTimeout');
    const retries = forwarding('retries');
    const rewrite = pick('rewrite');
    const requestHeaders = pick('requestHeaders');
    const responseHeaders = pick('responseHeaders');
    const mirror = pick('mirror');
    const fault = pick('fault');
    const cors = pick('cors');
    const rateLimit = pick('rateLimit');
    const auth = pick('auth');
    const access = pick('access');
    const maxRequestBody = pick('maxRequestBody');
    // An exposure-level affinity concerns the routes that forward; a redirect has no backend, and
    // an aggregate route balances no client over its parts.
    const affinity = action?.kind === 'redirect' || action?.kind === 'aggregate' ? undefined : pick('affinity');
    if (action?.kind === 'redirect') sources.redirect = `${field}.redirect`;
    const deprecation = pick('deprecation');

    const protocol = this.protocol(route, field, action);
    if (protocol === 'grpc') {
      // Where gRPC was declared: the route's protocol, or the backend that speaks it.
      const firstBackend = action?.kind === 'forward' ? action.backends[0]?.backend : undefined;
      sources.protocol = route.protocol !== undefined || firstBackend === undefined ? `${field}.protocol` : this.backendFields.get(firstBackend.key);
    }
    const intent: RouteIntent = {
      field,
      isDefault,
      protocol,
      ...this.grpcTranslation(route, field, protocol),
      match,
      action: action ?? { kind: 'forward', backends: [] },
      timeoutMs: timeout === undefined ? undefined : this.duration(timeout, sources.timeout!),
      idleTimeoutMs: idleTimeout === undefined ? undefined : this.duration(idleTimeout, sources.idleTimeout!),
      retries: retries === undefined ? undefined : this.retries(retries, sources.retries!),
      rewrite: rewrite === undefined ? undefined : this.rewrite(rewrite, sources.rewrite!),
      requestHeaders: requestHeaders === undefined ? undefined : this.headerEdits(requestHeaders, sources.requestHeaders!),
      ...this.responseHeaders(responseHeaders, deprecation, sources),
      mirror: mirror === undefined ? undefined : this.mirror(mirror, sources.mirror!),
      fault: fault === undefined ? undefined : this.fault(fault, sources.fault!),
      cors: cors === undefined ? undefined : this.cors(cors, sources.cors!),
      rateLimit: rateLimit === undefined ? undefined : (this.problems.addAll(sources.rateLimit!, rateLimit._problems), { ...rateLimit._spec }),
      auth: auth === undefined ? undefined : this.auth(auth, sources.auth!),
      access: access === undefined ? undefined : (this.problems.addAll(sources.access!, access._problems), accessIntent(access._spec)),
      maxRequestBodyBytes: maxRequestBody === undefined ? undefined : this.bodySize(maxRequestBody, sources.maxRequestBody!),
      affinity: affinity === undefined ? undefined : (this.problems.addAll(sources.affinity!, affinity._problems), affinityIntent(affinity._spec)),
      sources,
    };
    if (intent.affinity?.kind === 'cookie' && protocol === 'grpc') {
      this.problems.add(sources.affinity!, 'gRPC clients keep no cookies, so a cookie cannot make them sticky; use SessionAffinity.header(name) or SessionAffinity.clientIp()');
    }
    if (intent.affinity !== undefined && intent.action.kind === 'forward' && intent.action.backends.length > 1) {
      // The split is drawn per request before any endpoint is chosen: a client would move between backends.
      this.problems.add(sources.affinity!, `${field} splits its requests over weighted backends, each drawn per request, so a client would move between them; `
        + 'declare affinity on routes with one backend');
    }
    if (intent.rateLimit?.key === 'api-key' && intent.auth?.kind !== 'api-key') {
      this.problems.add(sources.rateLimit!, 'key "api-key" counts requests per API key, but the route has no Auth.apiKey; add auth or use key "client-ip"');
    }
    return intent;
  }

  /**
   * An aggregate route's parts (see `AggregatePart`), in declaration order. The route calls them
   * itself: it takes no backend, redirect, rewrite, header edits, mirror, fault, retries, idle
   * timeout, affinity or gRPC, and answers GET (and HEAD).
   */
  private aggregate(route: RouteProps, field: string): AggregateIntent | undefined {
    const declared = (['backend', 'backends', 'redirect'] as const).filter((k) => route[k] !== undefined);
    if (declared.length > 0) {
      this.problems.add(field, `sets aggregate and ${declared.join(' and ')}; an aggregate route calls its parts: remove ${declared.join(' and ')}`);
    }
    for (const key of ['rewrite', 'requestHeaders', 'mirror', 'fault', 'retries', 'idleTimeout', 'affinity'] as const) {
      if (route[key] !== undefined) this.problems.add(`${field}.${key}`, 'an aggregate route calls each part on its own path and answers itself; remove it or the aggregate');
    }
    if (route.protocol === 'grpc') this.problems.add(`${field}.protocol`, 'an aggregate route composes JSON answers of HTTP parts; remove protocol or the aggregate');
    const method = route.match?.method;
    if (method !== undefined && method !== 'GET' && method !== 'HEAD') {
      this.problems.add(`${field}.match.method`, `is ${method}, and an aggregate route answers GET and HEAD (its parts are called with GET); match GET, or leave method unset`);
    }
    const entries = Object.entries(route.aggregate!);
    if (entries.length === 0) {
      this.problems.add(`${field}.aggregate`, 'is empty; declare at least one part, e.g. { user: AggregatePart.required(backend, { path: \'/users/{query.user}\' }) }');
      return undefined;
    }
    if (entries.length > MAX_AGGREGATE_PARTS) {
      this.problems.add(`${field}.aggregate`, `has ${entries.length} parts; at most ${MAX_AGGREGATE_PARTS} (each request calls every one)`);
    }
    const parts: AggregatePartIntent[] = [];
    for (const [name, part] of entries) {
      const partField = `${field}.aggregate.${name}`;
      this.check(`${field}.aggregate`, name, partNameProblem);
      this.problems.addAll(partField, part._problems);
      if (part._problems.length > 0) continue;
      const spec = part._spec;
      const path = aggregatePath(spec.path);
      this.problems.addAll(`${partField}.path`, path.problems);
      const backend = this.backend(spec.backend, `${partField}.backend`);
      if (backend !== undefined && backend.protocol !== 'http') {
        this.problems.add(`${partField}.backend`, `is declared with protocol "${backend.protocol}"; a part is called with HTTP/1.1 GET and answers JSON: use an HTTP port`);
      }
      const timeoutMs = spec.timeout === undefined ? undefined : this.duration(spec.timeout, `${partField}.timeout`);
      if (backend !== undefined) parts.push({ name, field: partField, backend, required: spec.required, path: path.pieces, timeoutMs });
    }
    return { kind: 'aggregate', parts };
  }

  /**
   * What the gateway translates for a gRPC route's web or JSON clients: gRPC-Web or JSON
   * transcoding, one of them, on a gRPC route (its backends speak gRPC).
   */
  private grpcTranslation(route: RouteProps, field: string, protocol: 'http' | 'grpc'): Pick<RouteIntent, 'grpcWeb' | 'jsonTranscoding'> {
    const grpcWeb = route.grpcWeb === true ? true : undefined;
    const proto = route.jsonTranscoding;
    if (proto !== undefined) this.problems.addAll(`${field}.jsonTranscoding`, proto._problems);
    for (const [key, declared] of [['grpcWeb', grpcWeb], ['jsonTranscoding', proto]] as const) {
      if (declared !== undefined && protocol !== 'grpc') {
        this.problems.add(`${field}.${key}`, 'translates for a gRPC backend, and the route\'s backends speak HTTP; declare them protocol: \'grpc\'');
      }
    }
    if (grpcWeb && proto !== undefined) {
      this.problems.add(`${field}.jsonTranscoding`, 'a route takes gRPC-Web clients or JSON clients, and grpcWeb is set too; declare them on two routes');
    }
    return {
      ...(grpcWeb ? { grpcWeb } : {}),
      ...(proto === undefined ? {} : { jsonTranscoding: { configMap: proto._spec.configMap, file: proto._spec.file } }),
    };
  }

  /** A route is gRPC when declared so, or when all its backends speak gRPC; never a mix. h2c backends are HTTP backends. */
  private protocol(route: RouteProps, field: string, action: ForwardIntent | RedirectIntent | AggregateIntent | undefined): 'http' | 'grpc' {
    if (route.protocol !== undefined && route.protocol !== 'http' && route.protocol !== 'grpc') {
      this.problems.add(`${field}.protocol`, `"${route.protocol}" is not a protocol; use "http" or "grpc"`);
      return 'http';
    }
    const backends = action?.kind === 'forward' ? action.backends.map((b) => b.backend) : [];
    const grpc = backends.filter((b) => b.protocol === 'grpc').length;
    if (grpc > 0 && grpc < backends.length) {
      this.problems.add(field, 'mixes gRPC and HTTP backends; a route speaks one protocol');
    } else if (route.protocol === 'http' && grpc > 0) {
      this.problems.add(`${field}.protocol`, 'is "http" but the backends speak gRPC; remove protocol or make them agree');
    } else if (route.protocol === 'grpc' && backends.some((b) => b.protocol === 'h2c')) {
      // h2c backends speak HTTP/2 that is not gRPC: their routes are HTTP routes.
      this.problems.add(`${field}.protocol`, 'is "grpc" but the backends are declared "h2c" (HTTP/2 that is not gRPC); declare them "grpc" or remove protocol');
    }
    const protocol = route.protocol ?? (backends.length > 0 && grpc === backends.length ? 'grpc' : 'http');
    if (protocol === 'grpc' && action?.kind === 'redirect') this.problems.add(`${field}.redirect`, 'gRPC clients do not follow redirects; forward the route');
    return protocol;
  }

  private match(route: RouteProps, field: string): MatchIntent {
    const m = route.match ?? {};
    const path = m.path ?? PathMatch.prefix('/');
    this.problems.addAll(`${field}.match.path`, path._problems);
    (m.headers ?? []).forEach((h, i) => this.problems.addAll(`${field}.match.headers[${i}]`, h._problems));
    (m.queryParams ?? []).forEach((q, i) => this.problems.addAll(`${field}.match.queryParams[${i}]`, q._problems));
    if (m.method !== undefined) {
      const problem = methodProblem(m.method);
      if (problem) this.problems.add(`${field}.match.method`, problem);
    }
    // Header names are case-insensitive: lowercased, so that routes compare.
    const headers = (m.headers ?? []).map(({ _spec: h }) => ({ name: h.name.toLowerCase(), kind: h.kind, value: h.value }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const queryParams = (m.queryParams ?? []).map(({ _spec: q }) => ({ name: q.name, kind: q.kind, value: q.value }))
      .sort((a, b) => a.name.localeCompare(b.name));
    duplicatesOf(headers.map((h) => h.name)).forEach((n) => this.problems.add(`${field}.match.headers`, `"${n}" is matched twice; a header has one condition`));
    duplicatesOf(queryParams.map((q) => q.name)).forEach((n) => this.problems.add(`${field}.match.queryParams`, `"${n}" is matched twice; a parameter has one condition`));
    return { path: { kind: path._spec.kind, value: path._spec.value }, headers, queryParams, method: m.method };
  }

  private action(route: RouteProps, field: string, defaultBackend: BackendIntent | undefined): ForwardIntent | RedirectIntent | undefined {
    const declared = (['backend', 'backends', 'redirect'] as const).filter((k) => route[k] !== undefined);
    if (declared.length > 1) {
      this.problems.add(field, `sets ${declared.join(' and ')}; a route forwards to one backend, to weighted backends, or redirects: set one`);
      return undefined;
    }
    if (route.redirect !== undefined) return this.redirect(route.redirect, `${field}.redirect`);
    if (route.backend !== undefined) {
      const backend = this.backend(route.backend, `${field}.backend`);
      return backend && { kind: 'forward', backends: [{ backend, weight: 1 }] };
    }
    if (route.backends !== undefined) return this.weighted(route.backends, `${field}.backends`);
    if (defaultBackend !== undefined) return { kind: 'forward', backends: [{ backend: defaultBackend, weight: 1 }] };
    if (this.props.backend === undefined) {
      this.problems.add(field === 'routes' ? 'backend' : field, field === 'routes'
        ? 'no backend: set backend, or declare routes that each set backend, backends or redirect'
        : `has no backend: set ${field}.backend, backends or redirect, or the ExposedService's backend`);
    }
    return undefined;
  }

  private weighted(backends: NonNullable<RouteProps['backends']>, field: string): ForwardIntent | undefined {
    if (backends.length === 0) {
      this.problems.add(field, 'is empty; list at least one backend');
      return undefined;
    }
    const result: { backend: BackendIntent; weight: number }[] = [];
    backends.forEach((wb, i) => {
      const weight = wb.weight ?? 1;
      if (!Number.isInteger(weight) || weight < 0 || weight > 1_000_000) {
        this.problems.add(`${field}[${i}].weight`, `${weight} is not a weight; use a whole number from 0 to 1000000 (weights are relative)`);
      }
      const backend = this.backend(wb.backend, `${field}[${i}].backend`);
      if (backend === undefined) return;
      if (result.some((r) => r.backend.key === backend.key)) {
        this.problems.add(`${field}[${i}].backend`, `${describe(backend)} is listed twice; give it one weight`);
        return;
      }
      result.push({ backend, weight });
    });
    if (backends.every((wb) => (wb.weight ?? 1) === 0)) this.problems.add(field, 'all weights are 0, so no request could be served; give one backend a weight above 0');
    return { kind: 'forward', backends: result };
  }

  private redirect(r: RedirectOptions, field: string): RedirectIntent {
    const statusCode = r.statusCode ?? 301;
    if (!REDIRECT_CODES.includes(statusCode)) this.problems.add(`${field}.statusCode`, `${statusCode} is not a redirect status; use one of ${REDIRECT_CODES.join(', ')}`);
    if (r.scheme !== undefined && r.scheme !== 'http' && r.scheme !== 'https') this.problems.add(`${field}.scheme`, `"${r.scheme}" is not a scheme; use "http" or "https"`);
    this.check(`${field}.host`, r.host, hostnameWithoutWildcard);
    this.check(`${field}.port`, r.port, (p) => portProblem(p));
    this.check(`${field}.path`, r.path, urlPathProblem);
    if (r.scheme === undefined && r.host === undefined && r.port === undefined && r.path === undefined) {
      this.problems.add(field, 'changes nothing, so it would redirect to the same URL in a loop; set scheme, host, port or path');
    }
    return { kind: 'redirect', scheme: r.scheme, host: r.host, port: r.port, path: r.path, statusCode };
  }

  private retries(r: RetryPolicy, field: string): RetryIntent {
    if (!Number.isInteger(r.attempts) || r.attempts < 0 || r.attempts > 100) {
      this.problems.add(`${field}.attempts`, `${r.attempts} is not a retry count; use a whole number from 0 to 100`);
    }
    const retryOn = [...(r.retryOn ?? DEFAULT_RETRY_ON)];
    retryOn.filter((x) => !RETRY_ON.includes(x)).forEach((x) => this.problems.add(`${field}.retryOn`, `"${x}" is not a retry condition; use ${RETRY_ON.join(', ')}`));
    if (retryOn.length === 0) this.problems.add(`${field}.retryOn`, 'is empty; leave it unset for the default conditions, or set attempts to 0');
    return {
      attempts: r.attempts,
      perTryTimeoutMs: r.perTryTimeout === undefined ? undefined : this.duration(r.perTryTimeout, `${field}.perTryTimeout`),
      retryOn: [...new Set(retryOn)].sort(),
    };
  }

  private rewrite(r: RewriteOptions, field: string): RewriteIntent {
    this.check(`${field}.path`, r.path, urlPathProblem);
    this.check(`${field}.host`, r.host, hostnameWithoutWildcard);
    if (r.path === undefined && r.host === undefined) this.problems.add(field, 'sets neither path nor host; set one or remove the rewrite');
    return { path: r.path, host: r.host };
  }

  private headerEdits(e: HeaderEdits, field: string): HeaderEditsIntent {
    const entries = (kind: 'set' | 'add') => Object.entries(e[kind] ?? {}).map(([name, value]) => {
      this.check(`${field}.${kind}`, name, headerNameProblem);
      this.check(`${field}.${kind}`, value, (v) => headerValueProblem(name, v));
      return { name: name.toLowerCase(), value };
    }).sort((a, b) => a.name.localeCompare(b.name));
    const set = entries('set');
    const add = entries('add');
    const remove = [...new Set((e.remove ?? []).map((n) => {
      this.check(`${field}.remove`, n, headerNameProblem);
      return n.toLowerCase();
    }))].sort();
    duplicatesOf(set.map((s) => s.name)).forEach((n) => this.problems.add(`${field}.set`, `"${n}" is set twice (header names are case-insensitive)`));
    for (const name of remove) {
      if (set.some((s) => s.name === name) || add.some((a) => a.name === name)) {
        this.problems.add(`${field}.remove`, `"${name}" is both removed and set or added; keep one`);
      }
    }
    if (set.length + add.length + remove.length === 0) this.problems.add(field, 'edits nothing; set, add or remove a header, or remove the edit');
    return { set, add, remove };
  }

  /**
   * The route's response header edits: the declared ones, and a deprecation's headers (see
   * `deprecationHeaders`), which the declared edits cannot also write. Without declared edits, the
   * deprecation is where the edits come from (`sources.responseHeaders`).
   */
  private responseHeaders(declared: HeaderEdits | undefined, deprecation: Deprecation | undefined,
    sources: Partial<Record<RoutePolicy, string>>): Pick<RouteIntent, 'responseHeaders' | 'deprecation'> {
    const edits = declared === undefined ? undefined : this.headerEdits(declared, sources.responseHeaders!);
    if (deprecation === undefined) return { responseHeaders: edits };
    const field = sources.deprecation!;
    this.problems.addAll(field, deprecation._problems);
    const intent: DeprecationIntent = { ...deprecation._spec };
    if (edits !== undefined) {
      const kinds = [['set', edits.set.map((h) => h.name)], ['add', edits.add.map((h) => h.name)], ['remove', edits.remove]] as const;
      for (const [kind, names] of kinds) {
        names.filter((n) => (DEPRECATION_HEADER_NAMES as readonly string[]).includes(n)).forEach((n) => this.problems.add(`${sources.responseHeaders!}.${kind}`,
          `"${n}" is a header of ${field} (Deprecation, Sunset and its Link); remove it from the edits, or the deprecation`));
      }
    } else {
      sources.responseHeaders = field;
    }
    // A deprecation with problems writes no headers: its dates are not known.
    return { responseHeaders: deprecation._problems.length > 0 ? edits : withDeprecationHeaders(edits, intent), deprecation: intent };
  }

  private mirror(m: { backend: Backend; percentage?: number }, field: string): MirrorIntent | undefined {
    const percentage = m.percentage ?? 100;
    this.check(`${field}.percentage`, percentage, (p) => percentageProblem(p, 'percentage'));
    const backend = this.backend(m.backend, `${field}.backend`);
    return backend && { backend, percentage };
  }

  private auth(auth: Auth, field: string): AuthIntent | undefined {
    this.problems.addAll(field, auth._problems);
    const spec = auth._spec;
    if (spec.kind === 'jwt') return { ...spec, audiences: [...spec.audiences] };
    if (spec.kind !== 'external') return { ...spec };
    // The auth service is a backend like any other: resolved, checked and listed (Services
    // provisioned, cross-namespace grants, network policies).
    const service = this.backend(spec.service, `${field}.service`);
    if (service === undefined) return undefined;
    if (service.protocol !== 'http') this.problems.add(`${field}.service`, `the auth service is declared with protocol "${service.protocol}"; external authentication sends it HTTP/1.1 requests: use an HTTP port`);
    return {
      kind: 'external',
      service,
      pathPrefix: spec.path,
      forwardHeaders: [...spec.forwardHeaders],
      responseHeaders: [...spec.responseHeaders],
      signinUrl: spec.signinUrl,
    };
  }

  private fault(f: FaultPolicy, field: string): FaultIntent {
    if (f.abort === undefined && f.delay === undefined) this.problems.add(field, 'sets neither abort nor delay; set one or remove the fault');
    if (f.abort !== undefined) {
      const s = f.abort.httpStatus;
      if (!Number.isInteger(s) || s < 200 || s > 599) this.problems.add(`${field}.abort.httpStatus`, `${s} is not an HTTP status; use 200-599`);
      this.check(`${field}.abort.percentage`, f.abort.percentage, (p) => percentageProblem(p, 'percentage'));
    }
    if (f.delay !== undefined) this.check(`${field}.delay.percentage`, f.delay.percentage, (p) => percentageProblem(p, 'percentage'));
    return {
      abort: f.abort && { httpStatus: f.abort.httpStatus, percentage: f.abort.percentage },
      delay: f.delay && { fixedDelayMs: this.duration(f.delay.fixedDelay, `${field}.delay.fixedDelay`), percentage: f.delay.percentage },
    };
  }

  private cors(c: CorsPolicy, field: string): CorsIntent {
    if (c.allowOrigins.length === 0) this.problems.add(`${field}.allowOrigins`, 'is empty; list the origins allowed, e.g. "https://app.example.com"');
    c.allowOrigins.forEach((o, i) => this.check(`${field}.allowOrigins[${i}]`, o, originProblem));
    (c.allowMethods ?? []).forEach((m, i) => this.check(`${field}.allowMethods[${i}]`, m, methodProblem));
    (c.allowHeaders ?? []).forEach((h, i) => this.check(`${field}.allowHeaders[${i}]`, h, headerNameProblem));
    (c.exposeHeaders ?? []).forEach((h, i) => this.check(`${field}.exposeHeaders[${i}]`, h, headerNameProblem));
    if (c.allowCredentials && c.allowOrigins.includes('*')) {
      this.problems.add(`${field}.allowCredentials`, 'browsers refuse credentials with origin "*"; list the origins instead');
    }
    let maxAgeSeconds;
    if (c.maxAge !== undefined) {
      const ms = this.duration(c.maxAge, `${field}.maxAge`);
      if (ms % 1000 !== 0) this.problems.add(`${field}.maxAge`, 'Access-Control-Max-Age is whole seconds; use Duration.seconds(n)');
      maxAgeSeconds = Math.floor(ms / 1000);
    }
    return {
      allowOrigins: [...c.allowOrigins],
      allowMethods: [...(c.allowMethods ?? ['GET', 'HEAD', 'POST'])],
      allowHeaders: (c.allowHeaders ?? []).map((h) => h.toLowerCase()),
      exposeHeaders: (c.exposeHeaders ?? []).map((h) => h.toLowerCase()),
      allowCredentials: c.allowCredentials ?? false,
      maxAgeSeconds,
    };
  }

  /** Durations are positive whole milliseconds: a zero timeout is no timeout, so leave it unset. */
  private duration(d: Duration, field: string): number {
    // Not integral: a fractional duration is a problem to report with its field, not a bare error.
    const ms = d.toMilliseconds({ integral: false });
    if (!Number.isFinite(ms) || ms <= 0) this.problems.add(field, `${ms}ms is not a positive duration; leave it unset for the default`);
    else if (!Number.isInteger(ms)) this.problems.add(field, `${ms}ms is not a whole number of milliseconds`);
    // The longest duration every target writes: Gateway API's grammar has at most 5 digits per unit.
    else if (ms > MAX_DURATION_MS) this.problems.add(field, `${ms}ms is longer than 99999 hours, the longest duration every strategy can write`);
    return ms;
  }

  /** A body limit in bytes: every target writes a whole number of bytes exactly (nginx and ingress-nginx in k/m/g when whole). */
  private bodySize(size: Size, field: string): number {
    const bytes = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) * 1024;
    if (!Number.isFinite(bytes) || bytes <= 0) this.problems.add(field, `${bytes} bytes is not a positive size; leave it unset for the default`);
    else if (!Number.isInteger(bytes)) this.problems.add(field, `${bytes} bytes is not a whole number of bytes`);
    else if (bytes > Number.MAX_SAFE_INTEGER) this.problems.add(field, `${bytes} bytes is more than ${Number.MAX_SAFE_INTEGER}, the largest size written exactly`);
    return bytes;
  }

  private checkDuplicateMatches(routes: RouteIntent[]): void {
    const seen = new Map<string, string>();
    for (const route of routes) {
      const key = JSON.stringify(route.match);
      const first = seen.get(key);
      if (first !== undefined) {
        this.problems.add(`${route.field}.match`, `takes the same requests as ${first}.match (${describeMatch(route.match)}) on the same hosts; merge the routes or tell them apart`);
      } else {
        seen.set(key, route.field);
      }
    }
  }

  /**
   * Every route reaching a backend declares the same affinity (or none): it is how that backend's
   * endpoints share requests, one setting per backend on Istio (DestinationRule), ingress-nginx
   * (its upstream) and the Services.
   */
  private checkAffinityPerBackend(routes: RouteIntent[]): void {
    const first = new Map<string, RouteIntent>();
    for (const route of routes) {
      if (route.action.kind !== 'forward') continue;
      for (const { backend } of route.action.backends) {
        const other = first.get(backend.key);
        if (other === undefined) {
          first.set(backend.key, route);
        } else if (describeAffinity(other.affinity) !== describeAffinity(route.affinity)) {
          this.problems.add(route.sources.affinity ?? route.field, `reaches backend ${describe(backend)} with affinity ${describeAffinity(route.affinity)}, `
            + `but ${other.field} reaches it with affinity ${describeAffinity(other.affinity)}; affinity is how one backend's pods share requests: declare the same on every route to it`);
        }
      }
    }
  }

  private check<T>(field: string, value: T | undefined, problemOf: (v: T) => string | undefined): void {
    if (value === undefined) return;
    const problem = problemOf(value);
    if (problem) this.problems.add(field, problem);
  }
}

function hostnameWithoutWildcard(host: string): string | undefined {
  return host.includes('*') ? `"${host}" is a wildcard; a rewrite or redirect needs one host` : hostnameProblem(host);
}

function accessIntent(spec: AccessSpec): AccessIntent {
  return { allow: spec.allow === undefined ? undefined : [...spec.allow], deny: [...spec.deny] };
}

function affinityIntent(spec: AffinitySpec): AffinityIntent {
  return { ...spec };
}

function duplicatesOf(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

function describe(b: BackendIntent): string {
  return `${b.namespace ? `${b.namespace}/` : ''}${b.name}:${b.port}`;
}
