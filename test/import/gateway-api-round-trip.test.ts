import * as fs from 'fs';
import * as path from 'path';
import { corpus, documents } from './mesh-expr';
import { roundTripDifferences } from './mesh-round-trip';
import { importManifests } from '../../src/import/import-manifests';

const DIR = path.join(__dirname, '..', 'fixtures', 'import-corpus', 'gateway-api');
const FILES = fs.readdirSync(DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).sort().map((f) => `gateway-api/${f}`);
const ACCEPTED = FILES.filter((f) => importManifests(corpus(f)).exposures.length > 0);

describe('Gateway API round trip: the import routes every request as the input does', () => {
  test('the accepted corpus files', () => {
    expect(ACCEPTED.length).toBeGreaterThan(15);
  });

  test.each(ACCEPTED)('%s', (file) => {
    expect(roundTripDifferences(corpus(file), 'gateway-api')).toEqual([]);
  });

  test('filters, weights, a cross-namespace backend with its ReferenceGrant', () => {
    expect(roundTripDifferences(documents(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop, namespace: shop }
spec:
  parentRefs: [{ name: public, namespace: infra }]
  hostnames: [shop.example.com]
  rules:
  - matches: [{ path: { type: PathPrefix, value: /api } }]
    filters:
    - { type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: x-env, value: prod }] } }
    - { type: URLRewrite, urlRewrite: { path: { type: ReplacePrefixMatch, replacePrefixMatch: /v2 } } }
    timeouts: { request: 10s }
    backendRefs: [{ name: api, namespace: backends, port: 8080, weight: 3 }, { name: api-next, namespace: backends, port: 8080, weight: 1 }]
  - matches: [{ path: { type: Exact, value: /old } }]
    filters: [{ type: RequestRedirect, requestRedirect: { path: { type: ReplaceFullPath, replaceFullPath: /new }, statusCode: 301 } }]
  - matches: [{ headers: [{ name: x-canary, value: "1" }] }]
    backendRefs: [{ name: web-canary, port: 80 }]
  - backendRefs: [{ name: web, port: 80 }]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: shop-routes, namespace: backends }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop }]
  to: [{ group: "", kind: Service }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: public, namespace: infra }
spec:
  gatewayClassName: eg
  listeners: [{ name: http, protocol: HTTP, port: 80, allowedRoutes: { namespaces: { from: All } } }]
`), 'gateway-api')).toEqual([]);
  });
});
