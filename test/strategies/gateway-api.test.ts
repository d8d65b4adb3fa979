import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AccessPolicy, Auth, Backend, ExposedService, ExposedServiceProps, ExposureStrategy, HeaderMatch, IngressController, PathMatch, QueryParamMatch,
  RateLimit, TcpPort, Tls, TlsPassthrough,
} from '../../src';
import { GatewayApiStrategyOptions } from '../../src/strategies/gateway-api/gateway-api';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

const httpbin = () => Backend.fromName('httpbin', 8000);
const CLASS = { gatewayClassName: 'eg' };

function expose(props: Partial<ExposedServiceProps>, options: GatewayApiStrategyOptions = CLASS, namespace = 'shop'): Manifest[] {
  const chart = testChart('test', namespace);
  new ExposedService(chart, 'public', { strategy: ExposureStrategy.gatewayApi(options), ...props });
  return synthChecked(chart);
}

function exposeError(props: Partial<ExposedServiceProps>, options: GatewayApiStrategyOptions = CLASS): string {
  return declarationError({ strategy: ExposureStrategy.gatewayApi(options), ...props }).message;
}

const rulesOf = (manifests: Manifest[]) => find(manifests, 'HTTPRoute', 'test-public').spec.rules;

describe('gatewayApi strategy', () => {
  test('a Gateway with an HTTP listener per host, and an HTTPRoute attached to them', () => {
    const manifests = expose({ hosts: ['httpbin.example.com', '*.example.org'], backend: httpbin(), routes: [{ match: { path: PathMatch.prefix('/status') } }] });
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind}`)).toEqual(['gateway.networking.k8s.io/v1 Gateway', 'gateway.networking.k8s.io/v1 HTTPRoute']);
    const gateway = find(manifests, 'Gateway');
    expect(gateway.metadata).toEqual({ name: 'test-public', namespace: 'shop' });
    expect(gateway.spec).toEqual({
      gatewayClassName: 'eg',
      listeners: [
        { name: 'http-0', protocol: 'HTTP', port: 80, hostname: 'httpbin.example.com', allowedRoutes: { namespaces: { from: 'Same' } } },
        { name: 'http-1', protocol: 'HTTP', port: 80, hostname: '*.example.org', allowedRoutes: { namespaces: { from: 'Same' } } },
      ],
    });
    expect(find(manifests, 'HTTPRoute').spec).toEqual({
      parentRefs: [
        { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'test-public', sectionName: 'http-0' },
        { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'test-public', sectionName: 'http-1' },
      ],
      hostnames: ['httpbin.example.com', '*.example.org'],
      rules: [{
        name: 'routes-0',
        matches: [{ path: { type: 'PathPrefix', value: '/status' } }],
        backendRefs: [{ name: 'httpbin', port: 8000 }],
      }],
    });
    expect(manifests).toMatchSnapshot();
  });

  test('no hosts: one listener and a route for every host', () => {
    const manifests = expose({ backend: httpbin() });
    expect(find(manifests, 'Gateway').spec.listeners).toEqual([{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } }]);
    const route = find(manifests, 'HTTPRoute');
    expect(route.spec.hostnames).toBeUndefined();
    expect(route.spec.rules).toEqual([{ name: 'default', matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'httpbin', port: 8000 }] }]);
  });

  test('matches: Exact, PathPrefix, RegularExpression paths, headers, query parameters, method', () => {
    const rules = rulesOf(expose({
      hosts: ['a.example.com'],
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.exact('/healthz') } },
        {
          match: {
            path: PathMatch.regex('/users/[0-9]+'),
            headers: [HeaderMatch.exact('x-canary', 'true'), HeaderMatch.prefix('user-agent', 'Mozilla/5.0'), HeaderMatch.regex('x-tenant', 'a|b')],
            queryParams: [QueryParamMatch.exact('debug', '1'), QueryParamMatch.regex('v', '[0-9]+')],
            method: 'GET',
          },
        },
      ],
    }));
    expect(rules.map((r: any) => r.matches)).toEqual([
      [{ path: { type: 'Exact', value: '/healthz' } }],
      [{
        path: { type: 'RegularExpression', value: '/users/[0-9]+' },
        headers: [
          { name: 'user-agent', type: 'RegularExpression', value: 'Mozilla/5\\.0.*' },
          { name: 'x-canary', type: 'Exact', value: 'true' },
          { name: 'x-tenant', type: 'RegularExpression', value: 'a|b' },
        ],
        queryParams: [{ name: 'debug', type: 'Exact', value: '1' }, { name: 'v', type: 'RegularExpression', value: '[0-9]+' }],
        method: 'GET',
      }],
    ]);
  });

  test('weighted backends keep their relative weights', () => {
    const rules = rulesOf(expose({
      hosts: ['a.example.com'],
      routes: [{ backends: [{ backend: Backend.fromName('api-v1', 8080), weight: 9 }, { backend: Backend.fromName('api-v2', 8080), weight: 1 }] }],
    }));
    expect(rules[0].backendRefs).toEqual([{ name: 'api-v1', port: 8080, weight: 9 }, { name: 'api-v2', port: 8080, weight: 1 }]);
  });

  test('filters: header edits, rewrite, mirror with percent, CORS; and the request timeout', () => {
    const rules = rulesOf(expose({
      hosts: ['a.example.com'],
      backend: httpbin(),
      timeout: Duration.seconds(90),
      cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['X-Token'], maxAge: Duration.minutes(10), allowCredentials: true },
      routes: [
        {
          match: { path: PathMatch.prefix('/api') },
          rewrite: { path: '/', host: 'internal.example.com' },
          requestHeaders: { set: { 'X-Env': 'prod' }, add: { 'x-trace': 'on' }, remove: ['x-debug'] },
          responseHeaders: { remove: ['server'] },
          mirror: { backend: Backend.fromName('shadow', 8080), percentage: 10 },
          timeout: Duration.millis(1500),
        },
        { match: { path: PathMatch.exact('/ping') }, rewrite: { path: '/healthz' } },
      ],
    }));
    expect(rules[0]).toEqual({
      name: 'routes-0',
      matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
      backendRefs: [{ name: 'httpbin', port: 8000 }],
      filters: [
        { type: 'URLRewrite', urlRewrite: { hostname: 'internal.example.com', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
        { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-env', value: 'prod' }], add: [{ name: 'x-trace', value: 'on' }], remove: ['x-debug'] } },
        { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['server'] } },
        { type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 8080 }, percent: 10 } },
        {
          type: 'CORS',
          cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['x-token'], allowCredentials: true, maxAge: 600 },
        },
      ],
      timeouts: { request: '1s500ms' },
    });
    expect(rules[1].filters[0]).toEqual({ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/healthz' } } });
    expect(rules[1].timeouts).toEqual({ request: '1m30s' });
  });

  test('redirects are RequestRedirect rules without backends', () => {
    const rules = rulesOf(expose({
      hosts: ['old.example.com'],
      routes: [{ redirect: { scheme: 'https', host: 'new.example.com', port: 8443, path: '/home', statusCode: 308 } }],
    }));
    expect(rules).toEqual([{
      name: 'routes-0',
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      filters: [{
        type: 'RequestRedirect',
        requestRedirect: { scheme: 'https', hostname: 'new.example.com', port: 8443, path: { type: 'ReplaceFullPath', replaceFullPath: '/home' }, statusCode: 308 },
      }],
    }]);
  });

  test('TLS: HTTPS listeners with the certificate, the routes on them, and HTTP redirects to HTTPS', () => {
    const manifests = expose({ hosts: ['a.example.com'], backend: httpbin(), tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }) });
    const gateway = find(manifests, 'Gateway');
    expect(gateway.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(gateway.spec.listeners).toEqual([
      { name: 'http-0', protocol: 'HTTP', port: 80, hostname: 'a.example.com', allowedRoutes: { namespaces: { from: 'Same' } } },
      {
        name: 'https-0',
        protocol: 'HTTPS',
        port: 443,
        hostname: 'a.example.com',
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'test-public-tls' }] },
        allowedRoutes: { namespaces: { from: 'Same' } },
      },
    ]);
    expect(find(manifests, 'HTTPRoute', 'test-public').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'test-public', sectionName: 'https-0' }]);
    expect(find(manifests, 'HTTPRoute', 'test-public-https-redirect').spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'test-public', sectionName: 'http-0' }],
      hostnames: ['a.example.com'],
      rules: [{ name: 'https-redirect', filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
  });

  test('a TLS Secret in another namespace: certificateRef with namespace and a ReferenceGrant v1beta1', () => {
    const manifests = expose({ hosts: ['a.example.com'], backend: httpbin(), tls: Tls.fromSecret('wildcard-tls', { namespace: 'certs' }) });
    expect(find(manifests, 'Gateway').spec.listeners[1].tls.certificateRefs).toEqual([{ group: '', kind: 'Secret', name: 'wildcard-tls', namespace: 'certs' }]);
    const grant = find(manifests, 'ReferenceGrant');
    expect(grant.apiVersion).toBe('gateway.networking.k8s.io/v1beta1');
    expect(grant.metadata).toEqual({ name: 'test-public-tls', namespace: 'certs' });
    expect(grant.spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'shop' }],
      to: [{ group: '', kind: 'Secret', name: 'wildcard-tls' }],
    });
  });

  test('backends in another namespace: backendRefs with namespace and a ReferenceGrant there', () => {
    const manifests = expose({
      hosts: ['a.example.com'],
      routes: [
        { match: { path: PathMatch.prefix('/a') }, backend: Backend.fromName('users', 80, { namespace: 'team-a' }) },
        { match: { path: PathMatch.prefix('/b') }, backend: Backend.fromName('orders', 80, { namespace: 'team-a' }), mirror: { backend: Backend.fromName('shadow', 80, { namespace: 'qa' }) } },
      ],
    });
    expect(rulesOf(manifests).map((r: any) => r.backendRefs)).toEqual([[{ name: 'users', namespace: 'team-a', port: 80 }], [{ name: 'orders', namespace: 'team-a', port: 80 }]]);
    expect(ofKind(manifests, 'ReferenceGrant').map((g) => [g.metadata.namespace, g.spec])).toEqual([
      ['qa', { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service', name: 'shadow' }] }],
      ['team-a', {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }],
        to: [{ group: '', kind: 'Service', name: 'orders' }, { group: '', kind: 'Service', name: 'users' }],
      }],
    ]);
  });

  test('an existing Gateway: a parentRef with namespace and sectionName, and no Gateway', () => {
    const manifests = expose({ hosts: ['a.example.com'], backend: httpbin() }, { gateway: { name: 'shared', namespace: 'infra', sectionName: 'https' } });
    expect(ofKind(manifests, 'Gateway')).toEqual([]);
    expect(find(manifests, 'HTTPRoute').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', namespace: 'infra', sectionName: 'https' }]);
  });

  test('experimental channel: retries and the per-try timeout, checked against the experimental CRDs', () => {
    const rules = rulesOf(expose({
      hosts: ['a.example.com'],
      backend: httpbin(),
      timeout: Duration.seconds(10),
      retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: ['gateway-error', 'connect-failure'] },
    }, { ...CLASS, experimental: true }));
    expect(rules[0].retry).toEqual({ attempts: 3, codes: [502, 503, 504] });
    expect(rules[0].timeouts).toEqual({ request: '10s', backendRequest: '2s' });
  });

  test('experimental channel: external authentication as the ExternalAuth filter (HTTP), first of the rule\'s filters, a ReferenceGrant for an auth service elsewhere', () => {
    const manifests = expose({
      hosts: ['a.example.com'],
      backend: httpbin(),
      auth: Auth.external({
        service: Backend.fromName('oauth2-proxy', 4180, { namespace: 'auth' }),
        path: '/check',
        forwardHeaders: ['Cookie', 'authorization'],
        responseHeaders: ['x-auth-request-user'],
      }),
      routes: [
        { match: { path: PathMatch.prefix('/api') }, requestHeaders: { set: { 'x-env': 'prod' } } },
        { match: { path: PathMatch.prefix('/public') }, auth: Auth.external({ service: Backend.fromName('authz', 8080), responseHeaders: ['x-user'] }) },
      ],
    }, { ...CLASS, experimental: true });
    const rules = rulesOf(manifests);
    expect(rules[0].filters).toEqual([
      {
        type: 'ExternalAuth',
        externalAuth: {
          protocol: 'HTTP',
          backendRef: { name: 'oauth2-proxy', namespace: 'auth', port: 4180 },
          // Authorization is always sent: not listed.
          http: { path: '/check', allowedHeaders: ['cookie'], allowedResponseHeaders: ['x-auth-request-user'] },
        },
      },
      { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-env', value: 'prod' }] } },
    ]);
    expect(rules[1].filters).toEqual([{
      type: 'ExternalAuth',
      externalAuth: { protocol: 'HTTP', backendRef: { name: 'authz', port: 8080 }, http: { allowedResponseHeaders: ['x-user'] } },
    }]);
    expect(ofKind(manifests, 'ReferenceGrant').map((g) => [g.metadata.namespace, g.spec])).toEqual([
      ['auth', { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service', name: 'oauth2-proxy' }] }],
    ]);
  });

  test.each([
    ['retries on the standard channel', { retries: { attempts: 2 } }, CLASS,
      "ExposedService test/public: retries: 'retries' is not supported by gatewayApi; supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), gatewayApi (traefik), apiGateway (nginx), apiGateway (kong)"],
    ['fault injection', { routes: [{ fault: { abort: { httpStatus: 503, percentage: 1 } } }] }, CLASS,
      "ExposedService test/public: routes[0].fault: 'fault' is not supported by gatewayApi; supported by: istio"],
    ['rate limits', { rateLimit: RateLimit.perSecond(10, { burst: 10 }) }, CLASS,
      "ExposedService test/public: rateLimit: 'rate-limit' is not supported by gatewayApi; supported by: ingress (ingressNginx), gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)"],
    ['JWT', { auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/k' }) }, CLASS,
      "ExposedService test/public: auth: 'auth-jwt' is not supported by gatewayApi; supported by: istio, gatewayApi (envoyGateway), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)"],
    ['external authentication on the standard channel', { auth: Auth.external({ service: Backend.fromName('authz', 8080), responseHeaders: ['x-user'] }) }, CLASS,
      "ExposedService test/public: auth: 'auth-external' is not supported by gatewayApi; supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), gatewayApi (istio), apiGateway (nginx)"],
    ['external authentication with a sign-in URL', {
      auth: Auth.external({ service: Backend.fromName('authz', 8080), responseHeaders: ['x-user'], signinUrl: 'https://sso.example.com/start' }),
    }, { ...CLASS, experimental: true },
    'ExposedService test/public: auth.signinUrl: Gateway API\'s ExternalAuth filter has no sign-in redirect: the auth service\'s own refusal (a 302 to sign in) reaches the client; '
      + 'remove signinUrl, or use ingress (ingressNginx) or apiGateway'],
    ['external authentication without response headers', { routes: [{ auth: Auth.external({ service: Backend.fromName('authz', 8080) }) }] }, { ...CLASS, experimental: true },
      'ExposedService test/public: routes[0].auth.responseHeaders: is empty, and Gateway API\'s ExternalAuth filter then copies every header of the auth service\'s answer '
      + 'to the backend; list the headers the backend needs'],
    ['external authentication on a gRPC route', {
      backend: Backend.fromName('catalog', 9090, { protocol: 'grpc' }),
      auth: Auth.external({ service: Backend.fromName('authz', 8080), responseHeaders: ['x-user'] }),
    }, { ...CLASS, experimental: true },
    'ExposedService test/public: auth: GRPCRoute has no ExternalAuth filter; remove it from the gRPC route, or use istio'],
    ['subsets', { backend: Backend.fromName('reviews', 9080, { subset: { name: 'v1', labels: { version: 'v1' } } }) }, CLASS,
      "ExposedService test/public: backend: 'subsets' is not supported by gatewayApi; supported by: istio"],
    ['neither class nor gateway', {}, {},
      'ExposedService test/public: strategy: set gatewayClassName (to create a Gateway) or gateway (to attach to an existing one)'],
    ['both class and gateway', {}, { gatewayClassName: 'eg', gateway: { name: 'gw', namespace: 'infra' } },
      'ExposedService test/public: strategy: set gatewayClassName or gateway, not both'],
    ['TLS on an existing gateway', { hosts: ['a.example.com'], tls: Tls.fromSecret('a-tls') }, { gateway: { name: 'gw', namespace: 'infra' } },
      'ExposedService test/public: tls: an existing Gateway terminates TLS on its own listeners; remove tls and attach to its HTTPS listener (gateway.sectionName)'],
    ['retries switched off', { retries: { attempts: 0 } }, { ...CLASS, experimental: true },
      'ExposedService test/public: retries.attempts: Gateway API cannot switch retries off (attempts is at least 1); leave retries unset'],
    ['a per-try timeout above the timeout', { timeout: Duration.seconds(1), retries: { attempts: 2, perTryTimeout: Duration.seconds(5) } }, { ...CLASS, experimental: true },
      'ExposedService test/public: retries.perTryTimeout: Gateway API requires the per-try timeout (backendRequest) to be at most the request timeout'],
    ['a fractional mirror percentage', { routes: [{ mirror: { backend: Backend.fromName('shadow', 80), percentage: 0.5 } }] }, CLASS,
      'ExposedService test/public: routes[0].mirror.percentage: Gateway API mirrors a whole percentage; 0.5 is not'],
  ] as [string, Partial<ExposedServiceProps>, GatewayApiStrategyOptions, string][])('%s is an error', (_name, props, options, message) => {
    expect(exposeError({ backend: httpbin(), ...props }, options)).toBe(message);
  });

  test('a cross-namespace backend needs the chart namespace for its ReferenceGrant', () => {
    expect(exposeError({ backend: Backend.fromName('users', 80, { namespace: 'team-a' }) }))
      .toBe('ExposedService test/public: backend: a reference into another namespace needs a ReferenceGrant naming this namespace: give the chart a namespace');
  });

  test('every problem the strategy cannot express is reported at once, the routes in declaration order', () => {
    const grpc = Backend.fromName('catalog', 9090, { protocol: 'grpc' });
    const error = declarationError({
      strategy: ExposureStrategy.gatewayApi({ gateway: { name: 'gw', namespace: 'infra' }, experimental: true }),
      hosts: ['a.example.com'],
      tls: Tls.fromSecret('a-tls'),
      backend: httpbin(),
      routes: [
        {
          match: { path: PathMatch.prefix('/a') },
          mirror: { backend: Backend.fromName('shadow', 80), percentage: 0.5 },
          timeout: Duration.seconds(1),
          retries: { attempts: 0, perTryTimeout: Duration.seconds(5) },
        },
        {
          match: { path: PathMatch.regex('/shop.*'), queryParams: [QueryParamMatch.exact('debug', '1')], method: 'POST' },
          backend: grpc,
          rewrite: { path: '/' },
          timeout: Duration.seconds(5),
          retries: { attempts: 2 },
          mirror: { backend: Backend.fromName('shadow', 80), percentage: 2.5 },
        },
        { match: { path: PathMatch.exact('/b') }, retries: { attempts: 0 } },
      ],
    });
    expect(error.message).toBe([
      'ExposedService test/public: tls: an existing Gateway terminates TLS on its own listeners; remove tls and attach to its HTTPS listener (gateway.sectionName)',
      'ExposedService test/public: routes[0].mirror.percentage: Gateway API mirrors a whole percentage; 0.5 is not',
      'ExposedService test/public: routes[0].retries.attempts: Gateway API cannot switch retries off (attempts is at least 1); leave retries unset',
      'ExposedService test/public: routes[0].retries.perTryTimeout: Gateway API requires the per-try timeout (backendRequest) to be at most the request timeout',
      'ExposedService test/public: routes[1].rewrite: GRPCRoute has no rewrite; remove it from the gRPC route, or use istio',
      'ExposedService test/public: routes[1].timeout: GRPCRoute has no timeouts; remove it from the gRPC route, or use istio',
      'ExposedService test/public: routes[1].retries: GRPCRoute has no retries; remove it from the gRPC route, or use istio',
      'ExposedService test/public: routes[1].match.queryParams: gRPC requests have no query parameters; match headers instead',
      'ExposedService test/public: routes[1].match.method: gRPC requests are all POST; match the gRPC method with the path /package.Service/Method',
      'ExposedService test/public: routes[1].mirror.percentage: Gateway API mirrors a whole percentage; 2.5 is not',
      'ExposedService test/public: routes[1].match.path: gRPC routes match /package.Service (PathMatch.prefix) or /package.Service/Method (PathMatch.exact); got regex "/shop.*"',
      'ExposedService test/public: routes[2].retries.attempts: Gateway API cannot switch retries off (attempts is at least 1); leave retries unset',
    ].join('\n'));
  });

  test('a policy of the whole exposure that a route kind cannot express is reported once', () => {
    const grpc = (name: string) => Backend.fromName(name, 9090, { protocol: 'grpc' });
    const error = declarationError({
      strategy: ExposureStrategy.gatewayApi(CLASS),
      timeout: Duration.seconds(5),
      cors: { allowOrigins: ['https://app.example.com'] },
      routes: [
        { match: { path: PathMatch.prefix('/shop.v1.Catalog') }, backend: grpc('catalog') },
        { match: { path: PathMatch.prefix('/shop.v1.Orders/Create') }, backend: grpc('orders') },
      ],
    });
    expect(error.message).toBe([
      'ExposedService test/public: cors: GRPCRoute has no cors; remove it from the gRPC route, or use istio',
      'ExposedService test/public: timeout: GRPCRoute has no timeouts; remove it from the gRPC route, or use istio',
      'ExposedService test/public: routes[1].match.path: gRPC routes match /package.Service (PathMatch.prefix) or /package.Service/Method (PathMatch.exact); a prefix with a method is an exact match',
    ].join('\n'));
  });

  test('without a chart namespace, every reference that needs a ReferenceGrant is reported', () => {
    const error = declarationError({
      strategy: ExposureStrategy.gatewayApi(CLASS),
      hosts: ['a.example.com'],
      tls: Tls.fromSecret('wildcard-tls', { namespace: 'certs' }),
      routes: [
        { match: { path: PathMatch.prefix('/a') }, backend: Backend.fromName('users', 80, { namespace: 'team-b' }) },
        { match: { path: PathMatch.prefix('/b') }, backend: Backend.fromName('orders', 80, { namespace: 'team-a' }), mirror: { backend: Backend.fromName('shadow', 80, { namespace: 'qa' }) } },
        { match: { path: PathMatch.prefix('/c') }, backend: Backend.fromName('carts', 80, { namespace: 'team-b' }) },
      ],
    });
    const message = 'a reference into another namespace needs a ReferenceGrant naming this namespace: give the chart a namespace';
    expect(error.message).toBe([
      `ExposedService test/public: tls: ${message}`,
      `ExposedService test/public: routes[0].backend: ${message}`,
      `ExposedService test/public: routes[1].backend: ${message}`,
      `ExposedService test/public: routes[1].mirror.backend: ${message}`,
    ].join('\n'));
  });
});

describe('gRPC routes', () => {
  const grpc = (name: string, port = 9090, namespace?: string) => Backend.fromName(name, port, { protocol: 'grpc', namespace });

  test('Gateway API: gRPC routes become a GRPCRoute matching services and methods; the rest an HTTPRoute', () => {
    const manifests = expose({
      hosts: ['api.example.com'],
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/shop.v1.Catalog') }, backend: grpc('catalog') },
        { match: { path: PathMatch.exact('/shop.v1.Orders/Create'), headers: [HeaderMatch.exact('x-tenant', 'acme')] }, backend: grpc('orders'), requestHeaders: { set: { 'x-env': 'prod' } } },
        { match: { path: PathMatch.prefix('/shop.v1.Reviews') }, backends: [{ backend: grpc('reviews-v1'), weight: 9 }, { backend: grpc('reviews-v2'), weight: 1 }] },
        { match: { path: PathMatch.prefix('/web') } },
      ],
    });
    expect(find(manifests, 'HTTPRoute').spec.rules.map((r: any) => r.name)).toEqual(['routes-3']);
    const route = find(manifests, 'GRPCRoute');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'test-public', sectionName: 'http-0' }],
      hostnames: ['api.example.com'],
      rules: [
        { name: 'routes-0', matches: [{ method: { type: 'Exact', service: 'shop.v1.Catalog' } }], backendRefs: [{ name: 'catalog', port: 9090 }] },
        {
          name: 'routes-1',
          matches: [{ method: { type: 'Exact', service: 'shop.v1.Orders', method: 'Create' }, headers: [{ name: 'x-tenant', type: 'Exact', value: 'acme' }] }],
          backendRefs: [{ name: 'orders', port: 9090 }],
          filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-env', value: 'prod' }] } }],
        },
        {
          name: 'routes-2',
          matches: [{ method: { type: 'Exact', service: 'shop.v1.Reviews' } }],
          backendRefs: [{ name: 'reviews-v1', port: 9090, weight: 9 }, { name: 'reviews-v2', port: 9090, weight: 1 }],
        },
      ],
    });
  });

  test('Gateway API: a gRPC-only exposure has no HTTPRoute; cross-namespace backends are granted to the GRPCRoute', () => {
    const manifests = expose({ hosts: ['api.example.com'], routes: [{ protocol: 'grpc', backend: Backend.fromName('catalog', 9090, { namespace: 'team-a' }) }] });
    expect(ofKind(manifests, 'HTTPRoute')).toEqual([]);
    expect(find(manifests, 'GRPCRoute').spec.rules).toEqual([{ name: 'routes-0', backendRefs: [{ name: 'catalog', namespace: 'team-a', port: 9090 }] }]);
    expect(find(manifests, 'ReferenceGrant').spec.from).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', namespace: 'shop' }]);
  });

  test('ingress-nginx: backend-protocol GRPC; Services: an h2c port; created Services: grpc- port names', () => {
    const ingress = find((() => {
      const chart = testChart('test', 'shop');
      new ExposedService(chart, 'public', {
        strategy: ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }),
        hosts: ['api.example.com'],
        backend: grpc('catalog'),
      });
      return synthChecked(chart);
    })(), 'Ingress');
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' });

    const chart = testChart('test', 'shop');
    const dep = new kplus.Deployment(chart, 'catalog', { containers: [{ image: 'ghcr.io/acme/catalog:2.0.0', portNumber: 9090 }] });
    new ExposedService(chart, 'edge', { strategy: ExposureStrategy.loadBalancer(), backend: Backend.fromDeployment(dep, { protocol: 'grpc' }) });
    new ExposedService(chart, 'mesh', { strategy: ExposureStrategy.istio(), hosts: ['catalog.example.com'], backend: Backend.fromDeployment(dep, { protocol: 'grpc' }) });
    const manifests = synthChecked(chart);
    expect(find(manifests, 'Service', 'test-edge').spec.ports).toEqual([{ name: 'grpc', appProtocol: 'kubernetes.io/h2c', protocol: 'TCP', port: 9090, targetPort: 9090 }]);
    expect(find(manifests, 'Service', dep.name).spec.ports).toEqual([{ name: 'grpc-9090', port: 9090, targetPort: 9090 }]);
  });

  test.each([
    ['a generic Ingress', () => ExposureStrategy.ingress({ className: 'istio' }), {},
      "ExposedService test/public: backend: 'grpc' is not supported by ingress; supported by: nodePort, loadBalancer, ingress (ingressNginx), istio, gatewayApi"],
    ['a regex path', () => ExposureStrategy.gatewayApi(CLASS), { routes: [{ match: { path: PathMatch.regex('/shop.*') } }] },
      'ExposedService test/public: routes[0].match.path: gRPC routes match /package.Service (PathMatch.prefix) or /package.Service/Method (PathMatch.exact); got regex "/shop.*"'],
    ['a timeout', () => ExposureStrategy.gatewayApi(CLASS), { timeout: Duration.seconds(5) },
      'ExposedService test/public: timeout: GRPCRoute has no timeouts; remove it from the gRPC route, or use istio'],
    ['a method match', () => ExposureStrategy.gatewayApi(CLASS), { routes: [{ match: { method: 'GET' } }] },
      'ExposedService test/public: routes[0].match.method: gRPC requests are all POST; match the gRPC method with the path /package.Service/Method'],
  ] as [string, () => ExposureStrategy, Partial<ExposedServiceProps>, string][])('gRPC on %s is an error', (_name, strategy, props, message) => {
    expect(() => new ExposedService(testChart(), 'public', { strategy: strategy(), backend: grpc('catalog'), ...props })).toThrow(message);
  });

  test.each([
    ['mixed protocols', { routes: [{ backends: [{ backend: Backend.fromName('a', 80) }, { backend: Backend.fromName('b', 9090, { protocol: 'grpc' }) }] }] },
      'ExposedService test/public: routes[0]: mixes gRPC and HTTP backends; a route speaks one protocol'],
    ['http declared to a gRPC backend', { routes: [{ protocol: 'http', backend: Backend.fromName('b', 9090, { protocol: 'grpc' }) }] },
      'ExposedService test/public: routes[0].protocol: is "http" but the backends speak gRPC; remove protocol or make them agree'],
    ['a gRPC redirect', { routes: [{ protocol: 'grpc', redirect: { scheme: 'https' } }] },
      'ExposedService test/public: routes[0].redirect: gRPC clients do not follow redirects; forward the route'],
    ['an unknown protocol', { backend: Backend.fromName('b', 80, { protocol: 'h3' as any }) },
      'ExposedService test/public: backend: protocol "h3" is not a protocol; use "http", "grpc" or "h2c"'],
  ] as [string, Partial<ExposedServiceProps>, string][])('%s is an error', (_name, props, message) => {
    expect(() => new ExposedService(testChart(), 'public', { strategy: ExposureStrategy.gatewayApi(CLASS), ...props })).toThrow(message);
  });
});

describe('gatewayApi strategy, client IP access lists', () => {
  // The standard API has no client address match; implementations' policies (Envoy Gateway's
  // SecurityPolicy, Traefik's ipAllowList) are not rendered by this strategy.
  test.each<[string, GatewayApiStrategyOptions]>([
    ['gatewayApi', CLASS],
    ['gatewayApi (experimental)', { ...CLASS, experimental: true }],
  ])('%s refuses both lists, naming the strategies that can', (name, options) => {
    expect(exposeError({
      hosts: ['shop.example.com'],
      backend: Backend.fromName('web', 80),
      routes: [{ match: { path: PathMatch.prefix('/admin') }, access: AccessPolicy.allowFrom(['10.0.0.0/8'], { except: ['10.66.0.0/16'] }) }, {}],
    }, options)).toBe([
      `ExposedService test/public: routes[0].access: 'ip-allow-list' is not supported by ${name}; `
        + 'supported by: loadBalancer, ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)',
      `ExposedService test/public: routes[0].access: 'ip-deny-list' is not supported by ${name}; `
        + 'supported by: ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)',
    ].join('\n'));
  });
});

describe('gatewayApi strategy, the status of the HTTPS redirect', () => {
  const TLS = { hosts: ['shop.example.com'], backend: httpbin(), tls: Tls.fromSecret('shop-tls') };
  const redirectOf = (manifests: Manifest[]) => find(manifests, 'HTTPRoute', 'test-public-https-redirect').spec.rules;

  test('301 unless declared (the output of before httpsRedirectCode)', () => {
    expect(redirectOf(expose(TLS))).toEqual([{ name: 'https-redirect', filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
  });

  // Both channels' CRDs (v1.6) list 301, 302, 303, 307 and 308 in the filter's statusCode enum.
  test.each([301, 302, 307, 308].flatMap((code) => [[code, false], [code, true]] as [number, boolean][]))(
    'httpsRedirectCode %d is the redirect filter\'s statusCode (experimental: %s)', (code, experimental) => {
      expect(redirectOf(expose({ ...TLS, httpsRedirectCode: code }, { ...CLASS, experimental }))).toEqual([
        { name: 'https-redirect', filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: code } }] },
      ]);
    });

  test('a status that is not one of the four, and a redirect without TLS, are errors', () => {
    expect(exposeError({ hosts: ['shop.example.com'], backend: httpbin(), httpsRedirectCode: 303, tls: Tls.fromSecret('shop-tls') })).toBe(
      'ExposedService test/public: httpsRedirectCode: 303 is not a redirect status for HTTPS; use one of 301, 302, 307, 308');
    expect(exposeError({ hosts: ['shop.example.com'], backend: httpbin(), httpsRedirectCode: 308 })).toBe(
      'ExposedService test/public: httpsRedirectCode: plain HTTP is redirected to HTTPS only with TLS; set tls, or remove httpsRedirectCode');
  });
});

describe('gatewayApi strategy, request body size limit', () => {
  // The standard API has no body limit; implementations' policies (Envoy Gateway's requestBuffer,
  // NGINX Gateway Fabric's ClientSettingsPolicy, Traefik's buffering) are not rendered by this strategy.
  test.each<[string, GatewayApiStrategyOptions]>([
    ['gatewayApi', CLASS],
    ['gatewayApi (experimental)', { ...CLASS, experimental: true }],
  ])('%s refuses it, naming the strategies that can', (name, options) => {
    expect(exposeError({
      hosts: ['shop.example.com'],
      backend: Backend.fromName('web', 80),
      routes: [{ match: { path: PathMatch.prefix('/upload') }, maxRequestBody: Size.mebibytes(64) }, {}],
    }, options)).toBe(`ExposedService test/public: routes[0].maxRequestBody: 'max-request-body' is not supported by ${name}; `
      + 'supported by: ingress (ingressNginx), gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)');
  });
});

describe('gatewayApi strategy, TLS passthrough and TCP', () => {
  const db = () => Backend.fromName('db', 5432);
  const pg = () => Backend.fromName('pg', 5432, { namespace: 'data' });

  test.each([['standard', CLASS], ['experimental', { ...CLASS, experimental: true }]] as const)(
    '%s channel: TLSRoute and TCPRoute v1 on listeners of their own, next to HTTPS routes', (_channel, options) => {
      const manifests = expose({
        hosts: ['shop.example.com'],
        backend: httpbin(),
        tls: Tls.fromSecret('shop-tls'),
        passthrough: [TlsPassthrough.host('db.example.com', db())],
        tcp: [TcpPort.of(5432, pg())],
      }, options);
      const listeners = find(manifests, 'Gateway').spec.listeners;
      expect(listeners.slice(2)).toEqual([
        {
          name: 'tls-0',
          protocol: 'TLS',
          port: 443,
          hostname: 'db.example.com',
          tls: { mode: 'Passthrough' },
          allowedRoutes: { namespaces: { from: 'Same' }, kinds: [{ group: 'gateway.networking.k8s.io', kind: 'TLSRoute' }] },
        },
        { name: 'tcp-5432', protocol: 'TCP', port: 5432, allowedRoutes: { namespaces: { from: 'Same' }, kinds: [{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute' }] } },
      ]);
      const tlsRoute = find(manifests, 'TLSRoute');
      expect(tlsRoute.apiVersion).toBe('gateway.networking.k8s.io/v1');
      expect(tlsRoute.spec).toEqual({
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'test-public', sectionName: 'tls-0' }],
        hostnames: ['db.example.com'],
        rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }],
      });
      const tcpRoute = find(manifests, 'TCPRoute');
      expect(tcpRoute.apiVersion).toBe('gateway.networking.k8s.io/v1');
      expect(tcpRoute.spec).toEqual({
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'test-public', sectionName: 'tcp-5432' }],
        rules: [{ backendRefs: [{ name: 'pg', namespace: 'data', port: 5432 }] }],
      });
      // The backend in another namespace is granted to the TCPRoute.
      expect(find(manifests, 'ReferenceGrant').spec.from).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute', namespace: 'shop' }]);
    });

  test('streams only: no HTTP listener nor HTTPRoute', () => {
    const manifests = expose({ passthrough: [TlsPassthrough.host('db.example.com', db(), { port: 8443 })] });
    expect(manifests.map((m) => m.kind)).toEqual(['Gateway', 'TLSRoute']);
    expect(find(manifests, 'Gateway').spec.listeners.map((l: any) => `${l.name} ${l.protocol} ${l.port}`)).toEqual(['tls-0 TLS 8443']);
  });

  test('an existing Gateway: the streams attach by port, the HTTP routes by sectionName', () => {
    const manifests = expose({ backend: httpbin(), tcp: [TcpPort.of(5432, db())] }, { gateway: { name: 'public', namespace: 'infra', sectionName: 'http' } });
    expect(find(manifests, 'HTTPRoute').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'infra', sectionName: 'http' }]);
    expect(find(manifests, 'TCPRoute').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'infra', port: 5432 }]);
  });

  test('more listeners than a Gateway holds is an error', () => {
    const tcp = Array.from({ length: 60 }, (_, i) => TcpPort.of(10000 + i, db()));
    expect(exposeError({ hosts: ['a.example.com', 'b.example.com', 'c.example.com'], backend: httpbin(), tls: Tls.fromSecret('t'), tcp })).toBe(
      'ExposedService test/public: tcp: needs 66 listeners on the Gateway with the HTTP ones, and a Gateway has at most 64; split the exposure');
  });
});
