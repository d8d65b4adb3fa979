import { ngfDuration } from './nginx-gateway-fabric-duration';
import { Problem } from '../../../core/errors';
import { AffinityIntent, describeAffinity, ExposureIntent, policyField, RouteIntent } from '../../../intent/model';
import { nginxSize } from '../../shared/nginx-size';

/** A size NGINX Gateway Fabric's CRDs admit: at most 4 digits and an optional unit (`Size`). */
const NGF_SIZE = /^\d{1,4}(k|m|g)?$/;
/** A header name whose nginx variable `$http_<name>` NGINX Gateway Fabric's `hashMethodKey` admits (`^\$[a-z_]+$`); `_` is refused as nginx ignores such headers. */
const HASHABLE_HEADER = /^[a-z]+(-[a-z]+)*$/;
/** Where a per-rule feature goes instead: implementations and strategies that attach it to one rule. */
const PER_RULE = 'use gatewayApi with envoyGateway, or apiGateway';

/** The options of the implementation that change what it can render. */
export interface NginxGatewayFabricCheckOptions {
  readonly experimental: boolean;
  readonly nginxPlus: boolean;
}

/**
 * What NGINX Gateway Fabric cannot express of an intent its row admits: every problem, in the
 * order of the features and the routes. (JWT is refused by its row: the AuthenticationFilter's JWT
 * needs NGINX Plus and, in v2.6, checks neither the issuer nor the audiences.)
 */
export function nginxGatewayFabricProblems(intent: ExposureIntent, options: NginxGatewayFabricCheckOptions): Problem[] {
  return [
    ...rateLimitProblems(intent),
    ...bodySizeProblems(intent),
    ...timeoutProblems(intent),
    ...affinityProblems(intent, options),
  ];
}

/**
 * nginx's limit_req: a zone per RateLimitPolicy and route object it targets (no rule by
 * sectionName), shared by the object's rules. So one declared limit must cover exactly the routes
 * of one route object: all routes of one protocol, and none of the other. The key is the client
 * address: NGINX Gateway Fabric does not authenticate API keys.
 */
function rateLimitProblems(intent: ExposureIntent): Problem[] {
  const limited = intent.routes.filter((r) => r.rateLimit !== undefined);
  if (limited.length === 0) return [];
  const sources = [...new Set(limited.map((r) => policyField(r, 'rateLimit')))];
  const perKey = new Set(limited.filter((r) => r.rateLimit!.key !== 'client-ip').map((r) => policyField(r, 'rateLimit')));
  const problems: Problem[] = [...perKey].map((field) => ({
    field: `${field}.key`,
    message: 'NGINX Gateway Fabric does not authenticate API keys, so it counts a rate limit per client address only; use key "client-ip", or apiGateway',
  }));
  const protocol = limited[0].protocol;
  const oneObject = sources.length === 1
    && intent.routes.every((r) => (r.protocol === protocol) === (r.rateLimit !== undefined));
  if (!oneObject) {
    problems.push(...sources.map((field) => ({
      field,
      message: 'NGINX Gateway Fabric attaches a RateLimitPolicy to a whole HTTPRoute or GRPCRoute (no rule by sectionName) and counts it per route object: '
        + `declare one rate limit for all the routes of one protocol (on the exposure, or on its only route); or ${PER_RULE}`,
    })));
  }
  return problems;
}

/**
 * client_max_body_size from a ClientSettingsPolicy, which targets a whole route object: every
 * route of a protocol with a body size declares the same one; and the size is written in at most
 * 4 digits (the CRD's `Size`).
 */
function bodySizeProblems(intent: ExposureIntent): Problem[] {
  const problems: Problem[] = [];
  for (const protocol of ['http', 'grpc'] as const) {
    const routes = intent.routes.filter((r) => r.protocol === protocol);
    const declared = routes.filter((r) => r.maxRequestBodyBytes !== undefined);
    if (declared.length === 0) continue;
    if (routes.some((r) => r.maxRequestBodyBytes !== declared[0].maxRequestBodyBytes)) {
      problems.push(...[...new Set(declared.map((r) => policyField(r, 'maxRequestBody')))].map((field) => ({
        field,
        message: 'NGINX Gateway Fabric attaches a ClientSettingsPolicy to a whole HTTPRoute or GRPCRoute (no rule by sectionName): '
          + `declare one body size for all the routes of a protocol (on the exposure); or ${PER_RULE}`,
      })));
    }
  }
  const fields = new Map(intent.routes.filter((r) => r.maxRequestBodyBytes !== undefined).map((r) => [policyField(r, 'maxRequestBody'), r.maxRequestBodyBytes!]));
  for (const [field, bytes] of fields) {
    const size = nginxSize(bytes);
    if (!NGF_SIZE.test(size)) {
      problems.push({ field, message: `NGINX Gateway Fabric takes a size of at most 4 digits and a unit (k, m or g); ${bytes} bytes is ${size} in nginx's syntax: round it` });
    }
  }
  return problems;
}

/**
 * NGINX Gateway Fabric ignores a rule's `timeouts`; a ProxySettingsPolicy on the whole route object
 * sets nginx's proxy timeouts instead (as the NGINX engine does): one timeout for all the routes
 * of a protocol, in at most 4 digits of one unit (the CRD's `Duration`).
 */
function timeoutProblems(intent: ExposureIntent): Problem[] {
  const problems: Problem[] = [];
  for (const protocol of ['http', 'grpc'] as const) {
    const routes = intent.routes.filter((r) => r.protocol === protocol);
    const declared = routes.filter((r) => r.timeoutMs !== undefined);
    if (declared.length === 0 || routes.every((r) => r.timeoutMs === declared[0].timeoutMs)) continue;
    problems.push(...[...new Set(declared.map((r) => policyField(r, 'timeout')))].map((field) => ({
      field,
      message: 'NGINX Gateway Fabric ignores a rule\'s timeouts and sets nginx\'s proxy timeouts by a ProxySettingsPolicy on a whole HTTPRoute or GRPCRoute: '
        + `declare one timeout for all the routes of a protocol (on the exposure); or ${PER_RULE}`,
    })));
  }
  const fields = new Map(intent.routes.filter((r) => r.timeoutMs !== undefined).map((r) => [policyField(r, 'timeout'), r.timeoutMs!]));
  for (const [field, ms] of fields) {
    if (ngfDuration(ms) === undefined) {
      problems.push({ field, message: `NGINX Gateway Fabric takes a duration of at most 4 digits in one unit (ms, s, m or h); ${ms}ms is not one` });
    }
  }
  return problems;
}

/**
 * Affinity by a hash is set on the backend Service (UpstreamSettingsPolicy), so it holds for every
 * route to that Service: each route and stream of the exposure that reaches it must declare the
 * same (the exposures of the app: nginx-gateway-fabric-services.ts). A cookie is NGINX Plus's
 * sticky cookie, Secure: only with `nginxPlus` and over HTTPS.
 */
function affinityProblems(intent: ExposureIntent, options: NginxGatewayFabricCheckOptions): Problem[] {
  const problems: Problem[] = [];
  for (const route of intent.routes) {
    const a = route.affinity;
    if (a === undefined) continue;
    const field = policyField(route, 'affinity');
    if (a.kind === 'cookie' && !options.nginxPlus) {
      problems.push({
        field,
        message: 'NGINX Gateway Fabric renders a cookie affinity (sessionPersistence) with NGINX Plus only: '
        + 'set GatewayImplementation.nginxGatewayFabric({ nginxPlus: true }), or use SessionAffinity.header or SessionAffinity.clientIp',
      });
    } else if (a.kind === 'cookie' && intent.tls === undefined) {
      problems.push({ field, message: 'NGINX Gateway Fabric\'s session cookie is Secure, which a browser keeps over HTTPS only: declare tls, or use SessionAffinity.header or SessionAffinity.clientIp' });
    } else if (a.kind === 'header' && !HASHABLE_HEADER.test(a.name)) {
      problems.push({ field, message: `NGINX Gateway Fabric hashes a header by its nginx variable, which takes the letters and '-' of its name only; ${a.name} has others` });
    }
  }
  const seen = new Set<string>();
  for (const route of intent.routes) {
    const a = route.affinity;
    if (a === undefined || a.kind === 'cookie' || route.action.kind !== 'forward') continue;
    const field = policyField(route, 'affinity');
    for (const service of new Set(servicesOf(route, intent.namespace))) {
      const ports = route.action.backends.filter((b) => serviceOf(b.backend, intent.namespace) === service).map((b) => b.backend.port);
      const other = otherUse(intent, service, a, ports);
      if (other === undefined || seen.has(`${field} ${service}`)) continue;
      seen.add(`${field} ${service}`);
      problems.push({
        field,
        message: `NGINX Gateway Fabric sets the affinity on the whole Service (UpstreamSettingsPolicy), and ${other} also reaches Service ${service}: `
          + 'give every route and port of it the same affinity',
      });
    }
  }
  return problems;
}

/** The Services (`namespace/name`, or `name` in the exposure's namespace) a route forwards to. */
function servicesOf(route: RouteIntent, namespace: string | undefined): string[] {
  return route.action.kind === 'forward' ? route.action.backends.map((b) => serviceOf(b.backend, namespace)) : [];
}

function serviceOf(b: { readonly name: string; readonly namespace?: string }, namespace: string | undefined): string {
  return b.namespace === undefined || b.namespace === namespace ? b.name : `${b.namespace}/${b.name}`;
}

/**
 * A route or stream reaching the Service with an affinity other than `a`, in words. Routes to the
 * same backend port are the intent's own check (one affinity per backend); a policy on the
 * Service also holds for its other ports.
 */
function otherUse(intent: ExposureIntent, service: string, a: AffinityIntent, ports: readonly number[]): string | undefined {
  const route = intent.routes.find((r) => describeAffinity(r.affinity) !== describeAffinity(a) && r.action.kind === 'forward'
    && r.action.backends.some((b) => serviceOf(b.backend, intent.namespace) === service && !ports.includes(b.backend.port)));
  if (route !== undefined) return `${route.field} (affinity ${describeAffinity(route.affinity)}, another port)`;
  const stream = intent.streams.find((s) => serviceOf(s.backend, intent.namespace) === service);
  return stream === undefined ? undefined : `${stream.field} (a ${stream.kind} stream)`;
}

