import { accessProblems } from './access-checks';
import { IstioGatewayConfig, passesTlsThrough } from './istio-gateway';
import { percentages } from './istio-values';
import { jwtProblems } from './jwt-checks';
import { Problem } from '../../core/errors';
import { BackendIntent, backendField, describeBackendTls, ExposureIntent, isCatchAll, RouteIntent, RoutePolicy } from '../../intent/model';

/** What the Istio checks know of the strategy's options. */
export interface IstioCheckContext {
  readonly gateway: IstioGatewayConfig;
  readonly bindToMesh: boolean;
}

/**
 * Every problem Istio cannot express in `intent` beyond its capability row: the hosts, the TLS,
 * then the routes (with a PASSTHROUGH gateway, which sees no HTTP) or their JWT.
 */
export function istioProblems(intent: ExposureIntent, ctx: IstioCheckContext): Problem[] {
  return [
    ...meshBindingWithoutHosts(intent, ctx.bindToMesh),
    ...tlsOnExistingGateway(intent, ctx.gateway),
    ...httpsRedirectCode(intent, ctx.gateway),
    ...intent.routes.flatMap(weightsLostToRounding),
    ...backendTlsProblems(intent),
    // Under PASSTHROUGH, JWT is one of the L7 policies refused: no JWT check applies.
    ...(passesTlsThrough(ctx.gateway, intent)
      ? [...routesUnderPassthrough(intent), ...l7PoliciesUnderPassthrough(intent)]
      : [
        ...jwtProblems(intent, { bindToMesh: ctx.bindToMesh, workloadKnown: ctx.gateway.selector !== undefined }),
        ...accessProblems(intent, { bindToMesh: ctx.bindToMesh, workloadKnown: ctx.gateway.selector !== undefined }),
      ]),
  ];
}

/**
 * Istio weights are whole percentages summing to 100: a backend declared with a weight above 0
 * whose share rounds to 0% would get no traffic. Refused, never rendered with another meaning.
 */
function weightsLostToRounding(route: RouteIntent): Problem[] {
  if (route.action.kind !== 'forward' || route.action.backends.length < 2) return [];
  const backends = route.action.backends;
  const shares = percentages(backends.map((b) => b.weight));
  const total = backends.reduce((sum, b) => sum + b.weight, 0);
  return backends.flatMap((b, i) => (b.weight > 0 && shares[i] === 0 ? [{
    field: `${route.field}.backends[${i}].weight`,
    message: `weight ${b.weight} of ${total} is less than the 1% Istio can route (its weights are whole percentages); give it at least 1% of the total, or 0 to send it nothing`,
  }] : []));
}

/**
 * TLS to backends in a DestinationRule: a CA from a Secret (`credentialName`) or the proxy's
 * system CAs; a ConfigMap is not something a DestinationRule reads. One TLS setting per port of a
 * Service: two subsets of one port with different TLS cannot be told apart, nor with and without
 * h2c (the port's h2UpgradePolicy).
 */
function backendTlsProblems(intent: ExposureIntent): Problem[] {
  const problems: Problem[] = [];
  const byPort = new Map<string, BackendIntent>();
  for (const backend of intent.backends) {
    const field = backendField(intent, backend);
    if (backend.tls?.ca?.kind === 'config-map') {
      problems.push({
        field,
        message: `istio reads a backend's CA from a Secret (DestinationRule credentialName), not from ConfigMap "${backend.tls.ca.name}"; `
          + 'use BackendTls.fromSecret(...) or BackendTls.systemCertificates(...)',
      });
    }
    const port = `${backend.namespace ?? ''}/${backend.name}:${backend.port}`;
    const other = byPort.get(port);
    if (other !== undefined && describeBackendTls(other.tls) !== describeBackendTls(backend.tls)) {
      problems.push({
        field,
        message: `port ${backend.port} of "${backend.name}" has one TLS setting in a DestinationRule; ${backendField(intent, other)} declared it with `
          + `${describeBackendTls(other.tls)}, this backend with ${describeBackendTls(backend.tls)}: declare the same tls`,
      });
    }
    if (other !== undefined && (other.protocol === 'h2c') !== (backend.protocol === 'h2c')) {
      problems.push({
        field,
        message: `port ${backend.port} of "${backend.name}" has one HTTP version in a DestinationRule; ${backendField(intent, other)} declared it `
          + `"${other.protocol}", this backend "${backend.protocol}": declare the same protocol`,
      });
    }
    if (other === undefined) byPort.set(port, backend);
  }
  return problems;
}

/**
 * A state the checks exclude, reached in rendering: a bug of the library, never a mistake of the
 * declaration (those are problems, reported before anything renders).
 */
export function checkLetThrough(what: string): Error {
  return new Error(`istio: the check let through ${what}`);
}

function meshBindingWithoutHosts(intent: ExposureIntent, bindToMesh: boolean): Problem[] {
  return !bindToMesh || intent.hosts.length > 0 ? [] : [{
    field: 'hosts',
    message: 'a VirtualService bound to the mesh needs hosts: in the mesh, "*" would capture every service; set hosts',
  }];
}

function tlsOnExistingGateway(intent: ExposureIntent, gateway: IstioGatewayConfig): Problem[] {
  return gateway.kind !== 'existing' || intent.tls === undefined ? [] : [{
    field: 'tls',
    message: 'an existing Gateway serves its own certificates on its own servers; remove tls, or use IstioGateway.create()',
  }];
}

/** A created Gateway's HTTP server redirects with `tls.httpsRedirect`, which answers 301 and nothing else. */
function httpsRedirectCode(intent: ExposureIntent, gateway: IstioGatewayConfig): Problem[] {
  const code = intent.tls?.redirectCode;
  if (code === undefined || gateway.kind !== 'create') return [];
  if (!gateway.httpsRedirect) {
    return [{ field: 'httpsRedirectCode', message: 'the Gateway is created with httpsRedirect: false, so plain HTTP is not redirected; remove httpsRedirectCode or the option' }];
  }
  return code === 301 ? [] : [{
    field: 'httpsRedirectCode',
    message: `Istio's Gateway redirects plain HTTP to HTTPS with 301 only (tls.httpsRedirect); use 301, or gatewayApi or apiGateway for ${code}`,
  }];
}

/** PASSTHROUGH routes by host only: one catch-all route to a backend (or weighted backends). */
function routesUnderPassthrough(intent: ExposureIntent): Problem[] {
  const route = intent.routes[0];
  return intent.routes.length === 1 && isCatchAll(route.match) && route.action.kind === 'forward' ? [] : [{
    field: 'routes',
    message: 'with tlsMode PASSTHROUGH the gateway does not decrypt, so it routes by host only: declare no routes, one backend (or weighted backends)',
  }];
}

/** The L7 policies a route may carry, as the intent holds them and as they are declared. */
const L7_POLICIES: readonly (readonly [keyof RouteIntent, RoutePolicy])[] = [
  ['timeoutMs', 'timeout'], ['retries', 'retries'], ['rewrite', 'rewrite'], ['requestHeaders', 'requestHeaders'],
  ['responseHeaders', 'responseHeaders'], ['mirror', 'mirror'], ['fault', 'fault'], ['cors', 'cors'], ['auth', 'auth'],
  // An AuthorizationPolicy scoped by host needs HTTP: under PASSTHROUGH the gateway sees TLS only.
  ['access', 'access'],
];

/** Each L7 policy declared (once per field: routes inherit the exposure's), in declaration order. */
function l7PoliciesUnderPassthrough(intent: ExposureIntent): Problem[] {
  const fields = intent.routes.flatMap((route) => L7_POLICIES
    .filter(([key]) => route[key] !== undefined)
    .map(([, policy]) => route.sources[policy] ?? route.field));
  return [...new Set(fields)].map((field) => ({ field, message: 'with tlsMode PASSTHROUGH the gateway sees no HTTP: L7 policies cannot apply' }));
}
