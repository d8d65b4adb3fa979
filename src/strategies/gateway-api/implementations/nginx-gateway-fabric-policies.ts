import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { GatewayImplementationResources, PolicyTargetRoute } from './implementation';
import { ngfDuration } from './nginx-gateway-fabric-duration';
import { NginxGatewayFabricKinds } from './nginx-gateway-fabric-kinds';
import { createsUpstreamSettings } from './nginx-gateway-fabric-services';
import type * as ngf from '../../../../imports/nginx-gateway-fabric-gateway.nginx.org';
import { dnsName } from '../../../core/naming';
import { AffinityIntent, BackendIntent, ExposureIntent, RateLimitIntent, RouteIntent, routeName } from '../../../intent/model';
import { nginxSize } from '../../shared/nginx-size';
import { headerVariable } from '../../shared/nginx-variable';
import { enumValue } from '../enum-value';
import { ExtensionRef } from '../rule-parts';
import { unexpected } from '../unexpected';

/** The group of the route objects a policy targets. */
const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** The group of NGINX Gateway Fabric's filters. */
const NGF_GROUP = 'gateway.nginx.org';
/** nginx's own connect timeout, the most a connect timeout is given (its docs: it usually cannot exceed 75 s). */
const MAX_CONNECT_MS = 60_000;
/** The status of a request over the limit, as the other strategies answer (nginx's own default is 503). */
const TOO_MANY_REQUESTS = 429;

/**
 * The AuthenticationFilter a rule with basic auth references by ExtensionRef: one per rule,
 * named after the exposure and the rule (the HTTPRoute and the GRPCRoute share the exposure's name,
 * and rule names are unique across both).
 */
export function authenticationFilterRefs(intent: ExposureIntent, route: RouteIntent): readonly ExtensionRef[] {
  return route.auth?.kind === 'basic' ? [{ group: NGF_GROUP, kind: 'AuthenticationFilter', name: filterName(intent, route) }] : [];
}

function filterName(intent: ExposureIntent, route: RouteIntent): string {
  return dnsName(`${intent.name}-${routeName(route)}`, 253);
}

/**
 * NGINX Gateway Fabric's objects: a RateLimitPolicy, a ClientSettingsPolicy and a ProxySettingsPolicy per route object
 * (the checks admitted only limits that cover a whole object), an AuthenticationFilter per rule with
 * basic auth, an UpstreamSettingsPolicy per backend Service with an affinity by hash.
 */
export function renderNginxGatewayFabricObjects(
  scope: Construct, kinds: NginxGatewayFabricKinds, intent: ExposureIntent, targets: readonly PolicyTargetRoute[]): GatewayImplementationResources {
  const rateLimitPolicies = targets.flatMap((t) => {
    const limit = wholeObject(t, (r) => r.rateLimit);
    return limit === undefined ? [] : [new kinds.RateLimitPolicy(scope, `RateLimitPolicy${suffixOf(t)}`, {
      metadata: { name: policyName(t) },
      spec: { targetRefs: [targetRefOf(t)], rateLimit: { rejectCode: TOO_MANY_REQUESTS, local: { rules: [rateLimitRule(limit)] } } },
    })];
  });
  const clientSettingsPolicies = targets.flatMap((t) => {
    const bytes = wholeObject(t, (r) => r.maxRequestBodyBytes);
    return bytes === undefined ? [] : [new kinds.ClientSettingsPolicy(scope, `ClientSettingsPolicy${suffixOf(t)}`, {
      metadata: { name: policyName(t) },
      spec: { targetRef: targetRefOf(t), body: { maxSize: nginxSize(bytes) } },
    })];
  });
  const proxySettingsPolicies = targets.flatMap((t) => {
    const ms = wholeObject(t, (r) => r.timeoutMs);
    return ms === undefined ? [] : [new kinds.ProxySettingsPolicy(scope, `ProxySettingsPolicy${suffixOf(t)}`, {
      metadata: { name: policyName(t) },
      spec: { targetRefs: [targetRefOf(t)], timeout: proxyTimeouts(ms) },
    })];
  });
  const authenticationFilters = targets.flatMap((t) => t.routes).flatMap((route) => {
    const auth = route.auth;
    if (auth?.kind !== 'basic') return [];
    return [new kinds.AuthenticationFilter(scope, `AuthenticationFilter-${routeName(route)}`, {
      metadata: { name: filterName(intent, route) },
      spec: { type: enumValue('Basic'), basic: { secretRef: { name: auth.secretName }, realm: auth.realm } },
    })];
  });
  // Another exposure of the app that reaches the Service with the same affinity may have created its policy.
  const upstreamSettingsPolicies = hashedServices(intent).filter(({ backend }) => createsUpstreamSettings(scope, intent, backend))
    .map(({ backend, affinity }) =>
      new kinds.UpstreamSettingsPolicy(scope, `UpstreamSettingsPolicy-${serviceId(backend, intent)}`, {
        metadata: {
          name: dnsName(`${intent.name}-${backend.name}`, 253),
          // The policy and its Service share a namespace (a targetRef is local).
          namespace: backend.namespace !== intent.namespace ? backend.namespace : undefined,
        },
        spec: {
          targetRefs: [{ group: '', kind: 'Service', name: backend.name }],
          loadBalancingMethod: enumValue<ngf.UpstreamSettingsPolicySpecLoadBalancingMethod>('hash consistent'),
          hashMethodKey: hashKeyOf(affinity),
        },
      }));
  return {
    rateLimitPolicies: orNone(rateLimitPolicies),
    clientSettingsPolicies: orNone(clientSettingsPolicies),
    proxySettingsPolicies: orNone(proxySettingsPolicies),
    authenticationFilters: orNone(authenticationFilters),
    upstreamSettingsPolicies: orNone(upstreamSettingsPolicies),
  };
}

/** True when the implementation renders an object for the intent. */
export function rendersAny(intent: ExposureIntent): boolean {
  return intent.routes.some((r) => r.rateLimit !== undefined || r.maxRequestBodyBytes !== undefined || r.timeoutMs !== undefined
    || r.auth?.kind === 'basic' || hashed(r.affinity) !== undefined);
}

function orNone(objects: ApiObject[]): ApiObject[] | undefined {
  return objects.length === 0 ? undefined : objects;
}

/** The value every route of the object declares, or undefined when none does (the checks refused the rest). */
function wholeObject<T>(target: PolicyTargetRoute, valueOf: (route: RouteIntent) => T | undefined): T | undefined {
  const values = target.routes.map(valueOf);
  if (values.every((v) => v === undefined)) return undefined;
  if (values.some((v) => JSON.stringify(v) !== JSON.stringify(values[0]))) unexpected(`a policy of part of ${target.kind} ${target.name}`);
  return values[0];
}

function suffixOf(target: PolicyTargetRoute): string {
  return target.kind === 'GRPCRoute' ? '-grpc' : '';
}

function policyName(target: PolicyTargetRoute): string {
  return dnsName(`${target.name}${suffixOf(target)}`, 253);
}

function targetRefOf(target: PolicyTargetRoute): { group: string; kind: string; name: string } {
  return { group: GATEWAY_API_GROUP, kind: target.kind, name: target.name };
}

/**
 * nginx's limit_req per client address: the declared burst B is nginx's own (B + 1 requests at
 * once), served without delay as on the NGINX engine and ingress-nginx; no burst, no queue.
 */
function rateLimitRule(r: RateLimitIntent): ngf.RateLimitPolicySpecRateLimitLocalRules {
  if (r.key !== 'client-ip') unexpected(`a rate limit by ${r.key} on NGINX Gateway Fabric`);
  return {
    key: '$binary_remote_addr',
    rate: `${r.requests}r/${r.per === 'second' ? 's' : 'm'}`,
    burst: r.burst > 0 ? r.burst : undefined,
    noDelay: r.burst > 0 ? true : undefined,
  };
}

/**
 * The timeout as the NGINX engine writes it: between two reads from or writes to the backend
 * (ingress-nginx's proxy-read-timeout too), and connecting, at most nginx's own 60 s.
 */
function proxyTimeouts(ms: number): ngf.ProxySettingsPolicySpecTimeout {
  const of = (d: number) => ngfDuration(d) ?? unexpected(`the duration ${d}ms`);
  return { connect: of(Math.min(ms, MAX_CONNECT_MS)), read: of(ms), send: of(ms) };
}

type HashAffinity = Exclude<AffinityIntent, { kind: 'cookie' }>;

function hashed(a: AffinityIntent | undefined): HashAffinity | undefined {
  return a === undefined || a.kind === 'cookie' ? undefined : a;
}

/** The nginx variable hashed: the header's, or the client address. */
function hashKeyOf(a: HashAffinity): string {
  return a.kind === 'header' ? headerVariable(a.name) : '$remote_addr';
}

/** Each Service a route with an affinity by hash forwards to, once (the checks refused Services reached with another affinity). */
function hashedServices(intent: ExposureIntent): { backend: BackendIntent; affinity: HashAffinity }[] {
  const out = new Map<string, { backend: BackendIntent; affinity: HashAffinity }>();
  for (const route of intent.routes) {
    const affinity = hashed(route.affinity);
    if (affinity === undefined || route.action.kind !== 'forward') continue;
    for (const { backend } of route.action.backends) {
      const id = serviceId(backend, intent);
      if (!out.has(id)) out.set(id, { backend, affinity });
    }
  }
  return [...out.values()];
}

/** A Service's identity in the exposure: its name, with its namespace when it is another one. */
function serviceId(backend: BackendIntent, intent: ExposureIntent): string {
  return backend.namespace === undefined || backend.namespace === intent.namespace ? backend.name : `${backend.namespace}-${backend.name}`;
}
