import { corpus, documents } from './mesh-expr';
import { roundTripDifferences } from './mesh-round-trip';
import { importManifests } from '../../src/import/import-manifests';

const ACCEPTED = ['istio/httpbin/httpbin-gateway.yaml', 'istio/bookinfo/networking/bookinfo-gateway.yaml'];

describe('Istio round trip: the import routes every request as the input does', () => {
  test.each(ACCEPTED)('%s', (file) => {
    expect(importManifests(corpus(file)).exposures.length).toBeGreaterThan(0);
    expect(roundTripDifferences(corpus(file), 'istio')).toEqual([]);
  });
});

test('Istio round trip: subsets, weights, header matches, rewrite, redirect, header edits, fault, TLS', () => {
  expect(roundTripDifferences(documents(`
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers:
  - { port: { number: 80, name: http, protocol: HTTP }, hosts: [shop.example.com], tls: { httpsRedirect: true } }
  - { port: { number: 443, name: https, protocol: HTTPS }, hosts: [shop.example.com], tls: { mode: SIMPLE, credentialName: shop-tls } }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [public]
  http:
  - match: [{ uri: { exact: /ping } }]
    rewrite: { uri: /healthz }
    route: [{ destination: { host: web, port: { number: 80 } } }]
  - match: [{ uri: { prefix: /old } }]
    redirect: { uri: /new, redirectCode: 302 }
  - match: [{ uri: { prefix: /reviews }, headers: { end-user: { exact: jason } } }]
    route: [{ destination: { host: reviews, subset: v2, port: { number: 9080 } } }]
    fault: { delay: { fixedDelay: 7s, percentage: { value: 100 } } }
  - match: [{ uri: { prefix: /reviews } }]
    headers: { request: { set: { x-env: prod } }, response: { remove: [server] } }
    timeout: 5s
    route:
    - { destination: { host: reviews, subset: v1, port: { number: 9080 } }, weight: 80 }
    - { destination: { host: reviews, subset: v2, port: { number: 9080 } }, weight: 20 }
  - route: [{ destination: { host: web, port: { number: 80 } } }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }]
`), 'istio')).toEqual([]);
});
