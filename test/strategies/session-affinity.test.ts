import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as YAML from 'yaml';
import {
  ApiGatewayEngine, ApiGatewayStrategyOptions, Backend, CircuitBreaker, ExposedService, ExposedServiceProps, ExposureStrategy, IngressController,
  PathMatch, SessionAffinity, TlsPassthrough,
} from '../../src';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

const NGINX = 'nginx.ingress.kubernetes.io/';
const ingressNginx = () => ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() });
const experimental = () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', experimental: true });
const httpbin = () => Backend.fromName('httpbin', 8000);
const cookie = () => SessionAffinity.cookie({ name: 'route', ttl: Duration.hours(8), path: '/' });

function expose(props: ExposedServiceProps, namespace?: string): Manifest[] {
  const chart = testChart('test', namespace);
  new ExposedService(chart, 'public', props);
  return synthChecked(chart);
}

const errorOf = (props: ExposedServiceProps): string => declarationError(props).message;

describe('ingress-nginx', () => {
  test('a cookie: the controller\'s sticky cookie, persistent, with Max-Age and Expires and the path', () => {
    const ingress = find(expose({ strategy: ingressNginx(), hosts: ['shop.example.com'], backend: httpbin(), affinity: cookie() }), 'Ingress');
    expect(ingress.metadata.annotations).toEqual({
      [`${NGINX}affinity`]: 'cookie',
      [`${NGINX}affinity-mode`]: 'persistent',
      [`${NGINX}session-cookie-name`]: 'route',
      [`${NGINX}session-cookie-max-age`]: '28800',
      [`${NGINX}session-cookie-expires`]: '28800',
      [`${NGINX}session-cookie-path`]: '/',
    });
  });

  test('a session cookie has no Max-Age or Expires; the path is the location\'s', () => {
    const ingress = find(expose({ strategy: ingressNginx(), hosts: ['shop.example.com'], backend: httpbin(), affinity: SessionAffinity.cookie({ name: 'JSESSION.id' }) }), 'Ingress');
    expect(ingress.metadata.annotations).toEqual({
      [`${NGINX}affinity`]: 'cookie', [`${NGINX}affinity-mode`]: 'persistent', [`${NGINX}session-cookie-name`]: 'JSESSION.id',
    });
  });

  test('a header and the client address: a consistent hash (upstream-hash-by) of the nginx variable, per route in Ingresses of their own', () => {
    const manifests = expose({
      strategy: ingressNginx(),
      hosts: ['shop.example.com'],
      routes: [
        { match: { path: PathMatch.prefix('/cart') }, backend: Backend.fromName('cart', 80), affinity: SessionAffinity.header('X-User-Id') },
        { match: { path: PathMatch.prefix('/') }, backend: httpbin(), affinity: SessionAffinity.clientIp() },
      ],
    });
    expect(ofKind(manifests, 'Ingress').map((i) => [i.spec.rules[0].http.paths[0].path, i.metadata.annotations])).toEqual([
      ['/cart', { [`${NGINX}upstream-hash-by`]: '$http_x_user_id' }],
      ['/', { [`${NGINX}upstream-hash-by`]: '$remote_addr' }],
    ]);
  });

  test('a cookie without a path on a regex location is refused: its default path would be the regex', () => {
    expect(errorOf({
      strategy: ingressNginx(),
      hosts: ['shop.example.com'],
      backend: httpbin(),
      routes: [{ match: { path: PathMatch.regex('/v[0-9]+/.*') }, affinity: SessionAffinity.cookie({ name: 'route' }) }],
    })).toBe('ExposedService test/public: routes[0].affinity: ingress-nginx writes routes[0] as a regex location (a regex path or a prefix rewrite), '
      + "and the cookie's default path would be that regex; set the cookie's path, e.g. SessionAffinity.cookie({ name, path: '/' })");
  });

  test('a generic Ingress refuses every affinity, naming the strategies that can', () => {
    const generic = ExposureStrategy.ingress({ className: 'traefik' });
    expect(errorOf({ strategy: generic, backend: httpbin(), affinity: cookie() })).toBe(
      "ExposedService test/public: affinity: 'affinity-cookie' is not supported by ingress; supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), apiGateway (kong)");
    expect(errorOf({ strategy: generic, backend: httpbin(), affinity: SessionAffinity.header('x-user') })).toBe(
      "ExposedService test/public: affinity: 'affinity-header' is not supported by ingress; supported by: ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (nginxGatewayFabric), apiGateway (kong)");
    expect(errorOf({ strategy: generic, backend: httpbin(), affinity: SessionAffinity.clientIp() })).toBe(
      "ExposedService test/public: affinity: 'affinity-client-ip' is not supported by ingress; supported by: nodePort, loadBalancer, ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (nginxGatewayFabric), apiGateway (kong)");
  });
});

describe('istio', () => {
  const istio = (options = {}) => ExposureStrategy.istio(options);

  test('each affinity is the consistentHash of the backend\'s DestinationRule; a cookie is generated (ttl 0s: a session cookie)', () => {
    const manifests = expose({
      strategy: istio(),
      hosts: ['shop.example.com'],
      routes: [
        { match: { path: PathMatch.prefix('/a') }, backend: Backend.fromName('a', 80), affinity: cookie() },
        { match: { path: PathMatch.prefix('/b') }, backend: Backend.fromName('b', 80), affinity: SessionAffinity.cookie({ name: 'b' }) },
        { match: { path: PathMatch.prefix('/c') }, backend: Backend.fromName('c', 80), affinity: SessionAffinity.header('X-User') },
        { match: { path: PathMatch.prefix('/d') }, backend: Backend.fromName('d', 80), affinity: SessionAffinity.clientIp() },
        { match: { path: PathMatch.prefix('/e') }, backend: Backend.fromName('e', 80) },
      ],
    }, 'shop');
    expect(ofKind(manifests, 'DestinationRule').map((d) => [d.spec.host, d.spec.trafficPolicy])).toEqual([
      ['a.shop.svc.cluster.local', { loadBalancer: { consistentHash: { httpCookie: { name: 'route', path: '/', ttl: '28800s' } } } }],
      ['b.shop.svc.cluster.local', { loadBalancer: { consistentHash: { httpCookie: { name: 'b', ttl: '0s' } } } }],
      ['c.shop.svc.cluster.local', { loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } } }],
      ['d.shop.svc.cluster.local', { loadBalancer: { consistentHash: { useSourceIp: true } } }],
    ]);
  });

  test('the strategy\'s other traffic policy and the circuit breaker stay beside the consistent hash', () => {
    const strategy = istio({ trafficPolicy: { connectionPool: { maxRequestsPerConnection: 10 } } });
    const circuitBreaker = CircuitBreaker.of({ maxConnections: 20 });
    const manifests = expose({ strategy, backend: httpbin(), affinity: SessionAffinity.clientIp(), circuitBreaker });
    expect(find(manifests, 'DestinationRule').spec.trafficPolicy).toEqual({
      loadBalancer: { consistentHash: { useSourceIp: true } },
      connectionPool: { tcp: { maxConnections: 20 }, http: { maxRequestsPerConnection: 10 } },
    });
  });

  test('refused with the strategy option trafficPolicy.loadBalancer: both set the same loadBalancer', () => {
    expect(errorOf({ strategy: istio({ trafficPolicy: { loadBalancer: 'LEAST_REQUEST' } }), backend: httpbin(), affinity: cookie() })).toBe(
      "ExposedService test/public: affinity: Istio writes affinity as the DestinationRule's loadBalancer.consistentHash, "
      + 'and the strategy option trafficPolicy.loadBalancer "LEAST_REQUEST" sets the same loadBalancer; remove one of them');
  });

  test('two ports of one Service with different affinities are refused: one DestinationRule per Service', () => {
    expect(errorOf({
      strategy: istio(),
      hosts: ['shop.example.com'],
      routes: [
        { match: { path: PathMatch.prefix('/a') }, backend: Backend.fromName('api', 80), affinity: SessionAffinity.clientIp() },
        { match: { path: PathMatch.prefix('/b') }, backend: Backend.fromName('api', 81) },
      ],
    })).toBe('ExposedService test/public: routes[1]: declares affinity none for Service api, which routes[0].affinity reaches with affinity client IP '
      + '(another port or subset); Istio holds one load balancer per Service (its DestinationRule): declare the same affinity');
  });

  test('streams carry no HTTP: affinity without HTTP routes is refused', () => {
    expect(errorOf({
      strategy: istio(), passthrough: [TlsPassthrough.host('db.example.com', Backend.fromName('db', 5432))], affinity: SessionAffinity.clientIp(),
    })).toBe('ExposedService test/public: affinity: applies to HTTP routes, and the exposure declares none (streams are forwarded as bytes); '
      + 'remove it, or declare backend or routes');
  });
});

describe('gatewayApi', () => {
  test('experimental channel: a cookie is the rule\'s sessionPersistence (Permanent with a ttl, Session without)', () => {
    const manifests = expose({
      strategy: experimental(),
      hosts: ['shop.example.com'],
      routes: [
        { match: { path: PathMatch.prefix('/a') }, backend: Backend.fromName('a', 80), affinity: SessionAffinity.cookie({ name: 'route', ttl: Duration.seconds(90061) }) },
        { match: { path: PathMatch.prefix('/b') }, backend: Backend.fromName('b', 80), affinity: SessionAffinity.cookie({ name: 'b' }) },
        { match: { path: PathMatch.prefix('/c') }, backend: Backend.fromName('c', 80) },
      ],
    }, 'shop');
    const rules = find(manifests, 'HTTPRoute').spec.rules;
    expect(rules.map((r: any) => r.sessionPersistence)).toEqual([
      { sessionName: 'route', type: 'Cookie', absoluteTimeout: '25h1m1s', cookieConfig: { lifetimeType: 'Permanent' } },
      { sessionName: 'b', type: 'Cookie', cookieConfig: { lifetimeType: 'Session' } },
      undefined,
    ]);
  });

  test('the standard channel refuses it, naming the experimental channel', () => {
    expect(errorOf({ strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }), backend: httpbin(), affinity: SessionAffinity.cookie({ name: 'route' }) })).toBe(
      "ExposedService test/public: affinity: 'affinity-cookie' is not supported by gatewayApi; supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), apiGateway (kong)");
  });

  test('a cookie path, a header and the client address are refused', () => {
    expect(errorOf({ strategy: experimental(), backend: httpbin(), affinity: cookie() })).toBe(
      "ExposedService test/public: affinity: Gateway API's sessionPersistence has no cookie path (the implementation sets it); remove path, or use istio or ingress (ingressNginx)");
    expect(errorOf({ strategy: experimental(), backend: httpbin(), affinity: SessionAffinity.header('x-user') })).toBe(
      "ExposedService test/public: affinity: 'affinity-header' is not supported by gatewayApi (experimental); supported by: ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (nginxGatewayFabric), apiGateway (kong)");
    expect(errorOf({ strategy: experimental(), backend: httpbin(), affinity: SessionAffinity.clientIp() })).toBe(
      "ExposedService test/public: affinity: 'affinity-client-ip' is not supported by gatewayApi (experimental); supported by: nodePort, loadBalancer, ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (nginxGatewayFabric), apiGateway (kong)");
  });
});

describe('nodePort and loadBalancer', () => {
  const api = (chart: ReturnType<typeof testChart>) => new kplus.Deployment(chart, 'api', {
    containers: [{ image: 'ghcr.io/acme/api:1.4.2', ports: [{ number: 8080 }], securityContext: { ensureNonRoot: false } }],
  });

  test.each([['nodePort', ExposureStrategy.nodePort()], ['loadBalancer', ExposureStrategy.loadBalancer()]])('%s: client IP affinity is sessionAffinity ClientIP', (_, strategy) => {
    const chart = testChart('shop');
    new ExposedService(chart, 'public', { strategy, backend: Backend.fromDeployment(api(chart)), affinity: SessionAffinity.clientIp() });
    expect(find(synthChecked(chart), 'Service').spec.sessionAffinity).toBe('ClientIP');
  });

  test('a cookie or a header is refused', () => {
    const chart = testChart('shop');
    const props = { strategy: ExposureStrategy.loadBalancer(), backend: Backend.fromDeployment(api(chart)) };
    expect(() => new ExposedService(chart, 'a', { ...props, affinity: cookie() })).toThrow(
      "ExposedService shop/a: affinity: 'affinity-cookie' is not supported by loadBalancer; supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), apiGateway (kong)");
    expect(() => new ExposedService(chart, 'b', { ...props, affinity: SessionAffinity.header('x-user') })).toThrow(
      "ExposedService shop/b: affinity: 'affinity-header' is not supported by loadBalancer; supported by: ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (nginxGatewayFabric), apiGateway (kong)");
  });
});

describe('API gateway engines', () => {
  test('nginx refuses affinity: its hash over one name\'s addresses does not pin a pod', () => {
    const strategy = ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() });
    expect(errorOf({ strategy, backend: httpbin(), affinity: SessionAffinity.clientIp() })).toBe(
      'ExposedService test/public: affinity: \'affinity-client-ip\' is not supported by apiGateway (nginx); '
      + 'supported by: nodePort, loadBalancer, ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (nginxGatewayFabric), apiGateway (kong)');
  });
});

describe('Kong engine', () => {
  const kong = (props: Partial<ApiGatewayStrategyOptions> = {}) => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong(), ...props });
  const kongOf = (manifests: Manifest[]) => YAML.parse(find(manifests, 'ConfigMap').data['kong.yml'], { version: '1.1' });

  test('a cookie: a consistent-hashing upstream on the cookie, its target a headless Service of the Deployment\'s pods on their port', () => {
    const chart = testChart('shop', 'shop');
    const orders = new kplus.Deployment(chart, 'orders', { containers: [{ image: 'ghcr.io/acme/orders:3.1.0', portNumber: 8080 }] });
    new ExposedService(chart, 'public', {
      strategy: kong(), backend: Backend.fromDeployment(orders, { port: 80, targetPort: 8080 }), affinity: SessionAffinity.cookie({ name: 'route', path: '/shop' }),
    });
    const manifests = synthChecked(chart);
    // Named after the exposure, the backend and the port.
    const pods = find(manifests, 'Service', `shop-public-${orders.name}-8080-pods`);
    expect(pods.metadata.namespace).toBe('shop');
    expect(pods.spec).toEqual({
      clusterIP: 'None',
      ports: [{ name: 'http-8080', port: 8080, targetPort: 8080 }],
      selector: find(manifests, 'Deployment', orders.name).spec.selector.matchLabels,
    });
    expect(kongOf(manifests).upstreams).toEqual([{
      name: 'upstream-0',
      algorithm: 'consistent-hashing',
      hash_on: 'cookie',
      hash_on_cookie: 'route',
      hash_on_cookie_path: '/shop',
      targets: [{ target: `shop-public-${orders.name}-8080-pods.shop.svc.cluster.local:8080`, weight: 1 }],
    }]);
    // The Deployment's own Service stays as it is: other strategies and routes reach it.
    expect(find(manifests, 'Service', orders.name).spec.type).toBe('ClusterIP');
  });

  test('a header and the client address per route, over a Service\'s pods (its selector, its target port); a route without affinity keeps the Service', () => {
    const chart = testChart('shop', 'shop');
    const cartPods = new kplus.Deployment(chart, 'cart-pods', { containers: [{ image: 'ghcr.io/acme/cart:2.0.0', portNumber: 9000 }] });
    const cart = new kplus.Service(chart, 'cart', { selector: cartPods, ports: [{ port: 80, targetPort: 9000 }] });
    new ExposedService(chart, 'public', {
      strategy: kong(),
      hosts: ['shop.example.com'],
      routes: [
        { match: { path: PathMatch.prefix('/cart') }, backend: Backend.fromService(cart), affinity: SessionAffinity.header('X-User-Id') },
        { match: { path: PathMatch.prefix('/basket') }, backend: Backend.fromService(cart), affinity: SessionAffinity.header('x-user-id') },
        { match: { path: PathMatch.prefix('/') }, backend: httpbin() },
      ],
    });
    const manifests = synthChecked(chart);
    // One headless Service for the two routes to the backend.
    expect(ofKind(manifests, 'Service').filter((svc) => svc.spec.clusterIP === 'None').map((svc) => [svc.metadata.name, svc.spec.selector, svc.spec.ports])).toEqual([
      [`shop-public-${cart.name}-9000-pods`, find(manifests, 'Service', cart.name).spec.selector, [{ name: 'http-9000', port: 9000, targetPort: 9000 }]],
    ]);
    const upstreams = kongOf(manifests).upstreams.map((u: any) => ({ ...u, name: undefined }));
    expect(upstreams).toEqual(expect.arrayContaining([
      { algorithm: 'consistent-hashing', hash_on: 'header', hash_on_header: 'x-user-id', targets: [{ target: `shop-public-${cart.name}-9000-pods.shop.svc.cluster.local:9000`, weight: 1 }] },
      { targets: [{ target: 'httpbin.shop.svc.cluster.local:8000', weight: 1 }] },
    ]));
    expect(upstreams).toHaveLength(3);

    const chart2 = testChart('shop', 'shop');
    const api = new kplus.Deployment(chart2, 'api', { containers: [{ image: 'ghcr.io/acme/api:1.0.0', portNumber: 8080 }] });
    new ExposedService(chart2, 'public', { strategy: kong(), backend: Backend.fromDeployment(api), affinity: SessionAffinity.clientIp() });
    const manifests2 = synthChecked(chart2);
    // The default front (a LoadBalancer Service) keeps the client's address for the hash.
    expect(find(manifests2, 'Service', 'shop-public').spec.externalTrafficPolicy).toBe('Local');
    const [upstream] = kongOf(manifests2).upstreams;
    expect(upstream).toEqual({
      name: 'upstream-0', algorithm: 'consistent-hashing', hash_on: 'ip', targets: [{ target: `shop-public-${api.name}-8080-pods.shop.svc.cluster.local:8080`, weight: 1 }],
    });
  });

  test('Backend.fromName is refused: the library does not know its pods', () => {
    expect(errorOf({ strategy: kong(), backend: httpbin(), affinity: SessionAffinity.header('x-user') })).toBe(
      'ExposedService test/public: affinity: apiGateway (kong) hashes header x-user over the pods of backend "httpbin", through a headless Service the library creates '
      + 'with the pods\' labels; Backend.fromName names a Service, not its pods: declare the backend with Backend.fromService or Backend.fromDeployment');
  });

  test('a Service without a selector is refused', () => {
    const chart = testChart('test');
    const external = new kplus.Service(chart, 'legacy', { ports: [{ port: 80 }] });
    expect(() => {
      new ExposedService(chart, 'public', { strategy: kong(), backend: Backend.fromService(external), affinity: SessionAffinity.clientIp() });
      synthChecked(chart);
    }).toThrow(`ExposedService test/public: affinity: apiGateway (kong) hashes client IP over the pods of backend "${external.name}", through a headless Service `
      + `with the same selector; Service "${external.name}" has no selector: give it one, or declare the backend with Backend.fromDeployment`);
  });

  test('a cookie lifetime is refused: Kong sets a session cookie', () => {
    const chart = testChart('test');
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'ghcr.io/acme/api:1.0.0', portNumber: 8080 }] });
    expect(() => {
      new ExposedService(chart, 'public', { strategy: kong(), backend: Backend.fromDeployment(api), routes: [{ match: { path: PathMatch.prefix('/') }, affinity: cookie() }] });
      synthChecked(chart);
    }).toThrow('ExposedService test/public: routes[0].affinity.ttl: Kong sets its affinity cookie without a lifetime (a session cookie); remove ttl, or use ingress (ingressNginx) or istio');
  });

  test('client IP affinity behind an L7 front needs trustedProxies, as access lists do', () => {
    const chart = testChart('test');
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'ghcr.io/acme/api:1.0.0', portNumber: 8080 }] });
    expect(() => {
      new ExposedService(chart, 'public', {
        strategy: kong({ exposedVia: ingressNginx() }), hosts: ['shop.example.com'], backend: Backend.fromDeployment(api), affinity: SessionAffinity.clientIp(),
      });
      synthChecked(chart);
    }).toThrow('ExposedService test/public: affinity: behind ingress (ingressNginx) the gateway sees the front\'s address, not the client\'s; set the engine\'s trustedProxies '
      + 'to the addresses the front connects from (its pods\' network), so that the client address comes from X-Forwarded-For');
  });
});

describe('every strategy', () => {
  test('routes to one backend must agree on its affinity', () => {
    expect(errorOf({
      strategy: ExposureStrategy.istio(),
      hosts: ['shop.example.com'],
      backend: httpbin(),
      affinity: SessionAffinity.clientIp(),
      routes: [{ match: { path: PathMatch.prefix('/a') } }, { match: { path: PathMatch.prefix('/b') }, affinity: SessionAffinity.header('x-user') }],
    })).toBe('ExposedService test/public: routes[1].affinity: reaches backend httpbin:8000 with affinity header x-user, but routes[0] reaches it with affinity client IP; '
      + 'affinity is how one backend\'s pods share requests: declare the same on every route to it');
  });

  test('weighted backends take no affinity: each request draws its backend', () => {
    expect(errorOf({
      strategy: ExposureStrategy.istio(),
      affinity: SessionAffinity.clientIp(),
      routes: [{ backends: [{ backend: Backend.fromName('v1', 80), weight: 90 }, { backend: Backend.fromName('v2', 80), weight: 10 }] }],
    })).toBe('ExposedService test/public: affinity: routes[0] splits its requests over weighted backends, each drawn per request, so a client would move between them; '
      + 'declare affinity on routes with one backend');
  });

  test('a redirect route takes none of its own; the exposure\'s applies to the forwarding routes only', () => {
    expect(errorOf({
      strategy: ExposureStrategy.istio(),
      hosts: ['shop.example.com'],
      backend: httpbin(),
      routes: [{ match: { path: PathMatch.prefix('/old') }, redirect: { path: '/new' }, affinity: SessionAffinity.clientIp() }, {}],
    })).toBe('ExposedService test/public: routes[0].affinity: a redirect route forwards nothing; remove it or the redirect');
    const manifests = expose({
      strategy: ExposureStrategy.istio(),
      hosts: ['shop.example.com'],
      backend: httpbin(),
      affinity: SessionAffinity.clientIp(),
      routes: [{ match: { path: PathMatch.prefix('/old') }, redirect: { path: '/new' } }, {}],
    });
    expect(find(manifests, 'DestinationRule').spec.trafficPolicy).toEqual({ loadBalancer: { consistentHash: { useSourceIp: true } } });
  });

  test('a cookie on a gRPC route is refused: gRPC clients keep no cookies', () => {
    expect(errorOf({ strategy: ExposureStrategy.istio(), backend: httpbin(), routes: [{ protocol: 'grpc', affinity: SessionAffinity.cookie({ name: 'route' }) }] })).toBe(
      'ExposedService test/public: routes[0].affinity: gRPC clients keep no cookies, so a cookie cannot make them sticky; use SessionAffinity.header(name) or SessionAffinity.clientIp()');
  });
});
