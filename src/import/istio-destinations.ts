/**
 * Istio destinations as declaration backends: a `host` names a Service of the cluster, a `subset`
 * names labels of a DestinationRule, and the DestinationRule's traffic policy becomes the
 * declaration's circuit breaker, session affinity and the strategy's load balancer.
 */
import { Expr, lib, num, obj, str } from './code';
import { durationExpr, durationMs, namespaceOf, servicePort, unknownFields } from './mesh-values';
import { Loss } from './model';

/** A Service named by an Istio host. */
export interface ServiceName {
  readonly name: string;
  readonly namespace: string;
}

/**
 * The Service an Istio `host` names, resolved as Istio does: a short `name` in the object's
 * namespace, or the FQDN `name.ns.svc.cluster.local`. Istio expands short names only: `name.ns` and
 * `name.ns.svc` are taken as they are (no Service of its registry), and other hosts (ServiceEntries,
 * external names, another cluster domain) are not Services the declaration can name.
 */
export function serviceOfHost(host: unknown, namespace: string): ServiceName | undefined {
  if (typeof host !== 'string') return undefined;
  const labels = host.split('.');
  const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  if (!labels.slice(0, 2).every((l) => label.test(l))) return undefined;
  if (labels.length === 1) return { name: labels[0], namespace };
  if (labels.length === 5 && host.endsWith('.svc.cluster.local')) {
    return { name: labels[0], namespace: labels[1] };
  }
  return undefined;
}

/** Why a host is not read as a Service. */
export function notAServiceReason(host: unknown): string {
  const partial = typeof host === 'string' && /^[a-z0-9-]+\.[a-z0-9-]+(\.svc)?$/.test(host);
  return partial
    ? `"${host}": Istio expands a short name only (name, in the namespace of the rule) and takes this host as it is, not as a Service; `
      + 'the declaration names Services (name, or name.namespace.svc.cluster.local)'
    : `"${host}" is not a Service of the cluster (name, or name.namespace.svc.cluster.local)`;
}

/** A DestinationRule of the input, by the Service it is for. */
export interface DestinationRuleOf {
  readonly manifest: Readonly<Record<string, any>>;
  readonly service: ServiceName;
  readonly source: string;
}

/** Finds the DestinationRule of a Service (Istio takes the one in the Service's namespace first). */
export function destinationRuleOf(rules: readonly DestinationRuleOf[], service: ServiceName): DestinationRuleOf | undefined {
  const matching = rules.filter((r) => r.service.name === service.name && r.service.namespace === service.namespace);
  return matching.find((r) => namespaceOf(r.manifest) === service.namespace) ?? matching[0];
}

/** What reading a destination needs: the input (Services, DestinationRules) and where the VirtualService lives. */
export interface DestinationContext {
  readonly documents: readonly Readonly<Record<string, any>>[];
  readonly rules: readonly DestinationRuleOf[];
  readonly namespace: string;
  readonly source: string;
  /** The DestinationRules the exposure uses (their policies are read once per exposure). */
  readonly used: Set<DestinationRuleOf>;
}

/** `Backend.fromName(name, port, { namespace, subset })` of an Istio `destination`, or the losses that keep it out. */
export function backendOfDestination(destination: any, field: string, ctx: DestinationContext):
{ backend?: Expr; service?: ServiceName; losses: Loss[] } {
  const losses: Loss[] = unknownFields(destination, ['host', 'port', 'subset'], ctx.source, field);
  const service = serviceOfHost(destination?.host, ctx.namespace);
  if (service === undefined) {
    return { losses: [...losses, { source: ctx.source, field: `${field}.host`, kind: 'unsupported', reason: notAServiceReason(destination?.host) }] };
  }
  const port = servicePort(ctx.documents, service.namespace, service.name, destination?.port?.number);
  if (port === undefined) {
    return {
      losses: [...losses, {
        source: ctx.source,
        field: `${field}.port`,
        kind: 'invalid',
        reason: `no port: the Service ${service.namespace}/${service.name} is not in the input with exactly one port; a backend needs its port`,
      }],
    };
  }
  let subset: Expr | undefined;
  if (destination?.subset !== undefined) {
    const rule = destinationRuleOf(ctx.rules, service);
    const found = (Array.isArray(rule?.manifest.spec?.subsets) ? rule!.manifest.spec.subsets : []).find((s: any) => s?.name === destination.subset);
    if (rule === undefined || found === undefined || typeof found.labels !== 'object' || found.labels === null) {
      return {
        losses: [...losses, {
          source: ctx.source,
          field: `${field}.subset`,
          kind: 'invalid',
          reason: `subset "${destination.subset}" of ${service.namespace}/${service.name} has no DestinationRule with its labels in the input`,
        }],
      };
    }
    ctx.used.add(rule);
    const labels = obj(Object.fromEntries(Object.entries(found.labels).map(([k, v]) => [k, str(String(v))])));
    subset = obj({ name: str(String(found.name)), labels });
    losses.push(...unknownFields(found, ['name', 'labels'], rule.source, `spec.subsets[${rule.manifest.spec.subsets.indexOf(found)}]`));
  } else {
    const rule = destinationRuleOf(ctx.rules, service);
    if (rule !== undefined) ctx.used.add(rule);
  }
  const options = obj({ namespace: service.namespace === ctx.namespace ? undefined : str(service.namespace), subset });
  const hasOptions = options.kind === 'object' && options.entries.length > 0;
  return { backend: lib('Backend.fromName', str(service.name), num(port), ...(hasOptions ? [options] : [])), service, losses };
}

/** What the DestinationRules of one exposure declare: exposure and strategy settings, and the routes' affinity per Service. */
export interface DestinationPolicies {
  readonly circuitBreaker?: Expr;
  readonly loadBalancer?: string;
  readonly maxRequestsPerConnection?: number;
  /** `SessionAffinity` expressions by `namespace/name`. */
  readonly affinity: ReadonlyMap<string, Expr>;
  readonly losses: Loss[];
}

const LOAD_BALANCERS = ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'PASSTHROUGH'];

/**
 * The traffic policies of the DestinationRules an exposure uses. The declaration has one circuit
 * breaker per exposure and the strategy one load balancer for every backend: rules that disagree
 * keep the first rule's and the others are losses.
 */
export function destinationPolicies(rules: readonly DestinationRuleOf[]): DestinationPolicies {
  const losses: Loss[] = [];
  const affinity = new Map<string, Expr>();
  let circuitBreaker: { expr: Expr; text: string; source: string } | undefined;
  let loadBalancer: { value: string; source: string } | undefined;
  let perConnection: { value: number; source: string } | undefined;
  for (const rule of rules) {
    const spec = rule.manifest.spec ?? {};
    const src = rule.source;
    losses.push(...unknownFields(spec, ['host', 'subsets', 'trafficPolicy'], src, 'spec'));
    const policy = spec.trafficPolicy;
    if (policy === undefined) continue;
    losses.push(...unknownFields(policy, ['loadBalancer', 'connectionPool', 'outlierDetection'], src, 'spec.trafficPolicy'));
    const lb = policy.loadBalancer;
    if (lb !== undefined) {
      losses.push(...unknownFields(lb, ['simple', 'consistentHash'], src, 'spec.trafficPolicy.loadBalancer'));
      if (lb.simple !== undefined) {
        if (!LOAD_BALANCERS.includes(lb.simple)) {
          losses.push({ source: src, field: 'spec.trafficPolicy.loadBalancer.simple', kind: 'unsupported', reason: `${lb.simple}: the istio strategy's loadBalancer is one of ${LOAD_BALANCERS.join(', ')}` });
        } else if (loadBalancer !== undefined && loadBalancer.value !== lb.simple) {
          losses.push({ source: src, field: 'spec.trafficPolicy.loadBalancer.simple', kind: 'unsupported', reason: `one load balancer for every backend of the exposure: ${loadBalancer.value} of ${loadBalancer.source} is kept` });
        } else {
          loadBalancer = { value: lb.simple, source: src };
        }
      }
      if (lb.consistentHash !== undefined) {
        const hash = affinityOf(lb.consistentHash, src);
        losses.push(...hash.losses);
        if (hash.expr !== undefined) affinity.set(`${rule.service.namespace}/${rule.service.name}`, hash.expr);
      }
    }
    const pool = policy.connectionPool;
    const outlier = policy.outlierDetection;
    const cb = circuitBreakerOf(pool, outlier, src);
    losses.push(...cb.losses);
    if (cb.perConnection !== undefined) {
      if (perConnection !== undefined && perConnection.value !== cb.perConnection) {
        losses.push({ source: src, field: 'spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection', kind: 'unsupported', reason: `one setting for every backend of the exposure: ${perConnection.value} of ${perConnection.source} is kept` });
      } else {perConnection = { value: cb.perConnection, source: src };}
    }
    if (cb.expr !== undefined) {
      const text = JSON.stringify(cb.expr);
      if (circuitBreaker !== undefined && circuitBreaker.text !== text) {
        losses.push({ source: src, field: 'spec.trafficPolicy', kind: 'unsupported', reason: `one circuit breaker per exposure: the one of ${circuitBreaker.source} is kept` });
      } else {circuitBreaker = { expr: cb.expr, text, source: src };}
    }
  }
  return {
    circuitBreaker: circuitBreaker?.expr, loadBalancer: loadBalancer?.value, maxRequestsPerConnection: perConnection?.value, affinity, losses,
  };
}

/** `consistentHash` as a SessionAffinity: a cookie, a header or the client address. */
function affinityOf(hash: any, source: string): { expr?: Expr; losses: Loss[] } {
  const field = 'spec.trafficPolicy.loadBalancer.consistentHash';
  const losses = unknownFields(hash, ['httpCookie', 'httpHeaderName', 'useSourceIp'], source, field);
  if (hash?.httpCookie !== undefined) {
    const c = hash.httpCookie;
    losses.push(...unknownFields(c, ['name', 'path', 'ttl'], source, `${field}.httpCookie`));
    const ttl = c.ttl === undefined ? undefined : durationMs(c.ttl);
    if (c.ttl !== undefined && ttl === undefined) losses.push({ source, field: `${field}.httpCookie.ttl`, kind: 'invalid', reason: `"${c.ttl}" is not a duration` });
    // Envoy sets no cookie without a ttl, and a session cookie with 0s (what SessionAffinity.cookie without ttl renders).
    if (c.ttl === undefined) losses.push({ source, field: `${field}.httpCookie.ttl`, kind: 'unsupported', reason: 'without a ttl Envoy only hashes a cookie the client has; the declaration\'s cookie affinity sets one' });
    return {
      expr: lib('SessionAffinity.cookie', obj({
        name: str(String(c.name)),
        ttl: ttl === undefined || ttl === 0 ? undefined : durationExpr(ttl),
        path: typeof c.path === 'string' ? str(c.path) : undefined,
      })),
      losses,
    };
  }
  if (typeof hash?.httpHeaderName === 'string') return { expr: lib('SessionAffinity.header', str(hash.httpHeaderName)), losses };
  if (hash?.useSourceIp === true) return { expr: lib('SessionAffinity.clientIp'), losses };
  return { losses };
}

/** `connectionPool` and `outlierDetection` as `CircuitBreaker.of(...)`, as the istio strategy renders it. */
function circuitBreakerOf(pool: any, outlier: any, source: string): { expr?: Expr; perConnection?: number; losses: Loss[] } {
  const losses: Loss[] = [];
  const field = 'spec.trafficPolicy';
  losses.push(...unknownFields(pool, ['tcp', 'http'], source, `${field}.connectionPool`));
  losses.push(...unknownFields(pool?.tcp, ['maxConnections'], source, `${field}.connectionPool.tcp`));
  losses.push(...unknownFields(pool?.http, ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection'], source, `${field}.connectionPool.http`));
  losses.push(...unknownFields(outlier, ['consecutive5xxErrors', 'interval', 'baseEjectionTime', 'maxEjectionPercent'], source, `${field}.outlierDetection`));
  const duration = (name: string, value: unknown): Expr | undefined => {
    if (value === undefined) return undefined;
    const ms = durationMs(value);
    if (ms === undefined) losses.push({ source, field: `${field}.outlierDetection.${name}`, kind: 'invalid', reason: `"${String(value)}" is not a duration` });
    return ms === undefined ? undefined : durationExpr(ms);
  };
  const n = (value: unknown): Expr | undefined => (typeof value === 'number' ? num(value) : undefined);
  const entries = {
    maxConnections: n(pool?.tcp?.maxConnections),
    maxPendingRequests: n(pool?.http?.http1MaxPendingRequests),
    maxRequests: n(pool?.http?.http2MaxRequests),
    consecutiveErrors: n(outlier?.consecutive5xxErrors),
    interval: duration('interval', outlier?.interval),
    ejectionTime: duration('baseEjectionTime', outlier?.baseEjectionTime),
    maxEjectedPercent: n(outlier?.maxEjectionPercent),
  };
  const any = Object.values(entries).some((e) => e !== undefined);
  const perConnection = typeof pool?.http?.maxRequestsPerConnection === 'number' ? pool.http.maxRequestsPerConnection : undefined;
  return { expr: any ? lib('CircuitBreaker.of', obj(entries)) : undefined, perConnection, losses };
}
