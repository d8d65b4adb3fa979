import { Problem } from '../../../core/errors';
import { AuthIntent, ExposureIntent, policyField, RouteIntent, RoutePolicy } from '../../../intent/model';

/** The route policies a KongPlugin carries. */
const PLUGIN_POLICIES: readonly RoutePolicy[] = ['access', 'auth', 'rateLimit', 'maxRequestBody'];

/**
 * What the Kong Ingress Controller cannot express of an intent its row admits: every problem, in
 * the order of the routes and their fields, then the Secrets read as two kinds of credential.
 */
export function kongProblems(intent: ExposureIntent): Problem[] {
  const keyIssuers = jwtKeyIssuers(intent.routes);
  return [
    ...intent.routes.flatMap((route) => [...grpcProblems(route), ...burstProblems(route), ...jwtProblems(route, keyIssuers)]),
    ...credentialKindProblems(intent.routes),
  ];
}

/** KIC turns the ExtensionRef filters of HTTPRoute rules into plugins; a GRPCRoute rule's are not among its features. */
function grpcProblems(route: RouteIntent): Problem[] {
  if (route.protocol !== 'grpc') return [];
  return PLUGIN_POLICIES.filter((p) => declared(route, p)).map((p) => ({
    field: policyField(route, p),
    message: 'the Kong Ingress Controller applies KongPlugins to HTTPRoute rules (ExtensionRef), not to GRPCRoute rules; remove it from the gRPC route, or use apiGateway',
  }));
}

function declared(route: RouteIntent, policy: RoutePolicy): boolean {
  switch (policy) {
    case 'access': return route.access !== undefined;
    case 'auth': return route.auth !== undefined;
    case 'rateLimit': return route.rateLimit !== undefined;
    case 'maxRequestBody': return route.maxRequestBodyBytes !== undefined;
    default: return false;
  }
}

/**
 * Kong's rate-limiting counts a window of a second or a minute and admits the whole rate at once
 * in it: nginx's burst equal to the rate (within one request: nginx's count admits one more).
 */
function burstProblems(route: RouteIntent): Problem[] {
  const r = route.rateLimit;
  return r === undefined || r.burst === r.requests ? []
    : [{ field: `${policyField(route, 'rateLimit')}.burst`, message: `Kong's rate-limiting admits the whole rate at once in each ${r.per}, no more and no less; set burst to ${r.requests}` }];
}

/**
 * A JWT issuer is a KongConsumer whose jwt credential (the Secret) holds the issuer as `key` and
 * its public key: each Secret is the key of the issuer of the first route that names it.
 */
function jwtKeyIssuers(routes: readonly RouteIntent[]): ReadonlyMap<string, string> {
  const issuers = new Map<string, string>();
  for (const { auth } of routes) {
    if (auth?.kind === 'jwt' && auth.publicKeySecret !== undefined && !issuers.has(auth.publicKeySecret)) issuers.set(auth.publicKeySecret, auth.issuer);
  }
  return issuers;
}

/** Kong's jwt plugin verifies the signature with one issuer's public key, and the expiry; nothing else. */
function jwtProblems(route: RouteIntent, keyIssuers: ReadonlyMap<string, string>): Problem[] {
  const auth = route.auth;
  if (auth?.kind !== 'jwt') return [];
  const field = policyField(route, 'auth');
  const problems: Problem[] = [];
  const issuer = auth.publicKeySecret === undefined ? undefined : keyIssuers.get(auth.publicKeySecret);
  if (issuer !== undefined && issuer !== auth.issuer) {
    problems.push({ field, message: `publicKeySecret "${auth.publicKeySecret}" is already the key of issuer ${issuer}; one Secret per issuer` });
  }
  if (auth.audiences.length > 0) problems.push({ field: `${field}.audiences`, message: 'Kong\'s jwt plugin does not check audiences; remove them, or use gatewayApi (envoyGateway) or istio' });
  if (auth.publicKeySecret === undefined) {
    problems.push({ field, message: 'Kong\'s jwt plugin verifies with the issuer\'s public key, not a JWKS URI: set Auth.jwt({ ..., publicKeySecret })' });
  }
  return problems;
}

/** The credential Secret of an auth intent and the KIC credential type it is read as. */
export function credentialOf(auth: AuthIntent | undefined): { readonly secret: string; readonly type: 'key-auth' | 'basic-auth' | 'jwt' } | undefined {
  switch (auth?.kind) {
    case 'api-key': return { secret: auth.secretName, type: 'key-auth' };
    case 'basic': return { secret: auth.secretName, type: 'basic-auth' };
    case 'jwt': return auth.publicKeySecret === undefined ? undefined : { secret: auth.publicKeySecret, type: 'jwt' };
    default: return undefined;
  }
}

/** KIC reads a Secret as the one kind of credential its `konghq.com/credential` label names. */
function credentialKindProblems(routes: readonly RouteIntent[]): Problem[] {
  const kinds = new Map<string, string>();
  const problems: Problem[] = [];
  for (const route of routes) {
    const credential = credentialOf(route.auth);
    if (credential === undefined) continue;
    const first = kinds.get(credential.secret);
    if (first === undefined) {
      kinds.set(credential.secret, credential.type);
    } else if (first !== credential.type) {
      problems.push({
        field: policyField(route, 'auth'),
        message: `Secret "${credential.secret}" is already a ${first} credential; the Kong Ingress Controller reads a Secret as one kind (label konghq.com/credential): use another Secret`,
      });
    }
  }
  return problems;
}

