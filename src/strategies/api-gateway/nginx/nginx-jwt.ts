import { ERROR_PAGE_DIRECTIVES, errorPageBody } from './nginx-error-pages';
import { jwksDir } from './nginx-layout';
import { ConfigLines, quote } from './nginx-text';
import { AuthIntent, ExposureIntent } from '../../../intent/model';

type JwtAuth = Extract<AuthIntent, { kind: 'jwt' }>;

/** The request header that carries a verified token's subject to the backend (Kong's name for the consumer). */
export const CONSUMER_HEADER = 'X-Consumer-Username';

/** Where the gateway reads a JWT issuer's JWKS: `jwks.json` of its Secret or ConfigMap, mounted. */
export function jwksFile(jwks: NonNullable<JwtAuth['jwks']>): string {
  return `${jwksDir(jwks.kind, jwks.name)}/jwks.json`;
}

/** The JWKS sources of the exposure's JWT routes, each once, in route order. */
export function jwksSources(intent: ExposureIntent): NonNullable<JwtAuth['jwks']>[] {
  const seen = new Map<string, NonNullable<JwtAuth['jwks']>>();
  for (const route of intent.routes) {
    if (route.auth?.kind === 'jwt' && route.auth.jwks !== undefined) seen.set(jwksFile(route.auth.jwks), route.auth.jwks);
  }
  return [...seen.values()];
}

/**
 * The JWT check of route `i`: `auth_request` to an internal location whose njs (`jwt.verify`,
 * see njs-jwt.ts) verifies the bearer token against the issuer's mounted JWKS. A valid token's
 * subject becomes `$consumer` (the usage log and the cache key) and the backend's
 * `X-Consumer-Username` (the client's own is replaced). A refused one gets the gateway's JSON 401
 * with the check's `WWW-Authenticate: Bearer ...` challenge, from the named location `@jwt_401`
 * (the route's error pages otherwise the server's); a JWKS the gateway cannot read is its JSON 500.
 *
 * Writes the internal location (the route server); returns the directives of the route's location.
 * `routeName` is the route's `$route_name`, as its location sets it. A gRPC route keeps its own
 * error pages: a refused token is the gRPC status UNAUTHENTICATED (a gRPC client reads no challenge).
 */
export function jwtDirectives(auth: JwtAuth, i: number, routeName: string, locations: ConfigLines, grpc = false): string[] {
  locations.block(`location = /__jwt/${i}`, (body) => body.add(
    'internal;',
    // A subrequest shares the request's variables and runs the server's rewrite phase again,
    // which resets $route_name for the usage log: set back here ($consumer is set after it).
    `set $route_name ${routeName};`,
    // What jwt.verify reads: declared text reaches njs literally (the audiences as a JSON array).
    `set $jwt_jwks ${jwksFile(auth.jwks!)};`,
    `set $jwt_issuer ${quote(auth.issuer)};`,
    `set $jwt_audiences ${quote(JSON.stringify(auth.audiences))};`,
    'js_content jwt.verify;',
  )).add('');
  return [
    `auth_request /__jwt/${i};`,
    'auth_request_set $consumer $sent_http_x_jwt_subject;',
    'auth_request_set $jwt_challenge $sent_http_x_jwt_challenge;',
    `proxy_set_header ${CONSUMER_HEADER} $consumer;`,
    // error_page directives of a location replace the server's: the others are repeated.
    ...grpc ? [] : [...ERROR_PAGE_DIRECTIVES.filter((d) => !d.startsWith('error_page 401 ')), 'error_page 401 @jwt_401;'],
  ];
}

/** The JSON 401 of a refused token, with its challenge (the server's @error_401 has none). */
export function jwtErrorPage(locations: ConfigLines, hsts: boolean): void {
  locations.block('location @jwt_401', (page) => page.add(...errorPageBody(401, hsts, ['add_header WWW-Authenticate $jwt_challenge always;']))).add('');
}
