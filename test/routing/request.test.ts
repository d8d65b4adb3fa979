import { ApiObject, Chart, Testing } from 'cdk8s';
import { ingress, service } from './manifests';
import { route } from '../../src';
import { parseRequest } from '../../src/routing/request';

describe('the request string', () => {
  test('method (GET by default), scheme, host (lower-case), port, path and query; header names lower-case', () => {
    expect(parseRequest('https://Shop.Example.com/api/orders?x=1', { 'X-Canary': '1' })).toEqual({
      method: 'GET', scheme: 'https', host: 'shop.example.com', path: '/api/orders?x=1', headers: { 'x-canary': '1' },
    });
    expect(parseRequest('post http://shop.example.com:8080')).toEqual({ method: 'POST', scheme: 'http', host: 'shop.example.com', path: '/', headers: {}, port: 8080 });
    expect(parseRequest('GET http://shop.example.com?x=1').path).toBe('/?x=1');
  });

  test.each(['shop.example.com/api', 'GET ftp://shop.example.com/', 'GET https://shop.example.com:99999/', 'GET https:// shop.example.com/', ''])('%j throws', (text) => {
    expect(() => parseRequest(text)).toThrow(`route: cannot read the request ${JSON.stringify(text)}: write it as '[METHOD ]http(s)://host[:port]/path[?query]', `
      + 'e.g. \'GET https://shop.example.com/api/orders?x=1\'');
  });
});

describe('the source and the data plane', () => {
  const nginx = ingress('a', [['shop.example.com', [{ path: '/' }]]], { className: 'nginx' });
  const generic = ingress('b', [['shop.example.com', [{ path: '/' }]]], { className: 'traefik' });

  test('a chart, an app (every chart) or manifests', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'i', nginx);
    expect(route(chart, 'https://shop.example.com/').dataPlane).toBe('ingress-nginx');
    expect(route(app, 'https://shop.example.com/').dataPlane).toBe('ingress-nginx');
    expect(() => route({} as any, 'https://shop.example.com/')).toThrow('route: the source is not a cdk8s Chart, an App or an array of manifests: pass one of them');
  });

  test('detected from the kinds and the Ingress class; given by dataPlane', () => {
    expect(route([nginx], 'https://shop.example.com/').dataPlane).toBe('ingress-nginx');
    expect(route([generic], 'https://shop.example.com/').dataPlane).toBe('ingress');
    expect(route([generic], 'https://shop.example.com/', { dataPlane: 'ingress-nginx' }).dataPlane).toBe('ingress-nginx');
    expect(route([service('web', [['http', 80]], 'LoadBalancer')], 'http://203.0.113.7/').dataPlane).toBe('service');
  });

  test('ambiguous or unreadable input throws, saying what to pass', () => {
    const pass = 'pass { dataPlane: \'service\' | \'ingress\' | \'ingress-nginx\' | \'istio\' | \'gateway-api\' } to say which one answers';
    expect(() => route([nginx, generic], 'https://shop.example.com/')).toThrow(`route: the manifests hold the routes of several data planes (ingress-nginx, ingress): ${pass}`);
    expect(() => route([service('web', [['http', 80]])], 'https://shop.example.com/')).toThrow('route: no Ingress, VirtualService, HTTPRoute, GRPCRoute or Service '
      + `of type NodePort or LoadBalancer in the manifests: pass the chart, the app or the manifests that expose the service, or ${pass}`);
    expect(() => route([nginx], 'https://shop.example.com/', { dataPlane: 'api-gateway-nginx' })).toThrow('route: dataPlane \'api-gateway-nginx\' is not one route() reads directly: '
      + 'it reads \'service\', \'ingress\', \'ingress-nginx\', \'istio\' and \'gateway-api\', and follows a front into the API gateway behind it');
  });
});

describe('the Service model (nodePort, loadBalancer)', () => {
  test('the Service answering on the port takes everything, host and path unchanged', () => {
    const lb = service('shop', [['http', 80], ['https', 443]], 'LoadBalancer');
    expect(route([lb], 'GET https://203.0.113.7/a?b=1')).toEqual({
      kind: 'forward', dataPlane: 'service', backend: 'shop:443', backends: { 'shop:443': 1 }, host: '203.0.113.7', path: '/a?b=1',
    });
    expect(route([lb], 'GET http://203.0.113.7:8080/')).toEqual({
      kind: 'respond', dataPlane: 'service', status: 0, reason: 'connection refused: no Service of type NodePort or LoadBalancer on port 8080',
    });
    const np = { ...service('shop', [['http', 80]], 'NodePort') };
    (np.spec.ports[0] as any).nodePort = 30080;
    expect(route([np], 'GET http://192.0.2.1:30080/').kind).toBe('forward');
    expect(() => route([lb, service('other', [['http', 80]], 'LoadBalancer')], 'GET http://203.0.113.7/'))
      .toThrow('route: several Services answer on port 80 (shop, other): each has its own address: pass the manifests of one');
  });
});
