import { circuitBreakerProblems } from './envoy-gateway-circuit-breaker';
import { Problem } from '../../../core/errors';
import { ExposureIntent, policyField, RouteIntent } from '../../../intent/model';

/** The realm `Auth.basic` declares when none is given: Envoy Gateway announces its own. */
const DEFAULT_REALM = 'Authentication required';
/** A JWT provider of a SecurityPolicy lists at most 8 audiences (the CRD's maxItems). */
const MAX_AUDIENCES = 8;
/** An issuer and a JWKS URI are at most 253 characters (the CRD's maxLength). */
const MAX_JWT_TEXT = 253;

/**
 * What Envoy Gateway's policies cannot express of an intent its row admits: every problem, in
 * the order of the routes and their fields.
 */
export function envoyGatewayProblems(intent: ExposureIntent, experimental: boolean): Problem[] {
  return [
    ...intent.routes.flatMap((route) => [
      ...rateLimitProblems(route), ...bodySizeProblems(route), ...authProblems(route), ...(experimental ? [] : externalAuthProblems(intent, route)),
      ...perTryTimeoutProblems(route),
    ]),
    ...circuitBreakerProblems(intent),
  ];
}

/**
 * On the standard channel, external authentication is the SecurityPolicy's `extAuth`: Envoy's
 * ext_authz answers a refusal with the auth service's own answer (no redirect of its choosing),
 * and reaches a Service of another namespace only with a ReferenceGrant from SecurityPolicy,
 * which is not rendered (the experimental channel's filter has the HTTPRoute's).
 */
function externalAuthProblems(intent: ExposureIntent, route: RouteIntent): Problem[] {
  const auth = route.auth;
  if (auth?.kind !== 'external' || route.protocol !== 'http') return [];
  const field = policyField(route, 'auth');
  const problems: Problem[] = [];
  if (auth.signinUrl !== undefined) {
    problems.push({
      field: `${field}.signinUrl`,
      message: 'Envoy Gateway\'s extAuth has no sign-in redirect: the auth service\'s own refusal (a 302 to sign in) reaches the client; '
        + 'remove signinUrl, or use ingress (ingressNginx) or apiGateway',
    });
  }
  const namespace = auth.service.namespace;
  if (namespace !== undefined && namespace !== intent.namespace) {
    problems.push({
      field: `${field}.service`,
      message: `Envoy Gateway's extAuth reaches a Service of namespace "${namespace}" only with a ReferenceGrant from SecurityPolicy, which is not rendered; `
        + 'run the auth service in the exposure\'s namespace, or use gatewayApi({ experimental: true })',
    });
  }
  return problems;
}

/**
 * A local rate limit refills a bucket of the whole rate each second or minute, one bucket per
 * client address or per API key's client id: a client may send the whole rate at once, which is
 * the declared burst equal to the rate (within one request: nginx's count admits one more). A
 * limit per API key needs the route's `Auth.apiKey`, which the intent builder checked.
 */
function rateLimitProblems(route: RouteIntent): Problem[] {
  const r = route.rateLimit;
  if (r === undefined) return [];
  const field = policyField(route, 'rateLimit');
  const problems: Problem[] = [];
  if (r.burst !== r.requests) {
    problems.push({ field: `${field}.burst`, message: `Envoy Gateway's local rate limit admits the whole rate at once each ${r.per}; set burst to ${r.requests}` });
  }
  return problems;
}

/** Envoy Gateway limits the body by buffering the whole request, which stalls a gRPC stream. */
function bodySizeProblems(route: RouteIntent): Problem[] {
  return route.protocol === 'grpc' && route.maxRequestBodyBytes !== undefined
    ? [{ field: policyField(route, 'maxRequestBody'), message: 'Envoy Gateway limits the body by buffering the whole request, which stalls gRPC streams; remove it from the gRPC route' }]
    : [];
}

function authProblems(route: RouteIntent): Problem[] {
  const auth = route.auth;
  const field = policyField(route, 'auth');
  if (auth?.kind === 'basic' && auth.realm !== DEFAULT_REALM) {
    return [{ field: `${field}.realm`, message: 'Envoy Gateway\'s basicAuth announces no realm of the exposure\'s choosing; remove realm' }];
  }
  if (auth?.kind !== 'jwt') return [];
  // Envoy Gateway fetches the keys from jwksUri (required); the other engines' key options
  // (Kong's publicKeySecret, the NGINX engine's mounted JWKS) are theirs, as on every strategy.
  const problems: Problem[] = [];
  if (auth.audiences.length > MAX_AUDIENCES) {
    problems.push({ field: `${field}.audiences`, message: `Envoy Gateway takes at most ${MAX_AUDIENCES} audiences per JWT provider` });
  }
  if (auth.issuer.length > MAX_JWT_TEXT) problems.push({ field: `${field}.issuer`, message: `Envoy Gateway takes an issuer of at most ${MAX_JWT_TEXT} characters` });
  if (auth.jwksUri.length > MAX_JWT_TEXT) problems.push({ field: `${field}.jwksUri`, message: `Envoy Gateway takes a JWKS URI of at most ${MAX_JWT_TEXT} characters` });
  return problems;
}


/**
 * Envoy Gateway reads a rule's `timeouts.backendRequest` as the whole route's timeout unless the
 * rule's retry has a backoff (which is not rendered), so a per-try timeout would cut the request.
 */
function perTryTimeoutProblems(route: RouteIntent): Problem[] {
  return route.retries?.perTryTimeoutMs === undefined ? [] : [{
    field: `${policyField(route, 'retries')}.perTryTimeout`,
    message: 'Envoy Gateway takes the rule\'s per-try timeout (timeouts.backendRequest) as the whole request\'s timeout; remove perTryTimeout, or use istio or apiGateway',
  }];
}
