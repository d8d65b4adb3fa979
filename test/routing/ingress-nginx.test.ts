import { ingress, Path } from './manifests';
import { route } from '../../src';

const A = 'nginx.ingress.kubernetes.io/';
const nginx = (name: string, host: string, paths: Path[], annotations: Record<string, string> = {}, tls?: string[]) =>
  ingress(name, [[host, paths]], { className: 'nginx', annotations: Object.fromEntries(Object.entries(annotations).map(([k, v]) => [`${A}${k}`, v])), tls });

describe('the ingress-nginx model', () => {
  test('rewrite-target with capture groups (https://kubernetes.github.io/ingress-nginx/examples/rewrite/#rewrite-target)', () => {
    const m = [nginx('rewrite', 'rewrite.bar.com', [{ path: '/something(/|$)(.*)', pathType: 'ImplementationSpecific', service: 'http-svc' }],
      { 'use-regex': 'true', 'rewrite-target': '/$2' })];
    // "rewrite.bar.com/something rewrites to rewrite.bar.com/", "/something/ to /", "/something/new to /new".
    expect(route(m, 'GET http://rewrite.bar.com/something')).toMatchObject({ kind: 'forward', backend: 'http-svc:80', path: '/' });
    expect(route(m, 'GET http://rewrite.bar.com/something/')).toMatchObject({ path: '/' });
    expect(route(m, 'GET http://rewrite.bar.com/something/new?x=1')).toMatchObject({ path: '/new?x=1' });
    // Regex locations are case-insensitive, anchored at the start only.
    expect(route(m, 'GET http://rewrite.bar.com/SOMETHING/new')).toMatchObject({ path: '/new' });
    expect(route(m, 'GET http://rewrite.bar.com/somethingelse')).toMatchObject({ kind: 'respond', status: 404 });
  });

  test('use-regex on one Ingress makes every path of the host a case-insensitive regex, tried by descending length '
    + '(https://kubernetes.github.io/ingress-nginx/user-guide/ingress-path-matching/#warning)', () => {
    const m = [
      nginx('prefix', 'test.com', [{ path: '/foo/bar/bar', service: 'prefix' }]),
      nginx('regex', 'test.com', [{ path: '/foo/bar/[A-Z0-9]{3}', pathType: 'ImplementationSpecific', service: 'regex' }], { 'use-regex': 'true' }),
    ];
    // The documented surprise: /foo/bar/bar (and all under it) goes to the longer regex location.
    expect(route(m, 'GET http://test.com/foo/bar/bar')).toMatchObject({ backend: 'regex:80' });
    expect(route(m, 'GET http://test.com/foo/bar/bar/x')).toMatchObject({ backend: 'regex:80' });
    expect(route(m, 'GET http://test.com/foo/bar/ba')).toMatchObject({ kind: 'respond', status: 404 });
    // Without use-regex, Prefix is element-wise and case-sensitive.
    const plain = [nginx('prefix', 'test.com', [{ path: '/foo', service: 'foo' }, { path: '/', service: 'root' }])];
    expect(route(plain, 'GET http://test.com/FOO')).toMatchObject({ backend: 'root:80' });
    expect(route(plain, 'GET http://test.com/foos')).toMatchObject({ backend: 'root:80' });
    expect(route(plain, 'GET http://test.com/foo/x')).toMatchObject({ backend: 'foo:80' });
  });

  test('spec.defaultBackend: the root location of the catch-all server for an Ingress without rules, of its hosts\' servers else '
    + '(ingress-nginx controller.go, createServers: "special catch all case, Ingress with a backend but no rule")', () => {
    const catchAll = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'all' },
      spec: { ingressClassName: 'nginx', defaultBackend: { service: { name: 'http-svc', port: { number: 80 } } } },
    };
    const shop = nginx('shop', 'shop.example.com', [{ path: '/api', service: 'api' }]);
    expect(route([catchAll], 'GET http://example.com/x')).toMatchObject({ kind: 'forward', backend: 'http-svc:80', path: '/x' });
    // A host with a server of its own: no location takes /other, and no Ingress of that host has a default backend.
    expect(route([catchAll, shop], 'GET http://shop.example.com/other')).toMatchObject({ kind: 'respond', status: 404 });
    expect(route([catchAll, shop], 'GET http://other.example.com/other')).toMatchObject({ backend: 'http-svc:80' });
    const withDefault = { ...shop, spec: { ...shop.spec, defaultBackend: { service: { name: 'web', port: { number: 8080 } } } } };
    expect(route([withDefault], 'GET http://shop.example.com/other')).toMatchObject({ backend: 'web:8080' });
    expect(route([withDefault], 'GET http://other.example.com/')).toMatchObject({ kind: 'respond', status: 404 });
  });

  test('app-root redirects / (https://kubernetes.github.io/ingress-nginx/examples/rewrite/#app-root)', () => {
    const m = [nginx('approot', 'approot.bar.com', [{ path: '/', service: 'http-svc' }], { 'app-root': '/app1' })];
    expect(route(m, 'GET http://approot.bar.com/')).toEqual({ kind: 'redirect', dataPlane: 'ingress-nginx', status: 302, location: 'http://approot.bar.com/app1' });
    expect(route(m, 'GET http://approot.bar.com/x')).toMatchObject({ kind: 'forward', path: '/x' });
  });

  test('ssl-redirect (default true where the host has TLS) and force-ssl-redirect answer 308 '
    + '(https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#server-side-https-enforcement-through-redirect)', () => {
    const tls = [nginx('tls', 'shop.example.com', [{ path: '/' }], {}, ['shop.example.com'])];
    expect(route(tls, 'GET http://shop.example.com/cart?x=1')).toEqual({
      kind: 'redirect', dataPlane: 'ingress-nginx', status: 308, location: 'https://shop.example.com/cart?x=1',
    });
    expect(route(tls, 'GET https://shop.example.com/cart')).toMatchObject({ kind: 'forward' });
    const off = [nginx('tls', 'shop.example.com', [{ path: '/' }], { 'ssl-redirect': 'false' }, ['shop.example.com'])];
    expect(route(off, 'GET http://shop.example.com/cart')).toMatchObject({ kind: 'forward' });
    const forced = [nginx('forced', 'shop.example.com', [{ path: '/' }], { 'force-ssl-redirect': 'true' })];
    expect(route(forced, 'GET http://shop.example.com/')).toMatchObject({ kind: 'redirect', status: 308 });
  });

  test('permanent and temporal redirects, their codes (https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#permanent-redirect)', () => {
    const permanent = [nginx('p', 'a.com', [{ path: '/' }], { 'permanent-redirect': 'https://www.google.com' })];
    expect(route(permanent, 'GET http://a.com/x')).toEqual({ kind: 'redirect', dataPlane: 'ingress-nginx', status: 301, location: 'https://www.google.com' });
    const code = [nginx('p', 'a.com', [{ path: '/' }], { 'permanent-redirect': 'https://b.com/', 'permanent-redirect-code': '308' })];
    expect(route(code, 'GET http://a.com/x')).toMatchObject({ status: 308 });
    const temporal = [nginx('t', 'a.com', [{ path: '/' }], { 'temporal-redirect': 'https://b.com/' })];
    expect(route(temporal, 'GET http://a.com/x')).toMatchObject({ status: 302, location: 'https://b.com/' });
  });

  describe('canary (https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#canary)', () => {
    const main = nginx('main', 'shop.example.com', [{ path: '/', service: 'stable' }]);
    const canary = (annotations: Record<string, string>) => [main, nginx('canary', 'shop.example.com', [{ path: '/', service: 'preview' }], { canary: 'true', ...annotations })];
    test('by weight, of canary-weight-total (100 by default)', () => {
      expect(route(canary({ 'canary-weight': '10' }), 'GET http://shop.example.com/')).toMatchObject({ backend: 'stable:80', backends: { 'stable:80': 0.9, 'preview:80': 0.1 } });
      expect(route(canary({ 'canary-weight': '1', 'canary-weight-total': '4' }), 'GET http://shop.example.com/')).toMatchObject({ backends: { 'stable:80': 0.75, 'preview:80': 0.25 } });
      expect(route(canary({ 'canary-weight': '100' }), 'GET http://shop.example.com/')).toMatchObject({ backends: { 'preview:80': 1 } });
    });
    test('by header: always, never, else the weight; by value; by pattern', () => {
      const byHeader = canary({ 'canary-by-header': 'X-Canary', 'canary-weight': '20' });
      expect(route(byHeader, 'GET http://shop.example.com/', { headers: { 'x-canary': 'always' } })).toMatchObject({ backends: { 'preview:80': 1 } });
      expect(route(byHeader, 'GET http://shop.example.com/', { headers: { 'x-canary': 'never' } })).toMatchObject({ backends: { 'stable:80': 1 } });
      expect(route(byHeader, 'GET http://shop.example.com/', { headers: { 'x-canary': 'maybe' } })).toMatchObject({ backends: { 'stable:80': 0.8, 'preview:80': 0.2 } });
      const byValue = canary({ 'canary-by-header': 'x-region', 'canary-by-header-value': 'eu' });
      expect(route(byValue, 'GET http://shop.example.com/', { headers: { 'x-region': 'eu' } })).toMatchObject({ backends: { 'preview:80': 1 } });
      expect(route(byValue, 'GET http://shop.example.com/', { headers: { 'x-region': 'us' } })).toMatchObject({ backends: { 'stable:80': 1 } });
      const byPattern = canary({ 'canary-by-header': 'x-user', 'canary-by-header-pattern': '^(alice|bob)$' });
      expect(route(byPattern, 'GET http://shop.example.com/', { headers: { 'x-user': 'bob' } })).toMatchObject({ backends: { 'preview:80': 1 } });
      expect(route(byPattern, 'GET http://shop.example.com/', { headers: { 'x-user': 'carol' } })).toMatchObject({ backends: { 'stable:80': 1 } });
    });
    test('header before cookie before weight', () => {
      const all = canary({ 'canary-by-header': 'x-canary', 'canary-by-cookie': 'beta', 'canary-weight': '50' });
      expect(route(all, 'GET http://shop.example.com/', { headers: { 'x-canary': 'never', 'cookie': 'beta=always' } })).toMatchObject({ backends: { 'stable:80': 1 } });
      expect(route(all, 'GET http://shop.example.com/', { headers: { cookie: 'a=b; beta=always' } })).toMatchObject({ backends: { 'preview:80': 1 } });
      expect(route(all, 'GET http://shop.example.com/', { headers: { cookie: 'beta=never' } })).toMatchObject({ backends: { 'stable:80': 1 } });
      expect(route(all, 'GET http://shop.example.com/')).toMatchObject({ backends: { 'stable:80': 0.5, 'preview:80': 0.5 } });
    });
  });

  test('upstream-vhost, x-forwarded-prefix, proxy-read-timeout, mirror-target', () => {
    const m = [nginx('a', 'shop.example.com', [{ path: '/api', service: 'api', port: 8080 }], {
      'upstream-vhost': 'api.internal', 'x-forwarded-prefix': '/api', 'proxy-read-timeout': '5', 'mirror-target': 'http://shadow.shop.svc.cluster.local:8080$request_uri',
    })];
    expect(route(m, 'GET http://shop.example.com/api/orders')).toEqual({
      kind: 'forward',
      dataPlane: 'ingress-nginx',
      backend: 'api:8080',
      backends: { 'api:8080': 1 },
      host: 'api.internal',
      path: '/api/orders',
      timeout: '5s',
      requestHeaders: { set: { 'x-forwarded-prefix': '/api' } },
      mirrors: ['shadow:8080'],
    });
  });

  test('policies are not evaluated; what changes routing and is not read throws', () => {
    const policy = [nginx('a', 'a.com', [{ path: '/' }], { 'limit-rps': '5', 'auth-type': 'basic', 'whitelist-source-range': '10.0.0.0/8', 'enable-cors': 'true' })];
    expect(route(policy, 'GET http://a.com/')).toMatchObject({ kind: 'forward' });
    const snippet = [nginx('a', 'a.com', [{ path: '/' }], { 'configuration-snippet': 'return 403;' })];
    expect(() => route(snippet, 'GET http://a.com/')).toThrow('route: Ingress a: metadata.annotations[\'nginx.ingress.kubernetes.io/configuration-snippet\']: raw nginx: the model cannot read it');
    const unknown = [nginx('a', 'a.com', [{ path: '/' }], { 'made-up': 'x' })];
    expect(() => route(unknown, 'GET http://a.com/')).toThrow('route: Ingress a: metadata.annotations[\'nginx.ingress.kubernetes.io/made-up\']: an ingress-nginx annotation the model does not read');
  });
});
