import { Duration } from 'cdk8s';
import {
  ApiGatewayEngine, ApiGatewayStrategyOptions, Auth, Backend, BackendTls, ExposedService, ExposedServiceProps, ExposureStrategy, IngressController,
  PathMatch, Tls,
} from '../../src';
import { declarationError, find, Manifest, synthChecked, testChart } from '../support/synth';

const catalog = (options: { tls?: BackendTls } = {}) => Backend.fromName('catalog', 9090, { protocol: 'grpc', ...options });
const web = () => Backend.fromName('web', 8080);
const CATALOG = PathMatch.prefix('/shop.v1.Catalog');

function expose(props: Partial<ExposedServiceProps>, options: Partial<ApiGatewayStrategyOptions> = {}): Manifest[] {
  const chart = testChart('shop', 'shop');
  new ExposedService(chart, 'api', {
    strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: ExposureStrategy.istio(), ...options }),
    hosts: ['api.example.com'],
    ...props,
  });
  return synthChecked(chart);
}
const configOf = (manifests: Manifest[]): string => find(manifests, 'ConfigMap').data['nginx.conf'];
const containerOf = (manifests: Manifest[]) => find(manifests, 'Deployment', 'shop-api-gateway').spec.template.spec.containers[0];
/** The lines of the internal location of route `i` (in specificity order). */
function routeLocation(config: string, i: number): string[] {
  const lines = config.split('\n');
  const start = lines.findIndex((l) => l.trim() === `location = /__route/${i} {`);
  const end = lines.findIndex((l, k) => k > start && l.trim() === '}' && l.indexOf('}') === lines[start].indexOf('l'));
  return lines.slice(start + 1, end).map((l) => l.trim());
}
const mixed = { backend: web(), routes: [{ match: { path: CATALOG }, backend: catalog() }, { match: { path: PathMatch.prefix('/') } }] };

describe('apiGateway strategy, NGINX engine, gRPC routes', () => {
  test('behind an L7 front: a cleartext HTTP/2 gRPC port in the same server; the HTTP port stays HTTP/1.1', () => {
    const config = configOf(expose(mixed));
    expect(config).toContain('    listen 8080;\n    listen 8082;\n    http2 on;\n');
    expect(config).not.toMatch(/listen \d+ http2/);
    expect(containerOf(expose(mixed)).ports).toEqual([
      { containerPort: 8080, name: 'http' }, { containerPort: 8443, name: 'https' }, { containerPort: 8081, name: 'status' }, { containerPort: 8082, name: 'grpc' },
    ]);
  });

  test('the gRPC route\'s location: gRPC error pages, its path restored, grpc_pass to its upstream', () => {
    const config = configOf(expose(mixed));
    expect(routeLocation(config, 0)).toEqual([
      'internal;',
      ...[[400, 400], [401, 401], [403, 403], [404, 404], [405, 405], [410, 410],
        [413, 413], [429, 429], [500, 500], [502, 502], [503, 503], [504, 504]]
        .map(([code]) => `error_page ${code} =200 @grpc_error_${code};`),
      'set $route_name "routes[0]";',
      'rewrite ^ $original_uri break;',
      'grpc_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      'grpc_set_header X-Forwarded-Proto $scheme;',
      'grpc_set_header X-Forwarded-Host $host;',
      'grpc_set_header X-Request-Id $request_id;',
      'grpc_pass grpc://route_0;',
    ]);
    expect(config).toContain('upstream route_0 {\n    server catalog.shop.svc.cluster.local:9090 weight=1 max_fails=0;\n    keepalive 16;\n  }');
    // The HTTP route keeps proxy_pass.
    expect(routeLocation(config, 1)).toContain('proxy_pass "http://route_1${request_uri}";');
  });

  test('the gateway\'s errors as gRPC statuses: HTTP 200, application/grpc, grpc-status and grpc-message', () => {
    const config = configOf(expose(mixed));
    expect(config).toContain([
      '    location @grpc_error_429 {',
      '      default_type application/grpc;',
      '      add_header grpc-status 8 always;',
      '      add_header grpc-message "too many requests" always;',
      '      return 200 "";',
      '    }',
    ].join('\n'));
    const statuses = [...config.matchAll(/location @grpc_error_(\d+) \{\n.*\n\s+add_header grpc-status (\d+) always;/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(statuses).toEqual(['400:3', '401:16', '403:7', '404:12', '405:12', '410:12', '413:8', '429:8', '500:13', '502:14', '503:14', '504:4']);
    // An exposure without gRPC routes has none of it.
    const http = configOf(expose({ backend: web() }));
    expect(http).not.toContain('grpc');
    expect(http).not.toContain('http2');
  });

  test('timeouts, retries and header edits map to grpc_* directives; TLS to the backend as grpcs://', () => {
    const config = configOf(expose({
      routes: [{
        match: { path: CATALOG },
        backend: catalog({ tls: BackendTls.unverified({ serverName: 'catalog.shop.svc' }) }),
        timeout: Duration.seconds(10),
        retries: { attempts: 2, perTryTimeout: Duration.seconds(3), retryOn: ['connect-failure', 'gateway-error'] },
        requestHeaders: { set: { 'x-env': 'prod' }, remove: ['x-debug'] },
        responseHeaders: { remove: ['x-internal'] },
      }, { match: { path: PathMatch.prefix('/shop.v1.Feed') }, backend: Backend.fromName('feed', 9090, { protocol: 'grpc' }), idleTimeout: Duration.minutes(5) }],
    }));
    // In specificity order: the longer prefix first.
    expect(routeLocation(config, 1)).toEqual(expect.arrayContaining(['grpc_send_timeout 300000ms;', 'grpc_read_timeout 300000ms;']));
    const location = routeLocation(config, 0);
    expect(location).toEqual(expect.arrayContaining([
      'grpc_hide_header x-internal;',
      'grpc_set_header x-env "prod";',
      'grpc_set_header x-debug "";',
      'grpc_connect_timeout 3000ms;', 'grpc_send_timeout 3000ms;', 'grpc_read_timeout 3000ms;',
      'grpc_next_upstream error timeout http_502 http_503 http_504 non_idempotent;',
      'grpc_next_upstream_tries 3;',
      'grpc_next_upstream_timeout 10000ms;',
      'grpc_ssl_server_name on;', 'grpc_ssl_name "catalog.shop.svc";', 'grpc_ssl_verify off;',
    ]));
    expect(location[location.length - 1]).toBe('grpc_pass grpcs://route_0;');
    expect(location.some((l) => l.startsWith('proxy_'))).toBe(false);
    // Each try on another copy of the Service's one address.
    expect(config.match(/server catalog\.shop\.svc\.cluster\.local:9090/g)).toHaveLength(3);
  });

  test('where the gateway terminates TLS (an L4 front): HTTP/2 on the HTTPS port by ALPN, no gRPC port', () => {
    const manifests = expose({ ...mixed, tls: Tls.fromSecret('api-tls') }, { exposedVia: ExposureStrategy.loadBalancer() });
    const config = configOf(manifests);
    expect(config).toContain('    listen 8443 ssl;\n    http2 on;\n');
    expect(config).not.toContain('listen 8082');
    expect(containerOf(manifests).ports.map((p: { name: string }) => p.name)).toEqual(['http', 'https', 'status']);
    expect(find(manifests, 'Service', 'shop-api').spec.ports).toEqual([{ name: 'http', port: 8443, protocol: 'TCP', targetPort: 8443 }]);
  });
});

describe('apiGateway strategy, NGINX engine, gRPC routes: what each front does', () => {
  const gatewayService = (manifests: Manifest[]) => find(manifests, 'Service', 'shop-api-gateway');

  test('the gateway Service: a grpc- port of appProtocol kubernetes.io/h2c beside the HTTP port; none without HTTP routes', () => {
    expect(gatewayService(expose(mixed)).spec.ports).toEqual([
      { name: 'http-8080', port: 8080, targetPort: 8080 },
      { name: 'grpc-8082', port: 8082, targetPort: 8082, appProtocol: 'kubernetes.io/h2c' },
    ]);
    expect(gatewayService(expose({ backend: catalog() })).spec.ports).toEqual([{ name: 'grpc-8082', port: 8082, targetPort: 8082, appProtocol: 'kubernetes.io/h2c' }]);
  });

  test('istio: the gRPC route\'s match to the gRPC port (Istio speaks HTTP/2 to a grpc- port), the rest to the HTTP port', () => {
    const vs = find(expose(mixed), 'VirtualService');
    expect(vs.spec.http.map((r: any) => [r.match[0].uri, r.route[0].destination.port.number])).toEqual([
      [{ prefix: '/shop.v1.Catalog' }, 8082], [{ prefix: '/' }, 8080],
    ]);
  });

  test('gatewayApi: a GRPCRoute of the gRPC service to the gRPC port, an HTTPRoute of the rest', () => {
    const manifests = expose(mixed, { exposedVia: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }) });
    const grpcRoute = find(manifests, 'GRPCRoute');
    expect(grpcRoute.spec.rules).toEqual([expect.objectContaining({
      matches: [{ method: { service: 'shop.v1.Catalog', type: 'Exact' } }],
      backendRefs: [{ name: 'shop-api-gateway', port: 8082 }],
    })]);
    expect(find(manifests, 'HTTPRoute').spec.rules.map((r: any) => r.backendRefs)).toEqual([[{ name: 'shop-api-gateway', port: 8080 }]]);
  });

  test('ingress-nginx: an Ingress of the gRPC paths with backend-protocol GRPC to the gRPC port, another of the rest', () => {
    const manifests = expose(mixed, { exposedVia: ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }) });
    const ingresses = manifests.filter((m) => m.kind === 'Ingress');
    expect(ingresses.map((i) => [
      i.metadata.annotations?.['nginx.ingress.kubernetes.io/backend-protocol'],
      i.spec.rules[0].http.paths.map((p: any) => [p.path, p.backend.service.port.number]),
    ])).toEqual([['GRPC', [['/shop.v1.Catalog', 8082]]], [undefined, [['/', 8080]]]]);
  });

  test('a front that cannot route gRPC (a generic Ingress) refuses the route where it was declared', () => {
    expect(declarationError({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: ExposureStrategy.ingress({ className: 'traefik' }) }),
      ...mixed,
    }).message).toBe('ExposedService test/public: routes[0].backend: \'grpc\' is not supported by ingress (exposedVia); '
      + 'supported by: nodePort, loadBalancer, ingress (ingressNginx), istio, gatewayApi');
  });
});

describe('apiGateway strategy, gRPC routes refused', () => {
  const nginx = (exposedVia?: ApiGatewayStrategyOptions['exposedVia']) => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia });
  const behindIstio = nginx(ExposureStrategy.istio());

  test('an L4 front without TLS: no HTTP/2 port to reach', () => {
    const message = (front: string) => `ExposedService test/public: backend: gRPC reaches the gateway over HTTP/2, and behind ${front} without TLS the gateway's one port speaks HTTP/1.1; `
      + 'declare tls (the gateway then negotiates HTTP/2 on its HTTPS port by ALPN), or expose the gateway with ingress (ingress-nginx), istio or gatewayApi, '
      + 'which send the gRPC routes to its gRPC port';
    expect(declarationError({ strategy: nginx(), backend: catalog() }).message).toBe(message('the default loadBalancer front'));
    expect(declarationError({ strategy: nginx(ExposureStrategy.nodePort()), backend: catalog() }).message).toBe(message('nodePort'));
  });

  test('a gRPC route on every path beside HTTP routes, behind an L7 front', () => {
    expect(declarationError({
      strategy: behindIstio,
      routes: [{ match: { path: PathMatch.prefix('/shop.v1.Catalog') }, backend: web() }, { match: { path: PathMatch.prefix('/') }, backend: catalog() }],
    }).message).toBe('ExposedService test/public: routes[1].match.path: behind istio the front sends the gRPC routes\' paths to the gateway\'s gRPC port '
      + 'and the rest to its HTTP port, and this gRPC route takes every path; match its services (PathMatch.prefix(\'/package.Service\'))');
  });

  test('what grpc_pass cannot do: a path rewrite, a mirror, CORS, a sign-in redirect', () => {
    expect(declarationError({
      strategy: behindIstio,
      routes: [{
        match: { path: CATALOG },
        backend: catalog(),
        rewrite: { path: '/shop.v2.Catalog' },
        mirror: { backend: Backend.fromName('shadow', 9090, { protocol: 'grpc' }) },
        cors: { allowOrigins: ['https://app.example.com'] },
        auth: Auth.external({ service: Backend.fromName('authz', 8080), signinUrl: 'https://auth.example.com/start' }),
      }],
    }).message).toBe([
      'ExposedService test/public: routes[0].rewrite.path: the NGINX engine passes a gRPC call with grpc_pass, which keeps its path (/package.Service/Method); remove the path rewrite',
      'ExposedService test/public: routes[0].mirror: the NGINX engine mirrors requests over HTTP/1.1, which a gRPC backend does not speak; remove mirror, or use istio',
      'ExposedService test/public: routes[0].cors: gRPC clients send no CORS preflight; browsers call gRPC services through gRPC-Web, '
        + 'which apiGateway (kong) translates: remove cors',
      'ExposedService test/public: routes[0].auth.signinUrl: gRPC clients do not follow redirects to a sign-in page; remove signinUrl',
    ].join('\n'));
  });
});
