import { Size } from 'cdk8s';
import {
  AccessPolicy, Auth, Backend, ExposedService, ExposedServiceProps, ExposureStrategy, GatewayImplementation, HeaderMatch, PathMatch, RateLimit,
  SessionAffinity, TcpPort,
} from '../../src';
import { GatewayApiStrategyOptions } from '../../src/strategies/gateway-api/gateway-api';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

const httpbin = () => Backend.fromName('httpbin', 8000);
const ISTIO: GatewayApiStrategyOptions = { gatewayClassName: 'istio', implementation: GatewayImplementation.istio({ externalAuthProvider: 'oauth2-proxy' }) };
const EXISTING: GatewayApiStrategyOptions = {
  gateway: { name: 'public', namespace: 'infra' }, implementation: GatewayImplementation.istio({ externalAuthProvider: 'oauth2-proxy' }),
};
const CREATED_GATEWAY = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'test-public' }];
const EXISTING_GATEWAY = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }];
const jwt = (issuer = 'https://id.example.com') => Auth.jwt({ issuer, jwksUri: `${issuer}/keys`, audiences: ['shop'] });
const oauth2 = () => Auth.external({ service: Backend.fromName('oauth2-proxy', 4180), forwardHeaders: ['cookie'], responseHeaders: ['x-auth-request-user'] });

function expose(props: Partial<ExposedServiceProps>, options: GatewayApiStrategyOptions = ISTIO): Manifest[] {
  const chart = testChart('test', 'shop');
  new ExposedService(chart, 'public', { strategy: ExposureStrategy.gatewayApi(options), ...props });
  return synthChecked(chart);
}

function exposeError(props: Partial<ExposedServiceProps>, options: GatewayApiStrategyOptions = ISTIO): string {
  return declarationError({ strategy: ExposureStrategy.gatewayApi(options), ...props }).message;
}

describe('gatewayApi on Istio', () => {
  test('JWT keys come from jwksUri: the other engines\' key options (Kong\'s public key, the NGINX engine\'s JWKS) leave the policies unchanged', () => {
    const declared = { issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys' };
    const alone = expose({ hosts: ['a.example.com'], backend: httpbin(), auth: Auth.jwt(declared) });
    expect(expose({ hosts: ['a.example.com'], backend: httpbin(), auth: Auth.jwt({ ...declared, publicKeySecret: 'id-key', jwksSecret: 'id-jwks' }) })).toEqual(alone);
    expect(find(alone, 'RequestAuthentication').spec.jwtRules).toEqual([{ issuer: 'https://id.example.com', jwks_uri: 'https://id.example.com/keys' }]);
  });

  test('the strategy is named after the implementation, and without policies the output is the standard one', () => {
    expect(ExposureStrategy.gatewayApi(ISTIO).name).toBe('gatewayApi (istio)');
    expect(ExposureStrategy.gatewayApi({ ...ISTIO, experimental: true }).name).toBe('gatewayApi (istio, experimental)');
    const standard = expose({ hosts: ['shop.example.com'], backend: httpbin() }, { gatewayClassName: 'istio' });
    expect(expose({ hosts: ['shop.example.com'], backend: httpbin() })).toEqual(standard);
  });

  test('JWT for the exposure: a RequestAuthentication and a DENY AuthorizationPolicy targeting the created Gateway, in its namespace', () => {
    const manifests = expose({ hosts: ['shop.example.com'], backend: httpbin(), auth: jwt() });
    expect(find(manifests, 'Gateway').metadata.namespace).toBe('shop');
    expect(ofKind(manifests, 'RequestAuthentication')).toEqual([{
      apiVersion: 'security.istio.io/v1',
      kind: 'RequestAuthentication',
      metadata: { name: 'test-public-jwt', namespace: 'shop' },
      spec: { targetRefs: CREATED_GATEWAY, jwtRules: [{ issuer: 'https://id.example.com', jwks_uri: 'https://id.example.com/keys', audiences: ['shop'] }] },
    }]);
    expect(ofKind(manifests, 'AuthorizationPolicy')).toEqual([{
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'test-public-require-jwt', namespace: 'shop' },
      spec: {
        targetRefs: CREATED_GATEWAY,
        action: 'DENY',
        rules: [{ from: [{ source: { notRequestPrincipals: ['https://id.example.com/*'] } }], to: [{ operation: { hosts: ['shop.example.com'] } }] }],
      },
    }]);
    // The HTTPRoute is the standard one.
    expect(find(manifests, 'HTTPRoute').spec.rules[0].filters).toBeUndefined();
  });

  test('on a created Gateway without hosts, a policy of every route covers every request (the Gateway is the exposure\'s alone)', () => {
    const manifests = expose({ backend: httpbin(), auth: jwt(), access: AccessPolicy.denyFrom(['203.0.113.0/24']) });
    expect(find(manifests, 'AuthorizationPolicy', 'test-public-require-jwt').spec.rules).toEqual([{ from: [{ source: { notRequestPrincipals: ['https://id.example.com/*'] } }] }]);
    expect(find(manifests, 'AuthorizationPolicy', 'test-public-ip-access').spec.rules).toEqual([{ from: [{ source: { remoteIpBlocks: ['203.0.113.0/24'] } }] }]);
  });

  test('JWT of one route: scoped to its paths element-wise (as PathPrefix matches) and method, less what more specific routes take first', () => {
    const manifests = expose({
      hosts: ['shop.example.com'],
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/api') }, auth: jwt() },
        { match: { path: PathMatch.exact('/api/health') } },
        { match: { path: PathMatch.prefix('/api/admin'), method: 'POST' } },
        {},
      ],
    });
    expect(find(manifests, 'AuthorizationPolicy').spec.rules).toEqual([{
      from: [{ source: { notRequestPrincipals: ['https://id.example.com/*'] } }],
      to: [
        { operation: { hosts: ['shop.example.com'], paths: ['/api', '/api/*'], notPaths: ['/api/health', '/api/admin', '/api/admin/*'], methods: ['POST'] } },
        { operation: { hosts: ['shop.example.com'], paths: ['/api', '/api/*'], notPaths: ['/api/health'], notMethods: ['POST'] } },
      ],
    }]);
  });

  test('client IP lists: a DENY AuthorizationPolicy on the client\'s address (remoteIpBlocks), per route', () => {
    const manifests = expose({
      hosts: ['shop.example.com'],
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/admin') }, access: AccessPolicy.allowFrom(['10.0.0.0/8'], { except: ['10.66.0.0/16'] }) },
        {},
      ],
    });
    expect(ofKind(manifests, 'AuthorizationPolicy')).toEqual([{
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'test-public-ip-access', namespace: 'shop' },
      spec: {
        targetRefs: CREATED_GATEWAY,
        action: 'DENY',
        rules: [{
          from: [{ source: { notRemoteIpBlocks: ['10.0.0.0/8'] } }, { source: { remoteIpBlocks: ['10.66.0.0/16'] } }],
          to: [{ operation: { hosts: ['shop.example.com'], paths: ['/admin', '/admin/*'] } }],
        }],
      },
    }]);
    expect(ofKind(manifests, 'RequestAuthentication')).toEqual([]);
  });

  test('external authentication: a CUSTOM AuthorizationPolicy naming the mesh\'s provider, on both channels, and no ExternalAuth filter', () => {
    for (const experimental of [false, true]) {
      const manifests = expose({ hosts: ['shop.example.com'], backend: httpbin(), auth: oauth2() }, { ...ISTIO, experimental });
      expect(find(manifests, 'AuthorizationPolicy').spec).toEqual({
        targetRefs: CREATED_GATEWAY,
        action: 'CUSTOM',
        provider: { name: 'oauth2-proxy' },
        rules: [{ to: [{ operation: { hosts: ['shop.example.com'] } }] }],
      });
      expect(find(manifests, 'HTTPRoute').spec.rules[0].filters).toBeUndefined();
    }
  });

  test('a policy of every route covers the gRPC routes too (by host): JWT and external authentication beside a GRPCRoute', () => {
    const grpc = { match: { path: PathMatch.prefix('/shop.Cart') }, backends: [{ backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }) }] };
    for (const auth of [jwt(), oauth2()]) {
      const manifests = expose({ hosts: ['shop.example.com'], backend: httpbin(), auth, routes: [grpc, {}] });
      expect(ofKind(manifests, 'GRPCRoute')).toHaveLength(1);
      expect(find(manifests, 'GRPCRoute').spec.rules[0].filters).toBeUndefined();
      expect(find(manifests, 'AuthorizationPolicy').spec.rules.map((r: any) => r.to)).toEqual([[{ operation: { hosts: ['shop.example.com'] } }]]);
    }
  });

  test('on an existing Gateway, the policies are written in its namespace, targeting it by name', () => {
    const manifests = expose({
      hosts: ['shop.example.com'], backend: httpbin(), auth: jwt(), access: AccessPolicy.allowFrom(['10.0.0.0/8']),
    }, EXISTING);
    expect(ofKind(manifests, 'Gateway')).toEqual([]);
    expect(find(manifests, 'HTTPRoute').metadata.namespace).toBe('shop');
    const policies = [...ofKind(manifests, 'RequestAuthentication'), ...ofKind(manifests, 'AuthorizationPolicy')];
    expect(policies.map((p) => [p.kind, p.metadata.name, p.metadata.namespace, p.spec.targetRefs])).toEqual([
      ['RequestAuthentication', 'test-public-jwt', 'infra', EXISTING_GATEWAY],
      ['AuthorizationPolicy', 'test-public-require-jwt', 'infra', EXISTING_GATEWAY],
      ['AuthorizationPolicy', 'test-public-ip-access', 'infra', EXISTING_GATEWAY],
    ]);
  });

  test('cookie affinity: Istio does not implement the experimental rule\'s sessionPersistence, so it is refused', () => {
    expect(exposeError({ hosts: ['shop.example.com'], backend: httpbin(), affinity: SessionAffinity.cookie({ name: 'sid' }) }, { ...ISTIO, experimental: true })).toBe(
      'ExposedService test/public: affinity: \'affinity-cookie\' is not supported by gatewayApi (istio, experimental); '
      + 'supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), apiGateway (kong)');
  });

  test('retries: the rule\'s retry on the experimental channel; Istio has no retry policy for the standard one', () => {
    const retries = { attempts: 2 };
    const manifests = expose({ hosts: ['shop.example.com'], backend: httpbin(), retries }, { ...ISTIO, experimental: true });
    expect(find(manifests, 'HTTPRoute').spec.rules[0].retry).toBeDefined();
    expect(exposeError({ hosts: ['shop.example.com'], backend: httpbin(), retries })).toBe(
      'ExposedService test/public: retries: \'retries\' is not supported by gatewayApi (istio); supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), gatewayApi (traefik), apiGateway (nginx), apiGateway (kong)');
  });

  test.each<[string, Partial<ExposedServiceProps>, GatewayApiStrategyOptions, string[]]>([
    ['external auth without a provider', { hosts: ['a.example.com'], backend: httpbin(), auth: oauth2() },
      { gatewayClassName: 'istio', implementation: GatewayImplementation.istio() },
      ['auth: Istio asks an auth service through an extension provider of the mesh (meshConfig.extensionProviders, envoyExtAuthzHttp); '
        + 'name it with GatewayImplementation.istio({ externalAuthProvider })']],
    ['JWT on an existing Gateway without hosts', { backend: httpbin(), auth: jwt() }, EXISTING,
      ['auth: Istio enforces JWT on the whole existing Gateway infra/public, scoped by host: without hosts the policy would cover every host it serves; set hosts']],
    ['client IP lists on an existing Gateway without hosts', { backend: httpbin(), access: AccessPolicy.denyFrom(['203.0.113.0/24']) }, EXISTING,
      ['access: Istio enforces client IP lists on the whole existing Gateway infra/public, scoped by host: without hosts the policy would cover every host it serves; set hosts']],
    ['external auth on an existing Gateway without hosts', { backend: httpbin(), auth: oauth2() }, EXISTING,
      ['auth: Istio enforces external authentication on the whole existing Gateway infra/public, scoped by host: '
        + 'without hosts the policy would cover every host it serves; set hosts']],
    ['policies beside streams', { hosts: ['a.example.com'], backend: httpbin(), access: AccessPolicy.denyFrom(['203.0.113.0/24']), tcp: [TcpPort.of(5432, Backend.fromName('db', 5432))] }, ISTIO,
      ['access: Istio applies client IP lists to every connection of the Gateway, and on its TCP connections an AuthorizationPolicy cannot be scoped by host: '
        + 'it would apply to the streams too; declare the streams in an exposure of their own']],
    ['a JWT route beside gRPC routes', {
      hosts: ['a.example.com'],
      backend: httpbin(),
      routes: [{ match: { path: PathMatch.prefix('/api') }, auth: jwt() }, { match: { path: PathMatch.prefix('/shop.Cart') }, backends: [{ backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }) }] }],
    }, ISTIO, ['routes[0].auth: Istio scopes JWT of some routes by the paths the HTTPRoute gives them, and cannot tell the GRPCRoute\'s requests apart by those: '
      + 'declare it for the exposure (every route), or the gRPC routes in an exposure of their own']],
    ['a JWT route with a regex path', { hosts: ['a.example.com'], backend: httpbin(), routes: [{ match: { path: PathMatch.regex('/v[0-9]+') }, auth: jwt() }, {}] }, ISTIO,
      ['routes[0].auth: AuthorizationPolicy paths are exact or prefix: a JWT route cannot have a regex path; use the service-level auth or a prefix']],
    ['a client IP list of a route with a header match', {
      hosts: ['a.example.com'], backend: httpbin(), routes: [{ match: { headers: [HeaderMatch.exact('x-tenant', 'a')] }, access: AccessPolicy.denyFrom(['203.0.113.0/24']) }, {}],
    }, ISTIO, ['routes[0].access: AuthorizationPolicy cannot scope a client IP list to header or query matches; declare the list for the exposure, or drop those matches']],
    ['two different auth services', {
      hosts: ['a.example.com'],
      backend: httpbin(),
      auth: oauth2(),
      routes: [{ match: { path: PathMatch.prefix('/admin') }, auth: Auth.external({ service: Backend.fromName('authz', 8080) }) }, {}],
    }, ISTIO, ['auth: declares another auth service or settings than routes[0].auth; the exposure\'s one extension provider checks every request: '
      + 'declare the same Auth.external, or use ingress (ingressNginx), gatewayApi (experimental) or apiGateway']],
    ['a sign-in URL', { hosts: ['a.example.com'], backend: httpbin(), auth: Auth.external({ service: Backend.fromName('authz', 8080), signinUrl: 'https://sso.example.com/' }) },
      ISTIO, ['auth.signinUrl: Istio\'s ext_authz has no sign-in redirect: the auth service\'s own refusal (a 302 to sign in) reaches the client; '
        + 'remove signinUrl, or use ingress (ingressNginx) or apiGateway']],
  ])('refused: %s', (_name, props, options, messages) => {
    expect(exposeError(props, options)).toBe(messages.map((m) => `ExposedService test/public: ${m}`).join('\n'));
  });

  // Every implementation that can is named, and the API gateway engines.
  const THOSE_THAT_CAN = 'ingress (ingressNginx), gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), '
    + 'apiGateway (nginx), apiGateway (kong)';
  test.each<[string, Partial<ExposedServiceProps>, string]>([
    ['rate limits', { rateLimit: RateLimit.perSecond(10) },
      `rateLimit: 'rate-limit' is not supported by gatewayApi (istio); supported by: ${THOSE_THAT_CAN}`],
    ['the body size', { maxRequestBody: Size.mebibytes(8) },
      `maxRequestBody: 'max-request-body' is not supported by gatewayApi (istio); supported by: ${THOSE_THAT_CAN}`],
    ['basic auth', { auth: Auth.basic({ secret: 'admins' }) },
      `auth: 'auth-basic' is not supported by gatewayApi (istio); supported by: ${THOSE_THAT_CAN}`],
    ['API keys', { auth: Auth.apiKey({ secret: 'keys' }) },
      'auth: \'auth-api-key\' is not supported by gatewayApi (istio); supported by: gatewayApi (envoyGateway), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)'],
  ])('refused, naming the strategies and implementations that can: %s', (_name, props, message) => {
    expect(exposeError({ hosts: ['a.example.com'], backend: httpbin(), ...props })).toBe(`ExposedService test/public: ${message}`);
  });

  test('the implementation\'s options are checked at runtime', () => {
    const bad = (options: unknown) => exposeError({ hosts: ['a.example.com'], backend: httpbin() },
      { gatewayClassName: 'istio', implementation: GatewayImplementation.istio(options as never) });
    expect(bad({ externalAuthProvider: 5 })).toBe('ExposedService test/public: strategy: implementation.externalAuthProvider is a number (5); use a string');
    expect(bad('oauth2')).toBe('ExposedService test/public: strategy: implementation is a string ("oauth2"); use an object');
    expect(bad({ externalAuthProvider: 'oauth2 proxy' })).toBe('ExposedService test/public: strategy: implementation.externalAuthProvider "oauth2 proxy" is not the name '
      + 'of an extension provider; use the name of its meshConfig.extensionProviders entry');
  });
});
