import { ingress } from './manifests';
import { requestsFor, REQUESTS_FOR_LIMIT } from '../../src';

describe('requestsFor', () => {
  const A = 'nginx.ingress.kubernetes.io/';
  const m = [
    ingress('a', [['shop.example.com', [{ path: '/api' }, { path: '/', pathType: 'Prefix' }]], ['*.shop.example.com', [{ path: '/x(/|$)(.*)', pathType: 'ImplementationSpecific' }]]],
      { className: 'nginx', tls: ['shop.example.com'] }),
    ingress('b', [['shop.example.com', [{ path: '/api' }]]], { className: 'nginx', annotations: { [`${A}canary`]: 'true', [`${A}canary-by-header`]: 'x-canary' } }),
  ];

  test('hosts (a wildcard as wildcard.<domain>, and one other) x paths and their boundaries x schemes, then headers', () => {
    const requests = requestsFor(m);
    const get = requests.filter((r) => r.headers === undefined).map((r) => r.request);
    const paths = ['/', '/API', '/X', '/api', '/api/', '/api/x', '/apis', '/x', '/x/', '/x/x', '/xs'];
    const hosts = ['shop.example.com', 'wildcard.shop.example.com', 'other.example.invalid'];
    expect(get).toEqual(hosts.flatMap((h) => paths.flatMap((p) => [`GET http://${h}${p}`, `GET https://${h}${p}`])));
    const withHeaders = requests.filter((r) => r.headers !== undefined);
    expect(withHeaders.map((r) => r.headers!['x-canary'])).toEqual(['always', 'never', 'other'].flatMap((v) => Array(2 * paths.length).fill(v)));
    expect(withHeaders[0]).toEqual({ request: 'GET https://shop.example.com/', headers: { 'x-canary': 'always' } });
  });

  test('deterministic, deduplicated and bounded', () => {
    expect(requestsFor(m)).toEqual(requestsFor([...m].reverse()));
    const keys = requestsFor(m).map((r) => JSON.stringify(r));
    expect(new Set(keys).size).toBe(keys.length);
    const many = [ingress('many', Array.from({ length: 60 }, (_, i) => [`h${i}.example.com`, Array.from({ length: 20 }, (__, j) => ({ path: `/p${j}` }))] as any))];
    expect(requestsFor(many)).toHaveLength(REQUESTS_FOR_LIMIT);
  });

  test('Istio and Gateway API matches: methods, headers, query parameters, gRPC methods', () => {
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'v' },
      spec: { hosts: ['a.example'], http: [{ match: [{ uri: { regex: '/items/[0-9]+' }, method: { exact: 'POST' }, headers: { 'x-user': { exact: 'jason' } }, queryParams: { v: { exact: '2' } } }] }] },
    };
    const requests = requestsFor([vs]).map((r) => `${r.request}${r.headers ? ` ${JSON.stringify(r.headers)}` : ''}`);
    expect(requests).toContain('POST http://a.example/items/x');
    expect(requests).toContain('GET http://a.example/items {"x-user":"jason"}');
    expect(requests).toContain('GET http://a.example/items {"x-user":"jason-other"}');
    expect(requests).toContain('GET http://a.example/items?v=2');
    const grpc = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GRPCRoute',
      metadata: { name: 'g' },
      spec: { hostnames: ['g.example'], rules: [{ matches: [{ method: { service: 'com.example.User', method: 'Login' } }] }] },
    };
    expect(requestsFor([grpc]).filter((r) => r.request.startsWith('POST'))).toEqual([
      { request: 'POST http://g.example/com.example.User/Login', headers: { 'content-type': 'application/grpc' } },
      { request: 'POST http://g.example/com.example.User/Other', headers: { 'content-type': 'application/grpc' } },
    ]);
  });
});
