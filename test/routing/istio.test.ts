import { route } from '../../src';

const gateway = (servers: any[]) => ({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw' }, spec: { selector: { istio: 'ingressgateway' }, servers } });
const httpServer = (hosts: string[], tls?: any) => ({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts, ...(tls ? { tls } : {}) });
const httpsServer = (hosts: string[]) => ({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts, tls: { mode: 'SIMPLE', credentialName: 'c' } });
const vs = (http: any[], hosts = ['bookinfo.com'], gateways: string[] | undefined = ['gw']) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'vs' }, spec: { hosts, ...(gateways ? { gateways } : {}), http },
});
const dest = (host: string, port: number, extra: any = {}) => ({ destination: { host, port: { number: port }, ...extra } });
const reviewsRule = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews' },
  spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] },
};

describe('the Istio model', () => {
  test('the first matching http entry, in order; headers; weights and subsets '
    + '(https://istio.io/latest/docs/tasks/traffic-management/request-routing/)', () => {
    const m = [gateway([httpServer(['bookinfo.com'])]), reviewsRule, vs([
      { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [dest('reviews', 9080, { subset: 'v2' })] },
      { route: [{ ...dest('reviews.default.svc.cluster.local', 9080, { subset: 'v1' }), weight: 75 }, { ...dest('reviews', 9080, { subset: 'v2' }), weight: 25 }] },
    ])];
    expect(route(m, 'GET http://bookinfo.com/reviews/0', { headers: { 'End-User': 'jason' } })).toMatchObject({ backend: 'reviews:9080/v2', backends: { 'reviews:9080/v2': 1 } });
    expect(route(m, 'GET http://bookinfo.com/reviews/0')).toEqual({
      kind: 'forward', dataPlane: 'istio', backend: 'reviews:9080/v1', backends: { 'reviews:9080/v1': 0.75, 'reviews:9080/v2': 0.25 }, host: 'bookinfo.com', path: '/reviews/0',
    });
    const missing = [m[0], m[1], vs([{ route: [dest('reviews', 9080, { subset: 'v3' })] }])];
    expect(() => route(missing, 'GET http://bookinfo.com/')).toThrow('route: VirtualService vs: spec.http[0].route[0].destination.subset: no DestinationRule of reviews defines the subset \'v3\' (Istio answers 503)');
  });

  test('uri exact, prefix, regex (RE2, the whole path), ignoreUriCase, method, queryParams, port', () => {
    const m = [gateway([httpServer(['bookinfo.com'])]), vs([
      { match: [{ uri: { exact: '/exact' } }], route: [dest('exact', 80)] },
      { match: [{ uri: { regex: '/items/[0-9]+' } }], route: [dest('regex', 80)] },
      { match: [{ uri: { prefix: '/api' }, ignoreUriCase: true, method: { exact: 'POST' } }], route: [dest('post', 80)] },
      { match: [{ queryParams: { v: { exact: '2' } } }], route: [dest('v2', 80)] },
      { match: [{ uri: { prefix: '/api' } }], route: [dest('api', 80)] },
    ])];
    const to = (r: string) => { const x = route(m, r); return x.kind === 'forward' ? x.backend : x.kind === 'respond' ? x.status : x.location; };
    expect(to('GET http://bookinfo.com/exact')).toBe('exact:80');
    expect(to('GET http://bookinfo.com/exact/')).toBe(404);
    expect(to('GET http://bookinfo.com/items/42')).toBe('regex:80');
    expect(to('GET http://bookinfo.com/items/42/x')).toBe(404);
    expect(to('POST http://bookinfo.com/API/x')).toBe('post:80');
    // An Istio prefix is a string prefix.
    expect(to('GET http://bookinfo.com/apis')).toBe('api:80');
    expect(to('GET http://bookinfo.com/other?v=2')).toBe('v2:80');
    expect(to('GET http://bookinfo.com/other?v=3')).toBe(404);
  });

  test('rewrite: the matched prefix (https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRewrite), authority, uriRegexRewrite', () => {
    const m = [gateway([httpServer(['bookinfo.com'])]), vs([
      { match: [{ uri: { prefix: '/wpcatalog' } }, { uri: { prefix: '/consumercatalog' } }], rewrite: { uri: '/newcatalog' }, route: [dest('reviews', 9080)] },
      { match: [{ uri: { exact: '/ping' } }], rewrite: { uri: '/healthz', authority: 'internal' }, route: [dest('reviews', 9080)] },
      { match: [{ uri: { prefix: '/service' } }], rewrite: { uriRegexRewrite: { match: '^/service/([^/]+)(/.*)$', rewrite: '\\2/instance/\\1' } }, route: [dest('svc', 80)] },
    ])];
    expect(route(m, 'GET http://bookinfo.com/wpcatalog/x?y=1')).toMatchObject({ path: '/newcatalog/x?y=1' });
    expect(route(m, 'GET http://bookinfo.com/consumercatalog')).toMatchObject({ path: '/newcatalog' });
    expect(route(m, 'GET http://bookinfo.com/ping')).toMatchObject({ path: '/healthz', host: 'internal' });
    expect(route(m, 'GET http://bookinfo.com/service/foo/v1/api')).toMatchObject({ path: '/v1/api/instance/foo' });
  });

  test('redirect (https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRedirect), direct response, fault abort, mirror, headers, timeout', () => {
    const m = [gateway([httpServer(['bookinfo.com'])]), vs([
      { match: [{ uri: { exact: '/v1/getProductRatings' } }], redirect: { uri: '/v1/bookRatings', authority: 'newratings.default.svc.cluster.local' } },
      { match: [{ uri: { prefix: '/moved' } }], redirect: { scheme: 'https', authority: 'new.example.com', port: 8443, redirectCode: 308 } },
      { match: [{ uri: { prefix: '/gone' } }], directResponse: { status: 410 } },
      { match: [{ uri: { prefix: '/broken' } }], fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }, route: [dest('web', 80)] },
      { match: [{ uri: { prefix: '/flaky' } }], fault: { abort: { httpStatus: 503, percentage: { value: 10 } }, delay: { fixedDelay: '5s' } }, route: [dest('web', 80)] },
      {
        route: [dest('web', 80)],
        timeout: '5s',
        mirror: { host: 'shadow', port: { number: 80 } },
        headers: { request: { set: { 'X-Env': 'prod' }, remove: ['X-Debug'] }, response: { add: { 'X-Served-By': 'istio' } } },
      },
    ])];
    expect(route(m, 'GET http://bookinfo.com/v1/getProductRatings?x=1')).toEqual({
      kind: 'redirect', dataPlane: 'istio', status: 301, location: 'http://newratings.default.svc.cluster.local/v1/bookRatings?x=1',
    });
    expect(route(m, 'GET http://bookinfo.com/moved/a')).toMatchObject({ status: 308, location: 'https://new.example.com:8443/moved/a' });
    expect(route(m, 'GET http://bookinfo.com/gone')).toEqual({ kind: 'respond', dataPlane: 'istio', status: 410, reason: 'direct response' });
    expect(route(m, 'GET http://bookinfo.com/broken')).toEqual({ kind: 'respond', dataPlane: 'istio', status: 503, reason: 'fault abort' });
    expect(route(m, 'GET http://bookinfo.com/flaky')).toMatchObject({ fault: { abort: { status: 503, share: 0.1 }, delay: { duration: '5s', share: 1 } } });
    expect(route(m, 'GET http://bookinfo.com/')).toEqual({
      kind: 'forward',
      dataPlane: 'istio',
      backend: 'web:80',
      backends: { 'web:80': 1 },
      host: 'bookinfo.com',
      path: '/',
      timeout: '5s',
      mirrors: ['shadow:80'],
      requestHeaders: { set: { 'x-env': 'prod' }, remove: ['x-debug'] },
      responseHeaders: { add: { 'x-served-by': 'istio' } },
    });
  });

  test('the Gateway: its servers by port and host; httpsRedirect answers 301; a VirtualService bound to another gateway does not answer', () => {
    const m = [gateway([httpServer(['bookinfo.com'], { httpsRedirect: true }), httpsServer(['bookinfo.com'])]), vs([{ route: [dest('web', 80)] }])];
    expect(route(m, 'GET http://bookinfo.com/a?b=1')).toEqual({ kind: 'redirect', dataPlane: 'istio', status: 301, location: 'https://bookinfo.com/a?b=1' });
    expect(route(m, 'GET https://bookinfo.com/a')).toMatchObject({ kind: 'forward', backend: 'web:80' });
    expect(route(m, 'GET https://other.com/a')).toMatchObject({ kind: 'respond', status: 404 });
    expect(route(m, 'GET https://bookinfo.com:8443/a')).toEqual({ kind: 'respond', dataPlane: 'istio', status: 0, reason: 'connection refused: no Gateway server on port 8443' });
    expect(route([m[0], vs([{ route: [dest('web', 80)] }], ['bookinfo.com'], ['other-gw'])], 'GET https://bookinfo.com/')).toMatchObject({ status: 404 });
    // Without a Gateway: the mesh.
    expect(route([vs([{ route: [dest('reviews', 9080)] }], ['reviews'], ['mesh'])], 'GET http://reviews/x')).toMatchObject({ backend: 'reviews:9080' });
  });

  test('delegation and fields it does not read throw', () => {
    const m = [gateway([httpServer(['bookinfo.com'])])];
    expect(() => route([...m, vs([{ match: [{ uri: { prefix: '/' } }], delegate: { name: 'reviews', namespace: 'ns' } }])], 'GET http://bookinfo.com/'))
      .toThrow('route: VirtualService vs: spec.http[0].delegate: delegation to another VirtualService: pass that one\'s manifests and route it');
    expect(() => route([...m, vs([{ match: [{ sourceLabels: { app: 'x' } }], route: [dest('web', 80)] }])], 'GET http://bookinfo.com/'))
      .toThrow('route: VirtualService vs: spec.http[0].match[0].sourceLabels: a match the model does not read');
    expect(() => route([...m, vs([{ route: [{ destination: { host: 'web' } }] }])], 'GET http://bookinfo.com/'))
      .toThrow('route: VirtualService vs: spec.http[0].route[0].destination.port: no port, and Service web is not in the manifests: pass them with it, or give the port');
  });

  test('a destination host is a Service as a short name or as its FQDN; Istio does not expand name.ns nor name.ns.svc '
    + '(https://istio.io/latest/docs/reference/config/networking/virtual-service/#Destination)', () => {
    const m = [gateway([httpServer(['bookinfo.com'])])];
    expect(route([...m, vs([{ route: [dest('reviews', 9080)] }])], 'GET http://bookinfo.com/')).toMatchObject({ backend: 'reviews:9080' });
    expect(route([...m, vs([{ route: [dest('reviews.prod.svc.cluster.local', 9080)] }])], 'GET http://bookinfo.com/')).toMatchObject({ backend: 'reviews:9080' });
    for (const host of ['reviews.prod', 'reviews.prod.svc']) {
      expect(() => route([...m, vs([{ route: [dest(host, 9080)] }])], 'GET http://bookinfo.com/'))
        .toThrow(new Error(`route: VirtualService vs: spec.http[0].route[0].destination.host: '${host}' is neither a short name `
          + '(Istio expands only a name without dots, to the VirtualService\'s namespace) nor a Service\'s FQDN (name.namespace.svc.cluster.local): '
          + 'which Service it reaches is the mesh registry\'s, not in the manifests'));
    }
  });
});
