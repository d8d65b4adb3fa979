import {
  authField, JwtRoute, jwtRoutes, jwtRuleOf, matchesBeyondPathAndMethod, oneIssuerForEveryRoute, routesTakingFirst, sameJwtRule,
} from './jwt-routes';
import { Problem } from '../../core/errors';
import { ExposureIntent, RouteIntent } from '../../intent/model';
import { orderBySpecificity } from '../../intent/precedence';

/**
 * What Istio's JWT policies cannot express of each JWT route, in declaration order: an issuer
 * declared twice with other settings; and where the routes need their requests told apart (not
 * one issuer for every route), a route an AuthorizationPolicy cannot scope by host, path and method.
 */
export function jwtRouteProblems(intent: ExposureIntent): Problem[] {
  const routes = jwtRoutes(intent);
  // One rule for the hosts needs no route's requests told apart from another's.
  const perRoute = !oneIssuerForEveryRoute(intent, routes);
  const ordered = orderBySpecificity(intent.routes);
  return routes.flatMap((route, i) => [
    ...issuerRedeclared(route, routes.slice(0, i)),
    ...(perRoute ? [...jwtOnRegexPath(route), ...jwtOnHeaderOrQueryMatch(route), ...jwtShadowedByMatches(route, ordered)] : []),
  ]);
}

/** The issuer declared by an earlier route (the latest one) with another jwksUri or audiences. */
function issuerRedeclared(route: JwtRoute, earlier: readonly JwtRoute[]): Problem[] {
  const previous = [...earlier].reverse().find((r) => r.auth.issuer === route.auth.issuer);
  return previous === undefined || sameJwtRule(jwtRuleOf(previous), jwtRuleOf(route)) ? [] : [{
    field: authField(route),
    message: `issuer ${route.auth.issuer} is declared with another jwksUri or audiences elsewhere; a gateway has one rule per issuer`,
  }];
}

function jwtOnRegexPath(route: JwtRoute): Problem[] {
  return route.match.path.kind !== 'regex' ? [] : [{
    field: authField(route),
    message: 'AuthorizationPolicy paths are exact or prefix: a JWT route cannot have a regex path; use the service-level auth or a prefix',
  }];
}

function jwtOnHeaderOrQueryMatch(route: JwtRoute): Problem[] {
  return route.match.headers.length === 0 && route.match.queryParams.length === 0 ? [] : [{
    field: authField(route),
    message: 'AuthorizationPolicy cannot scope JWT to header or query matches; move auth to the service level or drop those matches',
  }];
}

/**
 * The routes before a JWT route that take some of its requests first, without requiring its
 * issuer, by matches an AuthorizationPolicy cannot exempt (a regex, a header or a query match).
 */
function jwtShadowedByMatches(route: JwtRoute, ordered: readonly RouteIntent[]): Problem[] {
  return routesTakingFirst(route, ordered).filter(matchesBeyondPathAndMethod).map((other) => ({
    field: authField(route),
    message: `${other.field} matches some of this route's requests first (by a regex, header or query match) without requiring its JWT; `
      + 'an AuthorizationPolicy cannot exempt them by those matches: give the routes disjoint paths, or the same auth',
  }));
}
