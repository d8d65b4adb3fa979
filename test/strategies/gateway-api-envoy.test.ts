import { Duration, Size } from 'cdk8s';
import {
  AccessPolicy, Auth, Backend, ExposedService, ExposedServiceProps, ExposureStrategy, GatewayImplementation, IngressController, PathMatch, RateLimit,
} from '../../src';
import { GatewayApiStrategyOptions } from '../../src/strategies/gateway-api/gateway-api';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

const httpbin = () => Backend.fromName('httpbin', 8000);
const EG: GatewayApiStrategyOptions = { gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway() };
const HTTP_ROUTE = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'test-public' };

function expose(props: Partial<ExposedServiceProps>, options: GatewayApiStrategyOptions = EG): Manifest[] {
  const chart = testChart('test', 'shop');
  new ExposedService(chart, 'public', { strategy: ExposureStrategy.gatewayApi(options), ...props });
  return synthChecked(chart);
}

function exposeError(props: Partial<ExposedServiceProps>, options: GatewayApiStrategyOptions = EG): string {
  return declarationError({ strategy: ExposureStrategy.gatewayApi(options), ...props }).message;
}

/** The rate limit Envoy Gateway renders for `requests` per `unit` per client address. */
const perClient = (requests: number, unit: string) => ({
  local: {
    rules: ['0.0.0.0/0', '::/0'].map((value) => ({ clientSelectors: [{ sourceCIDR: { type: 'Distinct', value } }], limit: { requests, unit } })),
  },
});

describe('gatewayApi on Envoy Gateway', () => {
  test('the strategy is named after the implementation, and without policies the output is the standard one', () => {
    expect(ExposureStrategy.gatewayApi(EG).name).toBe('gatewayApi (envoyGateway)');
    expect(ExposureStrategy.gatewayApi({ ...EG, experimental: true }).name).toBe('gatewayApi (envoyGateway, experimental)');
    const standard = expose({ hosts: ['shop.example.com'], backend: httpbin() }, { gatewayClassName: 'eg' });
    expect(expose({ hosts: ['shop.example.com'], backend: httpbin() })).toEqual(standard);
  });

  test('exposure-wide policies attach to the whole HTTPRoute: a rate limit per client address and the body size', () => {
    const manifests = expose({ backend: httpbin(), rateLimit: RateLimit.perSecond(10), maxRequestBody: Size.mebibytes(8) });
    expect(ofKind(manifests, 'BackendTrafficPolicy')).toEqual([{
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'BackendTrafficPolicy',
      metadata: { name: 'test-public', namespace: 'shop' },
      spec: { targetRefs: [HTTP_ROUTE], rateLimit: perClient(10, 'Second'), requestBuffer: { limit: 8 * 1024 * 1024 } },
    }]);
    expect(ofKind(manifests, 'SecurityPolicy')).toEqual([]);
  });

  test('client IP lists, basic auth and JWT as a SecurityPolicy', () => {
    const allow = expose({ backend: httpbin(), access: AccessPolicy.allowFrom(['10.0.0.0/8', '2001:db8::/32'], { except: ['10.66.0.0/16'] }), auth: Auth.basic({ secret: 'admins' }) });
    expect(find(allow, 'SecurityPolicy').spec).toEqual({
      targetRefs: [HTTP_ROUTE],
      authorization: {
        defaultAction: 'Deny',
        rules: [
          { action: 'Deny', principal: { clientCIDRs: ['10.66.0.0/16'] } },
          { action: 'Allow', principal: { clientCIDRs: ['10.0.0.0/8', '2001:db8::/32'] } },
        ],
      },
      basicAuth: { users: { name: 'admins' } },
    });
    const deny = expose({ backend: httpbin(), access: AccessPolicy.denyFrom(['203.0.113.0/24']) });
    expect(find(deny, 'SecurityPolicy').spec.authorization).toEqual({ defaultAction: 'Allow', rules: [{ action: 'Deny', principal: { clientCIDRs: ['203.0.113.0/24'] } }] });
    const jwt = expose({ backend: httpbin(), auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys', audiences: ['shop'] }) });
    expect(find(jwt, 'SecurityPolicy').spec).toEqual({
      targetRefs: [HTTP_ROUTE],
      jwt: { providers: [{ name: 'jwt', issuer: 'https://id.example.com', audiences: ['shop'], remoteJWKS: { uri: 'https://id.example.com/keys' } }] },
    });
  });

  test('policies that differ between routes attach to each rule by its name (sectionName)', () => {
    const manifests = expose({
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/api') }, rateLimit: RateLimit.perMinute(600) },
        { match: { path: PathMatch.prefix('/admin') }, access: AccessPolicy.allowFrom(['10.0.0.0/8']) },
        {},
      ],
    });
    expect(ofKind(manifests, 'BackendTrafficPolicy').map((p) => [p.metadata.name, p.spec])).toEqual([
      ['test-public-routes-0', { targetRefs: [{ ...HTTP_ROUTE, sectionName: 'routes-0' }], rateLimit: perClient(600, 'Minute') }],
    ]);
    expect(ofKind(manifests, 'SecurityPolicy').map((p) => [p.metadata.name, p.spec.targetRefs])).toEqual([
      ['test-public-routes-1', [{ ...HTTP_ROUTE, sectionName: 'routes-1' }]],
    ]);
    expect(find(manifests, 'HTTPRoute').spec.rules.map((r: any) => r.name)).toEqual(['routes-0', 'routes-1', 'routes-2']);
  });

  test('a gRPC route\'s policies target the GRPCRoute', () => {
    const manifests = expose({
      routes: [{ match: { path: PathMatch.prefix('/shop.Cart/') }, backends: [{ backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }) }], rateLimit: RateLimit.perSecond(5) }],
    });
    expect(find(manifests, 'BackendTrafficPolicy').spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', name: 'test-public' }]);
    expect(find(manifests, 'BackendTrafficPolicy').metadata.name).toBe('test-public-grpc');
    const jwt = expose({
      backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }),
      auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys' }),
    });
    expect(find(jwt, 'SecurityPolicy').spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', name: 'test-public' }]);
    // External authentication stays HTTPRoute's filter (experimental channel), which GRPCRoute lacks.
    expect(exposeError({
      backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }),
      auth: Auth.external({ service: Backend.fromName('authz', 8080), responseHeaders: ['x-user'] }),
    }, { ...EG, experimental: true })).toBe('ExposedService test/public: auth: GRPCRoute has no ExternalAuth filter; remove it from the gRPC route, or use istio');
  });

  test('on the experimental channel too: retries on the HTTPRoute, the policies beside it', () => {
    const manifests = expose({ backend: httpbin(), retries: { attempts: 2 }, rateLimit: RateLimit.perSecond(1) }, { ...EG, experimental: true });
    expect(find(manifests, 'HTTPRoute').spec.rules[0].retry).toBeDefined();
    expect(find(manifests, 'BackendTrafficPolicy').spec).toEqual({ targetRefs: [HTTP_ROUTE], rateLimit: perClient(1, 'Second') });
  });

  test('on the standard channel, retries as the BackendTrafficPolicy\'s retry, the per-try timeout the rule\'s backendRequest', () => {
    const manifests = expose({ backend: httpbin(), timeout: Duration.seconds(10), retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: ['5xx', 'reset'] } });
    expect(find(manifests, 'BackendTrafficPolicy').spec).toEqual({ targetRefs: [HTTP_ROUTE], retry: { numRetries: 3, retryOn: { triggers: ['5xx', 'reset'] } } });
    const rule = find(manifests, 'HTTPRoute').spec.rules[0];
    expect([rule.retry, rule.timeouts]).toEqual([undefined, { request: '10s', backendRequest: '2s' }]);
    // No retries at all is expressible too.
    expect(find(expose({ backend: httpbin(), retries: { attempts: 0 } }), 'BackendTrafficPolicy').spec.retry).toEqual({ numRetries: 0, retryOn: { triggers: expect.any(Array) } });
  });

  test('the escape hatches hold the policies', () => {
    const chart = testChart('test', 'shop');
    const e = new ExposedService(chart, 'public', { strategy: ExposureStrategy.gatewayApi(EG), backend: httpbin(), rateLimit: RateLimit.perSecond(1), auth: Auth.basic({ secret: 'admins' }) });
    const resources = e.resources as any;
    expect(resources.implementation.backendTrafficPolicies.map((p: any) => p.name)).toEqual(['test-public']);
    expect(resources.implementation.securityPolicies.map((p: any) => p.name)).toEqual(['test-public']);
  });

  test('refuses what Envoy Gateway cannot express, with the usual errors', () => {
    expect(exposeError({ backend: httpbin(), rateLimit: RateLimit.perSecond(10, { burst: 20 }) })).toBe(
      'ExposedService test/public: rateLimit.burst: Envoy Gateway\'s local rate limit admits the rate at once each second or minute and has no burst above it; set burst to 0');
    expect(exposeError({ backend: httpbin(), auth: Auth.basic({ secret: 'admins', realm: 'Shop' }) })).toBe(
      'ExposedService test/public: auth.realm: Envoy Gateway\'s basicAuth announces no realm of the exposure\'s choosing; remove realm');
    expect(exposeError({ backend: httpbin(), auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys', publicKeySecret: 'keys' }) })).toBe(
      'ExposedService test/public: auth.publicKeySecret: Envoy Gateway fetches the keys from jwksUri; remove publicKeySecret');
    expect(exposeError({ backend: httpbin(), auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys', audiences: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] }) })).toBe(
      'ExposedService test/public: auth.audiences: Envoy Gateway takes at most 8 audiences per JWT provider');
    expect(exposeError({
      routes: [{ match: { path: PathMatch.prefix('/shop.Cart/') }, backends: [{ backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }) }], maxRequestBody: Size.mebibytes(1) }],
    })).toBe('ExposedService test/public: routes[0].maxRequestBody: Envoy Gateway limits the body by buffering the whole request, which stalls gRPC streams; remove it from the gRPC route');
    expect(exposeError({ backend: httpbin(), auth: Auth.apiKey({ secret: 'keys' }) })).toBe(
      'ExposedService test/public: auth: \'auth-api-key\' is not supported by gatewayApi (envoyGateway); supported by: gatewayApi (kong), apiGateway (nginx), apiGateway (kong)');
  });

  test('the standard API names Envoy Gateway among the strategies that can', () => {
    expect(exposeError({ backend: httpbin(), rateLimit: RateLimit.perSecond(10) }, { gatewayClassName: 'eg' })).toBe(
      'ExposedService test/public: rateLimit: \'rate-limit\' is not supported by gatewayApi; supported by: ingress (ingressNginx), gatewayApi (envoyGateway), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)');
  });

  test('an ingress-nginx exposure with basic auth, an IP allow list and a body size moves to Envoy Gateway by the strategy alone', () => {
    const declaration = (rateLimit: RateLimit | undefined = undefined): Omit<ExposedServiceProps, 'strategy'> => ({
      hosts: ['shop.example.com'],
      backend: httpbin(),
      timeout: Duration.seconds(30),
      auth: Auth.basic({ secret: 'admins' }),
      access: AccessPolicy.allowFrom(['10.0.0.0/8']),
      maxRequestBody: Size.mebibytes(16),
      rateLimit,
    });
    const before = testChart('before', 'shop');
    new ExposedService(before, 'shop', { ...declaration(), strategy: ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }) });
    expect(Object.keys(find(synthChecked(before), 'Ingress').metadata.annotations ?? {})).toEqual(expect.arrayContaining([
      'nginx.ingress.kubernetes.io/auth-type', 'nginx.ingress.kubernetes.io/whitelist-source-range', 'nginx.ingress.kubernetes.io/proxy-body-size',
    ]));
    const after = testChart('after', 'shop');
    new ExposedService(after, 'shop', { ...declaration(), strategy: ExposureStrategy.gatewayApi(EG) });
    const manifests = synthChecked(after);
    expect(manifests.map((m) => m.kind)).toEqual(['Gateway', 'HTTPRoute', 'BackendTrafficPolicy', 'SecurityPolicy']);
    const target = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'after-shop' };
    expect(find(manifests, 'BackendTrafficPolicy').spec).toEqual({ targetRefs: [target], requestBuffer: { limit: 16 * 1024 * 1024 } });
    expect(find(manifests, 'SecurityPolicy').spec).toEqual({
      targetRefs: [target],
      authorization: { defaultAction: 'Deny', rules: [{ action: 'Allow', principal: { clientCIDRs: ['10.0.0.0/8'] } }] },
      basicAuth: { users: { name: 'admins' } },
    });
    // A rate limit does not move unchanged: ingress-nginx bursts at least the rate (limit-burst-multiplier),
    // Envoy Gateway refills a bucket of the rate each second and takes no burst; the error names the field.
    const nginxRateLimit = RateLimit.perSecond(20, { burst: 20 });
    expect(declarationError({ ...declaration(nginxRateLimit), strategy: ExposureStrategy.gatewayApi(EG) }).message).toBe(
      'ExposedService test/public: rateLimit.burst: Envoy Gateway\'s local rate limit admits the rate at once each second or minute and has no burst above it; set burst to 0');
    const limited = testChart('limited', 'shop');
    new ExposedService(limited, 'shop', { ...declaration(RateLimit.perSecond(20)), strategy: ExposureStrategy.gatewayApi(EG) });
    expect(find(synthChecked(limited), 'BackendTrafficPolicy').spec.rateLimit).toEqual(perClient(20, 'Second'));
  });
});
