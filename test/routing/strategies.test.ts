import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ApiGatewayEngine, Backend, ExposedService, ExposedServiceProps, ExposureStrategy, GatewayImplementation, IngressController, PathMatch, requestsFor,
  route, RouteResult, Tls,
} from '../../src';
import { Manifest, synthChecked, testChart } from '../support/synth';

/**
 * One declaration on every strategy, the same requests (requestsFor's table) through route():
 * the answers are the same, or the strategy refuses the declaration, or the difference is one the
 * documentation states (listed here, request by request).
 */
type Declared = Omit<ExposedServiceProps, 'strategy'>;

/** The manifests of a declaration on a strategy, or the refusal's message. */
function render(declared: Declared | ((chart: ReturnType<typeof testChart>) => Declared), strategy: ExposureStrategy): Manifest[] | string {
  const chart = testChart('shop');
  try {
    new ExposedService(chart, 'public', { ...(typeof declared === 'function' ? declared(chart) : declared), strategy });
    return synthChecked(chart);
  } catch (e) {
    return (e as Error).message;
  }
}

function rendered(declared: Declared, strategy: ExposureStrategy): Manifest[] {
  const m = render(declared, strategy);
  if (typeof m === 'string') throw new Error(m);
  return m;
}

/** What the client and the backend see; a redirect's status aside (compared on its own, below). */
function seen(r: RouteResult): unknown {
  if (r.kind === 'forward') return { backends: r.backends, host: r.host, path: r.path, timeout: r.timeout };
  if (r.kind === 'redirect') return { redirect: r.location };
  return { status: r.status };
}

/** The requests of the table whose answer differs from the reference's. */
function differences(manifests: Manifest[], reference: Manifest[]): string[] {
  const answer = (m: Manifest[], request: string, headers?: Readonly<Record<string, string>>) => JSON.stringify(seen(route(m, request, { headers })));
  return requestsFor(reference).filter(({ request, headers }) => answer(manifests, request, headers) !== answer(reference, request, headers))
    .map((r) => r.request);
}

const GATEWAY_API: [string, () => ExposureStrategy][] = [
  ['gatewayApi', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' })],
  ['gatewayApi (envoyGateway)', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway() })],
  ['gatewayApi (traefik)', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'traefik', implementation: GatewayImplementation.traefik() })],
  ['gatewayApi (nginxGatewayFabric)', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'nginx', implementation: GatewayImplementation.nginxGatewayFabric() })],
  ['gatewayApi (kong)', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'kong', implementation: GatewayImplementation.kong() })],
  ['gatewayApi (istio)', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'istio', implementation: GatewayImplementation.istio() })],
];
const STRATEGIES: [string, () => ExposureStrategy][] = [
  ['ingress (ingressNginx)', () => ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() })],
  ['ingress', () => ExposureStrategy.ingress({ className: 'traefik' })],
  ['istio', () => ExposureStrategy.istio()],
  ...GATEWAY_API,
];
const reference = (declared: Declared) => rendered(declared, ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }));

describe('hosts, exact and prefix paths, weighted backends, TLS', () => {
  const DECLARED: Declared = {
    hosts: ['shop.example.com', '*.shop.example.com'],
    backend: Backend.fromName('web', 80),
    tls: Tls.fromSecret('shop-tls'),
    routes: [
      { match: { path: PathMatch.exact('/healthz') }, backend: Backend.fromName('health', 8080) },
      { match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080) },
      { match: { path: PathMatch.prefix('/api/v2') }, backends: [{ backend: Backend.fromName('api-v2', 8080), weight: 90 }, { backend: Backend.fromName('api-v3', 8080), weight: 10 }] },
      { match: { path: PathMatch.prefix('/') } },
    ],
  };
  // PathMatch: "Istio and Kong render string prefixes ... where /api also matches /apis".
  const STRING_PREFIXES = ['GET https://shop.example.com/api/v2s', 'GET https://shop.example.com/apis', 'GET https://wildcard.shop.example.com/api/v2s',
    'GET https://wildcard.shop.example.com/apis'];
  const EXPECTED: Record<string, string[]> = { istio: STRING_PREFIXES };

  test.each(STRATEGIES.filter(([name]) => name !== 'ingress'))('%s routes as the Gateway API spec', (name, strategy) => {
    expect(differences(rendered(DECLARED, strategy()), reference(DECLARED))).toEqual(EXPECTED[name] ?? []);
  });

  test('on Istio, a prefix is a string prefix (as documented)', () => {
    expect(route(rendered(DECLARED, ExposureStrategy.istio()), 'GET https://shop.example.com/apis')).toMatchObject({ backend: 'api:8080' });
    expect(route(reference(DECLARED), 'GET https://shop.example.com/apis')).toMatchObject({ backend: 'web:80' });
  });

  test('HTTP is redirected to HTTPS: 308 on ingress-nginx, 301 on Istio and Gateway API', () => {
    const statusOn = (s: ExposureStrategy) => route(rendered(DECLARED, s), 'GET http://shop.example.com/a?b=1');
    const redirect = (status: number) => ({ kind: 'redirect', status, location: 'https://shop.example.com/a?b=1' });
    expect(statusOn(ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }))).toMatchObject(redirect(308));
    expect(statusOn(ExposureStrategy.istio())).toMatchObject(redirect(301));
    expect(statusOn(ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }))).toMatchObject(redirect(301));
  });

  test('the generic Ingress refuses weights; without them, it routes alike over HTTPS and leaves HTTP to the controller', () => {
    expect(render(DECLARED, ExposureStrategy.ingress({ className: 'traefik' }))).toBe('ExposedService shop/public: routes[2].backends: \'weighted-backends\' is not supported by ingress; '
      + 'supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx), apiGateway (kong)');
    const unweighted = { ...DECLARED, routes: DECLARED.routes!.filter((r) => r.backends === undefined) };
    const generic = rendered(unweighted, ExposureStrategy.ingress({ className: 'traefik' }));
    const diffs = differences(generic, reference(unweighted));
    expect(diffs.length).toBeGreaterThan(0);
    // The Kubernetes API says nothing of redirecting HTTP: the generic model forwards it as HTTPS.
    expect(diffs.every((r) => r.startsWith('GET http://'))).toBe(true);
    expect(route(generic, 'GET http://shop.example.com/api/x')).toMatchObject({ kind: 'forward', backend: 'api:8080' });
  });
});

describe('a rewrite and a timeout', () => {
  const DECLARED: Declared = {
    hosts: ['shop.example.com'],
    backend: Backend.fromName('web', 80),
    tls: Tls.fromSecret('shop-tls'),
    routes: [
      { match: { path: PathMatch.exact('/healthz') }, backend: Backend.fromName('health', 8080) },
      { match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080), rewrite: { path: '/' }, timeout: Duration.seconds(5) },
      { match: { path: PathMatch.prefix('/') } },
    ],
  };
  // ingress-nginx: a rewrite makes every location of the host a case-insensitive regex anchored at
  // the start only, an Exact path too (its buildLocation): /healthz/x reaches the Exact route.
  const REGEX_LOCATIONS = ['GET https://shop.example.com/API', 'GET https://shop.example.com/HEALTHZ', 'GET https://shop.example.com/healthz/',
    'GET https://shop.example.com/healthz/x', 'GET https://shop.example.com/healthzs'];
  const EXPECTED: Record<string, string[]> = { 'ingress (ingressNginx)': REGEX_LOCATIONS };
  const REFUSED: Record<string, string> = {
    'ingress': 'ExposedService shop/public: routes[1].timeout: \'timeout\' is not supported by ingress; supported by: ingress (ingressNginx), istio, gatewayApi, '
      + 'apiGateway (nginx), apiGateway (kong)\nExposedService shop/public: routes[1].rewrite.path: \'rewrite-path\' is not supported by ingress; '
      + 'supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx), apiGateway (kong)',
    'gatewayApi (traefik)': 'ExposedService shop/public: routes[1].timeout: \'timeout\' is not supported by gatewayApi (traefik); '
      + 'supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx), apiGateway (kong)',
    'gatewayApi (nginxGatewayFabric)': 'ExposedService shop/public: routes[1].timeout: NGINX Gateway Fabric ignores a rule\'s timeouts and sets nginx\'s proxy timeouts '
      + 'by a ProxySettingsPolicy on a whole HTTPRoute or GRPCRoute: declare one timeout for all the routes of a protocol (on the exposure); '
      + 'or use gatewayApi with envoyGateway, or apiGateway',
    'gatewayApi (kong)': 'ExposedService shop/public: routes[1].timeout: \'timeout\' is not supported by gatewayApi (kong); '
      + 'supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx), apiGateway (kong)',
  };

  test.each(STRATEGIES)('%s routes as the Gateway API spec, or refuses', (name, strategy) => {
    const manifests = render(DECLARED, strategy());
    if (REFUSED[name] !== undefined) {
      expect(manifests).toBe(REFUSED[name]);
      return;
    }
    expect(differences(manifests as Manifest[], reference(DECLARED))).toEqual(EXPECTED[name] ?? []);
    expect(route(manifests as Manifest[], 'GET https://shop.example.com/api/orders?x=1')).toMatchObject({ backend: 'api:8080', path: '/orders?x=1', timeout: '5s' });
  });
});

describe('nodePort and loadBalancer', () => {
  const declared = (chart: ReturnType<typeof testChart>): Declared => ({
    backend: Backend.fromDeployment(new kplus.Deployment(chart, 'api', {
      containers: [{ image: 'ghcr.io/acme/api:1.4.2', ports: [{ number: 8080 }], securityContext: { ensureNonRoot: false } }],
    })),
  });
  test.each([['nodePort', ExposureStrategy.nodePort({ nodePort: 30080 }), 30080], ['loadBalancer', ExposureStrategy.loadBalancer(), 8080]] as const)(
    '%s: the Service takes every request on its port, host and path unchanged', (_name, strategy, port) => {
      const manifests = render(declared, strategy) as Manifest[];
      const requests = requestsFor(manifests);
      expect(requests.length).toBeGreaterThan(1);
      for (const { request } of requests) {
        const [, method, host, path] = /^(\w+) http:\/\/([^/]+)(\/.*)$/.exec(request)!;
        const url = `${method} http://${host}:${port}${path}`;
        expect([url, route(manifests, url)]).toEqual([url, {
          kind: 'forward', dataPlane: 'service', backend: 'shop-public:8080', backends: { 'shop-public:8080': 1 }, host, path,
        }]);
      }
      expect(route(manifests, 'GET http://example.com:9999/')).toMatchObject({ kind: 'respond', status: 0 });
    });
});

describe('an API gateway behind each front', () => {
  const DECLARED: Declared = {
    hosts: ['shop.example.com'],
    backend: Backend.fromName('web', 80),
    routes: [{ match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080) }, { match: { path: PathMatch.prefix('/') } }],
  };
  const FRONTS: [string, () => ExposureStrategy][] = [
    ['ingress (ingressNginx)', () => ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() })],
    ['istio', () => ExposureStrategy.istio()],
    ['gatewayApi', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' })],
  ];
  // The gateway's Service: the NGINX engine listens on 8080, Kong on its proxy port 8000.
  const ENGINES: [string, () => ApiGatewayEngine, string][] = [
    ['nginx', () => ApiGatewayEngine.nginx(), 'shop-public-gateway:8080'], ['kong', () => ApiGatewayEngine.kong(), 'shop-public-gateway:8000'],
  ];
  const cases = ENGINES.flatMap(([engine, e, service]) => FRONTS.map(([front, f]) => [engine, front, e, f, service] as const));
  // The front forwards every request of the host to the gateway's Service, path and host unchanged;
  // the engines' models (src/routing/engines.ts) answer from there, and the front's answer is then `via`.
  test.each(cases)('%s engine behind %s: the front forwards to the gateway', (_engine, _front, engine, front, service) => {
    const manifests = rendered(DECLARED, ExposureStrategy.apiGateway({ engine: engine(), exposedVia: front() }));
    for (const request of ['GET http://shop.example.com/api/x?y=1', 'GET http://shop.example.com/other']) {
      const answer = route(manifests, request);
      const frontAnswer = answer.via ?? answer;
      expect(frontAnswer).toMatchObject({ kind: 'forward', backend: service, host: 'shop.example.com', path: request.slice('GET http://shop.example.com'.length) });
    }
    expect(route(manifests, 'GET http://other.example.com/')).toMatchObject({ kind: 'respond', status: 404 });
  });
});
