import { ApiObject, Duration, Size } from 'cdk8s';
import {
  AccessPolicy, Auth, Backend, CircuitBreaker, ExposedService, ExposedServiceProps, ExposureStrategy, GatewayImplementation, PathMatch, RateLimit,
  SessionAffinity, Tls,
} from '../../src';
import { GatewayApiStrategyOptions } from '../../src/strategies/gateway-api/gateway-api';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

const httpbin = () => Backend.fromName('httpbin', 8000);
const NGF: GatewayApiStrategyOptions = { gatewayClassName: 'nginx', implementation: GatewayImplementation.nginxGatewayFabric() };
const PLUS: GatewayApiStrategyOptions = { gatewayClassName: 'nginx', implementation: GatewayImplementation.nginxGatewayFabric({ nginxPlus: true }) };
const HTTP_ROUTE = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'test-public' };
const GRPC_ROUTE = { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', name: 'test-public' };

function expose(props: Partial<ExposedServiceProps>, options: GatewayApiStrategyOptions = NGF): Manifest[] {
  const chart = testChart('test', 'shop');
  new ExposedService(chart, 'public', { strategy: ExposureStrategy.gatewayApi(options), ...props });
  return synthChecked(chart);
}

function exposeError(props: Partial<ExposedServiceProps>, options: GatewayApiStrategyOptions = NGF): string {
  return declarationError({ strategy: ExposureStrategy.gatewayApi(options), ...props }).message;
}

describe('gatewayApi on NGINX Gateway Fabric', () => {
  test('the strategy is named after the implementation, and without its features the output is the standard one', () => {
    expect(ExposureStrategy.gatewayApi(NGF).name).toBe('gatewayApi (nginxGatewayFabric)');
    expect(ExposureStrategy.gatewayApi({ ...NGF, experimental: true }).name).toBe('gatewayApi (nginxGatewayFabric, experimental)');
    const standard = expose({ hosts: ['shop.example.com'], backend: httpbin() }, { gatewayClassName: 'nginx' });
    expect(expose({ hosts: ['shop.example.com'], backend: httpbin() })).toEqual(standard);
  });

  test('an exposure-wide rate limit and body size target the whole HTTPRoute: nginx\'s limit_req per client address, with the burst as declared', () => {
    const manifests = expose({ backend: httpbin(), rateLimit: RateLimit.perSecond(10, { burst: 20 }), maxRequestBody: Size.mebibytes(8) });
    expect(ofKind(manifests, 'RateLimitPolicy')).toEqual([{
      apiVersion: 'gateway.nginx.org/v1alpha1',
      kind: 'RateLimitPolicy',
      metadata: { name: 'test-public', namespace: 'shop' },
      spec: {
        targetRefs: [HTTP_ROUTE],
        rateLimit: { rejectCode: 429, local: { rules: [{ key: '$binary_remote_addr', rate: '10r/s', burst: 20, noDelay: true }] } },
      },
    }]);
    expect(ofKind(manifests, 'ClientSettingsPolicy')).toEqual([{
      apiVersion: 'gateway.nginx.org/v1alpha1',
      kind: 'ClientSettingsPolicy',
      metadata: { name: 'test-public', namespace: 'shop' },
      spec: { targetRef: HTTP_ROUTE, body: { maxSize: '8m' } },
    }]);
    // Without a burst, nginx's limit_req rejects above the rate: no burst and no noDelay.
    expect(find(expose({ backend: httpbin(), rateLimit: RateLimit.perMinute(600) }), 'RateLimitPolicy').spec.rateLimit.local.rules)
      .toEqual([{ key: '$binary_remote_addr', rate: '600r/m' }]);
    // The size in nginx's syntax, the largest unit it is a whole number of.
    expect(find(expose({ backend: httpbin(), maxRequestBody: Size.kibibytes(1536) }), 'ClientSettingsPolicy').spec.body).toEqual({ maxSize: '1536k' });
  });

  test('the timeout as a ProxySettingsPolicy on the whole route object (NGINX Gateway Fabric ignores the rule\'s timeouts): nginx\'s proxy timeouts', () => {
    expect(find(expose({ backend: httpbin(), timeout: Duration.minutes(5) }), 'ProxySettingsPolicy')).toEqual({
      apiVersion: 'gateway.nginx.org/v1alpha1',
      kind: 'ProxySettingsPolicy',
      metadata: { name: 'test-public', namespace: 'shop' },
      spec: { targetRefs: [HTTP_ROUTE], timeout: { connect: '1m', read: '5m', send: '5m' } },
    });
    expect(find(expose({ backend: httpbin(), timeout: Duration.millis(1500) }), 'ProxySettingsPolicy').spec.timeout).toEqual({ connect: '1500ms', read: '1500ms', send: '1500ms' });
    expect(exposeError({ backend: httpbin(), timeout: Duration.millis(12_345) })).toBe(
      'ExposedService test/public: timeout: NGINX Gateway Fabric takes a duration of at most 4 digits in one unit (ms, s, m or h); 12345ms is not one');
  });

  test('basic auth as an AuthenticationFilter referenced first among the rule\'s filters, with the declared realm', () => {
    const manifests = expose({
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/admin') }, auth: Auth.basic({ secret: 'admins', realm: 'Shop admin' }), requestHeaders: { set: { 'x-admin': '1' } } },
        { match: { path: PathMatch.prefix('/') } },
      ],
    });
    expect(ofKind(manifests, 'AuthenticationFilter')).toEqual([{
      apiVersion: 'gateway.nginx.org/v1alpha1',
      kind: 'AuthenticationFilter',
      metadata: { name: 'test-public-routes-0', namespace: 'shop' },
      spec: { type: 'Basic', basic: { secretRef: { name: 'admins' }, realm: 'Shop admin' } },
    }]);
    const rules = find(manifests, 'HTTPRoute').spec.rules;
    expect(rules[0].filters.map((f: any) => f.type)).toEqual(['ExtensionRef', 'RequestHeaderModifier']);
    expect(rules[0].filters[0].extensionRef).toEqual({ group: 'gateway.nginx.org', kind: 'AuthenticationFilter', name: 'test-public-routes-0' });
    expect(rules[1].filters).toBeUndefined();
    // The default realm is the library's, announced as declared.
    expect(find(expose({ backend: httpbin(), auth: Auth.basic({ secret: 'admins' }) }), 'AuthenticationFilter').spec.basic.realm).toBe('Authentication required');
  });

  test('a basic auth Secret the output declares must be NGINX Gateway Fabric\'s: type nginx.org/htpasswd, the file under auth', () => {
    const chart = testChart('test', 'shop');
    new ExposedService(chart, 'public', { strategy: ExposureStrategy.gatewayApi(NGF), backend: httpbin(), auth: Auth.basic({ secret: 'admins' }) });
    const secret = (type: string, key: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'admins', namespace: 'shop' }, type, stringData: { [key]: 'shop:{SHA}x' } });
    new ApiObject(chart, 'admins', secret('Opaque', '.htpasswd'));
    expect(() => synthChecked(chart)).toThrow('AuthenticationFilter/test-public-default: basic auth Secret admins is not of type nginx.org/htpasswd with the key auth');
    const good = testChart('test', 'shop');
    new ExposedService(good, 'public', { strategy: ExposureStrategy.gatewayApi(NGF), backend: httpbin(), auth: Auth.basic({ secret: 'admins' }) });
    new ApiObject(good, 'admins', secret('nginx.org/htpasswd', 'auth'));
    expect(ofKind(synthChecked(good), 'Secret')).toHaveLength(1);
  });

  test('a gRPC exposure\'s policies and filters attach to the GRPCRoute', () => {
    const manifests = expose({
      backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }),
      rateLimit: RateLimit.perSecond(5),
      maxRequestBody: Size.mebibytes(4),
      auth: Auth.basic({ secret: 'admins' }),
    });
    expect(find(manifests, 'RateLimitPolicy')).toMatchObject({ metadata: { name: 'test-public-grpc' }, spec: { targetRefs: [GRPC_ROUTE] } });
    expect(find(manifests, 'ClientSettingsPolicy')).toMatchObject({ metadata: { name: 'test-public-grpc' }, spec: { targetRef: GRPC_ROUTE } });
    expect(find(manifests, 'GRPCRoute').spec.rules[0].filters).toEqual([
      { type: 'ExtensionRef', extensionRef: { group: 'gateway.nginx.org', kind: 'AuthenticationFilter', name: 'test-public-default' } },
    ]);
  });

  test('affinity by header or client address as an UpstreamSettingsPolicy of consistent hashing on the backend Service', () => {
    const byHeader = expose({ backend: httpbin(), affinity: SessionAffinity.header('X-User-Id') });
    expect(ofKind(byHeader, 'UpstreamSettingsPolicy')).toEqual([{
      apiVersion: 'gateway.nginx.org/v1alpha1',
      kind: 'UpstreamSettingsPolicy',
      metadata: { name: 'test-public-httpbin', namespace: 'shop' },
      spec: { targetRefs: [{ group: '', kind: 'Service', name: 'httpbin' }], loadBalancingMethod: 'hash consistent', hashMethodKey: '$http_x_user_id' },
    }]);
    const byClient = expose({ backend: Backend.fromName('cart', 80, { namespace: 'backends' }), affinity: SessionAffinity.clientIp() });
    expect(ofKind(byClient, 'UpstreamSettingsPolicy').map((p) => [p.metadata, p.spec.hashMethodKey])).toEqual([
      [{ name: 'test-public-cart', namespace: 'backends' }, '$remote_addr'],
    ]);
  });

  test('a cookie affinity is the experimental rule\'s sessionPersistence with NGINX Plus over HTTPS', () => {
    const manifests = expose({
      hosts: ['shop.example.com'], tls: Tls.fromSecret('shop-tls'), backend: httpbin(), affinity: SessionAffinity.cookie({ name: 'route', ttl: Duration.hours(1) }),
    }, { ...PLUS, experimental: true });
    expect(find(manifests, 'HTTPRoute', 'test-public').spec.rules[0].sessionPersistence).toMatchObject({ sessionName: 'route', type: 'Cookie' });
    expect(ofKind(manifests, 'UpstreamSettingsPolicy')).toEqual([]);
  });

  test('the escape hatches hold the objects', () => {
    const chart = testChart('test', 'shop');
    const e = new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.gatewayApi(NGF),
      backend: httpbin(),
      rateLimit: RateLimit.perSecond(1),
      maxRequestBody: Size.mebibytes(1),
      auth: Auth.basic({ secret: 'admins' }),
      affinity: SessionAffinity.clientIp(),
    });
    const resources = e.resources as any;
    expect(['rateLimitPolicies', 'clientSettingsPolicies', 'authenticationFilters', 'upstreamSettingsPolicies'].map((k) => resources.implementation[k].map((p: any) => p.name)))
      .toEqual([['test-public'], ['test-public'], ['test-public-default'], ['test-public-httpbin']]);
  });

  test('refuses what a policy on a whole route object would apply to more routes than declared', () => {
    expect(exposeError({
      backend: httpbin(),
      routes: [{ match: { path: PathMatch.prefix('/api') }, rateLimit: RateLimit.perSecond(10) }, { match: { path: PathMatch.prefix('/') } }],
    })).toBe('ExposedService test/public: routes[0].rateLimit: NGINX Gateway Fabric attaches a RateLimitPolicy to a whole HTTPRoute or GRPCRoute (no rule by sectionName) '
      + 'and counts it per route object: declare one rate limit for all the routes of one protocol (on the exposure, or on its only route); or use gatewayApi with envoyGateway, or apiGateway');
    // An exposure-wide limit over HTTP and gRPC routes would be counted twice (a zone per route object).
    expect(exposeError({
      rateLimit: RateLimit.perSecond(10),
      routes: [
        { match: { path: PathMatch.prefix('/shop.Cart/') }, backends: [{ backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }) }] },
        { match: { path: PathMatch.prefix('/') }, backends: [{ backend: httpbin() }] },
      ],
    })).toBe('ExposedService test/public: rateLimit: NGINX Gateway Fabric attaches a RateLimitPolicy to a whole HTTPRoute or GRPCRoute (no rule by sectionName) '
      + 'and counts it per route object: declare one rate limit for all the routes of one protocol (on the exposure, or on its only route); or use gatewayApi with envoyGateway, or apiGateway');
    expect(exposeError({
      backend: httpbin(),
      routes: [{ match: { path: PathMatch.prefix('/upload') }, maxRequestBody: Size.mebibytes(64) }, { match: { path: PathMatch.prefix('/') } }],
    })).toBe('ExposedService test/public: routes[0].maxRequestBody: NGINX Gateway Fabric attaches a ClientSettingsPolicy to a whole HTTPRoute or GRPCRoute (no rule by sectionName): '
      + 'declare one body size for all the routes of a protocol (on the exposure); or use gatewayApi with envoyGateway, or apiGateway');
  });

  test('refuses what NGINX Gateway Fabric cannot express, with exact messages', () => {
    expect(exposeError({ backend: httpbin(), maxRequestBody: Size.kibibytes(12345) })).toBe(
      'ExposedService test/public: maxRequestBody: NGINX Gateway Fabric takes a size of at most 4 digits and a unit (k, m or g); 12641280 bytes is 12345k in nginx\'s syntax: round it');
    // A limit per API key needs the API key auth, which NGINX Gateway Fabric does not have: refused by its row.
    expect(exposeError({ backend: httpbin(), rateLimit: RateLimit.perSecond(10, { key: 'api-key' }), auth: Auth.apiKey({ secret: 'keys' }) })).toBe(
      'ExposedService test/public: auth: \'auth-api-key\' is not supported by gatewayApi (nginxGatewayFabric); supported by: gatewayApi (envoyGateway), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)');
    // JWT is refused with or without NGINX Plus: v2.6's JWT filter checks neither the issuer nor the audiences.
    const jwt = Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys' });
    const jwtError = 'ExposedService test/public: auth: \'auth-jwt\' is not supported by gatewayApi (nginxGatewayFabric); supported by: istio, gatewayApi (envoyGateway), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)';
    expect([exposeError({ backend: httpbin(), auth: jwt }), exposeError({ backend: httpbin(), auth: jwt }, PLUS)]).toEqual([jwtError, jwtError]);
  });

  test('refuses affinities NGINX Gateway Fabric cannot keep', () => {
    expect(exposeError({ backend: httpbin(), affinity: SessionAffinity.header('x-user-1') })).toBe(
      'ExposedService test/public: affinity: NGINX Gateway Fabric hashes a header by its nginx variable, which takes the letters and \'-\' of its name only; x-user-1 has others');
    // The policy is on the Service: another port of it reached without the affinity would be hashed too.
    expect(exposeError({
      routes: [
        { match: { path: PathMatch.prefix('/cart') }, backends: [{ backend: httpbin() }], affinity: SessionAffinity.clientIp() },
        { match: { path: PathMatch.prefix('/') }, backends: [{ backend: Backend.fromName('httpbin', 9000) }] },
      ],
    })).toBe('ExposedService test/public: routes[0].affinity: NGINX Gateway Fabric sets the affinity on the whole Service (UpstreamSettingsPolicy), '
      + 'and routes[1] (affinity none, another port) also reaches Service httpbin: give every route and port of it the same affinity');
    const cookie = { hosts: ['shop.example.com'], backend: httpbin(), affinity: SessionAffinity.cookie({ name: 'route' }) };
    expect([
      exposeError(cookie),
      exposeError({ ...cookie, tls: Tls.fromSecret('shop-tls') }, { ...NGF, experimental: true }),
      exposeError(cookie, { ...PLUS, experimental: true }),
    ]).toEqual([
      'ExposedService test/public: affinity: \'affinity-cookie\' is not supported by gatewayApi (nginxGatewayFabric); supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), apiGateway (kong)',
      'ExposedService test/public: affinity: NGINX Gateway Fabric renders a cookie affinity (sessionPersistence) with NGINX Plus only: '
      + 'set GatewayImplementation.nginxGatewayFabric({ nginxPlus: true }), or use SessionAffinity.header or SessionAffinity.clientIp',
      'ExposedService test/public: affinity: NGINX Gateway Fabric\'s session cookie is Secure, which a browser keeps over HTTPS only: '
      + 'declare tls, or use SessionAffinity.header or SessionAffinity.clientIp',
    ]);
  });

  test('exposures of an app that reach one Service must agree on its affinity; the first creates its UpstreamSettingsPolicy', () => {
    const errorOf = (...affinities: (SessionAffinity | undefined)[]) => {
      const chart = testChart('test', 'shop');
      try {
        affinities.forEach((affinity, i) => new ExposedService(chart, `e${i}`, { strategy: ExposureStrategy.gatewayApi(NGF), backend: httpbin(), affinity }));
      } catch (e) {
        return (e as Error).message;
      }
      return ofKind(synthChecked(chart), 'UpstreamSettingsPolicy').map((p) => [p.metadata.name, p.spec.hashMethodKey]);
    };
    expect(errorOf(SessionAffinity.clientIp(), SessionAffinity.clientIp())).toEqual([['test-e0-httpbin', '$remote_addr']]);
    expect(errorOf(SessionAffinity.header('x-user'), SessionAffinity.clientIp())).toBe(
      'ExposedService test/e1: affinity: NGINX Gateway Fabric sets the affinity on the whole Service (UpstreamSettingsPolicy), and ExposedService test/e0 '
      + 'reaches Service shop/httpbin with affinity header x-user (affinity), with affinity client IP here: give every route to it the same affinity');
    // The policy would hash the other exposure's requests too.
    expect(errorOf(undefined, SessionAffinity.clientIp())).toBe(
      'ExposedService test/e1: affinity: NGINX Gateway Fabric sets the affinity on the whole Service (UpstreamSettingsPolicy), and ExposedService test/e0 '
      + 'reaches Service shop/httpbin without an affinity (backend), with affinity client IP here: give every route to it the same affinity');
    expect(errorOf(undefined, undefined)).toEqual([]);
    // A Service of the same name in another namespace is another Service.
    const chart = testChart('test', 'shop');
    new ExposedService(chart, 'e0', { strategy: ExposureStrategy.gatewayApi(NGF), backend: httpbin(), affinity: SessionAffinity.clientIp() });
    new ExposedService(chart, 'e1', { strategy: ExposureStrategy.gatewayApi(NGF), backend: Backend.fromName('httpbin', 8000, { namespace: 'lab' }) });
    expect(ofKind(synthChecked(chart), 'UpstreamSettingsPolicy').map((p) => p.metadata.name)).toEqual(['test-e0-httpbin']);
  });

  test('client IP lists, external auth, circuit breaking, retries and regex paths: refused, naming what can', () => {
    const errors = [
      exposeError({ backend: httpbin(), access: AccessPolicy.allowFrom(['10.0.0.0/8']) }),
      exposeError({ backend: httpbin(), auth: Auth.external({ service: Backend.fromName('authz', 8080) }) }, { ...NGF, experimental: true }),
      exposeError({ backend: httpbin(), circuitBreaker: CircuitBreaker.of({ maxConnections: 100 }) }),
      exposeError({ backend: httpbin(), retries: { attempts: 2 } }),
      exposeError({ backend: httpbin(), retries: { attempts: 2 } }, { ...NGF, experimental: true }),
      exposeError({ routes: [{ match: { path: PathMatch.regex('/items/[0-9]+') }, backend: httpbin() }] }),
    ];
    expect(errors).toEqual([
      'ExposedService test/public: access: \'ip-allow-list\' is not supported by gatewayApi (nginxGatewayFabric); supported by: loadBalancer, ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)',
      'ExposedService test/public: auth: \'auth-external\' is not supported by gatewayApi (nginxGatewayFabric, experimental); supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), gatewayApi (istio), apiGateway (nginx)',
      'ExposedService test/public: circuitBreaker: \'connection-limits\' is not supported by gatewayApi (nginxGatewayFabric); supported by: istio, gatewayApi (envoyGateway), apiGateway (nginx)',
      'ExposedService test/public: retries: \'retries\' is not supported by gatewayApi (nginxGatewayFabric); supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), gatewayApi (traefik), apiGateway (nginx), apiGateway (kong)',
      'ExposedService test/public: retries: \'retries\' is not supported by gatewayApi (nginxGatewayFabric, experimental); supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), gatewayApi (traefik), apiGateway (nginx), apiGateway (kong)',
      'ExposedService test/public: routes[0].match.path: \'path-regex\' is not supported by gatewayApi (nginxGatewayFabric); supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx), apiGateway (kong)',
    ]);
  });
});
