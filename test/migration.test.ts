import { Duration, Size } from 'cdk8s';
import {
  AccessPolicy, Auth, Backend, ExposedService, ExposedServiceProps, ExposureStrategy, GatewayImplementation, IngressController, PathMatch, RateLimit,
  Tls,
  route,
} from '../src';
import { declarationError, Manifest, synthChecked, testChart } from './support/synth';

/** A request of the tables below. */
interface HttpRequest {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly path: string;
}

/** A duration as the manifests write it (`5s`, `5m`, `1m30s`), in milliseconds. */
function ms(duration: string | undefined): number | undefined {
  if (duration === undefined) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  return [...duration.matchAll(/(\d+)(ms|h|m|s)/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}

/**
 * What the client and the backend see, by the library's routing models (route(), the data plane
 * detected from the manifests): the backends and their shares, the upstream path and the timeout;
 * a redirect's target (ingress-nginx redirects to HTTPS with 308, Gateway API here with 301).
 */
function handled(manifests: readonly Manifest[], req: HttpRequest) {
  const r = route(manifests, `GET ${req.scheme}://${req.host}${req.path}`);
  if (r.kind === 'forward') return { kind: 'forward', backends: r.backends, path: r.path, timeoutMs: ms(r.timeout) };
  if (r.kind === 'redirect') return { kind: 'redirect', location: r.location };
  return { kind: 'respond', status: r.status };
}

/**
 * Moving off ingress-nginx by one prop: for each declaration, the ingress-nginx rendering and the
 * Gateway API rendering handle the same requests alike (backends and their shares, upstream path
 * after rewrites, timeout, redirects to HTTPS).
 */
const web = () => Backend.fromName('web', 80);
const DECLARATIONS: [string, Omit<ExposedServiceProps, 'strategy'>, HttpRequest[]][] = [
  ['hosts, exact and prefix paths, several backends', {
    hosts: ['shop.example.com', 'www.shop.example.com'],
    backend: web(),
    routes: [
      { match: { path: PathMatch.exact('/healthz') }, backend: Backend.fromName('health', 8080) },
      { match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080) },
      { match: { path: PathMatch.prefix('/api/v2') }, backend: Backend.fromName('api-v2', 8080) },
      { match: { path: PathMatch.prefix('/') } },
    ],
  }, [
    { scheme: 'http', host: 'shop.example.com', path: '/healthz' },
    { scheme: 'http', host: 'shop.example.com', path: '/healthz/x' },
    { scheme: 'http', host: 'shop.example.com', path: '/api' },
    { scheme: 'http', host: 'shop.example.com', path: '/apis' },
    { scheme: 'http', host: 'www.shop.example.com', path: '/api/v1/users' },
    { scheme: 'http', host: 'www.shop.example.com', path: '/api/v2/users' },
    { scheme: 'http', host: 'other.example.com', path: '/' },
  ]],
  ['TLS: HTTP redirects to HTTPS', { hosts: ['shop.example.com'], backend: web(), tls: Tls.fromSecret('shop-tls') }, [
    { scheme: 'http', host: 'shop.example.com', path: '/cart' },
    { scheme: 'https', host: 'shop.example.com', path: '/cart' },
  ]],
  ['rewrites', {
    hosts: ['api.example.com'],
    backend: Backend.fromName('api', 8080),
    routes: [
      { match: { path: PathMatch.prefix('/api') }, rewrite: { path: '/' } },
      { match: { path: PathMatch.prefix('/v1') }, rewrite: { path: '/v2' } },
      { match: { path: PathMatch.exact('/ping') }, rewrite: { path: '/healthz' } },
    ],
  }, [
    { scheme: 'http', host: 'api.example.com', path: '/api' },
    { scheme: 'http', host: 'api.example.com', path: '/api/users/7' },
    { scheme: 'http', host: 'api.example.com', path: '/v1' },
    { scheme: 'http', host: 'api.example.com', path: '/v1/orders' },
    { scheme: 'http', host: 'api.example.com', path: '/ping' },
    { scheme: 'http', host: 'api.example.com', path: '/other' },
  ]],
  ['timeouts, service-level and per route', {
    hosts: ['api.example.com'],
    backend: Backend.fromName('api', 8080),
    timeout: Duration.seconds(30),
    routes: [{ match: { path: PathMatch.prefix('/reports') }, timeout: Duration.minutes(5) }, { match: { path: PathMatch.prefix('/') } }],
  }, [
    { scheme: 'http', host: 'api.example.com', path: '/reports/2026' },
    { scheme: 'http', host: 'api.example.com', path: '/users' },
  ]],
  ['a canary with weights', {
    hosts: ['shop.example.com'],
    routes: [
      { match: { path: PathMatch.prefix('/') }, backends: [{ backend: Backend.fromName('api-v1', 8080), weight: 95 }, { backend: Backend.fromName('api-v2', 8080), weight: 5 }] },
      { match: { path: PathMatch.prefix('/admin') }, backend: Backend.fromName('admin', 80) },
    ],
  }, [
    { scheme: 'http', host: 'shop.example.com', path: '/products' },
    { scheme: 'http', host: 'shop.example.com', path: '/admin/users' },
  ]],
  ['a redirect to another host', {
    hosts: ['old.example.com'],
    backend: web(),
    // ingress-nginx (v1.12+) cannot keep the request's path: the target is one URL.
    routes: [{ match: { path: PathMatch.prefix('/') }, redirect: { scheme: 'https', host: 'new.example.com', path: '/moved', statusCode: 301 } }],
  }, [{ scheme: 'http', host: 'old.example.com', path: '/anything' }]],
];

function render(props: Omit<ExposedServiceProps, 'strategy'>, strategy: ExposureStrategy): Manifest[] {
  const chart = testChart('shop', 'shop');
  new ExposedService(chart, 'public', { ...props, strategy });
  return synthChecked(chart);
}

describe('migration: ingress-nginx -> Gateway API by one prop', () => {
  test.each(DECLARATIONS)('%s', (_name, props, requests) => {
    const nginx = render(props, ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }));
    const gatewayApi = render(props, ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }));
    for (const request of requests) {
      const expected = handled(nginx, request);
      expect([request, handled(gatewayApi, request)]).toEqual([request, expected]);
    }
  });

  // With the policies ingress-nginx users rely on (basic auth, an IP allow list, a body size, a rate
  // limit of burst multiplier 1, which is Envoy Gateway's bucket of the whole rate), the same
  // declaration moves to Envoy Gateway: the routing is the same, the policies its own objects.
  test.each(DECLARATIONS)('%s, with basic auth, an IP allow list, a body size and a rate limit, on Envoy Gateway', (_name, declared, requests) => {
    const props = {
      ...declared,
      auth: Auth.basic({ secret: 'admins' }),
      access: AccessPolicy.allowFrom(['10.0.0.0/8']),
      maxRequestBody: Size.mebibytes(16),
      rateLimit: RateLimit.perSecond(20, { burst: 20 }),
    };
    const nginx = render(props, ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }));
    const envoy = render(props, ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway() }));
    for (const request of requests) {
      expect([request, handled(envoy, request)]).toEqual([request, handled(nginx, request)]);
    }
    // The canary Ingresses of a weighted backend carry the canary's annotations only (ingress-nginx merges the primary's).
    const annotations = nginx.filter((m) => m.kind === 'Ingress').map((m) => m.metadata.annotations ?? {}).filter((a) => a['nginx.ingress.kubernetes.io/canary'] === undefined);
    expect(annotations.length).toBeGreaterThan(0);
    for (const a of annotations) expect([a['nginx.ingress.kubernetes.io/limit-rps'], a['nginx.ingress.kubernetes.io/limit-burst-multiplier']]).toEqual(['20', '1']);
    const policies = envoy.filter((m) => m.apiVersion === 'gateway.envoyproxy.io/v1alpha1');
    expect(policies[0].spec.rateLimit.local.rules.map((r: any) => r.limit)).toEqual([{ requests: 20, unit: 'Second' }, { requests: 20, unit: 'Second' }]);
    expect(policies.map((m) => [m.kind, m.spec.targetRefs])).toEqual([
      ['BackendTrafficPolicy', [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'shop-public' }]],
      ['SecurityPolicy', [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'shop-public' }]],
    ]);
  });

  // With a rate limit too (ingress-nginx's burst is the rate: multiplier 1), the same declaration
  // moves to Traefik: the routing is the same, each policy a Middleware every rule references.
  // (Traefik's provider ignores a rule's timeouts, which are refused there.)
  const untimed = DECLARATIONS.filter(([, declared]) => !JSON.stringify(declared).includes('timeout'));
  test.each(untimed)('%s, with a rate limit, basic auth, an IP allow list and a body size, on Traefik', (_name, declared, requests) => {
    const props = {
      ...declared,
      rateLimit: RateLimit.perSecond(20, { burst: 20 }),
      auth: Auth.basic({ secret: 'admins' }),
      access: AccessPolicy.allowFrom(['10.0.0.0/8']),
      maxRequestBody: Size.mebibytes(16),
    };
    const nginx = render(props, ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }));
    const traefik = render(props, ExposureStrategy.gatewayApi({ gatewayClassName: 'traefik', implementation: GatewayImplementation.traefik() }));
    for (const request of requests) {
      expect([request, handled(traefik, request)]).toEqual([request, handled(nginx, request)]);
    }
    const names = ['shop-public-ip-allow-list', 'shop-public-basic-auth', 'shop-public-rate-limit', 'shop-public-body-size'];
    expect(traefik.filter((m) => m.kind === 'Middleware').map((m) => m.metadata.name)).toEqual(names);
    const routes = traefik.filter((m) => m.kind === 'HTTPRoute' && m.metadata.name === 'shop-public');
    for (const rule of routes[0].spec.rules) {
      expect(rule.filters.filter((f: any) => f.type === 'ExtensionRef').map((f: any) => f.extensionRef.name)).toEqual(names);
    }
    expect(traefik.find((m) => m.metadata.name === 'shop-public-rate-limit')!.spec.rateLimit).toEqual({
      average: 20, period: '1s', burst: 21, sourceCriterion: { ipStrategy: { depth: 0 } },
    });
  });

  // On NGINX Gateway Fabric, a rate limit (nginx's limit_req, the burst as ingress-nginx's), basic
  // auth and a body size move by the strategy alone; an IP allow list has no NGINX Gateway Fabric object.
  // (Timeouts that differ between routes are refused there: below.)
  const oneTimeout = DECLARATIONS.filter(([name]) => name !== 'timeouts, service-level and per route');
  test.each(oneTimeout)('%s, with a rate limit, basic auth and a body size, on NGINX Gateway Fabric', (_name, declared, requests) => {
    const props = { ...declared, rateLimit: RateLimit.perSecond(10, { burst: 50 }), auth: Auth.basic({ secret: 'admins' }), maxRequestBody: Size.mebibytes(16) };
    const nginx = render(props, ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }));
    const ngf = render(props, ExposureStrategy.gatewayApi({ gatewayClassName: 'nginx', implementation: GatewayImplementation.nginxGatewayFabric() }));
    for (const request of requests) {
      expect([request, handled(ngf, request)]).toEqual([request, handled(nginx, request)]);
    }
    const target = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'shop-public' };
    const objects = ngf.filter((m) => m.apiVersion === 'gateway.nginx.org/v1alpha1');
    expect(objects.filter((m) => m.kind !== 'AuthenticationFilter').map((m) => [m.kind, m.spec])).toEqual([
      ['RateLimitPolicy', { targetRefs: [target], rateLimit: { rejectCode: 429, local: { rules: [{ key: '$binary_remote_addr', rate: '10r/s', burst: 50, noDelay: true }] } } }],
      ['ClientSettingsPolicy', { targetRef: target, body: { maxSize: '16m' } }],
    ]);
    // An AuthenticationFilter per rule, each referenced first by its rule.
    const rules = ngf.find((m) => m.kind === 'HTTPRoute' && m.metadata.name === 'shop-public')!.spec.rules;
    expect(rules.map((r: any) => r.filters[0].extensionRef.name)).toEqual(objects.filter((m) => m.kind === 'AuthenticationFilter').map((m) => m.metadata.name));
    expect(declarationError({
      ...props,
      access: AccessPolicy.allowFrom(['10.0.0.0/8']),
      strategy: ExposureStrategy.gatewayApi({
        gatewayClassName: 'nginx', implementation: GatewayImplementation.nginxGatewayFabric(),
      }),
    }).message).toBe('ExposedService test/public: access: \'ip-allow-list\' is not supported by gatewayApi (nginxGatewayFabric); supported by: loadBalancer, ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)');
  });

  test('on NGINX Gateway Fabric, one timeout per route object (a ProxySettingsPolicy: it ignores the rules\' timeouts)', () => {
    const [, perRoute] = DECLARATIONS[3];
    const ngf = ExposureStrategy.gatewayApi({ gatewayClassName: 'nginx', implementation: GatewayImplementation.nginxGatewayFabric() });
    expect(declarationError({ ...perRoute, strategy: ngf }).message).toBe('ExposedService test/public: routes[0].timeout: NGINX Gateway Fabric ignores a rule\'s timeouts '
      + 'and sets nginx\'s proxy timeouts by a ProxySettingsPolicy on a whole HTTPRoute or GRPCRoute: declare one timeout for all the routes of a protocol '
      + '(on the exposure); or use gatewayApi with envoyGateway, or apiGateway\n'
      + 'ExposedService test/public: timeout: NGINX Gateway Fabric ignores a rule\'s timeouts and sets nginx\'s proxy timeouts by a ProxySettingsPolicy on a whole HTTPRoute or GRPCRoute: '
      + 'declare one timeout for all the routes of a protocol (on the exposure); or use gatewayApi with envoyGateway, or apiGateway');
    const [, , requests] = DECLARATIONS[3];
    const exposureWide = { ...perRoute, routes: undefined };
    const nginx = render(exposureWide, ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }));
    const policies = render(exposureWide, ngf);
    for (const request of requests) expect([request, handled(policies, request)]).toEqual([request, handled(nginx, request)]);
    expect(policies.filter((m) => m.kind === 'ProxySettingsPolicy').map((m) => m.spec)).toEqual([{
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'shop-public' }], timeout: { connect: '30s', read: '30s', send: '30s' },
    }]);
  });

  // With a rate limit too (ingress-nginx's burst is a multiple of the rate: the rate itself here),
  // the same declaration moves to Kong: the routing is the same, the policies KongPlugins of the rules.
  // The Kong Ingress Controller bounds each read of a route's service, not the request: timeouts are refused.
  const withoutTimeouts = DECLARATIONS.filter(([, declared]) => !JSON.stringify(declared).includes('timeout'));
  test.each(withoutTimeouts)('%s, with a rate limit, basic auth, an IP allow list and a body size, on Kong', (_name, declared, requests) => {
    const props = {
      ...declared,
      rateLimit: RateLimit.perSecond(20, { burst: 20 }),
      auth: Auth.basic({ secret: 'admins' }),
      access: AccessPolicy.allowFrom(['10.0.0.0/8']),
      maxRequestBody: Size.mebibytes(16),
    };
    const nginx = render(props, ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }));
    const kong = render(props, ExposureStrategy.gatewayApi({ gatewayClassName: 'kong', implementation: GatewayImplementation.kong() }));
    for (const request of requests) {
      expect([request, handled(kong, request)]).toEqual([request, handled(nginx, request)]);
    }
    const plugins = kong.filter((m) => m.kind === 'KongPlugin').map((m) => m.plugin);
    expect(plugins).toEqual(['ip-restriction', 'basic-auth', 'acl', 'rate-limiting', 'request-size-limiting']);
    const routes = kong.filter((m) => m.kind === 'HTTPRoute' && m.metadata.name === 'shop-public');
    for (const rule of routes[0].spec.rules) {
      expect(rule.filters.slice(0, 5).map((f: any) => f.extensionRef.name)).toEqual(plugins.map((p) => `shop-public-${p}`));
    }
  });

  test('timeouts do not move to Kong: the Kong Ingress Controller bounds each read, not the request', () => {
    const [, timeouts] = DECLARATIONS[3];
    expect(declarationError({ ...timeouts, strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'kong', implementation: GatewayImplementation.kong() }) }).message)
      .toBe('ExposedService test/public: routes[0].timeout: \'timeout\' is not supported by gatewayApi (kong); '
        + 'supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx), apiGateway (kong)\n'
        + 'ExposedService test/public: timeout: \'timeout\' is not supported by gatewayApi (kong); '
        + 'supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx), apiGateway (kong)');
  });

  // On Istio the IP allow list moves too (an AuthorizationPolicy on the Gateway); rate limits, basic
  // auth and the body size have no Istio policy for Gateway API routes, and are refused by name.
  const ISTIO = () => ExposureStrategy.gatewayApi({ gatewayClassName: 'istio', implementation: GatewayImplementation.istio() });
  test.each(DECLARATIONS)('%s, with an IP allow list, on Istio', (_name, declared, requests) => {
    const props = { ...declared, access: AccessPolicy.allowFrom(['10.0.0.0/8']) };
    const nginx = render(props, ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }));
    const istio = render(props, ISTIO());
    for (const request of requests) {
      expect([request, handled(istio, request)]).toEqual([request, handled(nginx, request)]);
    }
    const policies = istio.filter((m) => m.apiVersion === 'security.istio.io/v1');
    expect(policies.map((m) => [m.kind, m.metadata.namespace, m.spec.targetRefs, m.spec.action, m.spec.rules[0].from])).toEqual([
      ['AuthorizationPolicy', 'shop', [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shop-public' }], 'DENY', [{ source: { notRemoteIpBlocks: ['10.0.0.0/8'] } }]],
    ]);
  });

  test('an ingress-nginx declaration with a rate limit, basic auth and a body size is refused on Istio, each by name', () => {
    const [, declared] = DECLARATIONS[0];
    const props = {
      ...declared,
      strategy: ISTIO(),
      rateLimit: RateLimit.perSecond(10, { burst: 10 }),
      auth: Auth.basic({ secret: 'admins' }),
      access: AccessPolicy.allowFrom(['10.0.0.0/8']),
      maxRequestBody: Size.mebibytes(16),
    };
    // The implementations that can, each named (no one refines another).
    const can = 'supported by: ingress (ingressNginx), gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), '
      + 'apiGateway (nginx), apiGateway (kong)';
    expect(declarationError(props).message).toBe([
      `ExposedService test/public: rateLimit: 'rate-limit' is not supported by gatewayApi (istio); ${can}`,
      `ExposedService test/public: auth: 'auth-basic' is not supported by gatewayApi (istio); ${can}`,
      `ExposedService test/public: maxRequestBody: 'max-request-body' is not supported by gatewayApi (istio); ${can}`,
    ].join('\n'));
  });

  test('the models see what they should (a rewrite, a canary share, a redirect)', () => {
    const [, rewrites, requests] = DECLARATIONS[2];
    const nginx = render(rewrites, ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }));
    expect(handled(nginx, requests[1])).toEqual({ kind: 'forward', backends: { 'api:8080': 1 }, path: '/users/7', timeoutMs: undefined });
    expect(handled(nginx, requests[3])).toEqual({ kind: 'forward', backends: { 'api:8080': 1 }, path: '/v2/orders', timeoutMs: undefined });
    const [, canary] = DECLARATIONS[4];
    const gatewayApi = render(canary, ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }));
    expect(handled(gatewayApi, { scheme: 'http', host: 'shop.example.com', path: '/' }))
      .toEqual({ kind: 'forward', backends: { 'api-v1:8080': 0.95, 'api-v2:8080': 0.05 }, path: '/', timeoutMs: undefined });
    const [, tls] = DECLARATIONS[1];
    expect(handled(render(tls, ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' })), { scheme: 'http', host: 'shop.example.com', path: '/' }))
      .toEqual({ kind: 'redirect', location: 'https://shop.example.com/' });
    const [, redirect, [anything]] = DECLARATIONS[5];
    expect(handled(render(redirect, ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() })), anything))
      .toEqual({ kind: 'redirect', location: 'https://new.example.com/moved' });
  });
});
