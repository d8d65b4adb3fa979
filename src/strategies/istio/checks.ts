import { accessProblems } from './access-checks';
import { affinityProblems } from './affinity-checks';
import { externalAuthProblems } from './external-auth-checks';
import { IstioGatewayConfig } from './istio-gateway';
import { percentages } from './istio-values';
import { jwtProblems } from './jwt-checks';
import { Problem } from '../../core/errors';
import { BackendIntent, backendField, describeBackendTls, ExposureIntent, RouteIntent } from '../../intent/model';

/** What the Istio checks know of the strategy's options. */
export interface IstioCheckContext {
  readonly gateway: IstioGatewayConfig;
  readonly bindToMesh: boolean;
  /** `externalAuthProvider`: the mesh's extension provider for `Auth.external`. */
  readonly externalAuthProvider?: string;
  /** The strategy option `trafficPolicy.loadBalancer`, if set. */
  readonly loadBalancer?: string;
}

/**
 * Every problem Istio cannot express in `intent` beyond its capability row: the hosts, the TLS,
 * the weights, the streams, then the routes' JWT and access lists.
 */
export function istioProblems(intent: ExposureIntent, ctx: IstioCheckContext): Problem[] {
  return [
    ...meshBindingWithoutHosts(intent, ctx.bindToMesh),
    ...tlsOnExistingGateway(intent, ctx.gateway),
    ...clientCertificateProblems(intent, ctx.gateway),
    ...httpsRedirectCode(intent, ctx.gateway),
    ...intent.routes.flatMap(weightsLostToRounding),
    ...affinityProblems(intent, { loadBalancer: ctx.loadBalancer }),
    ...backendTlsProblems(intent),
    ...streamsInTheMesh(intent, ctx.bindToMesh),
    ...requestLimitsOnStreams(intent),
    ...accessListsWithStreams(intent),
    ...workloadNamespaceUnknown(intent, ctx.gateway),
    ...jwtProblems(intent, { bindToMesh: ctx.bindToMesh, workloadKnown: ctx.gateway.selector !== undefined }),
    ...accessProblems(intent, { bindToMesh: ctx.bindToMesh, workloadKnown: ctx.gateway.selector !== undefined }),
    ...externalAuthProblems(intent, {
      bindToMesh: ctx.bindToMesh, workloadKnown: ctx.gateway.selector !== undefined, provider: ctx.externalAuthProvider,
    }),
  ];
}

/**
 * JWT, client IP lists and external authentication are policies on the gateway workload
 * (RequestAuthentication, AuthorizationPolicy). Istio matches their selector against the
 * workloads of the policy's own namespace only, or of every namespace when the policy is in the
 * mesh's root namespace (istio-system by default). They are written in the Gateway's namespace;
 * a Gateway created in the exposure's namespace by default, while its pods run elsewhere (the
 * shared ingress gateway runs in istio-system), would route every request and check none. So the
 * namespace of the gateway workload must be said. An existing Gateway's workload runs in its
 * namespace, or in the `workloadNamespace` it is given.
 */
function workloadNamespaceUnknown(intent: ExposureIntent, gateway: IstioGatewayConfig): Problem[] {
  if (gateway.kind !== 'create' || gateway.namespace !== undefined) return [];
  const route = intent.routes.find((r) => r.access !== undefined || r.auth?.kind === 'jwt' || r.auth?.kind === 'external');
  if (route === undefined) return [];
  return [{
    field: route.access !== undefined && !(route.auth?.kind === 'jwt' || route.auth?.kind === 'external') ? route.sources.access! : route.sources.auth!,
    message: 'Istio applies a gateway policy to the pods of the policy\'s own namespace, the Gateway\'s (or of every namespace from the root namespace): '
      + 'say where the gateway workload runs, IstioGateway.create({ namespace: \'istio-system\' }) for the shared ingress gateway',
  }];
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

/**
 * A server's client CA is where Istio reads it: the credential's own `ca.crt`, or the Secret
 * `<credentialName>-cacert` beside it (in the gateway's namespace).
 */
function clientCertificateProblems(intent: ExposureIntent, gateway: IstioGatewayConfig): Problem[] {
  const client = intent.tls?.clientCertificates;
  if (client === undefined || gateway.kind !== 'create') return [];
  const secret = intent.tls!.secretName;
  const names = [secret, `${secret}-cacert`];
  return client.ca.kind !== 'secret' || names.includes(client.ca.name) ? [] : [{
    field: 'tls.clientCertificates.caSecret',
    message: `Istio reads the client CA of a Gateway server from its TLS Secret's ca.crt or from the Secret "${secret}-cacert" beside it; `
      + `name caSecret "${secret}" or "${secret}-cacert" (in the gateway's namespace), not "${client.ca.name}"`,
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

/**
 * The `tls` and `tcp` routes of a VirtualService bound to the mesh too would take the
 * connections of every workload in the mesh to those ports: streams are the Gateway's only.
 */
function streamsInTheMesh(intent: ExposureIntent, bindToMesh: boolean): Problem[] {
  return !bindToMesh ? [] : intent.streams.map((s) => ({
    field: s.field,
    message: 'a VirtualService bound to the mesh would route every mesh workload\'s connections to this port; remove bindToMesh, or declare the stream in an exposure of its own',
  }));
}

/**
 * A DestinationRule is per Service: one that only the streams reach is proxied as TCP, where
 * Envoy opens connections and counts their failures (consecutive errors) but carries no requests,
 * so limits of requests would be written and never apply.
 */
function requestLimitsOnStreams(intent: ExposureIntent): Problem[] {
  const c = intent.circuitBreaker;
  const fields = [c?.maxPendingRequests === undefined ? [] : ['maxPendingRequests'], c?.maxRequests === undefined ? [] : ['maxRequests']].flat();
  if (fields.length === 0) return [];
  const service = (b: BackendIntent) => `${b.namespace ?? intent.namespace ?? ''}/${b.name}`;
  const http = new Set(intent.routes.flatMap((r) => [
    ...(r.action.kind === 'forward' ? r.action.backends.map((b) => service(b.backend)) : []),
    ...(r.mirror ? [service(r.mirror.backend)] : []),
  ]));
  const tcpOnly = [...new Set(intent.streams.map((s) => service(s.backend)).filter((s) => !http.has(s)))];
  return tcpOnly.length === 0 ? [] : [{
    field: 'circuitBreaker',
    message: `Service "${tcpOnly[0].replace(/^\//, '')}" is reached by streams only, which the gateway proxies as TCP without requests: ${fields.join(' and ')} cannot apply to it; `
      + 'maxConnections and the ejection do (failed connections count as errors)',
  }];
}

/**
 * A client IP list is a DENY AuthorizationPolicy on the gateway workload, scoped by the HTTP
 * hosts; on TCP connections Istio ignores HTTP-only fields, so the deny would reach the streams
 * (this exposure's and others on the same gateway) too.
 */
function accessListsWithStreams(intent: ExposureIntent): Problem[] {
  if (intent.streams.length === 0) return [];
  const route = intent.routes.find((r) => r.access !== undefined);
  return route === undefined ? [] : [{
    field: route.sources.access!,
    message: 'Istio enforces client IP lists on the gateway workload, and on its TCP connections an AuthorizationPolicy cannot be scoped by host: '
      + 'the list would apply to the streams too; declare the streams in an exposure of their own',
  }];
}
