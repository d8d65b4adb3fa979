import { Construct } from 'constructs';
import { checkLetThrough } from './check-let-through';
import { IstioApiVersion, securityKinds } from './istio-kinds';
import { issuerOf, JwtRoute, jwtRoutes, jwtRuleOf, oneIssuerForEveryRoute, operationsOf } from './jwt-routes';
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
  return routes.map((r) => ({ from: from(r), to: operationsOf(r, ordered, intent.hosts, issuerOf) })).filter((rule) => rule.to.length > 0);
}
