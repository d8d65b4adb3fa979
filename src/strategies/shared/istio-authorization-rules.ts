import { accessOf, oneAccessForEveryRoute } from './access-routes';
import { externalAuthOf, ExternalAuthRoute, oneExternalAuthForEveryRoute } from './external-auth-routes';
import { issuerOf, JwtRoute, jwtRuleOf, oneIssuerForEveryRoute, operationsOf, PolicyPathsOf } from './jwt-routes';
import type * as istioSecurity from '../../../imports/istio-security.istio.io';
import { AccessIntent, ExposureIntent, RouteIntent } from '../../intent/model';
import { orderBySpecificity } from '../../intent/precedence';

/*
 * The rules of Istio's security policies (RequestAuthentication, AuthorizationPolicy) for JWT,
 * client IP lists and external authentication, whatever selects the gateway they apply to: a
 * workload selector (the istio strategy) or `targetRefs` to a Gateway API Gateway (gatewayApi on
 * Istio). `pathsOf` tells how the routes' data plane matches a prefix.
 */

type Rule = istioSecurity.AuthorizationPolicySpecRules;

/** Every request of the exposure's hosts (none: every request the gateway takes, on a Gateway of the exposure's own). */
function onHosts(hosts: readonly string[]): istioSecurity.AuthorizationPolicySpecRulesTo[] | undefined {
  return hosts.length > 0 ? [{ operation: { hosts: [...hosts] } }] : undefined;
}

/** One RequestAuthentication rule per issuer, in the order the routes first declare them (the checks refused two rules of one issuer). */
export function requestAuthenticationRules(routes: readonly JwtRoute[]): istioSecurity.RequestAuthenticationSpecJwtRules[] {
  const issuers = new Map<string, istioSecurity.RequestAuthenticationSpecJwtRules>();
  for (const r of routes) issuers.set(r.auth.issuer, jwtRuleOf(r));
  return [...issuers.values()];
}

/**
 * DENY a route's requests that carry no token of its issuer (a token of another issuer on the
 * shared gateway is a request principal too). One rule for the hosts when every route requires
 * the same issuer; otherwise one per JWT route, scoped to the requests the routes give it (none
 * for a route that the routes before it shadow: an empty `to` matches every request).
 */
export function jwtDenyRules(intent: ExposureIntent, routes: readonly JwtRoute[], pathsOf: PolicyPathsOf): Rule[] {
  const from = (r: RouteIntent) => [{ source: { notRequestPrincipals: [`${issuerOf(r)}/*`] } }];
  if (oneIssuerForEveryRoute(intent, routes)) return [{ from: from(routes[0]), to: onHosts(intent.hosts) }];
  const ordered = orderBySpecificity(intent.routes);
  return routes.map((r) => ({ from: from(r), to: operationsOf(r, ordered, intent.hosts, issuerOf, pathsOf) })).filter((rule) => rule.to.length > 0);
}

/** DENY, on the hosts or the requests the routes give a route, the clients outside its allow list or inside its deny list. */
export function accessDenyRules(intent: ExposureIntent, routes: readonly RouteIntent[], pathsOf: PolicyPathsOf): Rule[] {
  if (oneAccessForEveryRoute(intent)) return [{ from: refusedClients(routes[0].access!), to: onHosts(intent.hosts) }];
  const ordered = orderBySpecificity(intent.routes);
  return routes.map((r) => ({ from: refusedClients(r.access!), to: operationsOf(r, ordered, intent.hosts, accessOf, pathsOf) }))
    .filter((rule) => rule.to.length > 0);
}

/** The sources a DENY rule refuses (either matches): outside the allow list, inside the deny list. */
function refusedClients(a: AccessIntent): istioSecurity.AuthorizationPolicySpecRulesFrom[] {
  return [
    ...(a.allow !== undefined ? [{ source: { notRemoteIpBlocks: [...a.allow] } }] : []),
    ...(a.deny.length > 0 ? [{ source: { remoteIpBlocks: [...a.deny] } }] : []),
  ];
}

/** The requests a CUSTOM policy sends to the auth service: the hosts', or those the routes give each route that declares it. */
export function externalAuthRules(intent: ExposureIntent, routes: readonly ExternalAuthRoute[], pathsOf: PolicyPathsOf): Rule[] {
  if (oneExternalAuthForEveryRoute(intent)) return [{ to: onHosts(intent.hosts) }];
  const ordered = orderBySpecificity(intent.routes);
  return routes.map((r) => ({ to: operationsOf(r, ordered, intent.hosts, externalAuthOf, pathsOf) })).filter((rule) => rule.to.length > 0);
}
