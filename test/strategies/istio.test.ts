import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AccessPolicy, Auth, Backend, CircuitBreaker, ClientCertificates,
  ExposedService, ExposedServiceProps, ExposureStrategy, HeaderMatch, IstioGateway, PathMatch, QueryParamMatch,
  RateLimit, route, RouteProps, RouteResult, TcpPort, Tls, TlsPassthrough,
} from '../../src';
import { IstioStrategyOptions } from '../../src/strategies/istio/istio';
import { issuersRequiredByIstio } from '../support/istio-authorization';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

const httpbin = () => Backend.fromName('httpbin', 8000);

function expose(props: Partial<ExposedServiceProps>, options: IstioStrategyOptions = {}, namespace?: string): Manifest[] {
  const chart = testChart('test', namespace);
  new ExposedService(chart, 'public', { strategy: ExposureStrategy.istio(options), ...props });
  return synthChecked(chart);
}

function exposeError(props: Partial<ExposedServiceProps>, options: IstioStrategyOptions = {}): string {
  return declarationError({ strategy: ExposureStrategy.istio(options), ...props }).message;
}

const httpOf = (manifests: Manifest[]) => find(manifests, 'VirtualService').spec.http;
// Gateway policies (JWT, client IP lists, external authentication) go in the namespace of the
// gateway workload, which a created Gateway must say: the shared ingress gateway's.
const SHARED_GATEWAY: IstioStrategyOptions = { gateway: IstioGateway.create({ namespace: 'istio-system' }) };

describe('istio strategy', () => {
  test('the article example, field for field', () => {
    const manifests = expose({
      hosts: ['httpbin.example.com'],
      backend: httpbin(),
      routes: [{ match: { path: PathMatch.prefix('/status') } }],
    });
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind}`)).toEqual(['networking.istio.io/v1 Gateway', 'networking.istio.io/v1 VirtualService']);
    const gateway = find(manifests, 'Gateway');
    expect(gateway.metadata.name).toBe('test-public');
    expect(gateway.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['httpbin.example.com'] }],
    });
    expect(find(manifests, 'VirtualService').spec).toEqual({
      hosts: ['httpbin.example.com'],
      gateways: ['test-public'],
      http: [{
        name: 'routes-0',
        match: [{ uri: { prefix: '/status' } }],
        route: [{ destination: { host: 'httpbin', port: { number: 8000 } } }],
      }],
    });
    expect(manifests).toMatchSnapshot();
  });

  test('destinations are FQDNs in the backend namespace, with a configurable cluster domain', () => {
    const http = httpOf(expose({
      hosts: ['a.example.com'],
      routes: [
        { match: { path: PathMatch.prefix('/a') }, backend: httpbin() },
        { match: { path: PathMatch.prefix('/b') }, backend: Backend.fromName('other', 80, { namespace: 'tools' }) },
      ],
    }, { clusterDomain: 'corp.internal' }, 'shop'));
    expect(http.map((h: any) => h.route[0].destination.host)).toEqual(['httpbin.shop.svc.corp.internal', 'other.tools.svc.corp.internal']);
  });

  test('TLS: HTTPS server with credentialName, and :80 redirects to HTTPS', () => {
    const gateway = find(expose({ hosts: ['a.example.com'], backend: httpbin(), tls: Tls.fromSecret('a-tls') }), 'Gateway');
    expect(gateway.spec.servers).toEqual([
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['a.example.com'], tls: { httpsRedirect: true } },
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a.example.com'], tls: { mode: 'SIMPLE', credentialName: 'a-tls' } },
    ]);
  });

  test('TLS options: client certificates (MUTUAL), no redirect, a custom selector and the gateway namespace', () => {
    const tls = Tls.fromSecret('a-mtls', { clientCertificates: ClientCertificates.require({ caSecret: 'a-mtls' }) });
    const manifests = expose({ hosts: ['a.example.com'], backend: httpbin(), tls }, {
      gateway: IstioGateway.create({ httpsRedirect: false, selector: { app: 'edge' }, namespace: 'istio-system' }),
    }, 'shop');
    const gateway = find(manifests, 'Gateway');
    expect(gateway.metadata.namespace).toBe('istio-system');
    expect(gateway.spec.selector).toEqual({ app: 'edge' });
    expect(gateway.spec.servers).toEqual([
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['a.example.com'] },
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a.example.com'], tls: { mode: 'MUTUAL', credentialName: 'a-mtls' } },
    ]);
    const vs = find(manifests, 'VirtualService');
    expect(vs.metadata.namespace).toBe('shop');
    expect(vs.spec.gateways).toEqual(['istio-system/test-public']);
  });

  test('TLS passthrough: a TLS server in mode PASSTHROUGH and a tls route by SNI; no HTTP server without routes', () => {
    const manifests = expose({ passthrough: [TlsPassthrough.host('db.example.com', httpbin()), TlsPassthrough.host('*.mq.example.com', Backend.fromName('mq', 5671))] });
    expect(find(manifests, 'Gateway').spec.servers).toEqual([
      { port: { number: 443, name: 'tls-443', protocol: 'TLS' }, hosts: ['db.example.com', '*.mq.example.com'], tls: { mode: 'PASSTHROUGH' } },
    ]);
    const vs = find(manifests, 'VirtualService');
    expect(vs.spec.hosts).toEqual(['db.example.com', '*.mq.example.com']);
    expect(vs.spec.http).toBeUndefined();
    expect(vs.spec.tls).toEqual([
      { match: [{ port: 443, sniHosts: ['db.example.com'] }], route: [{ destination: { host: 'httpbin', port: { number: 8000 } } }] },
      { match: [{ port: 443, sniHosts: ['*.mq.example.com'] }], route: [{ destination: { host: 'mq', port: { number: 5671 } } }] },
    ]);
  });

  test('TCP ports and passthrough next to HTTPS routes: one Gateway, one VirtualService', () => {
    const manifests = expose({
      hosts: ['shop.example.com'],
      backend: httpbin(),
      tls: Tls.fromSecret('shop-tls'),
      passthrough: [TlsPassthrough.host('db.example.com', Backend.fromName('db', 5432))],
      tcp: [TcpPort.of(5432, Backend.fromName('pg', 5432)), TcpPort.of(6379, Backend.fromName('redis', 6379))],
    });
    expect(find(manifests, 'Gateway').spec.servers).toEqual([
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'], tls: { httpsRedirect: true } },
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-tls' } },
      { port: { number: 443, name: 'tls-443', protocol: 'TLS' }, hosts: ['db.example.com'], tls: { mode: 'PASSTHROUGH' } },
      { port: { number: 5432, name: 'tcp-5432', protocol: 'TCP' }, hosts: ['*'] },
      { port: { number: 6379, name: 'tcp-6379', protocol: 'TCP' }, hosts: ['*'] },
    ]);
    const vs = find(manifests, 'VirtualService');
    expect(vs.spec.hosts).toEqual(['shop.example.com', 'db.example.com']);
    expect(vs.spec.http).toHaveLength(1);
    expect(vs.spec.tls).toEqual([{ match: [{ port: 443, sniHosts: ['db.example.com'] }], route: [{ destination: { host: 'db', port: { number: 5432 } } }] }]);
    expect(vs.spec.tcp).toEqual([
      { match: [{ port: 5432 }], route: [{ destination: { host: 'pg', port: { number: 5432 } } }] },
      { match: [{ port: 6379 }], route: [{ destination: { host: 'redis', port: { number: 6379 } } }] },
    ]);
  });

  test('TCP only: the VirtualService takes every host of its TCP servers; an existing Gateway is bound to', () => {
    const own = expose({ tcp: [TcpPort.of(5432, Backend.fromName('pg', 5432))] });
    expect(find(own, 'VirtualService').spec.hosts).toEqual(['*']);
    const existing = expose({ tcp: [TcpPort.of(5432, Backend.fromName('pg', 5432))] },
      { gateway: IstioGateway.existing({ namespace: 'istio-ingress', name: 'public' }) });
    expect(ofKind(existing, 'Gateway')).toEqual([]);
    expect(find(existing, 'VirtualService').spec.gateways).toEqual(['istio-ingress/public']);
  });

  test('an existing Gateway: none is created, the VirtualService binds to it and to the mesh', () => {
    const manifests = expose({ hosts: ['a.example.com'], backend: httpbin() }, {
      gateway: IstioGateway.existing({ namespace: 'istio-ingress', name: 'public' }),
      bindToMesh: true,
    });
    expect(ofKind(manifests, 'Gateway')).toEqual([]);
    expect(find(manifests, 'VirtualService').spec.gateways).toEqual(['istio-ingress/public', 'mesh']);
  });

  test('no hosts: the Gateway and VirtualService take every host', () => {
    const manifests = expose({ backend: httpbin() });
    expect(find(manifests, 'Gateway').spec.servers[0].hosts).toEqual(['*']);
    expect(find(manifests, 'VirtualService').spec.hosts).toEqual(['*']);
    expect(httpOf(manifests)).toEqual([{ name: 'default', match: [{ uri: { prefix: '/' } }], route: [{ destination: { host: 'httpbin', port: { number: 8000 } } }] }]);
  });

  test('matches: uri exact/prefix/regex, headers, query parameters, method', () => {
    const http = httpOf(expose({
      hosts: ['a.example.com'],
      backend: httpbin(),
      routes: [{
        match: {
          path: PathMatch.regex('/users/[0-9]+'),
          headers: [HeaderMatch.exact('x-canary', 'true'), HeaderMatch.prefix('user-agent', 'Mozilla'), HeaderMatch.regex('x-tenant', 'a|b')],
          queryParams: [QueryParamMatch.exact('debug', '1'), QueryParamMatch.regex('v', '[0-9]+')],
          method: 'GET',
        },
      }],
    }));
    expect(http[0].match).toEqual([{
      uri: { regex: '/users/[0-9]+' },
      method: { exact: 'GET' },
      headers: { 'user-agent': { prefix: 'Mozilla' }, 'x-canary': { exact: 'true' }, 'x-tenant': { regex: 'a|b' } },
      queryParams: { debug: { exact: '1' }, v: { regex: '[0-9]+' } },
    }]);
  });

  test('routes are ordered most specific first, as Ingress and Gateway API precedence', () => {
    const http = httpOf(expose({
      hosts: ['a.example.com'],
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/') } },
        { match: { path: PathMatch.prefix('/api') } },
        { match: { path: PathMatch.prefix('/api'), method: 'POST' } },
        { match: { path: PathMatch.prefix('/api/v2') } },
        { match: { path: PathMatch.regex('/api/[a-z]+') } },
        { match: { path: PathMatch.exact('/api') } },
      ],
    }));
    expect(http.map((h: any) => h.name)).toEqual(['routes-5', 'routes-4', 'routes-3', 'routes-2', 'routes-1', 'routes-0']);
  });

  test('every L7 policy maps natively', () => {
    const http = httpOf(expose({
      hosts: ['a.example.com'],
      backend: httpbin(),
      timeout: Duration.seconds(10),
      cors: { allowOrigins: ['https://app.example.com', '*'], allowMethods: ['GET'], allowHeaders: ['X-Token'], exposeHeaders: ['X-Id'], maxAge: Duration.hours(1) },
      routes: [{
        match: { path: PathMatch.exact('/slow') },
        timeout: Duration.millis(1500),
        retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: ['5xx', 'reset'] },
        fault: { abort: { httpStatus: 503, percentage: 1 }, delay: { fixedDelay: Duration.seconds(2), percentage: 5.5 } },
        mirror: { backend: Backend.fromName('shadow', 8080), percentage: 10 },
        rewrite: { path: '/delay/1', host: 'internal.example.com' },
        requestHeaders: { set: { 'X-Env': 'prod' }, add: { 'x-trace': 'on' }, remove: ['x-debug'] },
        responseHeaders: { remove: ['server'] },
      }],
    }));
    expect(http).toEqual([{
      name: 'routes-0',
      match: [{ uri: { exact: '/slow' } }],
      route: [{ destination: { host: 'httpbin', port: { number: 8000 } } }],
      rewrite: { uri: '/delay/1', authority: 'internal.example.com' },
      timeout: '1.5s',
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset' },
      fault: { abort: { httpStatus: 503, percentage: { value: 1 } }, delay: { fixedDelay: '2s', percentage: { value: 5.5 } } },
      mirror: { host: 'shadow', port: { number: 8080 } },
      mirrorPercentage: { value: 10 },
      corsPolicy: {
        allowOrigins: [{ exact: 'https://app.example.com' }, { regex: '.*' }],
        allowMethods: ['GET'],
        allowHeaders: ['x-token'],
        exposeHeaders: ['x-id'],
        allowCredentials: false,
        maxAge: '3600s',
      },
      headers: { request: { set: { 'x-env': 'prod' }, add: { 'x-trace': 'on' }, remove: ['x-debug'] }, response: { remove: ['server'] } },
    }]);
  });

  test('retries with 0 attempts disable retries', () => {
    expect(httpOf(expose({ backend: httpbin(), retries: { attempts: 0 } }))[0].retries).toEqual({ attempts: 0 });
  });

  test('a prefix rewrite is element-wise: /api -> / serves /api/x as /x and /api as /', () => {
    const http = httpOf(expose({ hosts: ['a.example.com'], backend: httpbin(), routes: [{ match: { path: PathMatch.prefix('/api') }, rewrite: { path: '/' } }] }));
    expect(http.map((h: any) => [h.name, h.match, h.rewrite])).toEqual([
      ['routes-0-exact', [{ uri: { exact: '/api' } }], { uri: '/' }],
      ['routes-0', [{ uri: { prefix: '/api/' } }], { uri: '/' }],
    ]);
  });

  test('redirects', () => {
    const http = httpOf(expose({
      hosts: ['old.example.com'],
      routes: [{ redirect: { scheme: 'https', host: 'new.example.com', port: 8443, path: '/home', statusCode: 308 } }],
    }));
    expect(http).toEqual([{
      name: 'routes-0',
      match: [{ uri: { prefix: '/' } }],
      redirect: { scheme: 'https', authority: 'new.example.com', port: 8443, uri: '/home', redirectCode: 308 },
    }]);
  });

  test('weighted backends become percentages that sum to 100', () => {
    const http = httpOf(expose({
      hosts: ['a.example.com'],
      routes: [{ backends: [{ backend: Backend.fromName('a', 80), weight: 1 }, { backend: Backend.fromName('b', 80), weight: 1 }, { backend: Backend.fromName('c', 80), weight: 1 }] }],
    }));
    expect(http[0].route.map((r: any) => [r.destination.host, r.weight])).toEqual([['a', 34], ['b', 33], ['c', 33]]);
  });

  test('bookinfo: version subsets of reviews in a DestinationRule, a canary with retries', () => {
    const chart = testChart('bookinfo', 'bookinfo');
    for (const version of ['v1', 'v2', 'v3']) {
      const dep = new kplus.Deployment(chart, `reviews-${version}`, {
        containers: [{ image: `docker.io/istio/examples-bookinfo-reviews-${version}:1.20.3`, portNumber: 9080 }],
        podMetadata: { labels: { app: 'reviews', version } },
      });
      void dep;
    }
    const reviews = new kplus.Service(chart, 'reviews', { ports: [{ port: 9080 }] });
    reviews.selectLabel('app', 'reviews');
    new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.istio({ trafficPolicy: { loadBalancer: 'LEAST_REQUEST' } }),
      circuitBreaker: CircuitBreaker.of({ consecutiveErrors: 5, interval: Duration.seconds(10) }),
      hosts: ['bookinfo.example.com'],
      routes: [{
        match: { path: PathMatch.prefix('/reviews') },
        backends: [
          { backend: Backend.fromService(reviews, { subset: { name: 'v1', labels: { version: 'v1' } } }), weight: 80 },
          { backend: Backend.fromService(reviews, { subset: { name: 'v3', labels: { version: 'v3' } } }), weight: 20 },
        ],
        retries: { attempts: 3, perTryTimeout: Duration.seconds(2) },
      }],
    });
    const manifests = synthChecked(chart);
    const rule = find(manifests, 'DestinationRule');
    expect(rule.spec).toEqual({
      host: `${reviews.name}.bookinfo.svc.cluster.local`,
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v3', labels: { version: 'v3' } }],
      trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' }, outlierDetection: { consecutive5xxErrors: 5, interval: '10s' } },
    });
    expect(httpOf(manifests)[0].route).toEqual([
      { destination: { host: `${reviews.name}.bookinfo.svc.cluster.local`, subset: 'v1', port: { number: 9080 } }, weight: 80 },
      { destination: { host: `${reviews.name}.bookinfo.svc.cluster.local`, subset: 'v3', port: { number: 9080 } }, weight: 20 },
    ]);
    expect(httpOf(manifests)[0].retries).toEqual({ attempts: 3, perTryTimeout: '2s', retryOn: 'connect-failure,gateway-error,reset' });
    expect(manifests).toMatchSnapshot();
  });

  test('JWT: RequestAuthentication and a DENY policy without a principal of the issuer, on the gateway workload', () => {
    const manifests = expose({
      hosts: ['api.example.com'],
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/public') } },
        { match: { path: PathMatch.prefix('/admin'), method: 'POST' }, auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/jwks', audiences: ['api'] }) },
      ],
    }, { gateway: IstioGateway.create({ namespace: 'istio-system' }) }, 'shop');
    const ra = find(manifests, 'RequestAuthentication');
    expect(ra.apiVersion).toBe('security.istio.io/v1');
    expect(ra.metadata.namespace).toBe('istio-system');
    expect(ra.spec).toEqual({
      selector: { matchLabels: { istio: 'ingressgateway' } },
      // The generated L1 writes the CRD's proto spelling of jwksUri.
      jwtRules: [{ issuer: 'https://id.example.com', jwks_uri: 'https://id.example.com/jwks', audiences: ['api'] }],
    });
    const policy = find(manifests, 'AuthorizationPolicy');
    expect(policy.metadata).toEqual({ name: 'test-public-require-jwt', namespace: 'istio-system' });
    expect(policy.spec).toEqual({
      selector: { matchLabels: { istio: 'ingressgateway' } },
      action: 'DENY',
      // A token of another issuer the shared gateway accepts is a principal too: the issuer's only.
      // The paths as the VirtualService routes them: /admin is a string prefix there (/administrator too).
      rules: [{
        from: [{ source: { notRequestPrincipals: ['https://id.example.com/*'] } }],
        to: [{ operation: { hosts: ['api.example.com'], paths: ['/admin*'], methods: ['POST'] } }],
      }],
    });
  });

  test('JWT for every route: the policy covers the hosts', () => {
    const policy = find(expose({
      hosts: ['api.example.com'],
      backend: httpbin(),
      auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/jwks' }),
    }, SHARED_GATEWAY), 'AuthorizationPolicy');
    expect(policy.spec.rules).toEqual([{ from: [{ source: { notRequestPrincipals: ['https://id.example.com/*'] } }], to: [{ operation: { hosts: ['api.example.com'] } }] }]);
  });

  test('JWT on some routes: each rule covers the requests its route takes, not those of more specific routes', () => {
    const a = Auth.jwt({ issuer: 'https://a.example.com', jwksUri: 'https://a.example.com/jwks' });
    const b = Auth.jwt({ issuer: 'https://b.example.com', jwksUri: 'https://b.example.com/jwks' });
    const routes: RouteProps[] = [
      { match: { path: PathMatch.prefix('/admin') }, auth: a },
      { match: { path: PathMatch.prefix('/admin/health') } },
      { match: { path: PathMatch.exact('/admin/login'), method: 'GET' } },
      { match: { path: PathMatch.prefix('/partner') }, auth: b },
      { match: { path: PathMatch.prefix('/partner/public') }, rewrite: { path: '/public' } },
      { match: { path: PathMatch.prefix('/partner/admin') }, auth: a },
      { match: { path: PathMatch.prefix('/api'), method: 'POST' }, auth: a },
      { match: { path: PathMatch.prefix('/') }, auth: b },
      { match: { path: PathMatch.prefix('/'), method: 'GET' } },
    ];
    const manifests = expose({ hosts: ['api.example.com'], backend: httpbin(), routes }, SHARED_GATEWAY);
    const policy = find(manifests, 'AuthorizationPolicy');
    const principal = (iss: string) => [{ source: { notRequestPrincipals: [`${iss}/*`] } }];
    const hosts = ['api.example.com'];
    expect(policy.spec.rules).toEqual([
      // routes[0]: /admin, but not /admin/health (every method) nor GET /admin/login (taken first).
      {
        from: principal('https://a.example.com'),
        to: [
          { operation: { hosts, paths: ['/admin*'], methods: ['GET'], notPaths: ['/admin/login', '/admin/health*'] } },
          { operation: { hosts, paths: ['/admin*'], notMethods: ['GET'], notPaths: ['/admin/health*'] } },
        ],
      },
      // routes[3]: /partner, but not /partner/public (split element-wise by its rewrite) nor /partner/admin (issuer a).
      { from: principal('https://b.example.com'), to: [{ operation: { hosts, paths: ['/partner*'], notPaths: ['/partner/public', '/partner/public/*', '/partner/admin*'] } }] },
      { from: principal('https://a.example.com'), to: [{ operation: { hosts, paths: ['/partner/admin*'] } }] },
      { from: principal('https://a.example.com'), to: [{ operation: { hosts, paths: ['/api*'], methods: ['POST'] } }] },
      // routes[7]: every path, less what the routes before it take: GET is all routes[8]'s (a method ranks first).
      {
        from: principal('https://b.example.com'),
        to: [
          { operation: { hosts, methods: ['POST'], notPaths: ['/partner/public', '/partner/public/*', '/partner/admin*', '/admin/health*', '/admin*', '/api*'] } },
          { operation: { hosts, notMethods: ['GET', 'POST'], notPaths: ['/partner/public', '/partner/public/*', '/partner/admin*', '/admin/health*', '/admin*'] } },
        ],
      },
    ]);
    // Against the VirtualService: every request needs the token of its route's issuer, and only that.
    const issuerOfEntry = (entry: string | undefined) => {
      const auth = entry === undefined ? undefined : routes[Number(/^routes-(\d+)/.exec(entry)![1])].auth;
      return auth === a ? ['https://a.example.com'] : auth === b ? ['https://b.example.com'] : [];
    };
    const paths = ['/', '/x', '/admin', '/admin/', '/admin/x', '/administrator', '/admin/health', '/admin/healthz', '/admin/health/x', '/admin/login',
      '/admin/loginx', '/partner', '/partner/x', '/partner/public', '/partner/public/x', '/partner/publicity', '/partner/admin', '/partner/adminx', '/api', '/api/x', '/apix'];
    for (const path of paths) {
      for (const method of ['GET', 'POST', 'DELETE']) {
        const req = { host: 'api.example.com', path, method };
        const entry = route(manifests, `${method} http://api.example.com${path}`).rule;
        expect([path, method, issuersRequiredByIstio(manifests, req)]).toEqual([path, method, issuerOfEntry(entry)]);
      }
    }
  });

  test('cert-manager: a Certificate for the hosts in the gateway namespace', () => {
    const manifests = expose({ hosts: ['a.example.com', 'b.example.com'], backend: httpbin(), tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }) },
      { gateway: IstioGateway.create({ namespace: 'istio-system' }) }, 'shop');
    const cert = find(manifests, 'Certificate');
    expect(cert.apiVersion).toBe('cert-manager.io/v1');
    expect(cert.metadata).toEqual({ name: 'test-public-tls', namespace: 'istio-system' });
    expect(cert.spec).toEqual({
      secretName: 'test-public-tls',
      dnsNames: ['a.example.com', 'b.example.com'],
      issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' },
    });
    expect(find(manifests, 'Gateway').spec.servers[1].tls.credentialName).toBe('test-public-tls');
  });

  test('apiVersion v1beta1 for meshes older than Istio 1.22', () => {
    const manifests = expose({
      hosts: ['a.example.com'],
      routes: [{ backend: Backend.fromName('reviews', 9080, { subset: { name: 'v2', labels: { version: 'v2' } } }) }],
      auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/jwks' }),
    }, { ...SHARED_GATEWAY, apiVersion: 'v1beta1' });
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind}`)).toEqual([
      'networking.istio.io/v1beta1 Gateway',
      'networking.istio.io/v1beta1 VirtualService',
      'networking.istio.io/v1beta1 DestinationRule',
      'security.istio.io/v1beta1 RequestAuthentication',
      'security.istio.io/v1beta1 AuthorizationPolicy',
    ]);
  });

  test.each([
    ['API keys', { auth: Auth.apiKey({ secret: 'keys' }) },
      "ExposedService test/public: auth: 'auth-api-key' is not supported by istio; supported by: gatewayApi (envoyGateway), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)"],
    ['basic auth', { auth: Auth.basic({ secret: 'users' }) },
      "ExposedService test/public: auth: 'auth-basic' is not supported by istio; supported by: ingress (ingressNginx), gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)"],
    ['rate limits', { rateLimit: RateLimit.perSecond(10) },
      "ExposedService test/public: rateLimit: 'rate-limit' is not supported by istio; supported by: ingress (ingressNginx), gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)"],
  ] as [string, Partial<ExposedServiceProps>, string][])('%s are capability errors', (_name, extra, message) => {
    expect(exposeError({ hosts: ['a.example.com'], backend: httpbin(), ...extra })).toBe(message);
  });

  test.each([
    ['mesh binding without hosts', {}, { bindToMesh: true },
      'ExposedService test/public: hosts: a VirtualService bound to the mesh needs hosts: in the mesh, "*" would capture every service; set hosts'],
    ['cert-manager on an existing gateway', { hosts: ['a.example.com'], tls: Tls.certManager({ issuer: 'ca' }) },
      { gateway: IstioGateway.existing({ namespace: 'istio-system', name: 'gw' }) },
      'ExposedService test/public: tls: an existing Gateway serves its own certificates on its own servers; remove tls, or use IstioGateway.create()'],
    ['a Secret on an existing gateway', { hosts: ['a.example.com'], tls: Tls.fromSecret('a-tls') },
      { gateway: IstioGateway.existing({ namespace: 'istio-system', name: 'gw' }) },
      'ExposedService test/public: tls: an existing Gateway serves its own certificates on its own servers; remove tls, or use IstioGateway.create()'],
    ['JWT without hosts', { auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/k' }) }, SHARED_GATEWAY,
      'ExposedService test/public: auth: JWT is enforced on the shared gateway workload by host: without hosts the policy would cover every host it serves; set hosts'],
    ['JWT with the mesh bound', { hosts: ['a.example.com'], auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/k' }) }, { ...SHARED_GATEWAY, bindToMesh: true },
      'ExposedService test/public: auth: JWT is enforced at the gateway only: callers in the mesh would bypass it; remove bindToMesh or secure the workloads with their own policies'],
    ['JWT on an existing gateway of unknown workload', { hosts: ['a.example.com'], auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/k' }) },
      { gateway: IstioGateway.existing({ namespace: 'istio-system', name: 'gw' }) },
      'ExposedService test/public: auth: JWT is validated by the gateway workload, whose labels are unknown: pass IstioGateway.existing({ ..., selector })'],
    ['JWT on a regex route', {
      hosts: ['a.example.com'],
      routes: [{ match: { path: PathMatch.regex('/a.*') }, auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/k' }) }, {}],
    }, SHARED_GATEWAY, 'ExposedService test/public: routes[0].auth: AuthorizationPolicy paths are exact or prefix: a JWT route cannot have a regex path; use the service-level auth or a prefix'],
    ['a route without JWT before a JWT route, by a header match', {
      hosts: ['a.example.com'],
      routes: [
        { match: { path: PathMatch.prefix('/a'), headers: [HeaderMatch.exact('x-public', 'yes')] } },
        { match: { path: PathMatch.prefix('/') }, auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/k' }) },
      ],
    }, SHARED_GATEWAY, 'ExposedService test/public: routes[1].auth: routes[0] matches some of this route\'s requests first (by a regex, header or query match) without requiring its JWT; '
      + 'an AuthorizationPolicy cannot exempt them by those matches: give the routes disjoint paths, or the same auth'],
    ['tlsMode PASSTHROUGH (declared on the exposure now)', { hosts: ['a.example.com'], backend: httpbin(), tls: Tls.fromSecret('x') },
      { gateway: IstioGateway.create({ tlsMode: 'PASSTHROUGH' as any }) },
      'ExposedService test/public: strategy: tlsMode "PASSTHROUGH" is declared on the exposure now: remove tlsMode and tls, '
        + 'and declare passthrough: [TlsPassthrough.host(host, backend)] for each host'],
    ['an unknown tlsMode', { backend: httpbin() }, { gateway: IstioGateway.create({ tlsMode: 'STRICT' as any }) },
      'ExposedService test/public: strategy: tlsMode "STRICT" is not a mode; use SIMPLE (client certificates: the TLS\'s clientCertificates; TLS passthrough: the exposure\'s passthrough)'],
    ['a stream bound to the mesh', { hosts: ['a.example.com'], backend: httpbin(), tcp: [TcpPort.of(5432, Backend.fromName('pg', 5432))] }, { bindToMesh: true },
      'ExposedService test/public: tcp[0]: a VirtualService bound to the mesh would route every mesh workload\'s connections to this port; '
        + 'remove bindToMesh, or declare the stream in an exposure of its own'],
    ['a bad gateway namespace', {}, { gateway: IstioGateway.create({ namespace: 'Istio_System' }) },
      'ExposedService test/public: strategy: gateway namespace "Istio_System" is not a DNS-1123 label; use lowercase letters, digits and "-"'],
    ['a bad workload namespace of an existing Gateway', {}, { gateway: IstioGateway.existing({ namespace: 'shop', name: 'public', workloadNamespace: 'Istio_System' }) },
      'ExposedService test/public: strategy: workloadNamespace "Istio_System" is not a DNS-1123 label; use lowercase letters, digits and "-"'],
    ['an empty selector', {}, { gateway: IstioGateway.create({ selector: {} }) },
      'ExposedService test/public: strategy: selector is empty; it would select every gateway workload'],
    ['an unknown apiVersion', {}, { apiVersion: 'v1alpha3' as any },
      'ExposedService test/public: strategy: apiVersion "v1alpha3" is not served; use "v1" (Istio 1.22+) or "v1beta1"'],
    ['a subset without labels', { backend: Backend.fromName('reviews', 9080, { subset: { name: 'v1', labels: {} } }) }, {},
      'ExposedService test/public: backend: subset "v1" has no labels; name the pod labels that select it'],
  ] as [string, Partial<ExposedServiceProps>, IstioStrategyOptions, string][])('%s is an error', (_name, props, options, message) => {
    expect(exposeError({ backend: httpbin(), ...props }, options)).toBe(message);
  });

  test('subsets are an Istio feature: Ingress rejects them', () => {
    expect(() => new ExposedService(testChart(), 'public', {
      strategy: ExposureStrategy.ingress({ className: 'istio' }),
      backend: Backend.fromName('reviews', 9080, { subset: { name: 'v2', labels: { version: 'v2' } } }),
    })).toThrow("ExposedService test/public: backend: 'subsets' is not supported by ingress; supported by: istio");
  });
});

describe('istio reports every problem it cannot express at once', () => {
  const lines = (...problems: string[]) => problems.map((p) => `ExposedService test/public: ${p}`).join('\n');
  const jwt = (jwksUri = 'https://id.example.com/k') => Auth.jwt({ issuer: 'https://id.example.com', jwksUri });

  test('a mesh binding without hosts, and JWT that needs hosts and no mesh', () => {
    expect(exposeError({ backend: httpbin(), auth: jwt() }, { ...SHARED_GATEWAY, bindToMesh: true })).toBe(lines(
      'hosts: a VirtualService bound to the mesh needs hosts: in the mesh, "*" would capture every service; set hosts',
      'auth: JWT is enforced on the shared gateway workload by host: without hosts the policy would cover every host it serves; set hosts',
      'auth: JWT is enforced at the gateway only: callers in the mesh would bypass it; remove bindToMesh or secure the workloads with their own policies',
    ));
  });

  test('TLS on an existing Gateway of unknown workload, and JWT routes an AuthorizationPolicy cannot scope, route by route', () => {
    expect(exposeError({
      backend: httpbin(),
      hosts: ['a.example.com'],
      tls: Tls.fromSecret('a-tls'),
      routes: [
        { match: { path: PathMatch.regex('/a.*'), headers: [HeaderMatch.exact('x-tenant', 'a')] }, auth: jwt() },
        { match: { path: PathMatch.prefix('/b'), headers: [HeaderMatch.exact('x-public', 'yes')] } },
        { match: { path: PathMatch.prefix('/') }, auth: jwt('https://id.example.com/other-keys') },
      ],
    }, { gateway: IstioGateway.existing({ namespace: 'istio-system', name: 'gw' }) })).toBe(lines(
      'tls: an existing Gateway serves its own certificates on its own servers; remove tls, or use IstioGateway.create()',
      'routes[0].auth: JWT is validated by the gateway workload, whose labels are unknown: pass IstioGateway.existing({ ..., selector })',
      'routes[0].auth: AuthorizationPolicy paths are exact or prefix: a JWT route cannot have a regex path; use the service-level auth or a prefix',
      'routes[0].auth: AuthorizationPolicy cannot scope JWT to header or query matches; move auth to the service level or drop those matches',
      'routes[2].auth: issuer https://id.example.com is declared with another jwksUri or audiences elsewhere; a gateway has one rule per issuer',
      'routes[2].auth: routes[1] matches some of this route\'s requests first (by a regex, header or query match) without requiring its JWT; '
        + 'an AuthorizationPolicy cannot exempt them by those matches: give the routes disjoint paths, or the same auth',
    ));
  });
});

/** The backend a request reaches, `redirect`, or undefined (no route). */
function outcome(r: RouteResult): string | undefined {
  return r.kind === 'forward' ? r.backend : r.kind === 'redirect' ? 'redirect' : undefined;
}

describe('ingress({ className: "istio" }) and istio() route alike', () => {
  const DECLARATIONS: [string, Omit<ExposedServiceProps, 'strategy'>][] = [
    ['the article example', { hosts: ['httpbin.example.com'], backend: httpbin(), routes: [{ match: { path: PathMatch.prefix('/status') } }] }],
    ['exact and prefix paths to several backends', {
      hosts: ['shop.example.com'],
      backend: Backend.fromName('web', 80),
      routes: [
        { match: { path: PathMatch.exact('/healthz') }, backend: Backend.fromName('health', 8080) },
        { match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080) },
        { match: { path: PathMatch.prefix('/api/v2') }, backend: Backend.fromName('api-v2', 8080) },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }],
    ['several hosts and a catch-all', { hosts: ['a.example.com', '*.b.example.com'], backend: httpbin() }],
  ];
  const REQUESTS: { host: string; path: string }[] = [
    { host: 'httpbin.example.com', path: '/status/200' },
    { host: 'httpbin.example.com', path: '/status' },
    { host: 'httpbin.example.com', path: '/headers' },
    { host: 'shop.example.com', path: '/healthz' },
    { host: 'shop.example.com', path: '/healthz/deep' },
    { host: 'shop.example.com', path: '/api/v1/users' },
    { host: 'shop.example.com', path: '/api/v2/users' },
    { host: 'shop.example.com', path: '/' },
    { host: 'a.example.com', path: '/x' },
    { host: 'x.b.example.com', path: '/' },
    { host: 'other.example.com', path: '/' },
  ];

  test.each(DECLARATIONS)('%s', (_name, props) => {
    const viaIngress = testChart();
    new ExposedService(viaIngress, 'public', { ...props, strategy: ExposureStrategy.ingress({ className: 'istio' }) });
    const viaIstio = testChart();
    new ExposedService(viaIstio, 'public', { ...props, strategy: ExposureStrategy.istio() });
    const ingress = synthChecked(viaIngress);
    const istio = synthChecked(viaIstio);
    for (const request of REQUESTS) {
      const url = `GET http://${request.host}${request.path}`;
      expect([request, outcome(route(istio, url))]).toEqual([request, outcome(route(ingress, url))]);
    }
  });
});

describe('istio strategy, client IP access lists', () => {
  const internal = AccessPolicy.allowFrom(['10.0.0.0/8', '2001:db8::/32'], { except: ['10.66.0.0/16'] });

  test('one list for the whole exposure: a DENY AuthorizationPolicy on the gateway workload for its hosts, by the original client address', () => {
    const manifests = expose({ hosts: ['shop.example.com'], backend: httpbin(), access: internal }, { gateway: IstioGateway.create({ namespace: 'istio-system' }) });
    const policy = find(manifests, 'AuthorizationPolicy', 'test-public-ip-access');
    expect(policy.apiVersion).toBe('security.istio.io/v1');
    expect(policy.metadata.namespace).toBe('istio-system');
    expect(policy.spec).toEqual({
      selector: { matchLabels: { istio: 'ingressgateway' } },
      action: 'DENY',
      rules: [{
        from: [{ source: { notRemoteIpBlocks: ['10.0.0.0/8', '2001:db8::/32'] } }, { source: { remoteIpBlocks: ['10.66.0.0/16'] } }],
        to: [{ operation: { hosts: ['shop.example.com'] } }],
      }],
    });
  });

  test('per route: the requests the VirtualService gives each route, less those more specific routes take first', () => {
    const manifests = expose({
      hosts: ['shop.example.com'],
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/admin') }, access: internal },
        { match: { path: PathMatch.exact('/admin/health') } },
        { match: { path: PathMatch.prefix('/'), method: 'POST' }, access: AccessPolicy.denyFrom(['203.0.113.0/24']) },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }, SHARED_GATEWAY);
    expect(find(manifests, 'AuthorizationPolicy', 'test-public-ip-access').spec.rules).toEqual([
      {
        from: [{ source: { notRemoteIpBlocks: ['10.0.0.0/8', '2001:db8::/32'] } }, { source: { remoteIpBlocks: ['10.66.0.0/16'] } }],
        // A VirtualService prefix is a string prefix: /admin* as it routes.
        to: [{ operation: { hosts: ['shop.example.com'], paths: ['/admin*'], notPaths: ['/admin/health'] } }],
      },
      {
        from: [{ source: { remoteIpBlocks: ['203.0.113.0/24'] } }],
        to: [{ operation: { hosts: ['shop.example.com'], methods: ['POST'], notPaths: ['/admin/health', '/admin*'] } }],
      },
    ]);
    // The JWT policy is another object: none here.
    expect(ofKind(manifests, 'AuthorizationPolicy')).toHaveLength(1);
  });

  test.each<[string, Partial<ExposedServiceProps>, IstioStrategyOptions, string[]]>([
    ['no hosts', { backend: httpbin(), access: internal }, {},
      ['access: client IP lists are enforced on the shared gateway workload by host: without hosts the policy would cover every host it serves; set hosts']],
    ['a VirtualService bound to the mesh', { hosts: ['a.example.com'], backend: httpbin(), access: internal }, { bindToMesh: true },
      ['access: client IP lists are enforced at the gateway only: callers in the mesh would bypass them; remove bindToMesh']],
    ['an existing Gateway of unknown workload', { hosts: ['a.example.com'], backend: httpbin(), access: internal },
      { gateway: IstioGateway.existing({ namespace: 'istio-system', name: 'gw' }) },
      ['access: client IP lists are enforced by the gateway workload, whose labels are unknown: pass IstioGateway.existing({ ..., selector })']],
    ['a route with a regex path', {
      hosts: ['a.example.com'], backend: httpbin(), routes: [{ match: { path: PathMatch.regex('/v[0-9]+') }, access: internal }, {}],
    }, {}, ['routes[0].access: AuthorizationPolicy paths are exact or prefix: a route with its own client IP list cannot have a regex path; '
      + 'declare the list for the exposure, or use a prefix']],
    ['a route with a header match', {
      hosts: ['a.example.com'], backend: httpbin(), routes: [{ match: { headers: [HeaderMatch.exact('x-tenant', 'a')] }, access: internal }, {}],
    }, {}, ['routes[0].access: AuthorizationPolicy cannot scope a client IP list to header or query matches; declare the list for the exposure, or drop those matches']],
    ['a more specific route taking requests by a header match', {
      hosts: ['a.example.com'],
      backend: httpbin(),
      routes: [{ match: { path: PathMatch.prefix('/api'), headers: [HeaderMatch.exact('x-tenant', 'a')] } }, { match: { path: PathMatch.prefix('/') }, access: internal }],
    }, {}, ['routes[1].access: routes[0] matches some of this route\'s requests first (by a regex, header or query match) with another client IP list; '
      + 'an AuthorizationPolicy cannot exempt them by those matches: give the routes disjoint paths, or the same list']],
  ])('refused: %s', (_name, props, options, messages) => {
    // On the shared gateway, its namespace declared, unless the case names another Gateway: the case's problem is the only one.
    expect(exposeError(props, { ...SHARED_GATEWAY, ...options })).toBe(messages.map((m) => `ExposedService test/public: ${m}`).join('\n'));
  });

  test('one list for every route (inherited) needs no route told apart: a regex route is fine', () => {
    const manifests = expose({ hosts: ['a.example.com'], backend: httpbin(), access: internal, routes: [{ match: { path: PathMatch.regex('/v[0-9]+') } }, {}] },
      SHARED_GATEWAY);
    expect(find(manifests, 'AuthorizationPolicy').spec.rules[0].to).toEqual([{ operation: { hosts: ['a.example.com'] } }]);
  });
});

describe('istio strategy, the status of the HTTPS redirect', () => {
  const TLS = { hosts: ['shop.example.com'], backend: httpbin(), tls: Tls.fromSecret('shop-tls') };
  const httpServer = (manifests: Manifest[]) => find(manifests, 'Gateway').spec.servers[0];

  test('301 is the Gateway\'s tls.httpsRedirect, as without it', () => {
    expect(httpServer(expose({ ...TLS, httpsRedirectCode: 301 }))).toEqual(httpServer(expose(TLS)));
    expect(httpServer(expose({ ...TLS, httpsRedirectCode: 301 })).tls).toEqual({ httpsRedirect: true });
  });

  test.each([302, 307, 308])('%d is refused: tls.httpsRedirect answers 301 only', (code) => {
    expect(exposeError({ ...TLS, httpsRedirectCode: code })).toBe(
      `ExposedService test/public: httpsRedirectCode: Istio's Gateway redirects plain HTTP to HTTPS with 301 only (tls.httpsRedirect); use 301, or gatewayApi or apiGateway for ${code}`);
  });

  test('a Gateway created without the redirect refuses a code', () => {
    expect(exposeError({ ...TLS, httpsRedirectCode: 301 }, { gateway: IstioGateway.create({ httpsRedirect: false }) })).toBe(
      'ExposedService test/public: httpsRedirectCode: the Gateway is created with httpsRedirect: false, so plain HTTP is not redirected; remove httpsRedirectCode or the option');
  });
});

test('istio refuses a request body size limit (no VirtualService or Gateway field; Envoy\'s buffer filter needs an EnvoyFilter), naming the strategies that can', () => {
  expect(exposeError({ hosts: ['shop.example.com'], backend: httpbin(), maxRequestBody: Size.mebibytes(8) })).toBe(
    "ExposedService test/public: maxRequestBody: 'max-request-body' is not supported by istio; supported by: ingress (ingressNginx), gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)");
});

describe('istio strategy, external authentication', () => {
  const oauth2 = () => Auth.external({ service: Backend.fromName('oauth2-proxy', 4180), forwardHeaders: ['cookie'], responseHeaders: ['x-auth-request-user'] });
  const PROVIDER = { externalAuthProvider: 'oauth2-proxy' };

  test('for the whole exposure: a CUSTOM AuthorizationPolicy on the gateway workload naming the mesh\'s provider, for the exposure\'s hosts', () => {
    const manifests = expose({ hosts: ['shop.example.com'], backend: httpbin(), auth: oauth2() },
      { ...PROVIDER, gateway: IstioGateway.create({ namespace: 'istio-system' }) });
    const policy = find(manifests, 'AuthorizationPolicy', 'test-public-ext-auth');
    expect(policy.apiVersion).toBe('security.istio.io/v1');
    expect(policy.metadata.namespace).toBe('istio-system');
    expect(policy.spec).toEqual({
      selector: { matchLabels: { istio: 'ingressgateway' } },
      action: 'CUSTOM',
      provider: { name: 'oauth2-proxy' },
      rules: [{ to: [{ operation: { hosts: ['shop.example.com'] } }] }],
    });
    expect(ofKind(manifests, 'AuthorizationPolicy')).toHaveLength(1);
  });

  test('per route: the requests the VirtualService gives the routes that declare it, less those more specific routes take first', () => {
    const manifests = expose({
      hosts: ['shop.example.com'],
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/app') }, auth: oauth2() },
        { match: { path: PathMatch.exact('/app/health') } },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }, { ...PROVIDER, ...SHARED_GATEWAY });
    expect(find(manifests, 'AuthorizationPolicy', 'test-public-ext-auth').spec.rules).toEqual([
      { to: [{ operation: { hosts: ['shop.example.com'], paths: ['/app*'], notPaths: ['/app/health'] } }] },
    ]);
  });

  test.each<[string, Partial<ExposedServiceProps>, IstioStrategyOptions, string[]]>([
    ['no extension provider named', { hosts: ['a.example.com'], backend: httpbin(), auth: oauth2() }, {},
      ['auth: Istio asks an auth service through an extension provider of the mesh (meshConfig.extensionProviders, envoyExtAuthzHttp); '
        + 'name it with ExposureStrategy.istio({ externalAuthProvider })']],
    ['no hosts', { backend: httpbin(), auth: oauth2() }, PROVIDER,
      ['auth: external authentication is enforced on the shared gateway workload by host: without hosts the policy would cover every host it serves; set hosts']],
    ['a VirtualService bound to the mesh', { hosts: ['a.example.com'], backend: httpbin(), auth: oauth2() }, { ...PROVIDER, bindToMesh: true },
      ['auth: external authentication is enforced at the gateway only: callers in the mesh would bypass it; remove bindToMesh']],
    ['an existing Gateway of unknown workload', { hosts: ['a.example.com'], backend: httpbin(), auth: oauth2() },
      { ...PROVIDER, gateway: IstioGateway.existing({ namespace: 'istio-system', name: 'gw' }) },
      ['auth: external authentication is enforced by the gateway workload, whose labels are unknown: pass IstioGateway.existing({ ..., selector })']],
    ['two different auth services', {
      hosts: ['a.example.com'],
      backend: httpbin(),
      auth: oauth2(),
      routes: [{ match: { path: PathMatch.prefix('/admin') }, auth: Auth.external({ service: Backend.fromName('authz', 8080) }) }, {}],
    }, PROVIDER, ['auth: declares another auth service or settings than routes[0].auth; the exposure\'s one extension provider checks every request: '
      + 'declare the same Auth.external, or use ingress (ingressNginx), gatewayApi (experimental) or apiGateway']],
    ['a sign-in URL', { hosts: ['a.example.com'], backend: httpbin(), auth: Auth.external({ service: Backend.fromName('authz', 8080), signinUrl: 'https://sso.example.com/' }) },
      PROVIDER, ['auth.signinUrl: Istio\'s ext_authz has no sign-in redirect: the auth service\'s own refusal (a 302 to sign in) reaches the client; '
        + 'remove signinUrl, or use ingress (ingressNginx) or apiGateway']],
    ['a route with a regex path', {
      hosts: ['a.example.com'], backend: httpbin(), routes: [{ match: { path: PathMatch.regex('/v[0-9]+') }, auth: oauth2() }, {}],
    }, PROVIDER, ['routes[0].auth: AuthorizationPolicy paths are exact or prefix: a route with its own external authentication cannot have a regex path; '
      + 'declare it for the exposure, or use a prefix']],
    ['a route with a header match', {
      hosts: ['a.example.com'], backend: httpbin(), routes: [{ match: { headers: [HeaderMatch.exact('x-tenant', 'a')] }, auth: oauth2() }, {}],
    }, PROVIDER, ['routes[0].auth: AuthorizationPolicy cannot scope external authentication to header or query matches; declare it for the exposure, or drop those matches']],
    ['a more specific route taking requests by a header match', {
      hosts: ['a.example.com'],
      backend: httpbin(),
      routes: [{ match: { path: PathMatch.prefix('/api'), headers: [HeaderMatch.exact('x-tenant', 'a')] } }, { match: { path: PathMatch.prefix('/') }, auth: oauth2() }],
    }, PROVIDER, ['routes[1].auth: routes[0] matches some of this route\'s requests first (by a regex, header or query match) without this external authentication; '
      + 'an AuthorizationPolicy cannot exempt them by those matches: give the routes disjoint paths, or the same auth']],
    ['a provider name with a space', { hosts: ['a.example.com'], backend: httpbin(), auth: oauth2() }, { externalAuthProvider: 'oauth2 proxy' },
      ['strategy: externalAuthProvider "oauth2 proxy" is not the name of an extension provider; use the name of its meshConfig.extensionProviders entry']],
  ])('refused: %s', (_name, props, options, messages) => {
    // On the shared gateway, its namespace declared, unless the case names another Gateway: the case's problem is the only one.
    expect(exposeError(props, { ...SHARED_GATEWAY, ...options })).toBe(messages.map((m) => `ExposedService test/public: ${m}`).join('\n'));
  });
});

describe('istio strategy, the namespace of the gateway workload', () => {
  // Istio matches a RequestAuthentication's or AuthorizationPolicy's selector against the pods of
  // the policy's own namespace (every namespace from the root namespace). The policies go in the
  // Gateway's namespace: a created Gateway must say it, or they would miss the shared gateway's pods.
  const jwt = () => Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/k' });
  const ext = () => Auth.external({ service: Backend.fromName('oauth2-proxy', 4180) });
  const internal = AccessPolicy.allowFrom(['10.0.0.0/8']);
  const PROVIDER = { externalAuthProvider: 'oauth2-proxy' };
  const refusal = (field: string) => `ExposedService test/public: ${field}: Istio applies a gateway policy to the pods of the policy's own namespace, `
    + 'the Gateway\'s (or of every namespace from the root namespace): say where the gateway workload runs, '
    + 'IstioGateway.create({ namespace: \'istio-system\' }) for the shared ingress gateway';
  const HOSTS = { hosts: ['a.example.com'], backend: httpbin() };

  test.each<[string, Partial<ExposedServiceProps>, string]>([
    ['JWT', { ...HOSTS, auth: jwt() }, 'auth'],
    ['a client IP list', { ...HOSTS, access: internal }, 'access'],
    ['external authentication', { ...HOSTS, auth: ext() }, 'auth'],
    ['a route\'s client IP list', { ...HOSTS, routes: [{ match: { path: PathMatch.prefix('/admin') }, access: internal }, {}] }, 'routes[0].access'],
    ['a route\'s JWT', { ...HOSTS, routes: [{}, { match: { path: PathMatch.prefix('/admin') }, auth: jwt() }] }, 'routes[1].auth'],
  ])('%s on a Gateway created without a namespace is refused', (_name, props, field) => {
    expect(exposeError(props, { ...PROVIDER, gateway: IstioGateway.create() })).toBe(refusal(field));
    // The default gateway is the same created Gateway.
    expect(exposeError(props, PROVIDER)).toBe(refusal(field));
  });

  test('reported with every other problem at once', () => {
    expect(exposeError({ backend: httpbin(), auth: jwt(), access: internal }, { bindToMesh: true })).toBe([
      'hosts: a VirtualService bound to the mesh needs hosts: in the mesh, "*" would capture every service; set hosts',
      refusal('auth').replace('ExposedService test/public: ', ''),
      'auth: JWT is enforced on the shared gateway workload by host: without hosts the policy would cover every host it serves; set hosts',
      'auth: JWT is enforced at the gateway only: callers in the mesh would bypass it; remove bindToMesh or secure the workloads with their own policies',
      'access: client IP lists are enforced on the shared gateway workload by host: without hosts the policy would cover every host it serves; set hosts',
      'access: client IP lists are enforced at the gateway only: callers in the mesh would bypass them; remove bindToMesh',
    ].map((p) => `ExposedService test/public: ${p}`).join('\n'));
  });

  test('a Gateway created without a namespace and no gateway policy is unaffected', () => {
    const manifests = expose({ ...HOSTS, tls: Tls.fromSecret('a-tls') }, {}, 'shop');
    expect(find(manifests, 'Gateway').metadata.namespace).toBe('shop');
    expect(ofKind(manifests, 'AuthorizationPolicy')).toEqual([]);
  });

  test.each<[string, IstioStrategyOptions, string, Record<string, string>]>([
    ['created in the exposure\'s namespace, said (a gateway workload of its own there)',
      { gateway: IstioGateway.create({ namespace: 'shop', selector: { app: 'shop-gateway' } }) }, 'shop', { app: 'shop-gateway' }],
    ['created in istio-system', SHARED_GATEWAY, 'istio-system', { istio: 'ingressgateway' }],
    ['existing, with the labels of its workload',
      { gateway: IstioGateway.existing({ namespace: 'istio-ingress', name: 'public', selector: { istio: 'public' } }) }, 'istio-ingress', { istio: 'public' }],
    ['existing in the app\'s namespace, its workload said to run in istio-system (the policies go there, where Istio applies them)',
      { gateway: IstioGateway.existing({ namespace: 'shop', name: 'public', selector: { istio: 'ingressgateway' }, workloadNamespace: 'istio-system' }) },
      'istio-system', { istio: 'ingressgateway' }],
  ])('a Gateway %s: every policy goes in the namespace of its workload', (_name, options, namespace, labels) => {
    const manifests = expose({ ...HOSTS, routes: [{ match: { path: PathMatch.prefix('/admin') }, auth: jwt(), access: internal }, { auth: ext() }] },
      { ...PROVIDER, ...options }, 'shop');
    const policies = [...ofKind(manifests, 'RequestAuthentication'), ...ofKind(manifests, 'AuthorizationPolicy')];
    expect(policies.map((p) => `${p.kind} ${p.metadata.name} ${p.metadata.namespace}`)).toEqual([
      `RequestAuthentication test-public ${namespace}`,
      `AuthorizationPolicy test-public-require-jwt ${namespace}`,
      `AuthorizationPolicy test-public-ip-access ${namespace}`,
      `AuthorizationPolicy test-public-ext-auth ${namespace}`,
    ]);
    for (const p of policies) expect(p.spec.selector).toEqual({ matchLabels: labels });
  });
});

describe('istio strategy, circuit breaking', () => {
  const ALL = CircuitBreaker.of({
    maxConnections: 100,
    maxPendingRequests: 50,
    maxRequests: 1000,
    consecutiveErrors: 5,
    interval: Duration.seconds(10),
    ejectionTime: Duration.millis(1500),
    maxEjectedPercent: 50,
  });

  test('a DestinationRule per backend Service: connectionPool limits and outlierDetection, with the Istio-only options beside them', () => {
    const manifests = expose({
      hosts: ['shop.example.com'],
      backend: httpbin(),
      routes: [{}, { match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080), mirror: { backend: Backend.fromName('shadow', 8080) } }],
      circuitBreaker: ALL,
    }, { trafficPolicy: { loadBalancer: 'ROUND_ROBIN', connectionPool: { maxRequestsPerConnection: 10 } } });
    const rules = ofKind(manifests, 'DestinationRule');
    // Every backend Service the gateway calls, mirrors included: each is limited on its own.
    expect(rules.map((r) => r.spec.host)).toEqual(['api', 'httpbin', 'shadow']);
    for (const rule of rules) {
      expect(rule.spec.trafficPolicy).toEqual({
        loadBalancer: { simple: 'ROUND_ROBIN' },
        connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 50, http2MaxRequests: 1000, maxRequestsPerConnection: 10 } },
        outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '1.5s', maxEjectionPercent: 50 },
      });
    }
  });

  test('limits alone, or ejection alone, write only their part', () => {
    const limits = find(expose({ backend: httpbin(), circuitBreaker: CircuitBreaker.of({ maxConnections: 1 }) }), 'DestinationRule');
    expect(limits.spec.trafficPolicy).toEqual({ connectionPool: { tcp: { maxConnections: 1 } } });
    const ejection = find(expose({ backend: httpbin(), circuitBreaker: CircuitBreaker.of({ consecutiveErrors: 3 }) }), 'DestinationRule');
    expect(ejection.spec.trafficPolicy).toEqual({ outlierDetection: { consecutive5xxErrors: 3 } });
  });

  test('a Service reached by streams only: connections are limited and ejected (TCP); limits of requests are refused', () => {
    const streams = { passthrough: [TlsPassthrough.host('db.example.com', Backend.fromName('db', 5432))], tcp: [TcpPort.of(6379, Backend.fromName('cache', 6379))] };
    const limited = CircuitBreaker.of({ maxConnections: 10, consecutiveErrors: 3 });
    const rules = ofKind(expose({ ...streams, circuitBreaker: limited }), 'DestinationRule');
    expect(rules.map((r) => [r.spec.host, r.spec.trafficPolicy])).toEqual([
      ['cache', { connectionPool: { tcp: { maxConnections: 10 } }, outlierDetection: { consecutive5xxErrors: 3 } }],
      ['db', { connectionPool: { tcp: { maxConnections: 10 } }, outlierDetection: { consecutive5xxErrors: 3 } }],
    ]);
    const requests = CircuitBreaker.of({ maxConnections: 10, maxPendingRequests: 5, maxRequests: 5 });
    expect(exposeError({ ...streams, circuitBreaker: requests })).toBe(
      'ExposedService test/public: circuitBreaker: Service "db" is reached by streams only, which the gateway proxies as TCP without requests: '
        + 'maxPendingRequests and maxRequests cannot apply to it; maxConnections and the ejection do (failed connections count as errors)');
    // A Service the HTTP routes reach too takes them: its HTTP requests are limited.
    expect(ofKind(expose({ backend: Backend.fromName('db', 8080), passthrough: streams.passthrough, hosts: ['app.example.com'], circuitBreaker: requests }),
      'DestinationRule')).toHaveLength(1);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['connectionPool.maxConnections', { connectionPool: { maxConnections: 100 } }, 'CircuitBreaker.of({ maxConnections })'],
    ['connectionPool.http1MaxPendingRequests', { connectionPool: { http1MaxPendingRequests: 50 } }, 'CircuitBreaker.of({ maxPendingRequests })'],
    ['connectionPool.http2MaxRequests', { connectionPool: { http2MaxRequests: 1000 } }, 'CircuitBreaker.of({ maxRequests })'],
    ['outlierDetection', { outlierDetection: { consecutive5xxErrors: 5 } }, 'CircuitBreaker.of({ consecutiveErrors, interval, ejectionTime, maxEjectedPercent }) '
      + '(consecutive5xxErrors, interval, baseEjectionTime and maxEjectionPercent before)'],
  ])('trafficPolicy.%s moved to circuitBreaker: declaring it is refused with the migration', (field, trafficPolicy, instead) => {
    const circuitBreaker = CircuitBreaker.of({ maxConnections: 10 });
    expect(exposeError({ backend: httpbin(), circuitBreaker }, { trafficPolicy: trafficPolicy as never })).toBe(
      `ExposedService test/public: strategy: trafficPolicy.${field} moved to the exposure's circuitBreaker, the same for every strategy: remove it here and declare circuitBreaker: ${instead}`);
  });
});
