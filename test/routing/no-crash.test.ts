import * as fc from 'fast-check';
import { ingress, service } from './manifests';
import { requestsFor, route } from '../../src';

/**
 * Manifests with any field replaced by any value: route() and requestsFor() answer, or throw an
 * Error that starts with `route: ` and says what they could not read. Never a TypeError.
 */
const A = 'nginx.ingress.kubernetes.io/';
const SEEDS: any[][] = [
  [ingress('a', [['shop.example.com', [{ path: '/api(/|$)(.*)', pathType: 'ImplementationSpecific', port: 'http' }, { path: '/' }]]],
    { className: 'nginx', tls: ['shop.example.com'], annotations: { [`${A}rewrite-target`]: '/$2', [`${A}use-regex`]: 'true' } }),
  ingress('b', [['shop.example.com', [{ path: '/' }]]], { className: 'nginx', annotations: { [`${A}canary`]: 'true', [`${A}canary-by-header`]: 'x', [`${A}canary-weight`]: '5' } }),
  service('web', [['http', 80]])],
  [
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw' }, spec: { servers: [{ port: { number: 80, protocol: 'HTTP' }, hosts: ['*'], tls: { httpsRedirect: false } }] } },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'vs' },
      spec: {
        hosts: ['shop.example.com'],
        gateways: ['gw'],
        http: [
          { match: [{ uri: { prefix: '/a' }, headers: { x: { exact: '1' } }, queryParams: { q: { regex: '[0-9]+' } } }], rewrite: { uri: '/' }, route: [{ destination: { host: 'a', port: { number: 80 }, subset: 'v1' }, weight: 100 }] },
          { redirect: { uri: '/x', redirectCode: 302 }, match: [{ uri: { exact: '/r' } }] },
          { route: [{ destination: { host: 'web.ns.svc.cluster.local', port: { number: 80 } } }], fault: { abort: { httpStatus: 503, percentage: { value: 10 } } }, mirror: { host: 'm', port: { number: 80 } } },
        ],
      },
    },
    { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'a' }, spec: { host: 'a', subsets: [{ name: 'v1' }] } },
  ],
  [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw' }, spec: { listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r' },
      spec: {
        parentRefs: [{ name: 'gw' }],
        hostnames: ['shop.example.com'],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/a' }, headers: [{ name: 'x', value: '1' }], queryParams: [{ name: 'q', value: '1' }], method: 'GET' }],
            filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }, { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'a', value: 'b' }] } }],
            backendRefs: [{ name: 'a', port: 80, weight: 1 }, { name: 'b', port: 80 }],
            timeouts: { request: '5s' },
          },
          { filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', path: { type: 'ReplaceFullPath', replaceFullPath: '/' } } }] },
        ],
      },
    },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', metadata: { name: 'g' }, spec: { parentRefs: [{ name: 'gw' }], hostnames: ['grpc.example.com'], rules: [{ matches: [{ method: { service: 's', method: 'm' } }], backendRefs: [{ name: 'g', port: 50051 }] }] } },
  ],
];

/** Every path to a value inside an object. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function replaced(root: any, path: (string | number)[], value: unknown): any {
  if (path.length === 0) return value;
  // An earlier edit replaced a parent of this path: nothing left to edit.
  if (root === null || typeof root !== 'object') return root;
  const copy: any = Array.isArray(root) ? [...root] : { ...root };
  copy[path[0]] = replaced(root[path[0]], path.slice(1), value);
  return copy;
}

const REQUESTS = ['GET http://shop.example.com/a/b?q=1', 'GET https://shop.example.com/', 'POST http://grpc.example.com/s/m', 'GET http://shop.example.com/r'];

test('malformed manifests: an answer or a route: error, never a crash', () => {
  const mutated = fc.integer({ min: 0, max: SEEDS.length - 1 }).chain((i) => {
    const all = paths(SEEDS[i]).filter((p) => p.length > 0);
    return fc.array(fc.tuple(fc.constantFrom(...all), fc.anything({ withNullPrototype: true })), { minLength: 1, maxLength: 3 })
      .map((edits) => edits.reduce((m: any, [p, v]) => replaced(m, p, v), SEEDS[i]));
  });
  fc.assert(fc.property(mutated, fc.constantFrom(...REQUESTS), fc.dictionary(fc.string(), fc.string()), (manifests, request, headers) => {
    for (const run of [() => route(manifests, request, { headers }), () => requestsFor(manifests)]) {
      try {
        const answer: any = run();
        expect(answer).toBeDefined();
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toMatch(/^route: /);
      }
    }
  }), { numRuns: 1500, seed: 20 });
});
