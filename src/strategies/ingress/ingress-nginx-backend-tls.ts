import { ANNOTATION_PREFIX as A } from './ingress-nginx-annotation-values';
import type { Problem } from '../../core/errors';
import { BackendIntent, backendField, describeBackendTls, ExposureIntent, RouteIntent } from '../../intent/model';

/*
 * TLS to a route's backends as ingress-nginx annotations: `backend-protocol` HTTPS or GRPCS, and
 * the proxyssl annotations, which the controller reads only with `proxy-ssl-secret` (a Secret
 * `namespace/name` in the Ingress's own namespace, its CA in `ca.crt`).
 */

/** The backends a route proxies to (a redirect proxies to none). */
function proxiedBackends(route: RouteIntent): readonly BackendIntent[] {
  return route.action.kind === 'forward' ? route.action.backends.map((b) => b.backend) : [];
}

/** What the annotations cannot carry of TLS to the route's backends. */
export function backendTlsProblems(route: RouteIntent, intent: ExposureIntent): Problem[] {
  const backends = proxiedBackends(route);
  const problems: Problem[] = [];
  // A canary Ingress inherits the main Ingress's annotations: both backends speak one way.
  if (backends.length === 2 && describeBackendTls(backends[0].tls) !== describeBackendTls(backends[1].tls)) {
    problems.push({
      field: `${route.field}.backends`,
      message: `ingress-nginx's canary Ingress takes the main Ingress's backend-protocol and proxy-ssl annotations; the backends are declared with ${describeBackendTls(backends[0].tls)} `
        + `and ${describeBackendTls(backends[1].tls)}: declare the same tls, or use gatewayApi or istio`,
    });
  }
  const backend = backends[0];
  const tls = backend?.tls;
  if (tls !== undefined) {
    const field = backendField(intent, backend);
    const ca = tls.ca;
    if (ca === undefined && tls.serverName !== undefined) {
      problems.push({ field, message: 'ingress-nginx sends a server name (proxy-ssl-name) only with proxy-ssl-secret, which verifies the certificate; remove serverName, or verify with BackendTls.fromSecret(...)' });
    } else if (ca !== undefined && ca.kind !== 'secret') {
      problems.push({
        field,
        message: `ingress-nginx verifies a backend with a CA from a Secret (proxy-ssl-secret); ${ca.kind === 'system' ? 'the system CAs are not one' : `ConfigMap "${ca.name}" is not one`}: `
          + 'use BackendTls.fromSecret(...)',
      });
    } else if (ca !== undefined && intent.namespace === undefined) {
      problems.push({ field, message: 'ingress-nginx names the CA Secret as namespace/name (proxy-ssl-secret) in the Ingress\'s namespace; give the chart a namespace' });
    }
  }
  if (route.mirror?.backend.tls !== undefined) {
    problems.push({ field: `${route.sources.mirror!}.backend`, message: 'ingress-nginx mirrors over plain HTTP (mirror-target http://...); the mirror backend declares tls: use istio' });
  }
  return problems;
}

/** `backend-protocol` and the proxyssl annotations of a route whose checks passed. */
export function backendProtocolAnnotations(route: RouteIntent, intent: ExposureIntent): Record<string, string> {
  const tls = proxiedBackends(route)[0]?.tls;
  const grpc = route.protocol === 'grpc';
  if (tls === undefined) return grpc ? { [`${A}backend-protocol`]: 'GRPC' } : {};
  const protocol = { [`${A}backend-protocol`]: grpc ? 'GRPCS' : 'HTTPS' };
  const ca = tls.ca;
  if (ca === undefined) return protocol;
  if (ca.kind !== 'secret' || intent.namespace === undefined || tls.serverName === undefined) {
    throw new Error('ingress-nginx: the check let through backend TLS the annotations cannot carry');
  }
  return {
    ...protocol,
    [`${A}proxy-ssl-secret`]: `${intent.namespace}/${ca.name}`,
    [`${A}proxy-ssl-verify`]: 'on',
    // The controller's default depth (1) refuses a certificate issued by an intermediate CA; OpenSSL's is 100.
    [`${A}proxy-ssl-verify-depth`]: '100',
    [`${A}proxy-ssl-name`]: tls.serverName,
    [`${A}proxy-ssl-server-name`]: 'on',
  };
}
