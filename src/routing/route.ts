/**
 * Where a request goes: the public entry of the routing models.
 */
import { detectDataPlane } from './detect';
import { routeThroughApiGateway } from './engines';
import { routeByGatewayApi } from './gateway-api';
import { routeByIngress } from './ingress';
import { routeByIngressNginx } from './ingress-nginx';
import { routeByIstio } from './istio';
import { findService, Manifest, manifestsOf, readingManifests, RoutingSource } from './manifests';
import { DataPlane, Forwarded, RouteRequest, RouteResult } from './model';
import { parseRequest } from './request';
import { routeByService } from './service';

/** How `route()` reads the request and the manifests. */
export interface RouteOptions {
  /**
   * The request's headers (names in any case; a cookie as `cookie`).
   *
   * @example { 'x-canary': 'always', cookie: 'beta=always' }
   * @default - none
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The data plane whose semantics answer: say it when the manifests do not (an Ingress of a
   * class the model does not know, or the routes of several data planes in one set).
   *
   * @example 'ingress-nginx'
   * @default - detected from the manifests: HTTPRoute or GRPCRoute: gateway-api; VirtualService:
   * istio; Ingress: ingress-nginx when its class or annotations say so, else ingress; only
   * Services of type NodePort or LoadBalancer: service
   */
  readonly dataPlane?: DataPlane;
}

const MODELS: Readonly<Record<string, (manifests: readonly Manifest[], req: RouteRequest) => RouteResult>> = {
  'service': routeByService,
  'ingress': routeByIngress,
  'ingress-nginx': routeByIngressNginx,
  'istio': routeByIstio,
  'gateway-api': routeByGatewayApi,
};

/**
 * Where a request goes, read from synthesized manifests by a model of the data plane that
 * serves them: the backend (`name:port`, each backend's share), the host and path the backend
 * sees after rewrites, the timeout, header edits and mirrors; or the redirect; or the answer the
 * data plane gives itself (404 without a route, a fault). Where the front forwards to an API
 * gateway's Service, the answer is the gateway's, with the front's as `via`.
 *
 * The models read the manifests only (Ingress path types and host wildcards; ingress-nginx's
 * annotations; Istio Gateway, VirtualService and DestinationRule; Gateway API listeners,
 * HTTPRoute and GRPCRoute precedence and filters): nothing of the declaration. A field that
 * changes routing and that a model does not read makes it throw, naming the object and the
 * field, rather than answer wrongly. Access policies (authentication, IP lists, rate limits)
 * are not evaluated: the answer is for a request they admit.
 *
 * @param source a cdk8s `Chart`, an `App` (every chart) or an array of manifests
 * @param request `'[METHOD ]http(s)://host[:port]/path[?query]'`; GET by default
 * @param options the headers, and the data plane when the manifests do not say it
 * @example
 * expect(route(chart, 'GET https://shop.example.com/api/orders', { headers: { 'x-canary': '1' } }))
 *   .toMatchObject({ kind: 'forward', backend: 'api-v2:8080', path: '/orders', timeout: '5s' });
 */
export function route(source: RoutingSource, request: string, options: RouteOptions = {}): RouteResult {
  return readingManifests(() => routeManifests(source, request, options));
}

function routeManifests(source: RoutingSource, request: string, options: RouteOptions): RouteResult {
  const manifests = manifestsOf(source);
  const req = parseRequest(request, options.headers ?? {});
  const dataPlane = options.dataPlane ?? detectDataPlane(manifests);
  const model = MODELS[dataPlane];
  if (model === undefined) {
    throw new Error(`route: dataPlane '${dataPlane}' is not one route() reads directly: it reads 'service', 'ingress', 'ingress-nginx', 'istio' and 'gateway-api', `
      + 'and follows a front into the API gateway behind it');
  }
  const front = model(manifests, req);
  return front.kind === 'forward' ? throughApiGateway(manifests, front, req) ?? front : front;
}

/**
 * The API gateway's answer when the front forwarded to its Service: the request as the gateway
 * sees it (host and path after the front's rewrites, the front's header edits made, plain HTTP
 * with `x-forwarded-proto` saying the client's scheme).
 */
function throughApiGateway(manifests: readonly Manifest[], front: Forwarded, req: RouteRequest): RouteResult | undefined {
  const keys = Object.keys(front.backends);
  const m = /^([^:/]+):(\d+)$/.exec(front.backend);
  if (keys.length !== 1 || m === null) return undefined;
  const service = findService(manifests, m[1], undefined);
  if (service === undefined) return undefined;
  const headers: Record<string, string> = { ...req.headers };
  for (const name of front.requestHeaders?.remove ?? []) delete headers[name];
  Object.assign(headers, front.requestHeaders?.add ?? {}, front.requestHeaders?.set ?? {});
  headers['x-forwarded-proto'] = req.scheme;
  const forwarded: RouteRequest = { method: req.method, scheme: 'http', host: front.host, path: front.path, headers, port: Number(m[2]) };
  const through = routeThroughApiGateway(manifests, { name: m[1], port: Number(m[2]), namespace: service.metadata?.namespace }, forwarded);
  return through === undefined ? undefined : { ...through, via: front };
}
