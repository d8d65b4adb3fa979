import { PolicyTargetGateway } from './implementation';
import { Problem } from '../../../core/errors';
import { ExposureIntent, RouteIntent } from '../../../intent/model';
import { accessRouteProblems } from '../../shared/access-route-checks';
import { accessRoutes, oneAccessForEveryRoute } from '../../shared/access-routes';
import { externalAuthRouteProblems } from '../../shared/external-auth-route-checks';
import { externalAuthRoutes, oneExternalAuthForEveryRoute } from '../../shared/external-auth-routes';
import { jwtRouteProblems } from '../../shared/jwt-route-checks';
import { authField, jwtRoutes, oneIssuerForEveryRoute } from '../../shared/jwt-routes';

/** One kind of Istio policy of the exposure: its routes, its first declaration, and whether one rule covers every route. */
interface PolicyKind {
  /** How the messages name it. */
  readonly what: string;
  readonly routes: readonly RouteIntent[];
  /** Every route has the same policy: one rule for the hosts, no route's requests told apart. */
  readonly everyRoute: boolean;
  readonly field: (route: RouteIntent) => string;
}

/**
 * What Istio's policies targeting the Gateway cannot express of an intent its row admits: per
 * kind of policy (JWT, client IP lists, external authentication) the exposure-wide problems under
 * its first declaration, then its routes' (the checks the istio strategy shares), in that order.
 */
export function istioProblems(intent: ExposureIntent, gateway: PolicyTargetGateway, provider: string | undefined): Problem[] {
  const jwt = jwtRoutes(intent);
  const kinds: PolicyKind[] = [
    { what: 'JWT', routes: jwt, everyRoute: oneIssuerForEveryRoute(intent, jwt), field: authField },
    { what: 'client IP lists', routes: accessRoutes(intent), everyRoute: oneAccessForEveryRoute(intent), field: (r) => r.sources.access! },
    { what: 'external authentication', routes: externalAuthRoutes(intent), everyRoute: oneExternalAuthForEveryRoute(intent), field: (r) => r.sources.auth! },
  ];
  const used = kinds.filter((k) => k.routes.length > 0);
  // A policy on the Gateway holds for every exposure the app attaches to it: other exposures'
  // paths of the same host, and their TCP and TLS streams, which a DENY policy closes.
  if (gateway.sharedInApp === true) {
    return used.map((k) => ({
      field: k.field(k.routes[0]!),
      message: `Istio applies ${k.what} to the whole Gateway, and other exposures of the app share this GatewayApiGateway (their routes and streams would be `
        + 'checked too); use gatewayClassName (a Gateway of the exposure\'s own)',
    }));
  }
  return [
    ...streamsBesidePolicies(intent, used),
    ...used.flatMap((k) => [...withoutHosts(intent, gateway, k), ...perRouteWithGrpc(intent, k)]),
    ...jwtRouteProblems(intent),
    ...accessRouteProblems(intent),
    ...withoutProvider(intent, provider),
    ...externalAuthRouteProblems(intent),
  ];
}

/**
 * On an existing Gateway, which other exposures share, a policy is scoped to the exposure by its
 * hosts; without them it would cover every host the Gateway serves. A Gateway the exposure
 * creates serves its routes only.
 */
function withoutHosts(intent: ExposureIntent, gateway: PolicyTargetGateway, kind: PolicyKind): Problem[] {
  return !gateway.existing || intent.hosts.length > 0 ? [] : [{
    field: kind.field(kind.routes[0]),
    message: `Istio enforces ${kind.what} on the whole existing Gateway ${gateway.namespace}/${gateway.name}, scoped by host: `
      + 'without hosts the policy would cover every host it serves; set hosts',
  }];
}

/**
 * A policy of some routes is scoped by the paths the HTTPRoute gives them; a GRPCRoute's requests
 * are matched apart from the HTTPRoute's precedence, so only a policy of every route covers them.
 */
function perRouteWithGrpc(intent: ExposureIntent, kind: PolicyKind): Problem[] {
  return kind.everyRoute || !intent.routes.some((r) => r.protocol === 'grpc') ? [] : [{
    field: kind.field(kind.routes[0]),
    message: `Istio scopes ${kind.what} of some routes by the paths the HTTPRoute gives them, and cannot tell the GRPCRoute's requests apart by those: `
      + 'declare it for the exposure (every route), or the gRPC routes in an exposure of their own',
  }];
}

/**
 * Istio applies a policy targeting the Gateway to its TCP connections too, where HTTP fields
 * (hosts, paths, a request principal) cannot scope it: it would reach the streams.
 */
function streamsBesidePolicies(intent: ExposureIntent, used: readonly PolicyKind[]): Problem[] {
  return intent.streams.length === 0 || used.length === 0 ? [] : [{
    field: used[0].field(used[0].routes[0]),
    message: `Istio applies ${used.map((k) => k.what).join(' and ')} to every connection of the Gateway, and on its TCP connections `
      + 'an AuthorizationPolicy cannot be scoped by host: it would apply to the streams too; declare the streams in an exposure of their own',
  }];
}

/** A CUSTOM AuthorizationPolicy names the mesh's extension provider, which the implementation's option says. */
function withoutProvider(intent: ExposureIntent, provider: string | undefined): Problem[] {
  const routes = externalAuthRoutes(intent);
  return routes.length === 0 || provider !== undefined ? [] : [{
    field: routes[0].sources.auth!,
    message: 'Istio asks an auth service through an extension provider of the mesh (meshConfig.extensionProviders, envoyExtAuthzHttp); '
      + 'name it with GatewayImplementation.istio({ externalAuthProvider })',
  }];
}
