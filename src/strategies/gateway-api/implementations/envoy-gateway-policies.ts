import type { Construct } from 'constructs';
import { affinityByPolicy } from './envoy-gateway-affinity';
import { circuitBreakerSpec, envoyGatewayDuration } from './envoy-gateway-circuit-breaker';
import { EnvoyGatewayKinds } from './envoy-gateway-kinds';
import { GatewayImplementationResources, PolicyTargetRoute } from './implementation';
import type * as envoyGateway from '../../../../imports/envoy-gateway-gateway.envoyproxy.io';
import { dnsName } from '../../../core/naming';
import { AccessIntent, AffinityIntent, AuthIntent, ExposureIntent, ExternalAuthIntent, RateLimitIntent, RetryIntent, RouteIntent, routeName } from '../../../intent/model';
import { enumValue } from '../enum-value';
import { unexpected } from '../unexpected';

/** The group of the route objects a policy targets. */
const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** Every client address, IPv4 and IPv6: a `Distinct` source range of each gives every client its own bucket. */
const EVERY_CLIENT = ['0.0.0.0/0', '::/0'];
/**
 * The request header in which Envoy Gateway's API key auth passes the client id (the Secret's data
 * key of the matching API key) on: a rate limit per API key counts per value of it. Kong's key-auth
 * passes the same name in the same header; the authentication replaces a header the client sent.
 */
export const ENVOY_GATEWAY_CLIENT_ID_HEADER = 'x-consumer-username';

type TrafficSpec = Omit<envoyGateway.BackendTrafficPolicySpec, 'targetRefs'>;
type SecuritySpec = Omit<envoyGateway.SecurityPolicySpec, 'targetRefs'>;
/** The exposure's settings of every backend: the circuit breaker (the same in each policy). */
type BackendSettings = ReturnType<typeof circuitBreakerSpec>;
type TargetRef = envoyGateway.BackendTrafficPolicySpecTargetRefs & envoyGateway.SecurityPolicySpecTargetRefs;

/** A policy's spec and where it attaches: a whole route object, or one named rule of it. */
interface Attached<Spec> {
  readonly spec: Spec;
  readonly targetRef: TargetRef;
  /** The suffix of the policy's name and construct id: empty for a whole route object. */
  readonly suffix: string;
}

/**
 * Envoy Gateway's policies for the routes: a BackendTrafficPolicy (rate limit, body size, and on
 * the standard channel retries) and a SecurityPolicy (client IP lists, API keys, basic auth, JWT,
 * and on the standard channel external authentication) per route object when all its rules carry
 * the same settings, else one per rule that carries any (targeting the rule by `sectionName`).
 * The experimental channel keeps the HTTPRoute's own retry and ExternalAuth filter.
 */
export function renderEnvoyGatewayPolicies(
  scope: Construct, kinds: EnvoyGatewayKinds, intent: ExposureIntent, targets: readonly PolicyTargetRoute[],
  standardChannel: boolean): GatewayImplementationResources {
  const breaker = circuitBreakerSpec(intent.circuitBreaker);
  const traffic = targets.flatMap((t) => attach(t, (r) => trafficSpecOf(r, kinds, standardChannel, breaker)));
  const security = targets.flatMap((t) => attach(t, (r) => securitySpecOf(r, standardChannel)));
  const backendTrafficPolicies = traffic.map((p) => new kinds.BackendTrafficPolicy(scope, `BackendTrafficPolicy${p.suffix}`, {
    metadata: { name: policyName(p) },
    spec: { targetRefs: [p.targetRef], ...p.spec },
  }));
  const securityPolicies = security.map((p) => new kinds.SecurityPolicy(scope, `SecurityPolicy${p.suffix}`, {
    metadata: { name: policyName(p) },
    spec: { targetRefs: [p.targetRef], ...p.spec },
  }));
  return {
    backendTrafficPolicies: backendTrafficPolicies.length === 0 ? undefined : backendTrafficPolicies,
    securityPolicies: securityPolicies.length === 0 ? undefined : securityPolicies,
  };
}

/** The policies of one route object: one for all its rules when they agree, else one per rule that has a spec. */
function attach<Spec>(target: PolicyTargetRoute, specOf: (route: RouteIntent) => Spec | undefined): Attached<Spec>[] {
  const specs = target.routes.map(specOf);
  const kindSuffix = target.kind === 'GRPCRoute' ? '-grpc' : '';
  const whole = { group: GATEWAY_API_GROUP, kind: target.kind, name: target.name };
  const first = specs[0];
  if (first !== undefined && specs.every((s) => s !== undefined && JSON.stringify(s) === JSON.stringify(first))) {
    return [{ spec: first, targetRef: whole, suffix: kindSuffix }];
  }
  return target.routes.flatMap((route, i) => {
    const spec = specs[i];
    const sectionName = routeName(route);
    return spec === undefined ? [] : [{ spec, targetRef: { ...whole, sectionName }, suffix: `${kindSuffix}-${sectionName}` }];
  });
}

/** The policy's name: the route object's, with the rule's name when it targets one rule. */
function policyName<Spec>(p: Attached<Spec>): string {
  return dnsName(`${p.targetRef.name}${p.suffix}`, 253);
}

function trafficSpecOf(route: RouteIntent, kinds: EnvoyGatewayKinds, retries: boolean, breaker: BackendSettings): TrafficSpec | undefined {
  const retry = retries && route.retries !== undefined ? retryOf(route.retries) : undefined;
  const loadBalancer = affinityByPolicy(route, retries) ? consistentHashOf(route.affinity!) : undefined;
  const nothing = route.rateLimit === undefined && route.maxRequestBodyBytes === undefined && retry === undefined && loadBalancer === undefined;
  if (nothing && Object.keys(breaker).length === 0) return undefined;
  return {
    ...breaker,
    loadBalancer,
    retry,
    rateLimit: route.rateLimit === undefined ? undefined : { local: { rules: rateLimitRules(route.rateLimit, route.auth) } },
    // A whole number of bytes (the checks refused nothing here: the intent's is at least 1).
    requestBuffer: route.maxRequestBodyBytes === undefined ? undefined
      : { limit: kinds.BackendTrafficPolicySpecRequestBufferLimit.fromNumber(route.maxRequestBodyBytes) },
  };
}

/**
 * Affinity as Envoy's consistent hash over the endpoints of the rule's one backend (a cookie
 * Envoy generates when the request has none, a header, or the client address): a client stays on
 * its endpoint while the set of endpoints is stable; when pods come or go, about the share of
 * clients of those pods move. A cookie without ttl is a session cookie (ttl 0s: Envoy generates
 * no cookie without a ttl); its path an attribute of the generated cookie.
 */
function consistentHashOf(a: AffinityIntent): envoyGateway.BackendTrafficPolicySpecLoadBalancer {
  type HashType = envoyGateway.BackendTrafficPolicySpecLoadBalancerConsistentHashType;
  const hash: envoyGateway.BackendTrafficPolicySpecLoadBalancerConsistentHash = a.kind === 'cookie'
    ? {
      type: enumValue<HashType>('Cookie'),
      cookie: {
        name: a.name,
        ttl: a.ttlSeconds === undefined ? '0s' : envoyGatewayDuration(a.ttlSeconds * 1000),
        attributes: a.path === undefined ? undefined : { Path: a.path },
      },
    }
    : a.kind === 'header' ? { type: enumValue<HashType>('Header'), header: { name: a.name } } : { type: enumValue<HashType>('SourceIP') };
  return { type: enumValue('ConsistentHash'), consistentHash: hash };
}

/**
 * Retries on the standard channel: the number of retries and the intent's conditions, which are
 * Envoy's own `retry_on` triggers. The per-try timeout stays the HTTPRoute rule's
 * `timeouts.backendRequest`, as on the experimental channel.
 */
function retryOf(r: RetryIntent): envoyGateway.BackendTrafficPolicySpecRetry {
  type Trigger = envoyGateway.BackendTrafficPolicySpecRetryRetryOnTriggers;
  return { numRetries: r.attempts, retryOn: { triggers: r.retryOn.map((on) => enumValue<Trigger>(on)) } };
}

/**
 * A bucket per client address: one rule per address family, each a `Distinct` source range over
 * every address (a request matches the rule of its own family only). Per API key: a bucket per
 * value of the client id header that the API key auth sets (it runs before the rate limit, and
 * only authenticated requests get that far). The bucket holds the whole rate, which is the
 * declared burst (the checks admit a burst equal to the rate only).
 */
function rateLimitRules(r: RateLimitIntent, auth: AuthIntent | undefined): envoyGateway.BackendTrafficPolicySpecRateLimitLocalRules[] {
  if (r.burst !== r.requests || (r.key === 'api-key' && auth?.kind !== 'api-key')) unexpected(`a rate limit by ${r.key} with burst ${r.burst}, auth ${auth?.kind}`);
  const limit = { requests: r.requests, unit: r.per === 'second' ? enumValue<LimitUnit>('Second') : enumValue<LimitUnit>('Minute') };
  if (r.key === 'api-key') return [{ clientSelectors: [{ headers: [{ name: ENVOY_GATEWAY_CLIENT_ID_HEADER, type: enumValue('Distinct') }] }], limit }];
  return EVERY_CLIENT.map((value) => ({ clientSelectors: [{ sourceCidr: { type: enumValue('Distinct'), value } }], limit }));
}

type LimitUnit = envoyGateway.BackendTrafficPolicySpecRateLimitLocalRulesLimitUnit;

function securitySpecOf(route: RouteIntent, standardChannel: boolean): SecuritySpec | undefined {
  const authorization = route.access === undefined ? undefined : authorizationOf(route.access);
  const auth = route.auth?.kind === 'external' ? (standardChannel ? { extAuth: extAuthOf(route.auth) } : undefined)
    : authOf(route.auth, route.rateLimit?.key === 'api-key');
  return authorization === undefined && auth === undefined ? undefined : { authorization, ...auth };
}

/**
 * The client IP lists: the first rule that matches decides, so a denied range (always inside an
 * allowed one) is listed before the allowed ones; without an allow list, every other client passes.
 */
function authorizationOf(access: AccessIntent): envoyGateway.SecurityPolicySpecAuthorization {
  type Action = envoyGateway.SecurityPolicySpecAuthorizationRulesAction;
  const deny = access.deny.length === 0 ? [] : [{ action: enumValue<Action>('Deny'), principal: { clientCidRs: [...access.deny] } }];
  const allow = access.allow === undefined ? [] : [{ action: enumValue<Action>('Allow'), principal: { clientCidRs: [...access.allow] } }];
  return { defaultAction: access.allow === undefined ? enumValue('Allow') : enumValue('Deny'), rules: [...deny, ...allow] };
}

/**
 * External authentication over HTTP, as the experimental ExternalAuth filter does it: the auth
 * service gets Host, method, path (after `path`, the declared prefix), Content-Length and
 * Authorization always, `headersToExtAuth` besides, never the body; a 2xx lets the request through
 * with `headersToBackend` copied from the answer (none when none is declared), any other answer
 * reaches the client. The Service is in the exposure's namespace (the checks refuse another).
 */
function extAuthOf(auth: ExternalAuthIntent): envoyGateway.SecurityPolicySpecExtAuth {
  if (auth.signinUrl !== undefined) unexpected('extAuth with a sign-in URL');
  const headersToExtAuth = auth.forwardHeaders.filter((h) => h !== 'authorization');
  return {
    headersToExtAuth: headersToExtAuth.length === 0 ? undefined : headersToExtAuth,
    http: {
      backendRefs: [{ name: auth.service.name, port: auth.service.port }],
      path: auth.pathPrefix,
      headersToBackend: auth.responseHeaders.length === 0 ? undefined : [...auth.responseHeaders],
    },
  };
}

/**
 * API keys (the Secret's data keys are the client ids, their values the keys, as the API gateway
 * engines read them), basic auth (the Secret's `.htpasswd`) and JWT (a remote JWKS); external
 * authentication is `extAuthOf`'s. The client id is passed on only for a rate limit per key.
 */
function authOf(auth: AuthIntent | undefined, limitPerKey: boolean): Pick<SecuritySpec, 'apiKeyAuth' | 'basicAuth' | 'jwt'> | undefined {
  if (auth === undefined || auth.kind === 'external') return undefined;
  if (auth.kind === 'api-key') {
    return {
      apiKeyAuth: {
        credentialRefs: [{ name: auth.secretName }],
        extractFrom: [{ headers: [auth.header] }],
        forwardClientIdHeader: limitPerKey ? ENVOY_GATEWAY_CLIENT_ID_HEADER : undefined,
      },
    };
  }
  if (auth.kind === 'basic') return { basicAuth: { users: { name: auth.secretName } } };
  if (auth.kind === 'jwt') {
    return {
      jwt: {
        providers: [{
          name: 'jwt',
          issuer: auth.issuer,
          audiences: auth.audiences.length === 0 ? undefined : [...auth.audiences],
          remoteJwks: { uri: auth.jwksUri },
        }],
      },
    };
  }
  return unexpected(`auth ${(auth as AuthIntent).kind} on Envoy Gateway`);
}
