import { route } from '../../src';

const G = 'gateway.networking.k8s.io/v1';
const gateway = (listeners: any[]) => ({ apiVersion: G, kind: 'Gateway', metadata: { name: 'gw' }, spec: { gatewayClassName: 'eg', listeners } });
const http = (hostname?: string, name = 'http') => ({ name, protocol: 'HTTP', port: 80, ...(hostname ? { hostname } : {}) });
const https = (hostname?: string, name = 'https') => ({ name, protocol: 'HTTPS', port: 443, ...(hostname ? { hostname } : {}), tls: { certificateRefs: [{ name: 'c' }] } });
const httpRoute = (name: string, hostnames: string[], rules: any[], extra: { sectionName?: string; created?: string } = {}) => ({
  apiVersion: G,
  kind: 'HTTPRoute',
  metadata: { name, ...(extra.created ? { creationTimestamp: extra.created } : {}) },
  spec: { parentRefs: [{ name: 'gw', ...(extra.sectionName ? { sectionName: extra.sectionName } : {}) }], hostnames, rules },
});
const to = (name: string, port = 8080, weight?: number) => ({ name, port, ...(weight === undefined ? {} : { weight }) });
const backendOf = (m: any[], r: string, headers?: Record<string, string>) => {
  const x = route(m, r, { headers });
  return x.kind === 'forward' ? x.backend : x.kind === 'respond' ? x.status : `${x.status} ${x.location}`;
};

describe('the Gateway API model', () => {
  test('hostnames and header matches (https://gateway-api.sigs.k8s.io/guides/http-routing/)', () => {
    const m = [
      gateway([http()]),
      httpRoute('foo-route', ['foo.example.com'], [{ matches: [{ path: { type: 'PathPrefix', value: '/login' } }], backendRefs: [to('foo-svc')] }]),
      httpRoute('bar-route', ['bar.example.com'], [
        { matches: [{ headers: [{ type: 'Exact', name: 'env', value: 'canary' }] }], backendRefs: [to('bar-svc-canary')] },
        { backendRefs: [to('bar-svc')] },
      ]),
    ];
    expect(backendOf(m, 'GET http://foo.example.com/login')).toBe('foo-svc:8080');
    expect(backendOf(m, 'GET http://foo.example.com/')).toBe(404);
    expect(backendOf(m, 'GET http://bar.example.com/x', { Env: 'canary' })).toBe('bar-svc-canary:8080');
    expect(backendOf(m, 'GET http://bar.example.com/x')).toBe('bar-svc:8080');
  });

  test('a wildcard hostname before a route without hostnames, which takes every other host '
    + '(https://gateway-api.sigs.k8s.io/reference/spec/#httprouterule: the most specific hostname match first)', () => {
    const m = [
      gateway([http()]),
      httpRoute('a', ['*.example.com'], [{ backendRefs: [to('a', 80)] }]),
      httpRoute('b', [], [{ backendRefs: [to('b', 80)] }]),
    ];
    expect(backendOf(m, 'GET http://x.example.com/')).toBe('a:80');
    expect(backendOf(m, 'GET http://other.org/')).toBe('b:80');
  });

  test('precedence across routes: hostname, exact path, longest prefix, method, headers, query params, age, then name '
    + '(https://gateway-api.sigs.k8s.io/reference/spec/#httprouterule)', () => {
    const m = [
      gateway([http()]),
      httpRoute('b-wild', ['*.example.com'], [{ matches: [{ path: { type: 'Exact', value: '/x' } }], backendRefs: [to('wild')] }]),
      httpRoute('a-any', ['shop.example.com'], [
        { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [to('root')] },
        { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [to('api')] },
        { matches: [{ path: { type: 'PathPrefix', value: '/api' }, method: 'POST' }], backendRefs: [to('post')] },
        { matches: [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'a', value: '1' }, { name: 'b', value: '1' }] }], backendRefs: [to('two-headers')] },
        { matches: [{ path: { type: 'PathPrefix', value: '/api' }, method: 'POST', queryParams: [{ name: 'q', value: '1' }] }], backendRefs: [to('post-query')] },
        { matches: [{ path: { type: 'Exact', value: '/api/v1' } }], backendRefs: [to('exact')] },
      ], { created: '2024-01-02T00:00:00Z' }),
      httpRoute('c-older', ['shop.example.com'], [{ matches: [{ path: { type: 'PathPrefix', value: '/old' } }], backendRefs: [to('older')] }], { created: '2024-01-01T00:00:00Z' }),
      httpRoute('d-newer', ['shop.example.com'], [{ matches: [{ path: { type: 'PathPrefix', value: '/old' } }], backendRefs: [to('newer')] }], { created: '2024-01-03T00:00:00Z' }),
    ];
    expect(backendOf(m, 'GET http://shop.example.com/x')).toBe('root:8080'); // the exact hostname before the wildcard
    expect(backendOf(m, 'GET http://web.example.com/x')).toBe('wild:8080');
    expect(backendOf(m, 'GET http://shop.example.com/api/v1')).toBe('exact:8080');
    expect(backendOf(m, 'GET http://shop.example.com/api/v2')).toBe('api:8080');
    expect(backendOf(m, 'GET http://shop.example.com/apis')).toBe('root:8080');
    expect(backendOf(m, 'POST http://shop.example.com/api/v2', { a: '1', b: '1' })).toBe('post:8080'); // method before headers
    expect(backendOf(m, 'GET http://shop.example.com/api/v2', { a: '1', b: '1' })).toBe('two-headers:8080');
    expect(backendOf(m, 'POST http://shop.example.com/api/v2?q=1')).toBe('post-query:8080');
    expect(backendOf(m, 'GET http://shop.example.com/old')).toBe('older:8080');
  });

  test('listeners: protocol, port, hostname and sectionName; the HTTPS redirect route of the http listener', () => {
    const m = [
      gateway([http('shop.example.com'), https('shop.example.com')]),
      httpRoute('app', ['shop.example.com'], [{ backendRefs: [to('web', 80)] }], { sectionName: 'https' }),
      httpRoute('redirect', ['shop.example.com'], [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }], { sectionName: 'http' }),
    ];
    expect(route(m, 'GET http://shop.example.com/a?b=1')).toEqual({ kind: 'redirect', dataPlane: 'gateway-api', status: 301, location: 'https://shop.example.com/a?b=1' });
    expect(backendOf(m, 'GET https://shop.example.com/a')).toBe('web:80');
    expect(backendOf(m, 'GET https://other.example.com/a')).toBe(404);
    expect(route(m, 'GET https://shop.example.com:8443/a')).toEqual({ kind: 'respond', dataPlane: 'gateway-api', status: 0, reason: 'connection refused: no HTTPS listener on port 8443' });
  });

  test('RequestRedirect: scheme, hostname, port, path (https://gateway-api.sigs.k8s.io/guides/http-redirect-rewrite/)', () => {
    const m = [gateway([http()]), httpRoute('r', ['redirect.example'], [
      { matches: [{ path: { type: 'PathPrefix', value: '/cayenne' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/paprika' }, statusCode: 302 } }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/paprika' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/fennel' }, statusCode: 302 } }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/moved' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'new.example', port: 8080 } }] },
    ])];
    expect(backendOf(m, 'GET http://redirect.example/cayenne/pinch')).toBe('302 http://redirect.example/paprika');
    expect(backendOf(m, 'GET http://redirect.example/paprika/teaspoon')).toBe('302 http://redirect.example/fennel/teaspoon');
    expect(backendOf(m, 'GET http://redirect.example/paprika')).toBe('302 http://redirect.example/fennel');
    expect(backendOf(m, 'GET http://redirect.example/moved/x')).toBe('302 http://new.example:8080/moved/x');
  });

  test('URLRewrite: hostname, ReplacePrefixMatch element-wise, ReplaceFullPath (https://gateway-api.sigs.k8s.io/reference/spec/#httppathmodifier)', () => {
    const rewrite = (prefix: string, replacement: string) => ({
      matches: [{ path: { type: 'PathPrefix', value: prefix } }],
      backendRefs: [to('web')],
      filters: [{ type: 'URLRewrite', urlRewrite: { hostname: 'internal', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: replacement } } }],
    });
    const m = [gateway([http()]), httpRoute('r', ['rewrite.example'], [
      rewrite('/foo', '/xyz'), rewrite('/bar', '/'), rewrite('/baz/', '/xyz/'),
      { matches: [{ path: { type: 'Exact', value: '/full' } }], backendRefs: [to('web')], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/x' } } }] },
    ])];
    const pathOf = (r: string) => (route(m, r) as any).path;
    // The spec's table: /foo -> /xyz: /foo/bar -> /xyz/bar, /foo -> /xyz; / as replacement: /foo/bar -> /bar, /foo -> /.
    expect(pathOf('GET http://rewrite.example/foo/bar?q=1')).toBe('/xyz/bar?q=1');
    expect(pathOf('GET http://rewrite.example/foo')).toBe('/xyz');
    expect(pathOf('GET http://rewrite.example/bar/baz')).toBe('/baz');
    expect(pathOf('GET http://rewrite.example/bar')).toBe('/');
    expect(pathOf('GET http://rewrite.example/baz/x')).toBe('/xyz/x');
    expect(pathOf('GET http://rewrite.example/full')).toBe('/x');
    expect(route(m, 'GET http://rewrite.example/foo')).toMatchObject({ host: 'internal' });
  });

  test('weights (0 is no traffic, none at all answers 500), header modifiers, mirror, timeouts.request '
    + '(https://gateway-api.sigs.k8s.io/guides/traffic-splitting/)', () => {
    const m = [gateway([http()]), httpRoute('r', ['split.example'], [
      { matches: [{ path: { value: '/split' } }], backendRefs: [to('foo-v1', 8080, 90), to('foo-v2', 8080, 10), to('foo-v3', 8080, 0)] },
      { matches: [{ path: { value: '/none' } }], backendRefs: [to('foo-v1', 8080, 0)] },
      {
        matches: [{ path: { value: '/' } }],
        backendRefs: [to('web')],
        timeouts: { request: '5s' },
        filters: [
          { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Env', value: 'prod' }], add: [{ name: 'via', value: 'edge' }], remove: ['X-Debug'] } },
          { type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'x-served-by', value: 'gw' }] } },
          { type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 8080 } } },
          { type: 'ExtensionRef', extensionRef: { group: 'traefik.io', kind: 'Middleware', name: 'rate-limit' } },
        ],
      },
    ])];
    expect(route(m, 'GET http://split.example/split')).toMatchObject({ backend: 'foo-v1:8080', backends: { 'foo-v1:8080': 0.9, 'foo-v2:8080': 0.1 } });
    expect(route(m, 'GET http://split.example/none')).toEqual({ kind: 'respond', dataPlane: 'gateway-api', status: 500, reason: 'no backend' });
    expect(route(m, 'GET http://split.example/x')).toEqual({
      kind: 'forward',
      dataPlane: 'gateway-api',
      backend: 'web:8080',
      backends: { 'web:8080': 1 },
      host: 'split.example',
      path: '/x',
      timeout: '5s',
      requestHeaders: { set: { 'x-env': 'prod' }, add: { via: 'edge' }, remove: ['x-debug'] },
      responseHeaders: { set: { 'x-served-by': 'gw' } },
      mirrors: ['shadow:8080'],
    });
  });

  test('GRPCRoute: method matches as POSTs to /service/method (https://gateway-api.sigs.k8s.io/guides/grpc-routing/)', () => {
    const grpc = {
      apiVersion: G,
      kind: 'GRPCRoute',
      metadata: { name: 'grpc' },
      spec: {
        parentRefs: [{ name: 'gw' }],
        hostnames: ['grpc-example.com'],
        rules: [
          { matches: [{ method: { service: 'com.example.User', method: 'Login' } }], backendRefs: [to('foo-svc', 50051)] },
          { matches: [{ headers: [{ type: 'Exact', name: 'magic', value: 'foo' }] }], backendRefs: [to('bar-svc', 50051)] },
          { matches: [{ method: { service: 'com.example.User' } }], backendRefs: [to('user-svc', 50051)] },
        ],
      },
    };
    const m = [gateway([http()]), grpc];
    expect(backendOf(m, 'POST http://grpc-example.com/com.example.User/Login')).toBe('foo-svc:50051');
    expect(backendOf(m, 'POST http://grpc-example.com/com.example.User/Logout')).toBe('user-svc:50051');
    expect(backendOf(m, 'POST http://grpc-example.com/com.example.Other/Get', { magic: 'foo' })).toBe('bar-svc:50051');
    expect(backendOf(m, 'GET http://grpc-example.com/com.example.User/Login')).toBe(404);
  });

  test('what it does not read throws', () => {
    const m = [gateway([http()])];
    const filter = (f: any) => [...m, httpRoute('r', ['a.example'], [{ backendRefs: [to('web')], filters: [f] }])];
    expect(() => route(filter({ type: 'Unknown' }), 'GET http://a.example/')).toThrow('route: HTTPRoute r: spec.rules[0].filters[0].type: the filter Unknown is not one the model reads');
    expect(() => route([...m, httpRoute('r', ['a.example'], [
      { matches: [{ path: { type: 'RegularExpression', value: '/a.*' } }], backendRefs: [to('re')] }, { matches: [{ path: { value: '/a' } }], backendRefs: [to('p')] },
    ])], 'GET http://a.example/a/b')).toThrow('route: HTTPRoute r: spec.rules[0].matches[0].path: a RegularExpression path and another match both match the request: '
      + 'their precedence is implementation-specific in the spec');
  });
});
