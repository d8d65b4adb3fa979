/**
 * Envoy Gateway's BackendTrafficPolicy and SecurityPolicy attached to an imported route, read back
 * into the declaration's features as `GatewayImplementation.envoyGateway()` renders them: a local
 * rate limit per client address, the request body limit, retries, consistent-hash affinity, the
 * client IP lists, API keys, basic auth, JWT and external authentication. What the renderer does
 * not write is a loss.
 */
import { arr, cdk8s, Expr, lib, num, obj, str } from './code';
import { describe, durationExpr, durationMs, list, namespaceOf, unknownFields } from './mesh-values';
import { Loss } from './model';

type Manifest = Readonly<Record<string, any>>;

/** The RouteProps the policies give a whole route object, or one of its rules by name. */
export interface EnvoyGatewayPolicies {
  readonly whole: Readonly<Record<string, Expr>>;
  readonly byRule: ReadonlyMap<string, Readonly<Record<string, Expr>>>;
  readonly losses: Loss[];
  /** Whether any policy targets the route (the strategy then has the Envoy Gateway implementation). */
  readonly any: boolean;
  /** The policies that target it (sources of the exposure). */
  readonly policies: readonly Manifest[];
}

const isEnvoyGateway = (d: Manifest): boolean => typeof d.apiVersion === 'string' && d.apiVersion.startsWith('gateway.envoyproxy.io/');

/** Whether a manifest is Envoy Gateway's. */
export function isEnvoyGatewayManifest(d: Manifest): boolean {
  return isEnvoyGateway(d);
}

/** The policies of the input that target `route` (`targetRefs`, same namespace). */
export function policiesOfRoute(documents: readonly Manifest[], route: Manifest, used: Set<Manifest>): EnvoyGatewayPolicies {
  const whole: Record<string, Expr> = {};
  const byRule = new Map<string, Record<string, Expr>>();
  const losses: Loss[] = [];
  let any = false;
  const found: Manifest[] = [];
  for (const policy of documents.filter((d) => isEnvoyGateway(d) && (d.kind === 'BackendTrafficPolicy' || d.kind === 'SecurityPolicy')
    && namespaceOf(d) === namespaceOf(route))) {
    const refs: any[] = Array.isArray(policy.spec?.targetRefs) ? policy.spec.targetRefs : policy.spec?.targetRef ? [policy.spec.targetRef] : [];
    const targeting = refs.filter((t) => t?.kind === route.kind && t?.name === route.metadata?.name);
    if (targeting.length === 0) continue;
    used.add(policy);
    found.push(policy);
    any = true;
    const source = describe(policy);
    const read = policy.kind === 'BackendTrafficPolicy' ? trafficProps(policy.spec, source) : securityProps(policy.spec, source);
    losses.push(...read.losses);
    for (const t of targeting) {
      const into = t.sectionName === undefined ? whole : byRule.get(String(t.sectionName)) ?? {};
      Object.assign(into, read.props);
      if (t.sectionName !== undefined) byRule.set(String(t.sectionName), into);
    }
  }
  return { whole, byRule, losses, any, policies: found };
}

const LOCAL_UNITS: Record<string, string> = { Second: 'RateLimit.perSecond', Minute: 'RateLimit.perMinute' };
const EVERY_CLIENT = ['0.0.0.0/0', '::/0'];
const TRIGGERS = ['5xx', 'gateway-error', 'connect-failure', 'reset', 'retriable-4xx'];

function trafficProps(spec: any, source: string): { props: Record<string, Expr>; losses: Loss[] } {
  const losses = unknownFields(spec, ['targetRefs', 'targetRef', 'rateLimit', 'requestBuffer', 'retry', 'loadBalancer'], source, 'spec');
  const props: Record<string, Expr> = {};
  const rules: any[] = list(spec?.rateLimit?.local?.rules);
  if (spec?.rateLimit !== undefined) {
    const limits = rules.map((r) => `${r?.limit?.requests}/${r?.limit?.unit}`);
    const cidrs = rules.map((r) => r?.clientSelectors?.[0]?.sourceCIDR);
    // The renderer's shape: one Distinct source range per address family, the same limit in each.
    const perClient = rules.length === 2 && new Set(limits).size === 1 && cidrs.every((c) => c?.type === 'Distinct')
      && EVERY_CLIENT.every((v) => cidrs.some((c) => c?.value === v)) && LOCAL_UNITS[rules[0].limit.unit] !== undefined
      && unknownFields(spec.rateLimit, ['local'], source, '').length === 0;
    if (perClient) {
      const n = rules[0].limit.requests;
      props.rateLimit = lib(LOCAL_UNITS[rules[0].limit.unit], num(n), obj({ burst: num(n) }));
    } else {
      losses.push({ source, field: 'spec.rateLimit', kind: 'unsupported', reason: 'only a local limit per client address (Distinct 0.0.0.0/0 and ::/0) is a RateLimit of the declaration' });
    }
  }
  if (spec?.requestBuffer !== undefined) {
    const limit = spec.requestBuffer.limit;
    const bytes = typeof limit === 'number' ? limit : typeof limit === 'string' && /^\d+$/.test(limit) ? Number(limit) : undefined;
    const mi = typeof limit === 'string' ? /^(\d+)Mi$/.exec(limit) : null;
    const ki = typeof limit === 'string' ? /^(\d+)Ki$/.exec(limit) : null;
    if (bytes !== undefined && bytes > 0 && bytes % 1_048_576 === 0) props.maxRequestBody = cdk8s('Size.mebibytes', num(bytes / 1_048_576));
    else if (mi) props.maxRequestBody = cdk8s('Size.mebibytes', num(Number(mi[1])));
    else if (ki) props.maxRequestBody = cdk8s('Size.kibibytes', num(Number(ki[1])));
    else if (bytes !== undefined && bytes % 1024 === 0) props.maxRequestBody = cdk8s('Size.kibibytes', num(bytes / 1024));
    else losses.push({ source, field: 'spec.requestBuffer.limit', kind: 'unsupported', reason: `${String(limit)}: the declaration's body size is a whole number of KiB` });
  }
  if (spec?.retry !== undefined) {
    losses.push(...unknownFields(spec.retry, ['numRetries', 'retryOn'], source, 'spec.retry'));
    const triggers: string[] = list(spec.retry.retryOn?.triggers).map(String);
    const unknown = triggers.filter((t) => !TRIGGERS.includes(t));
    if (unknown.length > 0) losses.push({ source, field: 'spec.retry.retryOn.triggers', kind: 'unsupported', reason: `${unknown.join(', ')}: the declaration retries on ${TRIGGERS.join(', ')}` });
    if (spec.retry.retryOn?.httpStatusCodes !== undefined) {
      losses.push({ source, field: 'spec.retry.retryOn.httpStatusCodes', kind: 'unsupported', reason: 'the declaration retries on kinds of failure, not status codes' });
    }
    const kept = triggers.filter((t) => TRIGGERS.includes(t));
    props.retries = obj({ attempts: num(typeof spec.retry.numRetries === 'number' ? spec.retry.numRetries : 2), retryOn: kept.length > 0 ? arr(kept.map(str)) : undefined });
  }
  if (spec?.loadBalancer !== undefined) {
    const hash = spec.loadBalancer.type === 'ConsistentHash' ? spec.loadBalancer.consistentHash : undefined;
    if (hash?.type === 'Cookie' && typeof hash.cookie?.name === 'string') {
      const ttl = durationMs(hash.cookie.ttl);
      props.affinity = lib('SessionAffinity.cookie', obj({
        name: str(hash.cookie.name),
        ttl: ttl === undefined || ttl === 0 ? undefined : durationExpr(ttl),
        path: typeof hash.cookie.attributes?.Path === 'string' ? str(hash.cookie.attributes.Path) : undefined,
      }));
    } else if (hash?.type === 'Header' && typeof hash.header?.name === 'string') {
      props.affinity = lib('SessionAffinity.header', str(hash.header.name));
    } else if (hash?.type === 'SourceIP') {
      props.affinity = lib('SessionAffinity.clientIp');
    } else {
      losses.push({ source, field: 'spec.loadBalancer', kind: 'unsupported', reason: 'only a consistent hash by cookie, header or source address is an affinity of the declaration' });
    }
  }
  return { props, losses };
}

function securityProps(spec: any, source: string): { props: Record<string, Expr>; losses: Loss[] } {
  const losses = unknownFields(spec, ['targetRefs', 'targetRef', 'authorization', 'apiKeyAuth', 'basicAuth', 'jwt', 'extAuth'], source, 'spec');
  const props: Record<string, Expr> = {};
  if (spec?.authorization !== undefined) {
    const rules: any[] = list(spec.authorization.rules);
    const cidrs = (action: string) => rules.filter((r) => r?.action === action)
      .flatMap((r) => list(r?.principal?.clientCIDRs ?? r?.principal?.clientCidRs));
    const simple = rules.every((r) => (r?.action === 'Allow' || r?.action === 'Deny') && Object.keys(r?.principal ?? {}).every((k) => /^clientCIDRs$|^clientCidRs$/.test(k))
      && Object.keys(r ?? {}).every((k) => k === 'action' || k === 'principal' || k === 'name'));
    const allow = cidrs('Allow');
    const deny = cidrs('Deny');
    if (!simple) {
      losses.push({ source, field: 'spec.authorization', kind: 'unsupported', reason: 'only rules by client address are an AccessPolicy of the declaration' });
    } else if (spec.authorization.defaultAction === 'Deny' && allow.length > 0) {
      props.access = lib('AccessPolicy.allowFrom', arr(allow.map(str)), ...(deny.length > 0 ? [obj({ except: arr(deny.map(str)) })] : []));
    } else if (spec.authorization.defaultAction !== 'Deny' && deny.length > 0) {
      props.access = lib('AccessPolicy.denyFrom', arr(deny.map(str)));
    } else {
      losses.push({ source, field: 'spec.authorization', kind: 'unsupported', reason: 'neither an allow list (defaultAction Deny) nor a deny list' });
    }
  }
  const auths: [string, Expr][] = [];
  if (spec?.basicAuth !== undefined) {
    if (typeof spec.basicAuth.users?.name === 'string') auths.push(['basicAuth', lib('Auth.basic', obj({ secret: str(spec.basicAuth.users.name) }))]);
    else losses.push({ source, field: 'spec.basicAuth', kind: 'invalid', reason: 'no users Secret' });
  }
  if (spec?.apiKeyAuth !== undefined) {
    const a = spec.apiKeyAuth;
    const header = a.extractFrom?.[0]?.headers?.[0];
    if (a.credentialRefs?.length === 1 && typeof header === 'string') {
      auths.push(['apiKeyAuth', lib('Auth.apiKey', obj({ secret: str(String(a.credentialRefs[0].name)), header: str(header) }))]);
    } else {
      losses.push({ source, field: 'spec.apiKeyAuth', kind: 'unsupported', reason: 'one credential Secret and one header is an Auth.apiKey of the declaration' });
    }
  }
  if (spec?.jwt !== undefined) {
    const providers: any[] = list(spec.jwt.providers);
    const p = providers[0];
    if (providers.length === 1 && typeof p?.issuer === 'string' && typeof p?.remoteJwks?.uri === 'string') {
      losses.push(...unknownFields(p, ['name', 'issuer', 'audiences', 'remoteJwks'], source, 'spec.jwt.providers[0]'));
      auths.push(['jwt', lib('Auth.jwt', obj({
        issuer: str(p.issuer),
        jwksUri: str(p.remoteJwks.uri),
        audiences: Array.isArray(p.audiences) ? arr(p.audiences.map((x: unknown) => str(String(x)))) : undefined,
      }))]);
    } else {
      losses.push({ source, field: 'spec.jwt', kind: 'unsupported', reason: 'one provider with an issuer and a remote JWKS is an Auth.jwt of the declaration' });
    }
  }
  if (spec?.extAuth !== undefined) {
    const ref = spec.extAuth.http?.backendRefs?.[0] ?? spec.extAuth.http?.backendRef;
    if (ref !== undefined && typeof ref.name === 'string' && typeof ref.port === 'number' && spec.extAuth.grpc === undefined) {
      const strings = (x: unknown) => (Array.isArray(x) ? arr(x.map((s) => str(String(s)))) : undefined);
      auths.push(['extAuth', lib('Auth.external', obj({
        service: lib('Backend.fromName', str(ref.name), num(ref.port)),
        path: typeof spec.extAuth.http.path === 'string' ? str(spec.extAuth.http.path) : undefined,
        forwardHeaders: strings(spec.extAuth.headersToExtAuth),
        responseHeaders: strings(spec.extAuth.http.headersToBackend),
      }))]);
    } else {
      losses.push({ source, field: 'spec.extAuth', kind: 'unsupported', reason: 'an HTTP auth service by Service name and port is an Auth.external of the declaration' });
    }
  }
  if (auths.length > 0) props.auth = auths[0][1];
  auths.slice(1).forEach(([field]) => losses.push({ source, field: `spec.${field}`, kind: 'unsupported', reason: `one authentication per route: spec.${auths[0][0]} is kept` }));
  return { props, losses };
}

/** `GatewayImplementation.envoyGateway()`. */
export const ENVOY_GATEWAY_IMPLEMENTATION: Expr = lib('GatewayImplementation.envoyGateway');
