import { backendTlsProblems } from './backend-tls-policies';
import { GatewayApiGatewayConfig } from './gateway-api-gateway';
import { parseGrpcPath } from './grpc-path';
import { grpcRouteLacks } from './grpc-route-rules';
import { h2cBackendProblems } from './h2c-backends';
import { crossNamespaceBackends } from './reference-grants';
import { distinctProblems, Problem } from '../../core/errors';
import { ExposureIntent, policyField, RouteIntent, RoutePolicy } from '../../intent/model';

/** What the checks read of the strategy's options. */
export interface CheckedOptions {
  /** Attached to an existing Gateway rather than creating one. */
  readonly existingGateway: boolean;
  /** Attached to a Gateway shared with other exposures (`GatewayApiGateway`). */
  readonly sharedGateway?: GatewayApiGatewayConfig;
  /** The experimental channel. */
  readonly experimental: boolean;
  /** On the standard channel, the implementation's policy carries retries (Envoy Gateway's BackendTrafficPolicy). */
  readonly retriesByPolicy?: boolean;
  /** The implementation's policy carries external authentication (Istio's CUSTOM AuthorizationPolicy), not the rule's ExternalAuth filter. */
  readonly externalAuthByPolicy?: boolean;
}

/**
 * What gatewayApi cannot express in an intent its capability row admits: every problem, once,
 * in the order a user reads the declaration: the Gateway's TLS, each route in declaration order,
 * then the references into other namespaces.
 */
export function gatewayApiProblems(intent: ExposureIntent, options: CheckedOptions): Problem[] {
  return distinctProblems([
    ...hostLimits(intent),
    ...listenerLimit(intent, options),
    ...tlsOnExistingGateway(intent, options),
    ...sharedGatewayInOtherNamespace(intent, options.sharedGateway),
    ...intent.routes.flatMap((route) => route.protocol === 'grpc' ? grpcRouteProblems(route, options) : httpRouteProblems(route, options)),
    ...referenceGrantsWithoutNamespace(intent, options),
    ...backendTlsProblems(intent),
    ...h2cBackendProblems(intent),
  ]);
}

/**
 * An HTTPRoute (and GRPCRoute) lists at most 16 hostnames (the CRD's maxItems); a created
 * Gateway's listeners (one per host, two with TLS) stay within its 64 then.
 */
function hostLimits(intent: ExposureIntent): Problem[] {
  return intent.hosts.length <= 16 ? [] : [{
    field: 'hosts',
    message: `${intent.hosts.length} hosts; a Gateway API route lists at most 16 hostnames: split the exposure, or use a wildcard host`,
  }];
}

/** A Gateway has at most 64 listeners (the CRD's maxItems): the HTTP ones and one per stream. */
function listenerLimit(intent: ExposureIntent, options: CheckedOptions): Problem[] {
  if (options.existingGateway || intent.streams.length === 0) return [];
  const http = intent.routes.length === 0 ? 0 : Math.max(1, intent.hosts.length) * (intent.tls ? 2 : 1);
  const total = http + intent.streams.length;
  return total <= 64 ? [] : [{
    field: intent.streams[0].field.replace(/\[\d+\]$/, ''),
    message: `needs ${total} listeners on the Gateway with the HTTP ones, and a Gateway has at most 64; split the exposure`,
  }];
}

/** An existing Gateway's listeners are not the exposure's to configure. */
function tlsOnExistingGateway(intent: ExposureIntent, options: CheckedOptions): Problem[] {
  return options.existingGateway && intent.tls !== undefined
    ? [{ field: 'tls', message: 'an existing Gateway terminates TLS on its own listeners; remove tls and attach to its HTTPS listener (gateway.sectionName)' }]
    : [];
}

/**
 * A shared Gateway in another namespace admits the exposure's routes by the name of its
 * namespace, and reads the client CA (a ConfigMap without namespace) and cert-manager's Secrets
 * (gateway-shim issues them in the Gateway's namespace) from its own namespace.
 */
function sharedGatewayInOtherNamespace(intent: ExposureIntent, gateway: GatewayApiGatewayConfig | undefined): Problem[] {
  if (gateway?.namespace === undefined || gateway.namespace === intent.namespace) return [];
  const where = `GatewayApiGateway "${gateway.name}" is in namespace ${gateway.namespace}`;
  if (intent.namespace === undefined) {
    return [{ field: 'strategy', message: `${where} and admits the routes of another namespace by its name: give the chart a namespace` }];
  }
  const problems: Problem[] = [];
  if (intent.tls?.clientCertificates !== undefined) {
    problems.push({
      field: 'tls.clientCertificates',
      message: `${where}, where it reads the client CA, and the CA is in namespace ${intent.namespace}; `
        + `declare the exposure in namespace ${gateway.namespace}, or attach it to a GatewayApiGateway of namespace ${intent.namespace}`,
    });
  }
  if (intent.tls?.certManager !== undefined) {
    problems.push({
      field: 'tls',
      message: `${where}, and cert-manager issues its listeners' Secrets there, not in namespace ${intent.tls.secretNamespace ?? intent.namespace}; `
        + `use Tls.fromSecret, or attach the exposure to a GatewayApiGateway of namespace ${intent.namespace}`,
    });
  }
  return problems;
}

function httpRouteProblems(route: RouteIntent, options: CheckedOptions): Problem[] {
  // On the standard channel external authentication and affinity are an implementation's policy, which checks them;
  // Istio's policy carries external authentication on both channels.
  const externalAuthFilter = options.externalAuthByPolicy ? [] : externalAuth(route);
  const experimental = options.experimental ? [...externalAuthFilter, ...cookiePath(route)] : [];
  return [...fractionalMirror(route), ...retries(route, options), ...experimental];
}

/** sessionPersistence has no cookie path: the implementation chooses it. */
function cookiePath(route: RouteIntent): Problem[] {
  return route.affinity?.kind === 'cookie' && route.affinity.path !== undefined
    ? [{ field: policyField(route, 'affinity'), message: 'Gateway API\'s sessionPersistence has no cookie path (the implementation sets it); remove path, or use istio or ingress (ingressNginx)' }]
    : [];
}

/**
 * The ExternalAuth filter has no sign-in redirect (the auth service's own answer reaches the
 * client), and copies every header of the auth answer when it lists none.
 */
function externalAuth(route: RouteIntent): Problem[] {
  const auth = route.auth;
  if (auth?.kind !== 'external') return [];
  const field = policyField(route, 'auth');
  const problems: Problem[] = [];
  if (auth.signinUrl !== undefined) {
    problems.push({
      field: `${field}.signinUrl`,
      message: 'Gateway API\'s ExternalAuth filter has no sign-in redirect: the auth service\'s own refusal (a 302 to sign in) reaches the client; '
        + 'remove signinUrl, or use ingress (ingressNginx) or apiGateway',
    });
  }
  if (auth.responseHeaders.length === 0) {
    problems.push({
      field: `${field}.responseHeaders`,
      message: 'is empty, and Gateway API\'s ExternalAuth filter then copies every header of the auth service\'s answer to the backend; list the headers the backend needs',
    });
  }
  if (auth.forwardHeaders.length > 64 || auth.responseHeaders.length > 64) {
    problems.push({ field, message: 'Gateway API\'s ExternalAuth filter lists at most 64 forwarded and 64 response headers' });
  }
  return problems;
}

const GRPC_LACKS_NAMES: Partial<Record<RoutePolicy, string>> = { timeout: 'timeouts', auth: 'ExternalAuth filter' };

/**
 * GRPCRoute has no field for some policies, and gRPC requests no query or method to match; an
 * implementation's policy that carries external authentication (on the Gateway) needs no filter.
 */
function grpcRouteProblems(route: RouteIntent, options: CheckedOptions): Problem[] {
  const lacks = grpcRouteLacks(route).filter((key) => !(key === 'auth' && options.externalAuthByPolicy));
  const problems: Problem[] = lacks.map((key) => ({
    field: policyField(route, key),
    message: `GRPCRoute has no ${GRPC_LACKS_NAMES[key] ?? key}; remove it from the gRPC route, or use istio`,
  }));
  if (route.match.queryParams.length > 0) {
    problems.push({ field: `${route.field}.match.queryParams`, message: 'gRPC requests have no query parameters; match headers instead' });
  }
  if (route.match.method !== undefined) {
    problems.push({ field: `${route.field}.match.method`, message: 'gRPC requests are all POST; match the gRPC method with the path /package.Service/Method' });
  }
  const path = parseGrpcPath(route.match.path);
  return [...problems, ...fractionalMirror(route), ...('problem' in path ? [{ field: `${route.field}.match.path`, message: path.problem }] : [])];
}

/** Gateway API mirrors every request or a whole percentage of them. */
function fractionalMirror(route: RouteIntent): Problem[] {
  const p = route.mirror?.percentage;
  return p === undefined || p === 100 || Number.isInteger(p) ? []
    : [{ field: `${policyField(route, 'mirror')}.percentage`, message: `Gateway API mirrors a whole percentage; ${p} is not` }];
}

/** Retries are on the experimental channel (at least one attempt) or an implementation's policy, with a per-try timeout within the timeout. */
function retries(route: RouteIntent, options: CheckedOptions): Problem[] {
  const r = route.retries;
  if (r === undefined) return [];
  const field = policyField(route, 'retries');
  const problems: Problem[] = [];
  if (!options.experimental && !options.retriesByPolicy) return [{ field, message: 'retries need the Gateway API experimental channel' }];
  if (options.experimental && !options.retriesByPolicy && r.attempts === 0) {
    problems.push({ field: `${field}.attempts`, message: 'Gateway API cannot switch retries off (attempts is at least 1); leave retries unset' });
  }
  if (r.perTryTimeoutMs !== undefined && route.timeoutMs !== undefined && r.perTryTimeoutMs > route.timeoutMs) {
    problems.push({ field: `${field}.perTryTimeout`, message: 'Gateway API requires the per-try timeout (backendRequest) to be at most the request timeout' });
  }
  return problems;
}

/** A ReferenceGrant names the namespace of the objects it admits: the exposure needs one. */
function referenceGrantsWithoutNamespace(intent: ExposureIntent, options: CheckedOptions): Problem[] {
  if (intent.namespace !== undefined) return [];
  const message = 'a reference into another namespace needs a ReferenceGrant naming this namespace: give the chart a namespace';
  // An existing Gateway's TLS is refused above, and its Secret needs no grant from this exposure.
  const tlsSecret = !options.existingGateway && intent.tls?.secretNamespace !== undefined ? [{ field: 'tls', message }] : [];
  return [...tlsSecret, ...crossNamespaceBackends(intent).map(({ field }) => ({ field, message }))];
}


