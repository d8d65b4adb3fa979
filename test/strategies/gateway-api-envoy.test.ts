import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AccessPolicy, Auth, Backend, CircuitBreaker, ExposedService, ExposedServiceProps, ExposureStrategy, GatewayImplementation, IngressController,
  PathMatch, RateLimit, SessionAffinity,
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
    const manifests = expose({ backend: httpbin(), rateLimit: RateLimit.perSecond(10, { burst: 10 }), maxRequestBody: Size.mebibytes(8) });
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

  test('API keys as apiKeyAuth: the Secret the API gateway engines read (a data key per consumer, the client id), the declared header', () => {
    const chart = testChart('test', 'shop');
    const keys = new kplus.Secret(chart, 'keys', { stringData: { alice: 'k-alice', bob: 'k-bob' } });
    new ExposedService(chart, 'public', { strategy: ExposureStrategy.gatewayApi(EG), backend: httpbin(), auth: Auth.apiKey({ secret: keys, header: 'X-Client-Key' }) });
    const manifests = synthChecked(chart);
    expect(find(manifests, 'SecurityPolicy').spec).toEqual({
      targetRefs: [HTTP_ROUTE],
      apiKeyAuth: { credentialRefs: [{ name: keys.name }], extractFrom: [{ headers: ['x-client-key'] }] },
    });
    expect(ofKind(manifests, 'BackendTrafficPolicy')).toEqual([]);
  });

  test('a rate limit per API key counts per client id, the header the API key auth sets', () => {
    const manifests = expose({
      backend: httpbin(),
      auth: Auth.apiKey({ secret: 'api-consumers' }),
      routes: [
        { match: { path: PathMatch.prefix('/api') }, rateLimit: RateLimit.perMinute(600, { burst: 600, key: 'api-key' }) },
        { match: { path: PathMatch.prefix('/') }, rateLimit: RateLimit.perSecond(5, { burst: 5 }) },
      ],
    });
    expect(ofKind(manifests, 'BackendTrafficPolicy').map((p) => [p.spec.targetRefs[0].sectionName, p.spec.rateLimit])).toEqual([
      ['routes-0', { local: { rules: [{ clientSelectors: [{ headers: [{ name: 'x-consumer-username', type: 'Distinct' }] }], limit: { requests: 600, unit: 'Minute' } }] } }],
      ['routes-1', perClient(5, 'Second')],
    ]);
    // The client id is passed on only where a limit counts by it.
    expect(ofKind(manifests, 'SecurityPolicy').map((p) => [p.spec.targetRefs[0].sectionName, p.spec.apiKeyAuth])).toEqual([
      ['routes-0', { credentialRefs: [{ name: 'api-consumers' }], extractFrom: [{ headers: ['x-api-key'] }], forwardClientIDHeader: 'x-consumer-username' }],
      ['routes-1', { credentialRefs: [{ name: 'api-consumers' }], extractFrom: [{ headers: ['x-api-key'] }] }],
    ]);
    expect(exposeError({ backend: httpbin(), auth: Auth.apiKey({ secret: 'keys' }), rateLimit: RateLimit.perSecond(5, { key: 'api-key' }) })).toBe(
      'ExposedService test/public: rateLimit.burst: Envoy Gateway\'s local rate limit admits the whole rate at once each second; set burst to 5');
  });

  test('policies that differ between routes attach to each rule by its name (sectionName)', () => {
    const manifests = expose({
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/api') }, rateLimit: RateLimit.perMinute(600, { burst: 600 }) },
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
      routes: [{ match: { path: PathMatch.prefix('/shop.Cart/') }, backends: [{ backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }) }], rateLimit: RateLimit.perSecond(5, { burst: 5 }) }],
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
    const declared = { backend: httpbin(), retries: { attempts: 2 }, rateLimit: RateLimit.perSecond(1, { burst: 1 }) };
    const manifests = expose(declared, { ...EG, experimental: true });
    expect(find(manifests, 'HTTPRoute').spec.rules[0].retry).toBeDefined();
    expect(find(manifests, 'BackendTrafficPolicy').spec).toEqual({ targetRefs: [HTTP_ROUTE], rateLimit: perClient(1, 'Second') });
  });

  test('on the standard channel, retries as the BackendTrafficPolicy\'s retry; a per-try timeout refused on both channels', () => {
    const manifests = expose({ backend: httpbin(), timeout: Duration.seconds(10), retries: { attempts: 3, retryOn: ['5xx', 'reset'] } });
    expect(find(manifests, 'BackendTrafficPolicy').spec).toEqual({ targetRefs: [HTTP_ROUTE], retry: { numRetries: 3, retryOn: { triggers: ['5xx', 'reset'] } } });
    const rule = find(manifests, 'HTTPRoute').spec.rules[0];
    expect([rule.retry, rule.timeouts]).toEqual([undefined, { request: '10s' }]);
    // Envoy Gateway reads a rule's backendRequest as the whole request's timeout (a per-try timeout needs a retry backoff).
    const perTry = { backend: httpbin(), timeout: Duration.seconds(10), retries: { attempts: 3, perTryTimeout: Duration.seconds(2) } };
    for (const experimental of [false, true]) {
      expect(exposeError(perTry, { ...EG, experimental })).toBe('ExposedService test/public: retries.perTryTimeout: Envoy Gateway takes the rule\'s per-try timeout '
        + '(timeouts.backendRequest) as the whole request\'s timeout; remove perTryTimeout, or use istio or apiGateway');
    }
    // No retries at all is expressible too.
    expect(find(expose({ backend: httpbin(), retries: { attempts: 0 } }), 'BackendTrafficPolicy').spec.retry).toEqual({ numRetries: 0, retryOn: { triggers: expect.any(Array) } });
  });

  test('on the standard channel, external authentication as the SecurityPolicy\'s extAuth; the experimental channel keeps the ExternalAuth filter', () => {
    const declared = {
      backend: httpbin(),
      auth: Auth.external({
        service: Backend.fromName('oauth2-proxy', 4180), path: '/oauth2/auth', forwardHeaders: ['Cookie', 'Authorization'], responseHeaders: ['X-Auth-Request-User'],
      }),
    };
    const manifests = expose(declared);
    expect(find(manifests, 'SecurityPolicy').spec).toEqual({
      targetRefs: [HTTP_ROUTE],
      extAuth: {
        headersToExtAuth: ['cookie'],
        http: { backendRefs: [{ name: 'oauth2-proxy', port: 4180 }], path: '/oauth2/auth', headersToBackend: ['x-auth-request-user'] },
      },
    });
    expect(find(manifests, 'HTTPRoute').spec.rules[0].filters).toBeUndefined();
    // No response header declared: none copied (the policy's default), unlike the filter, which then copies every one.
    const none = expose({ backend: httpbin(), auth: Auth.external({ service: Backend.fromName('authz', 8080) }) });
    expect(find(none, 'SecurityPolicy').spec.extAuth).toEqual({ http: { backendRefs: [{ name: 'authz', port: 8080 }] } });
    const experimental = expose(declared, { ...EG, experimental: true });
    expect(find(experimental, 'HTTPRoute').spec.rules[0].filters.map((f: any) => f.type)).toEqual(['ExternalAuth']);
    expect(ofKind(experimental, 'SecurityPolicy')).toEqual([]);
  });

  test('circuit breaking as the BackendTrafficPolicy\'s circuitBreaker and healthCheck.passive, in every policy of the route object', () => {
    const circuitBreaker = CircuitBreaker.of({
      maxConnections: 100,
      maxPendingRequests: 50,
      maxRequests: 1000,
      consecutiveErrors: 5,
      interval: Duration.seconds(10),
      ejectionTime: Duration.millis(90_500),
      maxEjectedPercent: 50,
    });
    const manifests = expose({ backend: httpbin(), circuitBreaker });
    expect(find(manifests, 'BackendTrafficPolicy').spec).toEqual({
      targetRefs: [HTTP_ROUTE],
      circuitBreaker: { maxConnections: 100, maxPendingRequests: 50, maxParallelRequests: 1000 },
      healthCheck: { passive: { consecutive5XxErrors: 5, interval: '10s', baseEjectionTime: '1m30s500ms', maxEjectionPercent: 50 } },
    });
    // With a rule's own rate limit, each rule's policy carries the exposure's circuit breaker.
    const perRule = expose({
      circuitBreaker: CircuitBreaker.of({ maxConnections: 10 }),
      routes: [
        { match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080), rateLimit: RateLimit.perSecond(5, { burst: 5 }) },
        { match: { path: PathMatch.prefix('/') }, backend: httpbin() },
      ],
    });
    expect(ofKind(perRule, 'BackendTrafficPolicy').map((p) => [p.spec.targetRefs[0].sectionName, p.spec.circuitBreaker, p.spec.rateLimit !== undefined])).toEqual([
      ['routes-0', { maxConnections: 10 }, true],
      ['routes-1', { maxConnections: 10 }, false],
    ]);
    expect(find(expose({ backend: httpbin(), circuitBreaker: CircuitBreaker.of({ consecutiveErrors: 3 }) }), 'BackendTrafficPolicy').spec).toEqual({
      targetRefs: [HTTP_ROUTE], healthCheck: { passive: { consecutive5XxErrors: 3 } },
    });
  });

  test('a circuit breaker only where each Service is the one backend of one rule (Envoy Gateway counts per rule)', () => {
    const prefix = 'ExposedService test/public: circuitBreaker: Envoy Gateway applies a circuit breaker to each route rule\'s backends together (one Envoy cluster per rule): ';
    const circuitBreaker = CircuitBreaker.of({ maxConnections: 10 });
    expect(exposeError({ circuitBreaker, backend: httpbin(), routes: [{ match: { path: PathMatch.prefix('/api') } }, { match: { path: PathMatch.prefix('/') } }] })).toBe(
      `${prefix}Service "httpbin" is reached by 2 rules (routes[0], routes[1]), each of which would have limits of its own; route it from one rule`);
    expect(exposeError({
      circuitBreaker,
      routes: [{ match: { path: PathMatch.prefix('/') }, backends: [{ backend: Backend.fromName('v1', 80), weight: 90 }, { backend: Backend.fromName('v2', 80), weight: 10 }] }],
    })).toBe(`${prefix}routes[0] splits between 2 Services (v1, v2), which would share its limits; declare it on exposures of one backend each`);
    expect(exposeError({ circuitBreaker, backend: httpbin(), routes: [{ mirror: { backend: Backend.fromName('shadow', 80) } }] })).toBe(
      `${prefix}the exposure calls a mirror, whose Envoy cluster the BackendTrafficPolicy does not configure; remove it, or use istio`);
    expect(exposeError({ circuitBreaker, backend: httpbin(), auth: Auth.external({ service: Backend.fromName('authz', 8080) }) })).toBe(
      `${prefix}the exposure calls the external auth service, whose Envoy cluster the BackendTrafficPolicy does not configure; remove it, or use istio`);
  });

  test('affinity as the BackendTrafficPolicy\'s consistent hash: a cookie Envoy generates, a header, the client address', () => {
    const affinity = (a: SessionAffinity, options: GatewayApiStrategyOptions = EG) => ofKind(expose({ backend: httpbin(), affinity: a }, options), 'BackendTrafficPolicy')
      .map((p) => p.spec.loadBalancer);
    expect(affinity(SessionAffinity.cookie({ name: 'route' }))).toEqual([{ type: 'ConsistentHash', consistentHash: { type: 'Cookie', cookie: { name: 'route', ttl: '0s' } } }]);
    expect(affinity(SessionAffinity.cookie({ name: 'route', ttl: Duration.hours(8), path: '/shop' }))).toEqual([{
      type: 'ConsistentHash', consistentHash: { type: 'Cookie', cookie: { name: 'route', ttl: '8h', attributes: { Path: '/shop' } } },
    }]);
    expect(affinity(SessionAffinity.header('X-User'))).toEqual([{ type: 'ConsistentHash', consistentHash: { type: 'Header', header: { name: 'x-user' } } }]);
    expect(affinity(SessionAffinity.clientIp())).toEqual([{ type: 'ConsistentHash', consistentHash: { type: 'SourceIP' } }]);
    // The experimental channel keeps a cookie as the rule's sessionPersistence; the others are the policy's there too.
    const experimental = expose({ backend: httpbin(), affinity: SessionAffinity.cookie({ name: 'route' }) }, { ...EG, experimental: true });
    expect([find(experimental, 'HTTPRoute').spec.rules[0].sessionPersistence.sessionName, ofKind(experimental, 'BackendTrafficPolicy')]).toEqual(['route', []]);
    expect(affinity(SessionAffinity.clientIp(), { ...EG, experimental: true })).toEqual([{ type: 'ConsistentHash', consistentHash: { type: 'SourceIP' } }]);
    expect(find(expose({ backend: httpbin(), affinity: SessionAffinity.clientIp() }), 'HTTPRoute').spec.rules[0].sessionPersistence).toBeUndefined();
  });

  test('the escape hatches hold the policies', () => {
    const chart = testChart('test', 'shop');
    const e = new ExposedService(chart, 'public', { strategy: ExposureStrategy.gatewayApi(EG), backend: httpbin(), rateLimit: RateLimit.perSecond(1, { burst: 1 }), auth: Auth.basic({ secret: 'admins' }) });
    const resources = e.resources as any;
    expect(resources.implementation.backendTrafficPolicies.map((p: any) => p.name)).toEqual(['test-public']);
    expect(resources.implementation.securityPolicies.map((p: any) => p.name)).toEqual(['test-public']);
  });

  test('JWT keys come from jwksUri: the other engines\' key options (Kong\'s public key, the NGINX engine\'s JWKS) leave the policy unchanged', () => {
    const jwt = { issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys' };
    const alone = expose({ backend: httpbin(), auth: Auth.jwt(jwt) });
    expect(expose({ backend: httpbin(), auth: Auth.jwt({ ...jwt, publicKeySecret: 'id-key', jwksSecret: 'id-jwks' }) })).toEqual(alone);
    expect(expose({ backend: httpbin(), auth: Auth.jwt({ ...jwt, jwksConfigMap: 'id-jwks' }) })).toEqual(alone);
    expect(find(alone, 'SecurityPolicy').spec.jwt.providers[0].remoteJWKS.uri).toBe('https://id.example.com/keys');
  });

  test('refuses what Envoy Gateway cannot express, with the usual errors', () => {
    // The bucket holds the whole rate: a burst of the rate, no other (nor none).
    expect(exposeError({ backend: httpbin(), rateLimit: RateLimit.perSecond(10, { burst: 20 }) })).toBe(
      'ExposedService test/public: rateLimit.burst: Envoy Gateway\'s local rate limit admits the whole rate at once each second; set burst to 10');
    expect(exposeError({ backend: httpbin(), routes: [{ match: { path: PathMatch.prefix('/api') }, rateLimit: RateLimit.perMinute(600) }] })).toBe(
      'ExposedService test/public: routes[0].rateLimit.burst: Envoy Gateway\'s local rate limit admits the whole rate at once each minute; set burst to 600');
    expect(exposeError({ backend: httpbin(), auth: Auth.basic({ secret: 'admins', realm: 'Shop' }) })).toBe(
      'ExposedService test/public: auth.realm: Envoy Gateway\'s basicAuth announces no realm of the exposure\'s choosing; remove realm');
    expect(exposeError({ backend: httpbin(), auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys', audiences: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] }) })).toBe(
      'ExposedService test/public: auth.audiences: Envoy Gateway takes at most 8 audiences per JWT provider');
    expect(exposeError({
      routes: [{ match: { path: PathMatch.prefix('/shop.Cart/') }, backends: [{ backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }) }], maxRequestBody: Size.mebibytes(1) }],
    })).toBe('ExposedService test/public: routes[0].maxRequestBody: Envoy Gateway limits the body by buffering the whole request, which stalls gRPC streams; remove it from the gRPC route');
    expect(exposeError({
      backend: httpbin(), auth: Auth.external({ service: Backend.fromName('authz', 8080), responseHeaders: ['x-user'], signinUrl: 'https://sso.example.com/start' }),
    })).toBe('ExposedService test/public: auth.signinUrl: Envoy Gateway\'s extAuth has no sign-in redirect: the auth service\'s own refusal (a 302 to sign in) reaches the client; '
      + 'remove signinUrl, or use ingress (ingressNginx) or apiGateway');
    const otherNamespace = { strategy: ExposureStrategy.gatewayApi(EG), backend: httpbin(), routes: [{ auth: Auth.external({ service: Backend.fromName('authz', 8080, { namespace: 'auth' }) }) }] };
    expect(declarationError(otherNamespace, 'shop').message).toBe(
      'ExposedService test/public: routes[0].auth.service: Envoy Gateway\'s extAuth reaches a Service of namespace "auth" only with a ReferenceGrant from SecurityPolicy, '
      + 'which is not rendered; run the auth service in the exposure\'s namespace, or use gatewayApi({ experimental: true })');
    expect(exposeError({ backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }), auth: Auth.external({ service: Backend.fromName('authz', 8080) }) })).toBe(
      'ExposedService test/public: auth: GRPCRoute has no ExternalAuth filter; remove it from the gRPC route, or use istio');
    expect(exposeError({ backend: httpbin(), auth: Auth.apiKey({ secret: 'keys' }) }, { gatewayClassName: 'eg' })).toBe(
      'ExposedService test/public: auth: \'auth-api-key\' is not supported by gatewayApi; supported by: gatewayApi (envoyGateway), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)');
  });

  test('the standard API names the implementations that can (the least refined of them: Envoy Gateway\'s row refines Traefik\'s)', () => {
    expect(exposeError({ backend: httpbin(), rateLimit: RateLimit.perSecond(10) }, { gatewayClassName: 'eg' })).toBe(
      'ExposedService test/public: rateLimit: \'rate-limit\' is not supported by gatewayApi; supported by: ingress (ingressNginx), gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)');
    expect(exposeError({ backend: httpbin(), auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys' }) }, { gatewayClassName: 'eg' })).toBe(
      'ExposedService test/public: auth: \'auth-jwt\' is not supported by gatewayApi; supported by: istio, gatewayApi (envoyGateway), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)');
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
    // A rate limit moves too: ingress-nginx's multiplier 1 is a burst of the rate, which is Envoy Gateway's bucket.
    const nginxRateLimit = RateLimit.perSecond(20, { burst: 20 });
    const annotations = (() => {
      const chart = testChart('nginx', 'shop');
      new ExposedService(chart, 'shop', { ...declaration(nginxRateLimit), strategy: ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }) });
      return find(synthChecked(chart), 'Ingress').metadata.annotations ?? {};
    })();
    expect([annotations['nginx.ingress.kubernetes.io/limit-rps'], annotations['nginx.ingress.kubernetes.io/limit-burst-multiplier']]).toEqual(['20', '1']);
    const limited = testChart('limited', 'shop');
    new ExposedService(limited, 'shop', { ...declaration(nginxRateLimit), strategy: ExposureStrategy.gatewayApi(EG) });
    expect(find(synthChecked(limited), 'BackendTrafficPolicy').spec.rateLimit).toEqual(perClient(20, 'Second'));
    // A larger multiplier has no equal: the error names the field and the burst that moves.
    expect(declarationError({ ...declaration(RateLimit.perSecond(20, { burst: 40 })), strategy: ExposureStrategy.gatewayApi(EG) }).message).toBe(
      'ExposedService test/public: rateLimit.burst: Envoy Gateway\'s local rate limit admits the whole rate at once each second; set burst to 20');
  });
});
