import { ApiObject, Duration, Size } from 'cdk8s';
import {
  AccessPolicy, Auth, Backend, CircuitBreaker, ExposedService, ExposedServiceProps, ExposureStrategy, GatewayImplementation, PathMatch, RateLimit,
  SessionAffinity,
} from '../../src';
import { GatewayApiStrategyOptions } from '../../src/strategies/gateway-api/gateway-api';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

const httpbin = () => Backend.fromName('httpbin', 8000);
const TRAEFIK: GatewayApiStrategyOptions = { gatewayClassName: 'traefik', implementation: GatewayImplementation.traefik() };
const CLIENT_ADDRESS = { depth: 0 };

function expose(props: Partial<ExposedServiceProps>, options: GatewayApiStrategyOptions = TRAEFIK): Manifest[] {
  const chart = testChart('test', 'shop');
  new ExposedService(chart, 'public', { strategy: ExposureStrategy.gatewayApi(options), ...props });
  return synthChecked(chart);
}

function exposeError(props: Partial<ExposedServiceProps>, options: GatewayApiStrategyOptions = TRAEFIK): string {
  return declarationError({ strategy: ExposureStrategy.gatewayApi(options), ...props }).message;
}

/** A Middleware object as synthesized in the namespace `shop`. */
const middleware = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name, namespace: 'shop' }, spec });
/** The ExtensionRef filter of a Middleware. */
const ref = (name: string) => ({ type: 'ExtensionRef', extensionRef: { group: 'traefik.io', kind: 'Middleware', name } });
/** The ExtensionRef filters of a synthesized route's rules. */
const extensionRefs = (route: Manifest) => route.spec.rules.map((r: any) => (r.filters ?? []).filter((f: any) => f.type === 'ExtensionRef').map((f: any) => f.extensionRef.name));

describe('gatewayApi on Traefik', () => {
  test('the strategy is named after the implementation, and without middlewares the output is the standard one', () => {
    expect(ExposureStrategy.gatewayApi(TRAEFIK).name).toBe('gatewayApi (traefik)');
    expect(ExposureStrategy.gatewayApi({ ...TRAEFIK, experimental: true }).name).toBe('gatewayApi (traefik, experimental)');
    const standard = expose({ hosts: ['shop.example.com'], backend: httpbin() }, { gatewayClassName: 'traefik' });
    expect(expose({ hosts: ['shop.example.com'], backend: httpbin() })).toEqual(standard);
  });

  test('exposure-wide settings: one Middleware per feature for the whole HTTPRoute, referenced first among the rule\'s filters', () => {
    const manifests = expose({
      backend: httpbin(),
      access: AccessPolicy.allowFrom(['10.0.0.0/8', '2001:db8::/32']),
      auth: Auth.basic({ secret: 'admins', realm: 'Shop admins' }),
      rateLimit: RateLimit.perSecond(10, { burst: 5 }),
      maxRequestBody: Size.mebibytes(8),
      routes: [{ match: { path: PathMatch.prefix('/') }, requestHeaders: { set: { 'x-shop': '1' } } }],
    });
    expect(ofKind(manifests, 'Middleware')).toEqual([
      middleware('test-public-ip-allow-list', { ipAllowList: { sourceRange: ['10.0.0.0/8', '2001:db8::/32'], ipStrategy: CLIENT_ADDRESS } }),
      middleware('test-public-basic-auth', { basicAuth: { secret: 'admins', realm: 'Shop admins' } }),
      // burst 5 admits 6 requests at once, as nginx's burst does: Traefik's bucket holds burst + 1.
      middleware('test-public-rate-limit', { rateLimit: { average: 10, period: '1s', burst: 6, sourceCriterion: { ipStrategy: CLIENT_ADDRESS } } }),
      middleware('test-public-body-size', { buffering: { maxRequestBodyBytes: 8 * 1024 * 1024 } }),
    ]);
    expect(find(manifests, 'HTTPRoute').spec.rules[0].filters).toEqual([
      ref('test-public-ip-allow-list'), ref('test-public-basic-auth'), ref('test-public-rate-limit'), ref('test-public-body-size'),
      { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-shop', value: '1' }] } },
    ]);
    expect(find(expose({ backend: httpbin(), rateLimit: RateLimit.perMinute(600) }), 'Middleware').spec.rateLimit)
      .toEqual({ average: 600, period: '1m', burst: 1, sourceCriterion: { ipStrategy: CLIENT_ADDRESS } });
    expect(find(expose({ backend: httpbin(), auth: Auth.basic({ secret: 'admins' }) }), 'Middleware').spec.basicAuth)
      .toEqual({ secret: 'admins', realm: 'Authentication required' });
  });

  test('settings that differ between rules get a Middleware per rule; those all rules share, one for the route', () => {
    const manifests = expose({
      backend: httpbin(),
      rateLimit: RateLimit.perSecond(20),
      routes: [
        { match: { path: PathMatch.prefix('/api') }, maxRequestBody: Size.kibibytes(64) },
        { match: { path: PathMatch.prefix('/admin') }, access: AccessPolicy.allowFrom(['10.0.0.0/8']), rateLimit: RateLimit.perMinute(60) },
        {},
      ],
    });
    expect(ofKind(manifests, 'Middleware').map((m) => [m.metadata.name, Object.keys(m.spec)])).toEqual([
      ['test-public-routes-1-ip-allow-list', ['ipAllowList']],
      ['test-public-routes-0-rate-limit', ['rateLimit']],
      ['test-public-routes-1-rate-limit', ['rateLimit']],
      ['test-public-routes-2-rate-limit', ['rateLimit']],
      ['test-public-routes-0-body-size', ['buffering']],
    ]);
    expect(extensionRefs(find(manifests, 'HTTPRoute'))).toEqual([
      ['test-public-routes-0-rate-limit', 'test-public-routes-0-body-size'],
      ['test-public-routes-1-ip-allow-list', 'test-public-routes-1-rate-limit'],
      ['test-public-routes-2-rate-limit'],
    ]);
    const shared = expose({
      backend: httpbin(),
      rateLimit: RateLimit.perSecond(20),
      routes: [{ match: { path: PathMatch.prefix('/api') } }, { match: { path: PathMatch.prefix('/admin') }, auth: Auth.basic({ secret: 'admins' }) }],
    });
    expect(extensionRefs(find(shared, 'HTTPRoute'))).toEqual([['test-public-rate-limit'], ['test-public-routes-1-basic-auth', 'test-public-rate-limit']]);
  });

  test('a gRPC route\'s rules reference Middlewares of their own (the GRPCRoute\'s)', () => {
    const manifests = expose({
      routes: [
        { match: { path: PathMatch.prefix('/shop.Cart/') }, backends: [{ backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }) }] },
        { match: { path: PathMatch.prefix('/') }, backends: [{ backend: httpbin() }] },
      ],
      rateLimit: RateLimit.perSecond(5),
      access: AccessPolicy.allowFrom(['10.0.0.0/8']),
    });
    expect(ofKind(manifests, 'Middleware').map((m) => m.metadata.name)).toEqual([
      'test-public-ip-allow-list', 'test-public-rate-limit', 'test-public-grpc-ip-allow-list', 'test-public-grpc-rate-limit',
    ]);
    expect(find(manifests, 'GRPCRoute').spec.rules[0].filters).toEqual([ref('test-public-grpc-ip-allow-list'), ref('test-public-grpc-rate-limit')]);
    expect(extensionRefs(find(manifests, 'HTTPRoute'))).toEqual([['test-public-ip-allow-list', 'test-public-rate-limit']]);
  });

  test('retries as the retry Middleware on both channels: every try counted, the conditions as status codes and network errors', () => {
    const manifests = expose({ backend: httpbin(), retries: { attempts: 2 } });
    // The default conditions: connect-failure, gateway-error, reset (a reset reaches Traefik as the 502 it answers).
    expect(find(manifests, 'Middleware')).toEqual(middleware('test-public-retry', {
      retry: { attempts: 3, status: ['502', '503', '504'], retryNonIdempotentMethod: true },
    }));
    const rule = find(manifests, 'HTTPRoute').spec.rules[0];
    expect([rule.retry, rule.filters]).toEqual([undefined, [ref('test-public-retry')]]);
    expect(find(expose({ backend: httpbin(), retries: { attempts: 1, retryOn: ['connect-failure'] } }), 'Middleware').spec).toEqual({ retry: { attempts: 2 } });
    expect(find(expose({ backend: httpbin(), retries: { attempts: 4, retryOn: ['retriable-4xx', 'gateway-error'] } }), 'Middleware').spec).toEqual({
      retry: { attempts: 5, status: ['409', '502', '503', '504'], retryNonIdempotentMethod: true, disableRetryOnNetworkError: true },
    });
    expect(find(expose({ backend: httpbin(), retries: { attempts: 1, retryOn: ['5xx'] } }), 'Middleware').spec.retry)
      .toEqual({ attempts: 2, status: ['500', '502', '503', '504'], retryNonIdempotentMethod: true });
    // Traefik implements no rule retry: on the experimental channel the Middleware carries them too.
    const experimental = expose({ backend: httpbin(), retries: { attempts: 2 } }, { ...TRAEFIK, experimental: true });
    expect(find(experimental, 'HTTPRoute').spec.rules[0].retry).toBeUndefined();
    expect(find(experimental, 'Middleware').spec.retry.attempts).toBe(3);
    // No retries is Traefik's default: no Middleware.
    expect(ofKind(expose({ backend: httpbin(), retries: { attempts: 0 } }, { ...TRAEFIK, experimental: true }), 'Middleware')).toEqual([]);
  });

  test('basic auth reads ingress-nginx\'s Secret when the htpasswd file is its only key; the checks refuse one Traefik cannot read', () => {
    const withSecret = (data: Record<string, string>) => {
      const chart = testChart('test', 'shop');
      new ApiObject(chart, 'admins', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'admins' }, type: 'Opaque', stringData: data });
      new ExposedService(chart, 'public', { strategy: ExposureStrategy.gatewayApi(TRAEFIK), backend: httpbin(), auth: Auth.basic({ secret: 'admins' }) });
      return () => synthChecked(chart);
    };
    const htpasswd = 'admin:{SHA}0DPiKuNIrrVmD8IUCuw1hQxNqZc=';
    expect(find(withSecret({ auth: htpasswd })(), 'Middleware').spec.basicAuth.secret).toBe('admins');
    // A Secret serving ingress-nginx (`auth`) and Envoy Gateway (`.htpasswd`) has two keys, which Traefik refuses to read.
    expect(withSecret({ 'auth': htpasswd, '.htpasswd': htpasswd })).toThrow(
      'Middleware/test-public-basic-auth: basic auth Secret admins has 2 keys; Traefik reads htpasswd lines from its only key');
  });

  test('the escape hatches hold the Middlewares', () => {
    const chart = testChart('test', 'shop');
    const e = new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.gatewayApi(TRAEFIK), backend: httpbin(), rateLimit: RateLimit.perSecond(1), auth: Auth.basic({ secret: 'admins' }),
    });
    expect((e.resources as any).implementation.middlewares.map((m: any) => m.name)).toEqual(['test-public-basic-auth', 'test-public-rate-limit']);
  });

  test('refuses what Traefik cannot express, with the usual errors', () => {
    // A limit per API key needs Auth.apiKey, which Traefik does not authenticate.
    expect(exposeError({ backend: httpbin(), rateLimit: RateLimit.perSecond(10, { key: 'api-key' }), auth: Auth.apiKey({ secret: 'keys' }) })).toBe(
      'ExposedService test/public: auth: \'auth-api-key\' is not supported by gatewayApi (traefik); supported by: gatewayApi (envoyGateway), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)');
    expect(exposeError({
      routes: [{ match: { path: PathMatch.prefix('/shop.Cart/') }, backends: [{ backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }) }], maxRequestBody: Size.mebibytes(1) }],
    })).toBe('ExposedService test/public: routes[0].maxRequestBody: Traefik limits the body by buffering the whole request, which stalls gRPC streams; remove it from the gRPC route');
    expect(exposeError({ backend: httpbin(), affinity: SessionAffinity.cookie({ name: 'sid' }) }, { ...TRAEFIK, experimental: true })).toBe(
      'ExposedService test/public: affinity: \'affinity-cookie\' is not supported by gatewayApi (traefik, experimental); '
      + 'supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), apiGateway (kong)');
    // Its provider accepts a rule's timeouts and ignores them: refused, as the experimental sessionPersistence is.
    expect(exposeError({ backend: httpbin(), timeout: Duration.seconds(10) })).toBe('ExposedService test/public: timeout: \'timeout\' is not supported by gatewayApi (traefik); '
      + 'supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx), apiGateway (kong)');
    expect(exposeError({ backend: httpbin(), retries: { attempts: 2, perTryTimeout: Duration.seconds(2) } })).toBe(
      'ExposedService test/public: retries.perTryTimeout: Traefik\'s retry has no timeout per try (its timeout bounds all tries); remove perTryTimeout, or use istio');
    expect(exposeError({ backend: httpbin(), retries: { attempts: 2, retryOn: ['connect-failure', 'reset'] } })).toBe(
      'ExposedService test/public: retries.retryOn: Traefik retries a connection reset after the request was sent only as the 502 it answers; add gateway-error or 5xx, or remove reset');
    expect(exposeError({ backend: httpbin(), access: AccessPolicy.denyFrom(['203.0.113.0/24']) })).toBe(
      'ExposedService test/public: access: \'ip-deny-list\' is not supported by gatewayApi (traefik); supported by: ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)');
    expect(exposeError({ backend: httpbin(), access: AccessPolicy.allowFrom(['10.0.0.0/8'], { except: ['10.66.0.0/16'] }) })).toBe(
      'ExposedService test/public: access: \'ip-deny-list\' is not supported by gatewayApi (traefik); supported by: ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)');
    expect(exposeError({ backend: httpbin(), auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys' }) })).toBe(
      'ExposedService test/public: auth: \'auth-jwt\' is not supported by gatewayApi (traefik); supported by: istio, gatewayApi (envoyGateway), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)');
    expect(exposeError({ backend: httpbin(), auth: Auth.apiKey({ secret: 'keys' }) })).toBe(
      'ExposedService test/public: auth: \'auth-api-key\' is not supported by gatewayApi (traefik); supported by: gatewayApi (envoyGateway), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)');
    for (const experimental of [false, true]) {
      expect(exposeError({ backend: httpbin(), auth: Auth.external({ service: Backend.fromName('authz', 8080), responseHeaders: ['x-user'] }) }, { ...TRAEFIK, experimental }))
        .toBe(`ExposedService test/public: auth: 'auth-external' is not supported by gatewayApi (traefik${experimental ? ', experimental' : ''}); `
          + 'supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), gatewayApi (istio), apiGateway (nginx)');
    }
    // inFlightReq counts the requests of one source (per replica, before the route), not those to a backend Service: no exact mapping.
    expect(exposeError({ backend: httpbin(), circuitBreaker: CircuitBreaker.of({ maxRequests: 100 }) })).toBe(
      'ExposedService test/public: circuitBreaker: \'connection-limits\' is not supported by gatewayApi (traefik); supported by: istio, gatewayApi (envoyGateway), apiGateway (nginx)');
  });

  test('the standard API names Traefik among the strategies that can', () => {
    expect(exposeError({ backend: httpbin(), rateLimit: RateLimit.perSecond(10) }, { gatewayClassName: 'traefik' })).toBe(
      'ExposedService test/public: rateLimit: \'rate-limit\' is not supported by gatewayApi; supported by: ingress (ingressNginx), gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)');
  });
});
