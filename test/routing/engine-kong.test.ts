import { Duration } from 'cdk8s';
import { ApiGatewayEngine, Backend, Deprecation, ExposedService, ExposureStrategy, PathMatch } from '../../src';
import { routeThroughApiGateway } from '../../src/routing/engines';
import { normalizeKongPath, parseKongConfig, routeThroughKong } from '../../src/routing/kong-model';
import { RouteResult } from '../../src/routing/model';
import { synthChecked, testChart } from '../support/synth';

/**
 * The Kong engine's routing model on hand-written declarative configurations. Kong cannot run
 * in this test environment: each expectation follows Kong 3.x's router source for
 * `router_flavor = traditional_compatible` (kong/router/compat.lua: get_expression,
 * get_priority, split_route_by_path_into; kong/router/atc.lua: select; kong/router/utils.lua:
 * get_upstream_uri) and the plugins' documentation, cited next to it.
 */

const get = (kongYml: string, url: string, headers: Record<string, string> = {}, method = 'GET'): RouteResult => {
  const u = /^(https?):\/\/([^/]+)(.*)$/.exec(url)!;
  return routeThroughKong(parseKongConfig(kongYml), u[1] as 'http', { method, scheme: u[1] as 'http', host: u[2], path: u[3] || '/', headers });
};
const backendOf = (r: RouteResult) => (r.kind === 'forward' ? r.backend : `${r.kind} ${r.kind === 'redirect' ? r.location : r.status}`);

/** One service per route, named after its backend. */
function config(routes: Record<string, object>): string {
  return JSON.stringify({
    _format_version: '3.0',
    services: Object.entries(routes).map(([name, route]) => ({ name, host: `${name}.ns.svc.cluster.local`, port: 8080, routes: [{ name, ...route }] })),
  });
}

describe('precedence (compat.lua, get_priority: fields, plain hosts, headers, regex, regex_priority, prefix length)', () => {
  test('a route with more fields wins over a longer prefix', () => {
    const c = config({ long: { paths: ['/api/orders'] }, hosted: { hosts: ['shop.example.com'], paths: ['/api'] } });
    expect(backendOf(get(c, 'http://shop.example.com/api/orders/1'))).toBe('hosted:8080');
    expect(backendOf(get(c, 'http://other.example.com/api/orders/1'))).toBe('long:8080');
  });

  test('plain hosts over wildcards; wildcards by suffix and prefix', () => {
    const c = config({ star: { hosts: ['*.example.com'], paths: ['/'] }, plain: { hosts: ['shop.example.com'], paths: ['/'] }, prefix: { hosts: ['shop.*'] } });
    expect(backendOf(get(c, 'http://shop.example.com/'))).toBe('plain:8080');
    expect(backendOf(get(c, 'http://a.example.com/'))).toBe('star:8080');
    expect(backendOf(get(c, 'http://shop.example.org/'))).toBe('prefix:8080');
  });

  test('more headers first; header values compare case-insensitively, ~* regexes on the lower-cased value', () => {
    const c = config({
      one: { paths: ['/'], headers: { 'x-a': ['yes'] } },
      two: { paths: ['/'], headers: { 'x-a': ['yes'], 'x-b': ['~*^b[0-9]+$'] } },
    });
    expect(backendOf(get(c, 'http://h/', { 'X-A': 'YES', 'x-b': 'B12' }))).toBe('two:8080');
    expect(backendOf(get(c, 'http://h/', { 'x-a': 'Yes' }))).toBe('one:8080');
    expect(backendOf(get(c, 'http://h/', {}))).toBe('respond 404');
  });

  test('a regex path over a prefix path, whatever its length (the regex bit is above the length); regex_priority among regexes', () => {
    const c = config({
      prefix: { paths: ['/api/account'] },
      regex: { paths: ['~/api/.*'], regex_priority: 1 },
      digits: { paths: ['~/api/[0-9]+$'], regex_priority: 5 },
    });
    expect(backendOf(get(c, 'http://h/api/account/all'))).toBe('regex:8080');
    expect(backendOf(get(c, 'http://h/api/42'))).toBe('digits:8080');
    expect(backendOf(get(c, 'http://h/other'))).toBe('respond 404');
  });

  test('prefixes: the longest; prefixes are string prefixes, not path elements', () => {
    const c = config({ short: { paths: ['/a'] }, long: { paths: ['/a/b'] } });
    expect(backendOf(get(c, 'http://h/a/b/c'))).toBe('long:8080');
    expect(backendOf(get(c, 'http://h/a/bc'))).toBe('long:8080');
    expect(backendOf(get(c, 'http://h/ab'))).toBe('short:8080');
  });

  test('a route of several paths is split by length: each part ranks on its own', () => {
    const c = config({ multi: { paths: ['/x', '/a/b/c'] }, mid: { paths: ['/a/b'] } });
    expect(backendOf(get(c, 'http://h/a/b/c/d'))).toBe('multi:8080');
    expect(backendOf(get(c, 'http://h/a/b/x'))).toBe('mid:8080');
  });

  test('equal priorities are ordered by route id, which a declarative file does not fix: the model refuses to guess', () => {
    const c = config({ first: { paths: ['/a'] }, second: { paths: ['/b'] } });
    expect(backendOf(get(c, 'http://h/a'))).toBe('first:8080');
    const tie = config({ first: { paths: ['/a'] }, second: { paths: ['/a'] } });
    expect(() => get(tie, 'http://h/a')).toThrow('match with equal priority: Kong orders them by id');
  });

  test('methods', () => {
    const c = config({ reads: { paths: ['/'], methods: ['GET'] } });
    expect(backendOf(get(c, 'http://h/', {}, 'POST'))).toBe('respond 404');
  });
});

describe('the path (atc.lua select, utils.lua get_upstream_uri, kong.tools.uri normalize)', () => {
  test('normalized before matching (kong/tools/uri.lua normalize): escapes decoded but reserved ones, slashes merged, dot segments removed', () => {
    expect(normalizeKongPath('/a//b/./c/../%7Ed%2f%41%20x')).toBe('/a/b/~d%2FA x');
    expect(normalizeKongPath('/a/%2e%2e/b')).toBe('/b');
    expect(normalizeKongPath('/..')).toBe('/');
  });

  test('the upstream URI escaped as Kong forwards it (kong/tools/uri.lua escape)', () => {
    const c = config({ any: { paths: ['/'] } });
    expect(get(c, 'http://h/a%20b/%2F?q=%20')).toMatchObject({ path: '/a%20b/%2F?q=%20' });
  });

  test.each([
    // [service path, strip_path, request, upstream path]
    ['/', true, '/api', '/'],
    ['/', true, '/api/x', '/x'],
    ['/', false, '/api/x', '/api/x'],
    ['/base', true, '/api', '/base'],
    ['/base', true, '/api/', '/base/'],
    ['/base', true, '/api/x', '/base/x'],
    ['/base', true, '/apix', '/base/x'],
    ['/base/', true, '/api', '/base'],
    ['/base/', true, '/api/x', '/base/x'],
    ['/base', false, '/api/x', '/base/api/x'],
    ['/base/', false, '/api/x', '/base/api/x'],
  ])('service path %s, strip_path %s: %s -> %s', (path, strip, request, upstream) => {
    const c = JSON.stringify({ services: [{ name: 's', host: 's', port: 80, path, routes: [{ name: 'r', paths: ['/api'], strip_path: strip }] }] });
    expect(get(c, `http://h${request}?q=1`)).toMatchObject({ path: `${upstream}?q=1`, backend: 's:80' });
  });
});

describe('upstreams, the Host, timeouts, protocols', () => {
  const c = JSON.stringify({
    services: [
      { name: 'weighted', host: 'pool', port: 8080, read_timeout: 2500, routes: [{ name: 'w', paths: ['/w'], preserve_host: false }] },
      { name: 'pinned', host: 'pinned-pool', routes: [{ name: 'p', paths: ['/p'] }] },
      { name: 'kept', host: 'pool', routes: [{ name: 'k', paths: ['/k'], preserve_host: true }] },
      { name: 'secure', host: 'secure.ns.svc', port: 443, protocol: 'https', routes: [{ name: 's', paths: ['/s'], protocols: ['https'], https_redirect_status_code: 308 }] },
      { name: 'upgrade', host: 'u', routes: [{ name: 'u', paths: ['/u'], protocols: ['https'] }] },
    ],
    upstreams: [
      { name: 'pool', targets: [{ target: 'api-v2.ns.svc.cluster.local:8080', weight: 90 }, { target: 'api-v3.ns.svc.cluster.local:8080', weight: 10 }, { target: 'off.ns.svc.cluster.local:8080', weight: 0 }] },
      { name: 'pinned-pool', host_header: 'api.internal', targets: [{ target: 'api.ns.svc.cluster.local' }] },
    ],
  });

  test('targets\' weights give the shares (weight 0 takes none); the Host is the target\'s, with its port', () => {
    expect(get(c, 'http://shop.example.com/w')).toEqual({
      kind: 'forward',
      dataPlane: 'api-gateway-kong',
      backend: 'api-v2:8080',
      backends: { 'api-v2:8080': 0.9, 'api-v3:8080': 0.1 },
      host: 'api-v2.ns.svc.cluster.local:8080',
      path: '/w',
      timeout: '2500ms',
    });
  });
  test('an upstream\'s host_header; a target without a port is on 8000', () => {
    expect(get(c, 'http://shop.example.com/p')).toMatchObject({ host: 'api.internal', backend: 'api:8000' });
  });
  test('preserve_host: the Host the client sent', () => {
    expect(get(c, 'http://shop.example.com:8080/k')).toMatchObject({ host: 'shop.example.com:8080' });
  });
  test('a route of https only: http gets its https_redirect_status_code, else 426', () => {
    expect(get(c, 'http://shop.example.com/s?a')).toEqual({ kind: 'redirect', dataPlane: 'api-gateway-kong', status: 308, location: 'https://shop.example.com/s?a' });
    expect(get(c, 'http://shop.example.com/u')).toMatchObject({ kind: 'respond', status: 426 });
    expect(get(c, 'https://shop.example.com/s')).toMatchObject({ backend: 'secure:443', host: 'secure.ns.svc' });
  });
});

describe('plugins', () => {
  const withPlugins = (plugins: object[], global: object[] = []) => JSON.stringify({
    services: [{ name: 'api', host: 'api.ns.svc.cluster.local', port: 8080, routes: [{ name: 'r', paths: ['/'], plugins }] }],
    plugins: global,
  });

  test('request-transformer: replace+add is a set, append an add, remove a remove (docs: remove, rename, replace, add, append in order)', () => {
    const c = withPlugins([{
      name: 'request-transformer',
      config: { remove: { headers: ['x-debug'] }, replace: { headers: ['x-env:prod'] }, add: { headers: ['x-env:prod', 'x-new:1'] }, append: { headers: ['x-tag:gw'] } },
    }]);
    expect(get(c, 'http://h/')).toMatchObject({ requestHeaders: { set: { 'x-env': 'prod', 'x-new': '1' }, add: { 'x-tag': 'gw' }, remove: ['x-debug'] } });
    // add alone does not touch a header the client sent.
    expect(get(c, 'http://h/', { 'x-new': 'mine' })).toMatchObject({ requestHeaders: { set: { 'x-env': 'prod' } } });
  });

  test('response-transformer: replace+add is a set, remove a remove; HSTS is the TLS policy\'s', () => {
    const c = withPlugins([{
      name: 'response-transformer',
      config: { remove: { headers: ['x-backend-version'] }, replace: { headers: ['x-served-by:gateway'] }, add: { headers: ['x-served-by:gateway', 'Strict-Transport-Security:max-age=1'] } },
    }]);
    expect(get(c, 'http://h/')).toMatchObject({ responseHeaders: { set: { 'x-served-by': 'gateway' }, remove: ['x-backend-version'] } });
  });

  test('the route\'s plugin over the global one of the same name; checks do not route', () => {
    const c = withPlugins([{ name: 'request-termination', config: { status_code: 418 } }], [{ name: 'request-termination', config: { status_code: 503 } }, { name: 'key-auth' }]);
    expect(get(c, 'http://h/')).toMatchObject({ kind: 'respond', status: 418 });
  });

  test('cors answers a preflight itself (OPTIONS with Origin and Access-Control-Request-Method)', () => {
    const c = withPlugins([{ name: 'cors', config: { origins: ['https://app.example.com'] } }]);
    expect(get(c, 'http://h/', { 'origin': 'https://app.example.com', 'access-control-request-method': 'GET' }, 'OPTIONS')).toMatchObject({ kind: 'respond', status: 200 });
    expect(get(c, 'http://h/', {}, 'OPTIONS')).toMatchObject({ kind: 'forward' });
  });

  test('the engine\'s retirement: 410 from the sunset on; other Lua and unknown plugins are errors', () => {
    const retire = (s: number) => ({ name: 'pre-function', config: { access: [`return function() if ngx.time() >= ${s} then return kong.response.error(410, "Gone") end end`] } });
    expect(get(withPlugins([retire(1)]), 'http://h/')).toMatchObject({ kind: 'respond', status: 410, reason: 'retired' });
    expect(get(withPlugins([retire(253402300799)]), 'http://h/')).toMatchObject({ kind: 'forward' });
    expect(() => get(withPlugins([{ name: 'pre-function', config: { access: ['return function() end'] } }]), 'http://h/')).toThrow('runs Lua the model does not know');
    expect(() => get(withPlugins([{ name: 'route-by-header' }]), 'http://h/')).toThrow('the plugin "route-by-header" is not modelled');
    expect(() => get(withPlugins([{ name: 'request-transformer', config: { replace: { uri: '/x' } } }]), 'http://h/')).toThrow('replace.uri is not modelled');
  });
});

describe('the Kong engine\'s synthesized gateway, reached through its Service', () => {
  test('the declarative configuration in the ConfigMap, the proxy listener on the Service\'s target port', () => {
    const chart = testChart('shop', 'shop');
    new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }),
      hosts: ['api.example.com'],
      backend: Backend.fromName('api', 8080),
      timeout: Duration.seconds(3),
      routes: [
        { match: { path: PathMatch.prefix('/v1') }, backend: Backend.fromName('api-v1', 8080), rewrite: { path: '/' }, requestHeaders: { set: { 'x-env': 'prod' } } },
        { match: { path: PathMatch.exact('/v1/status') }, backend: Backend.fromName('status', 9000) },
        {
          match: { path: PathMatch.prefix('/legacy') },
          deprecation: Deprecation.of({ since: new Date('2019-01-01T00:00:00Z'), sunset: new Date('2020-01-01T00:00:00Z'), retire: true }),
        },
        { match: { path: PathMatch.prefix('/') } },
      ],
    });
    const manifests = synthChecked(chart);
    const service = manifests.find((m) => m.kind === 'Service' && m.spec.type === 'LoadBalancer')!;
    const route = (path: string) => routeThroughApiGateway(manifests, { name: service.metadata.name!, port: 80, namespace: 'shop' }, {
      method: 'GET', scheme: 'http', host: 'api.example.com', path, headers: {},
    });
    expect(route('/v1/users?x=1')).toMatchObject({
      dataPlane: 'api-gateway-kong', backend: 'api-v1:8080', path: '/users?x=1', host: 'api.example.com', timeout: '3000ms', requestHeaders: { set: { 'x-env': 'prod' } },
    });
    expect(route('/v1/status')).toMatchObject({ backend: 'status:9000', path: '/v1/status' });
    expect(route('/legacy/a')).toMatchObject({ kind: 'respond', status: 410 });
    expect(route('/other')).toMatchObject({ backend: 'api:8080', path: '/other' });
    expect(routeThroughApiGateway(manifests, { name: 'api', port: 8080, namespace: 'shop' }, { method: 'GET', scheme: 'http', host: 'h', path: '/', headers: {} }))
      .toBeUndefined();
  });
});
