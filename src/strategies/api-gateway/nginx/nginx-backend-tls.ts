import { secretDir } from './nginx-layout';
import { quote } from './nginx-text';
import type { Problem } from '../../../core/errors';
import { BackendIntent, backendField, BackendTlsIntent, describeBackendTls, ExposureIntent, RouteIntent } from '../../../intent/model';

/*
 * TLS to the backends on the NGINX engine: `proxy_pass https://` with the proxy_ssl directives of
 * the location. The CA comes from a Secret mounted into the gateway pod (key `ca.crt`), like the
 * credentials' Secrets. nginx's proxy_pass speaks HTTP/1.x to the upstream.
 */

/** The backends a route proxies to, then its mirror's. */
function routeBackends(route: RouteIntent): BackendIntent[] {
  return route.action.kind === 'forward' ? route.action.backends.map((b) => b.backend) : [];
}

/** What the engine cannot express of the backends' TLS: every problem, in the order of the intent's backends, then routes. */
export function backendTlsProblems(intent: ExposureIntent): Problem[] {
  const problems: Problem[] = [];
  for (const backend of intent.backends) {
    const ca = backend.tls?.ca;
    if (ca !== undefined && ca.kind !== 'secret') {
      problems.push({
        field: backendField(intent, backend),
        message: `the NGINX engine reads a backend's CA from a Secret mounted into the gateway (key ca.crt); ${ca.kind === 'system' ? 'the system CAs of the image are not one' : `ConfigMap "${ca.name}" is not one`}: `
          + 'use BackendTls.fromSecret(...)',
      });
    }
  }
  for (const route of intent.routes) {
    const backends = routeBackends(route);
    // One location, one proxy_pass scheme and one set of proxy_ssl directives for the route's upstream.
    const differ = backends.find((b) => describeBackendTls(b.tls) !== describeBackendTls(backends[0].tls));
    if (differ !== undefined) {
      problems.push({
        field: `${route.field}.backends`,
        message: `the NGINX engine proxies a route to one upstream, one way; its backends are declared with ${describeBackendTls(backends[0].tls)} and ${describeBackendTls(differ.tls)}: `
          + 'declare the same tls, or use istio',
      });
    }
  }
  return problems;
}

/** The CA Secrets the gateway mounts. */
export function backendCaSecrets(intent: ExposureIntent): string[] {
  return [...new Set(intent.backends.flatMap((b) => (b.tls?.ca?.kind === 'secret' ? [b.tls.ca.name] : [])))].sort();
}

/** The scheme of `proxy_pass` to a route's backends (the checks made them speak alike). */
export function upstreamScheme(backends: readonly BackendIntent[]): 'http' | 'https' {
  return backends[0]?.tls === undefined ? 'http' : 'https';
}

/** The proxy_ssl directives of a location that proxies to backends with `tls`. */
export function proxySslDirectives(tls: BackendTlsIntent | undefined): string[] {
  if (tls === undefined) return [];
  const ca = tls.ca;
  if (ca !== undefined && ca.kind !== 'secret') throw new Error('nginx: the check let through a backend CA that is not a Secret');
  return [
    ...(tls.serverName === undefined ? [] : ['proxy_ssl_server_name on;', `proxy_ssl_name ${quote(tls.serverName)};`]),
    ...(ca === undefined ? ['proxy_ssl_verify off;'] : [
      'proxy_ssl_verify on;',
      // nginx's default depth (1) refuses a certificate issued by an intermediate CA; OpenSSL's is 100.
      'proxy_ssl_verify_depth 100;',
      `proxy_ssl_trusted_certificate ${secretDir(ca.name)}/ca.crt;`,
    ]),
  ];
}
