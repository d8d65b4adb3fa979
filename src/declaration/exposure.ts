import { Backend } from './backend';
import { CircuitBreaker } from './circuit-breaker';
import { RouteProps, TrafficPolicy } from './route';
import { TcpPort } from './tcp-port';
import { Tls } from './tls';
import { TlsPassthrough } from './tls-passthrough';

/** What an exposure declares, whatever the strategy: hosts, routes, backends, TLS and policies. */
export interface ExposureDeclaration extends TrafficPolicy {
  /**
   * Hostnames the exposure answers for (RFC 1123, lowercase; a wildcard only as a leading `*.`).
   * @default - every host
   * @example hosts: ['shop.example.com', '*.shop.example.com']
   */
  readonly hosts?: string[];

  /**
   * Where requests go unless a route says otherwise.
   * @default - none; then every route sets `backend`, `backends` or `redirect`
   * @example backend: Backend.fromDeployment(api, { port: 8080 })
   */
  readonly backend?: Backend;

  /**
   * Routes. When several match a request, the most specific wins: exact path over prefix, longer
   * prefix over shorter, then method, headers and query parameters (the Ingress and Gateway API
   * precedence; the Istio rendering orders routes so).
   * @default - one route taking every request (PathMatch.prefix('/')) to `backend`; none when
   * only `passthrough` or `tcp` is declared (and no `backend`)
   * @example routes: [{ match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080) }]
   */
  readonly routes?: RouteProps[];

  /**
   * TLS for `hosts`.
   * @default - plain HTTP
   * @example tls: Tls.certManager({ clusterIssuer: 'letsencrypt' })
   */
  readonly tls?: Tls;

  /**
   * The status of the redirect from plain HTTP to HTTPS that comes with `tls`: 301, 302, 307 or
   * 308 (307 and 308 keep the method and body). Istio's Gateway answers 301 only; ingress-nginx
   * answers its controller's `http-redirect-code` (308 by default) for every Ingress, so it takes
   * 308 only; a generic Ingress and an existing Gateway redirect (or not) as their controller does.
   * @default - the strategy's own: 301 (ingress-nginx: its controller's, 308 by default)
   * @example httpsRedirectCode: 308
   */
  readonly httpsRedirectCode?: number;

  /**
   * Circuit breaking for each backend Service: limits of the connections and requests to it, and
   * ejection of its failing endpoints. Istio renders all of it (a DestinationRule per backend
   * Service); the NGINX engine limits connections (`max_conns`); other strategies refuse it.
   * @default - no limits, no ejection (the proxy's defaults)
   * @example circuitBreaker: CircuitBreaker.of({ maxConnections: 100, consecutiveErrors: 5, ejectionTime: Duration.seconds(30) })
   */
  readonly circuitBreaker?: CircuitBreaker;

  /**
   * TLS streams forwarded by SNI hostname to backends that terminate TLS themselves (the exposure
   * does not decrypt them). May coexist with HTTP `routes` where the strategy can serve both.
   * @default - none
   * @example passthrough: [TlsPassthrough.host('db.example.com', Backend.fromName('db', 5432))]
   */
  readonly passthrough?: TlsPassthrough[];

  /**
   * Raw TCP ports, each forwarded to one backend.
   * @default - none
   * @example tcp: [TcpPort.of(5432, Backend.fromName('postgres', 5432))]
   */
  readonly tcp?: TcpPort[];
}
