import { corpus, documents, evaluate, show } from './mesh-expr';
import { ExposedService } from '../../src';
import { importManifests } from '../../src/import/import-manifests';
import { readIstio } from '../../src/import/istio-reader';
import { ImportResult, Loss } from '../../src/import/model';
import { find, Manifest, synthChecked, testChart } from '../support/synth';

/** Each exposure as `id: props` and `strategy`, one line each. */
const exposuresOf = (r: ImportResult) => r.exposures.map((e) => `${e.namespace}/${e.id}: ${show(e.props)}\n  on ${show(e.sourceStrategy)}`);
const lossLines = (losses: readonly Loss[]) => losses.map((l) => `${l.source} ${l.field} [${l.kind}] ${l.reason}`);

/** What the generated code declares, synthesized on the source's own strategy (every manifest validated). */
function synthOnSource(r: ImportResult): Manifest[] {
  const namespaces = [...new Set(r.exposures.map((e) => e.namespace))];
  expect(namespaces).toHaveLength(1);
  const chart = testChart('imported', namespaces[0]);
  for (const e of r.exposures) new ExposedService(chart, e.id, { ...evaluate(e.props), strategy: evaluate(e.sourceStrategy) });
  return synthChecked(chart);
}

describe('Istio reader: the corpus', () => {
  test('bookinfo: the Gateway on port 8080 is bound as an existing one; exact paths go first, as they are disjoint', () => {
    const r = readIstio(corpus('istio/bookinfo/networking/bookinfo-gateway.yaml'));
    expect(exposuresOf(r)).toEqual([
      "default/bookinfo: { routes: [{ match: { path: PathMatch.exact('/productpage') }, backend: Backend.fromName('productpage', 9080) }, "
      + "{ match: { path: PathMatch.exact('/logout') }, backend: Backend.fromName('productpage', 9080) }, "
      + "{ match: { path: PathMatch.exact('/login') }, backend: Backend.fromName('productpage', 9080) }, "
      + "{ match: { path: PathMatch.prefix('/api/v1/products') }, backend: Backend.fromName('productpage', 9080) }, "
      + "{ match: { path: PathMatch.prefix('/static') }, backend: Backend.fromName('productpage', 9080) }] }\n"
      + "  on ExposureStrategy.istio({ gateway: IstioGateway.existing({ namespace: 'default', name: 'bookinfo-gateway', selector: { istio: 'ingressgateway' } }) })",
    ]);
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'Gateway default/bookinfo-gateway spec [not-portable] not what IstioGateway.create makes (it has no single HTTP server on port 80; it has servers on other '
      + 'ports or protocols): the exposure binds to it as IstioGateway.existing, so keep applying it; other strategies do not get its servers',
    ]);
    expect(r.losses).toEqual([]);
    const vs = find(synthOnSource(r), 'VirtualService');
    expect(vs.spec.gateways).toEqual(['bookinfo-gateway']);
    expect(vs.spec.http.map((h: any) => h.match[0].uri)).toEqual([
      { exact: '/productpage' }, { exact: '/logout' }, { exact: '/login' }, { prefix: '/api/v1/products' }, { prefix: '/static' },
    ]);
  });

  test('httpbin: a Gateway IstioGateway.create makes alike, nothing lost', () => {
    const r = readIstio(corpus('istio/httpbin/httpbin-gateway.yaml'));
    expect(exposuresOf(r)).toEqual([
      "default/httpbin: { routes: [{ backend: Backend.fromName('httpbin', 8000) }] }\n  on ExposureStrategy.istio({ gateway: IstioGateway.create() })",
    ]);
    expect(r.exposures[0].losses).toEqual([]);
    expect(r.losses).toEqual([]);
    const manifests = synthOnSource(r);
    expect(find(manifests, 'Gateway').spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    });
    expect(find(manifests, 'VirtualService').spec.http.map((h: any) => h.route)).toEqual([
      [{ destination: { host: 'httpbin.default.svc.cluster.local', port: { number: 8000 } } }],
    ]);
  });

  test('the bookinfo mesh samples: VirtualServices without a gateway are no exposures, and their DestinationRules are unused', () => {
    const files = ['destination-rule-all.yaml', 'destination-rule-reviews.yaml', 'fault-injection-details-v1.yaml', 'virtual-service-all-v1.yaml',
      'virtual-service-details-v2.yaml', 'virtual-service-ratings-db.yaml', 'virtual-service-ratings-mysql-vm.yaml', 'virtual-service-ratings-mysql.yaml',
      'virtual-service-ratings-test-delay.yaml', 'virtual-service-reviews-50-v3.yaml', 'virtual-service-reviews-80-20.yaml',
      'virtual-service-reviews-test-v2.yaml', 'virtual-service-reviews-v2-v3.yaml', 'virtual-service-reviews-v3.yaml'];
    for (const file of files) {
      const r = readIstio(corpus(`istio/bookinfo/networking/${file}`));
      expect(r.exposures).toEqual([]);
      for (const line of lossLines(r.losses)) {
        expect(line).toMatch(/^(VirtualService default\/\w+ spec.gateways \[not-portable\] bound to the mesh only \(no gateway\): routing between workloads, not an exposure|DestinationRule default\/\w+ spec \[unsupported\] no imported exposure routes to its host)$/);
      }
    }
    expect(lossLines(readIstio(corpus('istio/bookinfo/networking/fault-injection-details-v1.yaml')).losses)).toEqual([
      'VirtualService default/details spec.gateways [not-portable] bound to the mesh only (no gateway): routing between workloads, not an exposure',
      'DestinationRule default/details spec [unsupported] no imported exposure routes to its host',
    ]);
  });

  test('ingress2gateway\'s VirtualService: every field it cannot carry is a loss, and an entry without a port is not imported', () => {
    const r = readIstio(corpus('ingress2gateway/istio/2-virtualservice-http.input.yaml'));
    expect(r.exposures).toEqual([]);
    expect(lossLines(r.losses)).toEqual([
      'VirtualService test/reviews-route spec.http[0].directResponse [unsupported] not read by the importer: the declaration has no such field',
      'VirtualService test/reviews-route spec.http[0].delegate [unsupported] not read by the importer: the declaration has no such field',
      'VirtualService test/reviews-route spec.http[0].allowOrigins [unsupported] not read by the importer: the declaration has no such field',
      'VirtualService test/reviews-route spec.http[0].name [unsupported] the declaration names routes after their match',
      'VirtualService test/reviews-route spec.http[0].redirect [invalid] an entry has a route or a redirect, not both (Istio refuses it); the route is kept',
      'VirtualService test/reviews-route spec.http[0].route[0].destination.port [invalid] no port: the Service prod/reviews is not in the input with exactly one port; '
      + 'a backend needs its port',
      'VirtualService test/reviews-route spec.http[0] [unsupported] no destination could be declared: the entry is not carried over',
      'VirtualService test/reviews-route spec.http[1].name [unsupported] the declaration names routes after their match',
      'VirtualService test/reviews-route spec.http[1] [unsupported] neither a route nor a redirect: the entry is not carried over',
      'VirtualService test/reviews-route spec.http [unsupported] no route could be declared: not imported',
    ]);
  });

  test('ingress2gateway\'s Gateways: unbound ones, TCP routes and a VirtualService bound to two Gateways', () => {
    expect(lossLines(readIstio(corpus('ingress2gateway/istio/1-gateway.input.yaml')).losses)).toEqual([
      'Gateway test/my-gateway spec [unsupported] no VirtualService of the input binds to it',
    ]);
    expect(lossLines(readIstio(corpus('ingress2gateway/istio/4-virtualservice-tcp.input.yaml')).losses)).toEqual([
      'VirtualService prod/bookinfo-mongo spec.gateways [not-portable] bound to the mesh only (no gateway): routing between workloads, not an exposure',
    ]);
    expect(lossLines(readIstio(corpus('ingress2gateway/istio/5-referencegrants.input.yaml')).losses)).toEqual([
      'VirtualService custom-ns/reviews-route spec.gateways [unsupported] bound to same-ns-gateway too: the declaration binds to one Gateway (prod/my-gateway is kept)',
      'Gateway prod/my-gateway spec [not-portable] not what IstioGateway.create makes (it has no selector): the exposure binds to it as IstioGateway.existing, '
      + 'so keep applying it; other strategies do not get its servers',
      'VirtualService custom-ns/reviews-route spec.http[0].route[0].destination.port [invalid] no port: the Service prod/test is not in the input with exactly one port; '
      + 'a backend needs its port',
      'VirtualService custom-ns/reviews-route spec.http[0] [unsupported] no destination could be declared: the entry is not carried over',
      'VirtualService custom-ns/reviews-route spec.http [unsupported] no route could be declared: not imported',
    ]);
  });
});

const GATEWAY = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: [shop.example.com]
    tls: { httpsRedirect: true }
  - port: { number: 443, name: https, protocol: HTTPS }
    hosts: [shop/shop.example.com]
    tls: { mode: SIMPLE, credentialName: shop-tls }
`;

const virtualService = (http: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [public]
  http:
${http}`;

describe('Istio reader: first match and the declaration\'s precedence', () => {
  test('a route an earlier one covers (Istio\'s prefix is a string prefix) is never reached: left out, with the reason', () => {
    const r = readIstio(documents(GATEWAY + '---' + virtualService(`
  - route: [{ destination: { host: web, port: { number: 80 } } }]
  - match: [{ uri: { prefix: /api } }]
    route: [{ destination: { host: api, port: { number: 8080 } } }]`)));
    expect(exposuresOf(r)).toEqual([
      "shop/shop: { hosts: ['shop.example.com'], tls: Tls.fromSecret('shop-tls'), routes: [{ backend: Backend.fromName('web', 80) }] }\n"
      + '  on ExposureStrategy.istio({ gateway: IstioGateway.create() })',
    ]);
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'VirtualService shop/shop spec.http[1].match[0] [unsupported] never reached: spec.http[0] matches every request it matches first; not carried over',
    ]);
  });

  test('a more specific route after an overlapping one: kept, and the different routing is a loss', () => {
    const r = readIstio(documents(GATEWAY + '---' + virtualService(`
  - match: [{ uri: { prefix: /api }, method: { exact: GET } }]
    route: [{ destination: { host: api, port: { number: 8080 } } }]
  - match: [{ uri: { exact: /api/health } }, { uri: { exact: /healthz } }]
    route: [{ destination: { host: health, port: { number: 8080 } } }]`)));
    expect(show(r.exposures[0].props)).toBe("{ hosts: ['shop.example.com'], tls: Tls.fromSecret('shop-tls'), routes: ["
      + "{ match: { path: PathMatch.exact('/api/health') }, backend: Backend.fromName('health', 8080) }, "
      + "{ match: { path: PathMatch.exact('/healthz') }, backend: Backend.fromName('health', 8080) }, "
      + "{ match: { path: PathMatch.prefix('/api'), method: 'GET' }, backend: Backend.fromName('api', 8080) }] }");
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'VirtualService shop/shop spec.http[1].match[0] [unsupported] first match: spec.http[0].match[0] comes first, but the declaration\'s precedence '
      + '(exact, regex, longer prefix, method, headers, query parameters) tries this route first; requests both match are routed differently',
    ]);
  });

  test('routes that exclude each other (method, header value) are re-ordered without a loss', () => {
    const r = readIstio(documents(GATEWAY + '---' + virtualService(`
  - match: [{ uri: { prefix: /api }, method: { exact: GET } }]
    route: [{ destination: { host: api, port: { number: 8080 } } }]
  - match: [{ uri: { exact: /api/orders }, method: { exact: POST } }]
    route: [{ destination: { host: orders, port: { number: 8080 } } }]
  - match: [{ uri: { prefix: /v2 }, headers: { x-canary: { exact: "0" } } }]
    route: [{ destination: { host: api, port: { number: 8080 } } }]
  - match: [{ uri: { exact: /v2/x }, headers: { x-canary: { exact: "1" } } }]
    route: [{ destination: { host: canary, port: { number: 8080 } } }]`)));
    expect(r.exposures[0].losses).toEqual([]);
    expect(show(r.exposures[0].props)).toContain("routes: [{ match: { path: PathMatch.exact('/api/orders'), method: 'POST' }");
  });

  test('a prefix ending in "/" is the regex it means (the declaration\'s prefix drops the slash)', () => {
    const r = readIstio(documents(GATEWAY + '---' + virtualService(`
  - match: [{ uri: { prefix: /static/ } }]
    route: [{ destination: { host: web, port: { number: 80 } } }]`)));
    expect(show(r.exposures[0].props)).toContain("{ match: { path: PathMatch.regex('/static/.*') }, backend: Backend.fromName('web', 80) }");
    expect(find(synthOnSource(r), 'VirtualService').spec.http[0].match).toEqual([{ uri: { regex: '/static/.*' } }]);
  });
});

describe('Istio reader: destinations, DestinationRules and policies', () => {
  const RULE = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews.shop.svc.cluster.local
  trafficPolicy:
    loadBalancer: { consistentHash: { httpCookie: { name: session, ttl: 3600s } } }
    connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 10, maxRequestsPerConnection: 5 } }
    outlierDetection: { consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50 }
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
---
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: shop }
spec: { ports: [{ name: http, port: 9080 }] }
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: shop }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  jwtRules:
  - { issuer: https://issuer.example.com, jwksUri: https://issuer.example.com/jwks, audiences: [shop] }
`;

  test('subsets by their labels, weights, the Service\'s only port, the traffic policy and the JWT of the gateway workload', () => {
    const r = readIstio(documents(GATEWAY + '---' + RULE + '---' + virtualService(`
  - match: [{ headers: { end-user: { exact: jason } } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
  - route:
    - { destination: { host: reviews, subset: v1 }, weight: 80 }
    - { destination: { host: reviews.shop.svc.cluster.local, subset: v2 }, weight: 20 }`)));
    expect(exposuresOf(r)).toEqual([
      "shop/shop: { hosts: ['shop.example.com'], tls: Tls.fromSecret('shop-tls'), "
      + 'circuitBreaker: CircuitBreaker.of({ maxConnections: 100, maxPendingRequests: 10, consecutiveErrors: 5, interval: Duration.seconds(10), '
      + 'ejectionTime: Duration.seconds(30), maxEjectedPercent: 50 }), '
      + "auth: Auth.jwt({ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks', audiences: ['shop'] }), routes: ["
      + "{ match: { headers: [HeaderMatch.exact('end-user', 'jason')] }, backend: Backend.fromName('reviews', 9080, { subset: { name: 'v2', labels: { version: 'v2' } } }), "
      + "affinity: SessionAffinity.cookie({ name: 'session', ttl: Duration.hours(1) }) }, "
      + "{ backends: [{ backend: Backend.fromName('reviews', 9080, { subset: { name: 'v1', labels: { version: 'v1' } } }), weight: 80 }, "
      + "{ backend: Backend.fromName('reviews', 9080, { subset: { name: 'v2', labels: { version: 'v2' } } }), weight: 20 }], "
      + "affinity: SessionAffinity.cookie({ name: 'session', ttl: Duration.hours(1) }) }] }\n"
      + '  on ExposureStrategy.istio({ gateway: IstioGateway.create(), trafficPolicy: { connectionPool: { maxRequestsPerConnection: 5 } } })',
    ]);
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'RequestAuthentication shop/jwt spec [unsupported] a RequestAuthentication alone lets requests without a token through; Auth.jwt refuses them '
      + '(the istio strategy adds the AuthorizationPolicy)',
    ]);
    expect(r.losses).toEqual([]);
  });

  test('the policies of an entry: rewrite, timeout, retries, fault, mirror, CORS, header edits', () => {
    const r = readIstio(documents(GATEWAY + '---' + virtualService(`
  - match: [{ uri: { exact: /ping } }]
    rewrite: { uri: /healthz, authority: internal.example.com }
    timeout: 1.5s
    retries: { attempts: 3, perTryTimeout: 500ms, retryOn: "5xx,connect-failure,refused-stream" }
    fault: { abort: { httpStatus: 503, percentage: { value: 1 } }, delay: { fixedDelay: 2s } }
    mirror: { host: shadow, port: { number: 8080 } }
    mirrorPercentage: { value: 10 }
    corsPolicy: { allowOrigins: [{ exact: "https://app.example.com" }, { prefix: "https://" }], allowMethods: [GET, POST], maxAge: 24h }
    headers: { request: { set: { x-env: prod }, remove: [x-debug] }, response: { add: { x-served-by: shop } } }
    route: [{ destination: { host: web, port: { number: 80 } } }]
  - match: [{ uri: { prefix: /old } }]
    redirect: { uri: /new, authority: www.example.com, redirectCode: 308 }`)));
    expect(show(r.exposures[0].props)).toBe("{ hosts: ['shop.example.com'], tls: Tls.fromSecret('shop-tls'), routes: ["
      + "{ match: { path: PathMatch.exact('/ping') }, backend: Backend.fromName('web', 80), rewrite: { path: '/healthz', host: 'internal.example.com' }, "
      + "timeout: Duration.millis(1500), retries: { attempts: 3, perTryTimeout: Duration.millis(500), retryOn: ['5xx', 'connect-failure'] }, "
      + 'fault: { abort: { httpStatus: 503, percentage: 1 }, delay: { fixedDelay: Duration.seconds(2), percentage: 100 } }, '
      + "mirror: { backend: Backend.fromName('shadow', 8080), percentage: 10 }, "
      + "cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], maxAge: Duration.hours(24) }, "
      + "requestHeaders: { set: { 'x-env': 'prod' }, remove: ['x-debug'] }, responseHeaders: { add: { 'x-served-by': 'shop' } } }, "
      + "{ match: { path: PathMatch.prefix('/old') }, redirect: { host: 'www.example.com', path: '/new', statusCode: 308 } }] }");
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'VirtualService shop/shop spec.http[0].retries.retryOn [unsupported] refused-stream: the declaration retries on 5xx, gateway-error, connect-failure, reset, retriable-4xx',
      'VirtualService shop/shop spec.http[0].corsPolicy.allowOrigins[1] [unsupported] an allowed origin is exact or any (regex ".*")',
    ]);
    const http = find(synthOnSource(r), 'VirtualService').spec.http;
    expect(http.find((h: any) => h.match[0].uri.exact === '/ping')).toMatchObject({
      rewrite: { uri: '/healthz', authority: 'internal.example.com' },
      timeout: '1.5s',
      retries: { attempts: 3, perTryTimeout: '0.5s', retryOn: '5xx,connect-failure' },
      mirror: { host: 'shadow.shop.svc.cluster.local', port: { number: 8080 } },
      mirrorPercentage: { value: 10 },
    });
  });

  test('rewrite.uri without a uri match, or on the prefix "/": Envoy concatenates ("/foo" to "/v1foo"), a loss', () => {
    // Istio's rewrite.uri on a prefix match is Envoy's prefix_rewrite: the matched prefix is replaced as a string
    // (Envoy route_components.proto, prefix_rewrite: "/prefix" rewritten to "/" turns "/prefixetc" into "/etc").
    const r = readIstio(documents(GATEWAY + '---' + virtualService(`
  - match: [{ headers: { x-v1: { exact: "yes" } } }, { uri: { prefix: / }, headers: { x-v1: { exact: "also" } } }]
    rewrite: { uri: /v1 }
    route: [{ destination: { host: web, port: { number: 80 } } }]
  - rewrite: { uri: /v2/ }
    route: [{ destination: { host: web, port: { number: 80 } } }]`)));
    const reason = 'Istio replaces the prefix "/" as a string ("/x" goes to "/v1x"); the declaration replaces a prefix by path element, '
      + 'so the paths it rewrites differ ("/v1x" and "/v1/x")';
    expect(lossLines(r.exposures[0].losses)).toEqual([
      `VirtualService shop/shop spec.http[0].rewrite.uri [unsupported] ${reason}`,
      `VirtualService shop/shop spec.http[0].rewrite.uri [unsupported] ${reason}`,
    ]);
  });

  test('header edits with a name the declaration refuses: that edit is an invalid loss, the others are kept', () => {
    const r = readIstio(documents(GATEWAY + '---' + virtualService(`
  - headers: { request: { set: { "X Bad": a, x-good: b }, remove: ["x:bad"] } }
    route: [{ destination: { host: web, port: { number: 80 } } }]`)));
    expect(show(r.exposures[0].props)).toBe("{ hosts: ['shop.example.com'], tls: Tls.fromSecret('shop-tls'), routes: [{ backend: Backend.fromName('web', 80), "
      + "requestHeaders: { set: { 'x-good': 'b' } } }] }");
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'VirtualService shop/shop spec.http[0].headers.request.set.X Bad [invalid] "X Bad" is not an HTTP header name; '
      + 'use letters, digits and "-" (RFC 7230 token): this header edit is not read',
      'VirtualService shop/shop spec.http[0].headers.request.remove[0] [invalid] "x:bad" is not an HTTP header name; '
      + 'use letters, digits and "-" (RFC 7230 token): this header edit is not read',
    ]);
    synthOnSource(r);
  });

  test('CORS for any origin (regex ".*") with credentials: Envoy echoes any origin, the declaration lists them; credentials false, a loss', () => {
    const r = readIstio(documents(GATEWAY + '---' + virtualService(`
  - corsPolicy: { allowOrigins: [{ regex: ".*" }], allowCredentials: true }
    route: [{ destination: { host: web, port: { number: 80 } } }]`)));
    expect(show(r.exposures[0].props)).toContain("cors: { allowOrigins: ['*'], allowCredentials: false }");
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'VirtualService shop/shop spec.http[0].corsPolicy.allowCredentials [unsupported] true with any origin (regex ".*"): '
        + 'the declaration allows credentials for listed origins only (browsers refuse them with origin "*"); read as false',
    ]);
    synthOnSource(r);
  });

  test('a match condition the declaration cannot hold drops that alternative; other hosts are no Services', () => {
    const r = readIstio(documents(GATEWAY + '---' + virtualService(`
  - match: [{ uri: { prefix: /a }, ignoreUriCase: true }, { uri: { prefix: /b } }]
    route: [{ destination: { host: web, port: { number: 80 } } }]
  - route: [{ destination: { host: api.example.com, port: { number: 443 } } }]`)));
    expect(show(r.exposures[0].props)).toBe("{ hosts: ['shop.example.com'], tls: Tls.fromSecret('shop-tls'), routes: ["
      + "{ match: { path: PathMatch.prefix('/b') }, backend: Backend.fromName('web', 80) }] }");
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'VirtualService shop/shop spec.http[0].match[0].ignoreUriCase [unsupported] the declaration matches on path, headers, query parameters and method only; '
      + 'this match alternative is not carried over (it would match more)',
      'VirtualService shop/shop spec.http[1].route[0].destination.host [unsupported] "api.example.com" is not a Service of the cluster '
      + '(name, or name.namespace.svc.cluster.local)',
      'VirtualService shop/shop spec.http[1] [unsupported] no destination could be declared: the entry is not carried over',
    ]);
  });

  test('hosts name.namespace and name.namespace.svc are not expanded by Istio: a loss, not a guessed Service', () => {
    // Istio's VirtualService reference, Destination.host: short names are interpreted in the rule's namespace;
    // "to avoid potential misconfigurations, it is recommended to always use fully qualified domain names".
    const r = readIstio(documents(GATEWAY + '---' + virtualService(`
  - match: [{ uri: { prefix: /a } }]
    route: [{ destination: { host: web.other, port: { number: 80 } } }]
  - match: [{ uri: { prefix: /b } }]
    route: [{ destination: { host: web.other.svc, port: { number: 80 } } }]
  - route: [{ destination: { host: web, port: { number: 80 } } }]`)));
    expect(show(r.exposures[0].props)).toBe("{ hosts: ['shop.example.com'], tls: Tls.fromSecret('shop-tls'), routes: [{ backend: Backend.fromName('web', 80) }] }");
    const reason = (host: string) => `"${host}": Istio expands a short name only (name, in the namespace of the rule) and takes this host as it is, `
      + 'not as a Service; the declaration names Services (name, or name.namespace.svc.cluster.local)';
    expect(lossLines(r.exposures[0].losses)).toEqual([
      `VirtualService shop/shop spec.http[0].route[0].destination.host [unsupported] ${reason('web.other')}`,
      'VirtualService shop/shop spec.http[0] [unsupported] no destination could be declared: the entry is not carried over',
      `VirtualService shop/shop spec.http[1].route[0].destination.host [unsupported] ${reason('web.other.svc')}`,
      'VirtualService shop/shop spec.http[1] [unsupported] no destination could be declared: the entry is not carried over',
    ]);
  });

  test('kinds of Istio the reader does not take are reported by the importer', () => {
    const r = importManifests(documents('apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: deny, namespace: shop }\nspec: {}\n'));
    expect(lossLines(r.losses)).toEqual(['AuthorizationPolicy shop/deny kind AuthorizationPolicy [unsupported] not read']);
  });
});
