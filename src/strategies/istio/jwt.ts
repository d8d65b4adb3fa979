import { Construct } from 'constructs';
import { checkLetThrough } from './checks';
import { IstioApiVersion, securityKinds } from './istio-kinds';
import {
  issuerOf, JwtRoute, jwtRoutes, jwtRuleOf, matchesBeyondPathAndMethod, oneIssuerForEveryRoute, policyPaths, routesTakingFirst,
} from './jwt-routes';
import type * as istioSecurity from '../../../imports/istio-security.istio.io';
import { resourceName } from '../../core/naming';
import { ExposureIntent, RouteIntent } from '../../intent/model';
import { orderBySpecificity } from '../../intent/precedence';

export interface JwtRenderContext {
  /** Namespace of the gateway workload's policies. */
  readonly namespace?: string;
  /** Labels of the gateway workload; undefined for an existing Gateway declared without them. */
  readonly selector?: Readonly<Record<string, string>>;
  readonly apiVersion: IstioApiVersion;
}

/** What JWT rendering adds to the exposure's resources. */
export interface JwtResources {
  readonly requestAuthentication?: istioSecurity.RequestAuthentication;
  readonly authorizationPolicy?: istioSecurity.AuthorizationPolicy;
}

/** A `to` of an AuthorizationPolicy rule: one operation. */
type RuleTo = istioSecurity.AuthorizationPolicySpecRulesTo;

/**
 * `Auth.jwt` on Istio: a RequestAuthentication on the gateway workload validates tokens of the
 * issuer, and an AuthorizationPolicy (DENY without a request principal) requires one on the
 * exposure's hosts and the routes that declare JWT. Both live in the gateway's namespace.
 */
export function renderJwt(scope: Construct, intent: ExposureIntent, ctx: JwtRenderContext): JwtResources {
  const routes = jwtRoutes(intent);
  if (routes.length === 0) return {};
  if (ctx.selector === undefined) throw checkLetThrough('JWT on a gateway workload of unknown labels');
  const security = securityKinds(ctx.apiVersion);
  const selector = { matchLabels: { ...ctx.selector } };
  const requestAuthentication = new security.RequestAuthentication(scope, 'RequestAuthentication', {
    metadata: { name: intent.name, namespace: ctx.namespace },
    spec: { selector, jwtRules: jwtRules(routes) },
  });
  const authorizationPolicy = new security.AuthorizationPolicy(scope, 'AuthorizationPolicy', {
    metadata: { name: resourceName(scope, 'require-jwt'), namespace: ctx.namespace },
    spec: { selector, action: security.AuthorizationPolicySpecAction.DENY, rules: denyRules(intent, routes) },
  });
  return { requestAuthentication, authorizationPolicy };
}

/** One rule per issuer, in the order the routes first declare them (the checks refused two rules of one issuer). */
function jwtRules(routes: readonly JwtRoute[]): istioSecurity.RequestAuthenticationSpecJwtRules[] {
  const issuers = new Map<string, istioSecurity.RequestAuthenticationSpecJwtRules>();
  for (const r of routes) issuers.set(r.auth.issuer, jwtRuleOf(r));
  return [...issuers.values()];
}

/**
 * DENY a route's requests that carry no token of its issuer (a token of another issuer on the
 * shared gateway is a request principal too). One rule for the hosts when every route requires
 * the same issuer; otherwise one per JWT route, scoped to the requests the VirtualService gives
 * it (none for a route that the routes before it shadow: an empty `to` matches every request).
 */
function denyRules(intent: ExposureIntent, routes: readonly JwtRoute[]): istioSecurity.AuthorizationPolicySpecRules[] {
  const from = (r: RouteIntent) => [{ source: { notRequestPrincipals: [`${issuerOf(r)}/*`] } }];
  if (oneIssuerForEveryRoute(intent, routes)) return [{ from: from(routes[0]), to: [{ operation: { hosts: [...intent.hosts] } }] }];
  const ordered = orderBySpecificity(intent.routes);
  return routes.map((r) => ({ from: from(r), to: operationsOf(r, ordered, intent.hosts) })).filter((rule) => rule.to.length > 0);
}

/**
 * The requests the VirtualService gives a JWT route, as AuthorizationPolicy operations: its
 * paths (as the VirtualService matches them) and method, minus the requests of the routes before
 * it (more specific) that do not require its issuer: those take their requests first, so the
 * route's rule must not cover them. Per method that such a route names, the paths left are the
 * route's minus the paths of the routes before it for that method or for every method; for the
 * other methods, minus those for every method. Empty when the routes before it take everything.
 */
function operationsOf(route: JwtRoute, ordered: readonly RouteIntent[], hosts: readonly string[]): RuleTo[] {
  if (matchesBeyondPathAndMethod(route)) throw checkLetThrough(`a JWT route (${route.field}) matched by a regex, header or query`);
  const before = routesTakingFirst(route, ordered).map((other) => {
    if (matchesBeyondPathAndMethod(other)) throw checkLetThrough(`${other.field} shadowing a JWT route by a regex, header or query`);
    // `*`: every path (a route on `/`).
    return { paths: policyPaths(other) ?? ['*'], method: other.match.method };
  });
  const takenFor = (m: string | undefined) => [...new Set(before.filter((b) => b.method === undefined || b.method === m).flatMap((b) => b.paths))];
  const operation = (methods: string[] | undefined, notMethods: string[] | undefined, notPaths: string[]): RuleTo[] => (notPaths.includes('*') ? [] : [{
    operation: { hosts: [...hosts], paths: policyPaths(route), notPaths: notPaths.length > 0 ? notPaths : undefined, methods, notMethods },
  }]);
  const method = route.match.method;
  if (method !== undefined) return operation([method], undefined, takenFor(method));
  const named = [...new Set(before.flatMap((b) => (b.method === undefined ? [] : [b.method])))].sort();
  return [
    ...named.flatMap((m) => operation([m], undefined, takenFor(m))),
    ...operation(undefined, named.length > 0 ? named : undefined, takenFor(undefined)),
  ];
}
