import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AccessPolicy, Auth, Backend, ExposedService, ExposedServiceProps, ExposureStrategy, HeaderMatch, IngressController, PathMatch, RateLimit, TcpPort,
  Tls, TlsPassthrough,
} from '../../src';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

const NGINX = 'nginx.ingress.kubernetes.io/';
const nginx = () => ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() });
const httpbin = () => Backend.fromName('httpbin', 8000);

/** Synthesizes one exposure in a fresh chart, checked. */
function expose(props: ExposedServiceProps, namespace?: string): Manifest[] {
  const chart = testChart('test', namespace);
  new ExposedService(chart, 'public', props);
  return synthChecked(chart);
}

function exposeError(props: ExposedServiceProps): string {
  return declarationError(props).message;
}

describe('ingress strategy, generic controller', () => {
  test('the article example: httpbin /status through the istio ingress class', () => {
    const manifests = expose({
      strategy: ExposureStrategy.ingress({ className: 'istio' }),
      hosts: ['httpbin.example.com'],
      backend: httpbin(),
      routes: [{ match: { path: PathMatch.prefix('/status') } }],
    });
    expect(manifests).toHaveLength(1);
    const ingress = find(manifests, 'Ingress');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.metadata.name).toBe('test-public');
    expect(ingress.metadata.annotations).toBeUndefined();
    expect(ingress.spec).toEqual({
      ingressClassName: 'istio',
      rules: [{
        host: 'httpbin.example.com',
        http: { paths: [{ path: '/status', pathType: 'Prefix', backend: { service: { name: 'httpbin', port: { number: 8000 } } } }] },
      }],
    });
    expect(manifests).toMatchSnapshot();
  });

  test('several hosts, several routes to several backends, exact and prefix paths', () => {
    const ingress = find(expose({
      strategy: ExposureStrategy.ingress({ className: 'traefik' }),
      hosts: ['shop.example.com', 'www.shop.example.com'],
      backend: Backend.fromName('web', 80),
      routes: [
        { match: { path: PathMatch.exact('/healthz') }, backend: Backend.fromName('health', 8080) },
        { match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080) },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }), 'Ingress');
    const paths = [
      { path: '/healthz', pathType: 'Exact', backend: { service: { name: 'health', port: { number: 8080 } } } },
      { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } },
      { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
    ];
    expect(ingress.spec.rules).toEqual([
      { host: 'shop.example.com', http: { paths } },
      { host: 'www.shop.example.com', http: { paths } },
    ]);
  });

  test('no hosts and one catch-all route: the Ingress default backend', () => {
    const ingress = find(expose({ strategy: ExposureStrategy.ingress({ className: 'nginx' }), backend: httpbin() }), 'Ingress');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      defaultBackend: { service: { name: 'httpbin', port: { number: 8000 } } },
    });
  });

  test('no hosts and routes: one rule without host', () => {
    const ingress = find(expose({
      strategy: ExposureStrategy.ingress({ className: 'nginx' }),
      backend: httpbin(),
      routes: [{ match: { path: PathMatch.prefix('/status') } }],
    }), 'Ingress');
    expect(ingress.spec.defaultBackend).toBeUndefined();
    expect(ingress.spec.rules).toEqual([{ http: { paths: [expect.objectContaining({ path: '/status' })] } }]);
  });

  test('TLS from a Secret', () => {
    const ingress = find(expose({
      strategy: ExposureStrategy.ingress({ className: 'istio' }),
      hosts: ['a.example.com', '*.b.example.com'],
      backend: httpbin(),
      tls: Tls.fromSecret('shop-tls'),
    }), 'Ingress');
    expect(ingress.spec.tls).toEqual([{ hosts: ['a.example.com', '*.b.example.com'], secretName: 'shop-tls' }]);
    expect(ingress.metadata.annotations).toBeUndefined();
  });

  test('TLS from a cdk8s-plus Secret uses its name', () => {
    const chart = testChart();
    const secret = new kplus.Secret(chart, 'cert', { type: 'kubernetes.io/tls' });
    new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.ingress({ className: 'istio' }), hosts: ['a.example.com'], backend: httpbin(), tls: Tls.fromSecret(secret),
    });
    const manifests = synthChecked(chart);
    expect(find(manifests, 'Ingress').spec.tls[0].secretName).toBe(secret.name);
  });

  test('TLS from cert-manager: issuer annotation and a derived secret name', () => {
    const ingress = find(expose({
      strategy: ExposureStrategy.ingress({ className: 'istio' }),
      hosts: ['a.example.com'],
      backend: httpbin(),
      tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }),
    }), 'Ingress');
    expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(ingress.spec.tls).toEqual([{ hosts: ['a.example.com'], secretName: 'test-public-tls' }]);

    const namespaced = find(expose({
      strategy: ExposureStrategy.ingress({ className: 'istio' }),
      hosts: ['a.example.com'],
      backend: httpbin(),
      tls: Tls.certManager({ issuer: 'ca', secretName: 'a-cert' }),
    }), 'Ingress');
    expect(namespaced.metadata.annotations).toEqual({ 'cert-manager.io/issuer': 'ca' });
    expect(namespaced.spec.tls[0].secretName).toBe('a-cert');
  });

  test('Backend.fromDeployment creates one Service for the Deployment, shared and extended', () => {
    const chart = testChart('shop', 'shop');
    const api = new kplus.Deployment(chart, 'api', {
      containers: [{ image: 'ghcr.io/acme/api:1.4.2', ports: [{ number: 8080 }, { number: 9090 }], securityContext: { ensureNonRoot: false } }],
    });
    new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.ingress({ className: 'nginx' }), hosts: ['shop.example.com'], backend: Backend.fromDeployment(api, { port: 8080 }),
    });
    new ExposedService(chart, 'metrics', {
      strategy: ExposureStrategy.ingress({ className: 'nginx' }), hosts: ['metrics.example.com'], backend: Backend.fromDeployment(api, { port: 9090 }),
    });
    const manifests = synthChecked(chart);
    const services = ofKind(manifests, 'Service');
    expect(services).toHaveLength(1);
    expect(services[0].metadata.name).toBe(find(manifests, 'Deployment').metadata.name);
    expect(services[0].metadata.namespace).toBe('shop');
    expect(services[0].spec.ports).toEqual([
      { name: 'http-8080', port: 8080, targetPort: 8080 },
      { name: 'http-9090', port: 9090, targetPort: 9090 },
    ]);
    expect(ofKind(manifests, 'Ingress').map((i) => i.spec.rules[0].http.paths[0].backend.service)).toEqual([
      { name: services[0].metadata.name, port: { number: 8080 } },
      { name: services[0].metadata.name, port: { number: 9090 } },
    ]);
  });

  test('Backend.fromService resolves the only port, and maps service port to target port', () => {
    const chart = testChart();
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'ghcr.io/acme/api:1.4.2', portNumber: 8080, securityContext: { ensureNonRoot: false } }] });
    const svc = api.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    new ExposedService(chart, 'public', { strategy: ExposureStrategy.ingress({ className: 'nginx' }), hosts: ['a.example.com'], backend: Backend.fromService(svc) });
    const manifests = synthChecked(chart);
    expect(find(manifests, 'Ingress').spec.rules[0].http.paths[0].backend).toEqual({ service: { name: svc.name, port: { number: 80 } } });
  });

  test('features the generic controller cannot express are errors naming who can', () => {
    expect(exposeError({
      strategy: ExposureStrategy.ingress({ className: 'istio' }),
      backend: httpbin(),
      hosts: ['a.example.com'],
      timeout: Duration.seconds(5),
      routes: [{ match: { path: PathMatch.prefix('/'), headers: [HeaderMatch.exact('x-canary', 'true')] } }],
    })).toBe([
      "ExposedService test/public: routes[0].match.headers: 'header-match' is not supported by ingress; supported by: istio, gatewayApi, apiGateway (nginx), apiGateway (kong)",
      "ExposedService test/public: timeout: 'timeout' is not supported by ingress; supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx), apiGateway (kong)",
    ].join('\n'));
  });

  test('backends in another namespace cannot be reached from an Ingress', () => {
    expect(exposeError({
      strategy: ExposureStrategy.ingress({ className: 'istio' }),
      backend: Backend.fromName('httpbin', 8000, { namespace: 'other' }),
    })).toBe("ExposedService test/public: backend: 'cross-namespace-backend' is not supported by ingress; supported by: istio, gatewayApi, apiGateway (nginx), apiGateway (kong)");
  });

  test('a bad className is an error', () => {
    expect(exposeError({ strategy: ExposureStrategy.ingress({ className: 'Not_A_Class' }), backend: httpbin() }))
      .toBe('ExposedService test/public: strategy: className "Not_A_Class" is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and "."');
  });
});

describe('ingress strategy, ingress-nginx controller', () => {
  test('timeouts, retries, CORS, rate limit and basic auth become annotations', () => {
    const manifests = expose({
      strategy: nginx(),
      hosts: ['api.example.com'],
      backend: httpbin(),
      timeout: Duration.seconds(30),
      retries: { attempts: 2, retryOn: ['gateway-error'] },
      cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['Authorization'], maxAge: Duration.hours(1) },
      rateLimit: RateLimit.perSecond(10, { burst: 20 }),
      auth: Auth.basic({ secret: 'api-users', realm: 'API' }),
    });
    const ingress = find(manifests, 'Ingress');
    expect(ingress.metadata.annotations).toEqual({
      [`${NGINX}auth-realm`]: 'API',
      [`${NGINX}auth-secret`]: 'api-users',
      [`${NGINX}auth-secret-type`]: 'auth-file',
      [`${NGINX}auth-type`]: 'basic',
      [`${NGINX}cors-allow-credentials`]: 'false',
      [`${NGINX}cors-allow-headers`]: 'authorization',
      [`${NGINX}cors-allow-methods`]: 'GET, POST',
      [`${NGINX}cors-allow-origin`]: 'https://app.example.com',
      [`${NGINX}cors-max-age`]: '3600',
      [`${NGINX}enable-cors`]: 'true',
      [`${NGINX}limit-burst-multiplier`]: '2',
      [`${NGINX}limit-rps`]: '10',
      [`${NGINX}proxy-next-upstream`]: 'error timeout http_502 http_503 http_504',
      [`${NGINX}proxy-next-upstream-tries`]: '3',
      [`${NGINX}proxy-read-timeout`]: '30',
      [`${NGINX}proxy-send-timeout`]: '30',
    });
    expect(manifests).toMatchSnapshot();
  });

  test('routes with different policies get their own Ingress for the same host', () => {
    const manifests = expose({
      strategy: nginx(),
      hosts: ['api.example.com'],
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/slow') }, timeout: Duration.minutes(2) },
        { match: { path: PathMatch.prefix('/fast') }, timeout: Duration.seconds(2) },
        { match: { path: PathMatch.prefix('/') } },
      ],
    });
    const ingresses = ofKind(manifests, 'Ingress');
    expect(ingresses.map((i) => [i.metadata.name, i.spec.rules[0].http.paths.map((p: any) => p.path), i.metadata.annotations?.[`${NGINX}proxy-read-timeout`]])).toEqual([
      ['test-public', ['/slow'], '120'],
      ['test-public-1', ['/fast'], '2'],
      ['test-public-2', ['/'], undefined],
    ]);
    expect(ingresses.every((i) => i.spec.rules[0].host === 'api.example.com')).toBe(true);
  });

  test('a canary: weighted backends become a main and a canary Ingress', () => {
    const manifests = expose({
      strategy: nginx(),
      hosts: ['shop.example.com'],
      routes: [{
        match: { path: PathMatch.prefix('/') },
        backends: [{ backend: Backend.fromName('api-v1', 8080), weight: 90 }, { backend: Backend.fromName('api-v2', 8080), weight: 10 }],
      }],
    });
    const [main, canary] = ofKind(manifests, 'Ingress');
    expect(main.metadata.name).toBe('test-public');
    expect(main.metadata.annotations).toBeUndefined();
    expect(main.spec.rules[0].http.paths[0].backend.service.name).toBe('api-v1');
    expect(canary.metadata.name).toBe('test-public-canary-0');
    expect(canary.metadata.annotations).toEqual({
      [`${NGINX}canary`]: 'true', [`${NGINX}canary-weight`]: '10', [`${NGINX}canary-weight-total`]: '100',
    });
    expect(canary.spec.rules).toEqual([{
      host: 'shop.example.com',
      http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api-v2', port: { number: 8080 } } } }] },
    }]);
  });

  test('path rewrites use regex paths and capture groups, element by element', () => {
    const manifests = expose({
      strategy: nginx(),
      hosts: ['api.example.com'],
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/api') }, rewrite: { path: '/' } },
        { match: { path: PathMatch.prefix('/old.v1') }, rewrite: { path: '/v2', host: 'internal.example.com' } },
        { match: { path: PathMatch.exact('/ping') }, rewrite: { path: '/healthz' } },
        { match: { path: PathMatch.regex('/users/[0-9]+') } },
      ],
    });
    const plan = ofKind(manifests, 'Ingress').map((i) => ({
      path: i.spec.rules[0].http.paths[0].path,
      pathType: i.spec.rules[0].http.paths[0].pathType,
      annotations: i.metadata.annotations,
    }));
    expect(plan).toEqual([
      { path: '/api(/|$)(.*)', pathType: 'ImplementationSpecific', annotations: { [`${NGINX}rewrite-target`]: '/$2', [`${NGINX}use-regex`]: 'true' } },
      {
        path: '/old\\.v1(/|$)(.*)',
        pathType: 'ImplementationSpecific',
        annotations: { [`${NGINX}rewrite-target`]: '/v2$1$2', [`${NGINX}upstream-vhost`]: 'internal.example.com', [`${NGINX}use-regex`]: 'true' },
      },
      { path: '/ping', pathType: 'Exact', annotations: { [`${NGINX}rewrite-target`]: '/healthz' } },
      { path: '(?:/users/[0-9]+)$', pathType: 'ImplementationSpecific', annotations: { [`${NGINX}use-regex`]: 'true' } },
    ]);
  });

  test('redirects: permanent-redirect to the full URL declared', () => {
    const ingress = find(expose({
      strategy: nginx(),
      hosts: ['old.example.com'],
      backend: httpbin(),
      routes: [{ match: { path: PathMatch.prefix('/') }, redirect: { scheme: 'https', host: 'new.example.com', port: 8443, path: '/welcome', statusCode: 308 } }],
    }), 'Ingress');
    expect(ingress.metadata.annotations).toEqual({
      [`${NGINX}permanent-redirect`]: 'https://new.example.com:8443/welcome',
      [`${NGINX}permanent-redirect-code`]: '308',
    });
  });

  test('CORS: "*" among other origins is "*" alone, which the controller takes as written', () => {
    const ingress = find(expose({
      strategy: nginx(), hosts: ['api.example.com'], backend: httpbin(), cors: { allowOrigins: ['https://app.example.com', '*'] },
    }), 'Ingress');
    expect(ingress.metadata.annotations?.[`${NGINX}cors-allow-origin`]).toBe('*');
  });

  test('mirroring every request to a fully qualified target', () => {
    const ingress = find(expose({
      strategy: nginx(),
      hosts: ['api.example.com'],
      backend: httpbin(),
      routes: [{ mirror: { backend: Backend.fromName('shadow', 8080) } }],
    }, 'shop'), 'Ingress');
    expect(ingress.metadata.annotations).toEqual({ [`${NGINX}mirror-target`]: 'http://shadow.shop.svc:8080$request_uri' });
  });

  test('TLS: explicit ssl-redirect on every Ingress, cert-manager only on the first', () => {
    const ingresses = ofKind(expose({
      strategy: nginx(),
      hosts: ['api.example.com'],
      backend: httpbin(),
      tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }),
      routes: [{ match: { path: PathMatch.prefix('/a') }, timeout: Duration.seconds(3) }, { match: { path: PathMatch.prefix('/b') } }],
    }), 'Ingress');
    expect(ingresses.map((i) => i.metadata.annotations)).toEqual([
      { 'cert-manager.io/cluster-issuer': 'letsencrypt', [`${NGINX}proxy-read-timeout`]: '3', [`${NGINX}proxy-send-timeout`]: '3', [`${NGINX}ssl-redirect`]: 'true' },
      { [`${NGINX}ssl-redirect`]: 'true' },
    ]);
    expect(ingresses.every((i) => i.spec.tls[0].secretName === 'test-public-tls')).toBe(true);
  });

  test.each([
    ['a timeout that is not whole seconds', { timeout: Duration.millis(1500) },
      'ExposedService test/public: timeout: ingress-nginx timeouts are whole seconds; 1500ms is not'],
    ['a per-try timeout', { retries: { attempts: 2, perTryTimeout: Duration.seconds(1) } },
      'ExposedService test/public: retries.perTryTimeout: ingress-nginx has no per-try timeout; remove it (each try is bounded by the timeout) or use istio'],
    ['retries on 409', { retries: { attempts: 2, retryOn: ['retriable-4xx'] } },
      'ExposedService test/public: retries.retryOn: ingress-nginx cannot retry on "retriable-4xx"; use 5xx, gateway-error, connect-failure, reset'],
    ['a burst that is no multiple of the rate', { rateLimit: RateLimit.perMinute(10, { burst: 15 }) },
      'ExposedService test/public: rateLimit.burst: ingress-nginx bursts are a whole multiple (at least 1) of the rate (limit-burst-multiplier); set burst to 10, 20, ...'],
    ['a rate limit per API key', { rateLimit: RateLimit.perSecond(10, { burst: 10, key: 'api-key' }), auth: Auth.apiKey({ secret: 'keys' }) },
      "ExposedService test/public: auth: 'auth-api-key' is not supported by ingress (ingressNginx); supported by: gatewayApi (envoyGateway), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)"],
    ['a mirror in another namespace', { routes: [{ mirror: { backend: Backend.fromName('shadow', 8080, { namespace: 'test' }) } }] },
      "ExposedService test/public: routes[0].mirror.backend: 'cross-namespace-backend' is not supported by ingress (ingressNginx); supported by: istio, gatewayApi, apiGateway (nginx), apiGateway (kong)"],
    ['JWT', { auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/jwks' }) },
      "ExposedService test/public: auth: 'auth-jwt' is not supported by ingress (ingressNginx); supported by: istio, gatewayApi (envoyGateway), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)"],
    ['a redirect without host', { routes: [{ redirect: { scheme: 'https' } }] },
      'ExposedService test/public: routes[0].redirect: ingress-nginx redirects to a full URL (permanent-redirect annotation); set redirect.scheme and redirect.host'],
    ['a redirect keeping the request\'s path', { routes: [{ redirect: { scheme: 'https', host: 'new.example.com' } }] },
      'ExposedService test/public: routes[0].redirect: ingress-nginx (v1.12+ validates annotations) refuses "$request_uri" in permanent-redirect, so it cannot keep '
      + 'the request\'s path; set redirect.path (every request of the route goes to that one URL), or use gatewayApi, istio or apiGateway (nginx)'],
    ['a redirect path with a percent-encoding', { routes: [{ redirect: { scheme: 'https', host: 'new.example.com', path: '/a%20b' } }] },
      'ExposedService test/public: routes[0].redirect.path: ingress-nginx (v1.12+ validates annotations) refuses permanent-redirect "https://new.example.com/a%20b" '
      + 'and would reject the whole Ingress; use a redirect.path of letters, digits and any of "-._~/:,&=", or use gatewayApi, istio or apiGateway (nginx)'],
    ['a rewrite path with a percent-encoding', { routes: [{ match: { path: PathMatch.prefix('/api') }, rewrite: { path: '/v2%2Fx' } }] },
      'ExposedService test/public: routes[0].rewrite.path: ingress-nginx (v1.12+ validates annotations) refuses rewrite-target "/v2%2Fx" '
      + 'and would use "" instead (no rewrite); use a path of letters, digits and any of "-._~/:", or use gatewayApi, istio or apiGateway'],
    ['a rewrite path with "$"', { routes: [{ match: { path: PathMatch.exact('/ping') }, rewrite: { path: '/health$1' } }] },
      'ExposedService test/public: routes[0].rewrite.path: ingress-nginx expands "$" in rewrite-target as a capture group or variable, so "/health$1" '
      + 'would not arrive as declared; remove the "$", or use gatewayApi, istio or apiGateway'],
    // Upstream's regex nests quantifiers: JavaScript's engine would backtrack for hours on this name.
    ['a long expose header name, checked in linear time', { cors: { allowOrigins: ['https://app.example.com'], exposeHeaders: [`${'x'.repeat(200)}.`] } },
      `ExposedService test/public: cors.exposeHeaders[0]: ingress-nginx (v1.12+ validates annotations) refuses cors-expose-headers "${'x'.repeat(200)}." `
      + 'and would use "" instead (no header exposed); use header names of letters, digits, "-" and "_", or use gatewayApi, istio or apiGateway'],
    ['a realm with an apostrophe', { auth: Auth.basic({ secret: 'admins', realm: "Admin's API" }) },
      'ExposedService test/public: auth: ingress-nginx (v1.12+ validates annotations) refuses auth-realm "Admin\'s API" and would reject the whole Ingress; '
      + 'use a realm of letters, digits, spaces and any of "-._~/:", or use apiGateway'],
    ['three weighted backends', {
      routes: [{ backends: [{ backend: Backend.fromName('a', 80) }, { backend: Backend.fromName('b', 80) }, { backend: Backend.fromName('c', 80) }] }],
    }, 'ExposedService test/public: routes[0].backends: ingress (ingressNginx) splits a route between two backends (a main and a canary Ingress); 3 are listed: use gatewayApi or istio for more'],
    ['request header edits', { routes: [{ requestHeaders: { set: { 'x-env': 'prod' } } }] },
      "ExposedService test/public: routes[0].requestHeaders: 'request-headers' is not supported by ingress (ingressNginx); supported by: istio, gatewayApi, apiGateway (nginx), apiGateway (kong)"],
  ] as [string, Partial<ExposedServiceProps>, string][])('%s is an error', (_name, extra, message) => {
    expect(exposeError({ strategy: nginx(), hosts: ['api.example.com'], backend: httpbin(), ...extra })).toBe(message);
  });

  test('a partial mirror is an error', () => {
    const chart = testChart('test', 'shop');
    expect(() => new ExposedService(chart, 'public', {
      strategy: nginx(), backend: httpbin(), routes: [{ mirror: { backend: Backend.fromName('shadow', 8080), percentage: 10 } }],
    })).toThrow('ExposedService test/public: routes[0].mirror.percentage: ingress-nginx mirrors every request (mirror-target annotation); percentage 10 needs istio, or set 100');
  });

  test('a mirror target without any namespace is an error', () => {
    expect(exposeError({ strategy: nginx(), backend: httpbin(), routes: [{ mirror: { backend: Backend.fromName('shadow', 8080) } }] }))
      .toBe('ExposedService test/public: routes[0].mirror.backend: ingress-nginx resolves the mirror target from its own namespace; give the chart a namespace or the backend one (Backend.fromName(name, port, { namespace }))');
  });
});

describe('ingress strategy: every problem at once', () => {
  test('ingress-nginx reports every route policy it cannot carry, route by route, in one error', () => {
    expect(exposeError({
      strategy: nginx(),
      hosts: ['api.example.com'],
      timeout: Duration.millis(1500),
      routes: [
        { match: { path: PathMatch.prefix('/a') }, backend: httpbin(), retries: { attempts: 2, perTryTimeout: Duration.seconds(1), retryOn: ['5xx', 'retriable-4xx'] } },
        { match: { path: PathMatch.prefix('/old') }, redirect: { scheme: 'https' } },
        {
          match: { path: PathMatch.prefix('/b') },
          backend: httpbin(),
          mirror: { backend: Backend.fromName('shadow', 8080), percentage: 10 },
          rateLimit: RateLimit.perMinute(10, { burst: 15 }),
        },
        { match: { path: PathMatch.prefix('/c') }, backends: [{ backend: Backend.fromName('a', 80) }, { backend: Backend.fromName('b', 80) }, { backend: Backend.fromName('c', 80) }] },
      ],
    })).toBe([
      // The ExposedService's timeout, inherited by every route, is one problem.
      'ExposedService test/public: timeout: ingress-nginx timeouts are whole seconds; 1500ms is not',
      'ExposedService test/public: routes[0].retries.perTryTimeout: ingress-nginx has no per-try timeout; remove it (each try is bounded by the timeout) or use istio',
      'ExposedService test/public: routes[0].retries.retryOn: ingress-nginx cannot retry on "retriable-4xx"; use 5xx, gateway-error, connect-failure, reset',
      'ExposedService test/public: routes[1].redirect: ingress-nginx redirects to a full URL (permanent-redirect annotation); set redirect.scheme and redirect.host',
      "ExposedService test/public: routes[1].redirect: an Ingress path always names a backend, even when the controller redirects; set the ExposedService's backend",
      'ExposedService test/public: routes[2].mirror.percentage: ingress-nginx mirrors every request (mirror-target annotation); percentage 10 needs istio, or set 100',
      'ExposedService test/public: routes[2].mirror.backend: ingress-nginx resolves the mirror target from its own namespace; give the chart a namespace or the backend one (Backend.fromName(name, port, { namespace }))',
      'ExposedService test/public: routes[2].rateLimit.burst: ingress-nginx bursts are a whole multiple (at least 1) of the rate (limit-burst-multiplier); set burst to 10, 20, ...',
      'ExposedService test/public: routes[3].backends: ingress (ingressNginx) splits a route between two backends (a main and a canary Ingress); 3 are listed: use gatewayApi or istio for more',
    ].join('\n'));
  });

  test('retries that are off need no conditions ingress-nginx has', () => {
    const ingress = find(expose({
      strategy: nginx(), hosts: ['api.example.com'], backend: httpbin(), retries: { attempts: 0, retryOn: ['retriable-4xx'] },
    }), 'Ingress');
    expect(ingress.metadata.annotations).toEqual({ [`${NGINX}proxy-next-upstream`]: 'off' });
  });

  test('the same problem in two routes is reported for each route', () => {
    expect(exposeError({
      strategy: nginx(),
      hosts: ['api.example.com'],
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/a') }, timeout: Duration.millis(500) },
        { match: { path: PathMatch.prefix('/b') } },
        { match: { path: PathMatch.prefix('/c') }, timeout: Duration.millis(2500) },
      ],
    })).toBe([
      'ExposedService test/public: routes[0].timeout: ingress-nginx timeouts are whole seconds; 500ms is not',
      'ExposedService test/public: routes[2].timeout: ingress-nginx timeouts are whole seconds; 2500ms is not',
    ].join('\n'));
  });

  test('ingress-nginx reports every declared value its annotation validation would refuse, each with its field', () => {
    const refuses = (annotation: string, value: string, effect: string, accepted: string, alternatives = 'gatewayApi, istio or apiGateway') =>
      `ingress-nginx (v1.12+ validates annotations) refuses ${annotation} "${value}" and ${effect}; use ${accepted}, or use ${alternatives}`;
    const origin = (value: string) => refuses('cors-allow-origin', value, 'would use "*" instead (every origin allowed)', 'origins whose host is letters, digits, "-" and "."');
    expect(exposeError({
      strategy: nginx(),
      hosts: ['api.example.com'],
      backend: httpbin(),
      cors: {
        allowOrigins: ['https://app.example.com', 'https://a_b.example.com', 'http://[::1]:8080'],
        allowHeaders: ['Authorization', 'X.Trace'],
        exposeHeaders: ['x-total', 'x+y'],
      },
      routes: [
        { match: { path: PathMatch.prefix('/a') }, rewrite: { path: '/~a;b' }, auth: Auth.basic({ secret: 'admins', realm: 'Admins (ops)' }) },
        { match: { path: PathMatch.prefix('/b') }, redirect: { scheme: 'https', host: 'b.example.com', path: '/@b' } },
      ],
    })).toBe([
      `routes[0].rewrite.path: ${refuses('rewrite-target', '/~a;b', 'would use "" instead (no rewrite)', 'a path of letters, digits and any of "-._~/:"')}`,
      `cors.allowOrigins[1]: ${origin('https://a_b.example.com')}`,
      `cors.allowOrigins[2]: ${origin('http://[::1]:8080')}`,
      `cors.allowHeaders[1]: ${refuses('cors-allow-headers', 'x.trace', 'would use "DNT,Keep-Alive,User-Agent,..." instead (the default headers)',
        'header names of letters, digits, "-" and "_"')}`,
      `cors.exposeHeaders[1]: ${refuses('cors-expose-headers', 'x+y', 'would use "" instead (no header exposed)', 'header names of letters, digits, "-" and "_"')}`,
      `routes[0].auth: ${refuses('auth-realm', 'Admins (ops)', 'would reject the whole Ingress', 'a realm of letters, digits, spaces and any of "-._~/:"', 'apiGateway')}`,
      `routes[1].redirect.path: ${refuses('permanent-redirect', 'https://b.example.com/@b', 'would reject the whole Ingress',
        'a redirect.path of letters, digits and any of "-._~/:,&="', 'gatewayApi, istio or apiGateway (nginx)')}`,
    ].map((p) => `ExposedService test/public: ${p}`).join('\n'));
  });
});

describe('ingress strategy, client IP access lists', () => {
  test('ingress-nginx: whitelist-source-range and denylist-source-range, in an Ingress of their own for a route that has its own', () => {
    const manifests = expose({
      strategy: nginx(),
      hosts: ['shop.example.com'],
      backend: httpbin(),
      access: AccessPolicy.allowFrom(['10.0.0.0/8', '2001:DB8::/32', '192.168.1.7'], { except: ['10.66.0.0/16'] }),
      routes: [
        { match: { path: PathMatch.prefix('/api') } },
        { match: { path: PathMatch.prefix('/public') }, access: AccessPolicy.denyFrom(['203.0.113.0/24']) },
      ],
    });
    const ingresses = ofKind(manifests, 'Ingress');
    expect(ingresses.map((i) => [i.metadata.name, i.spec.rules[0].http.paths.map((p: any) => p.path)])).toEqual([
      ['test-public', ['/api']], ['test-public-1', ['/public']],
    ]);
    // Normal form, sorted: IPv4 first.
    expect(ingresses[0].metadata.annotations).toEqual({
      [`${NGINX}whitelist-source-range`]: '10.0.0.0/8,192.168.1.7/32,2001:db8::/32',
      [`${NGINX}denylist-source-range`]: '10.66.0.0/16',
    });
    expect(ingresses[1].metadata.annotations).toEqual({ [`${NGINX}denylist-source-range`]: '203.0.113.0/24' });
  });

  test('a generic Ingress cannot restrict clients: an error naming the strategies that can', () => {
    expect(exposeError({
      strategy: ExposureStrategy.ingress({ className: 'nginx' }),
      backend: httpbin(),
      routes: [{ access: AccessPolicy.allowFrom(['10.0.0.0/8'], { except: ['10.1.0.0/16'] }) }],
    })).toBe([
      "ExposedService test/public: routes[0].access: 'ip-allow-list' is not supported by ingress; supported by: loadBalancer, ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)",
      "ExposedService test/public: routes[0].access: 'ip-deny-list' is not supported by ingress; supported by: ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)",
    ].join('\n'));
  });
});

describe('ingress strategy, the status of the HTTPS redirect', () => {
  const TLS = { hosts: ['shop.example.com'], backend: httpbin(), tls: Tls.fromSecret('shop-tls') };

  test('ingress-nginx takes 308 (its controller\'s http-redirect-code by default): ssl-redirect, as without it', () => {
    const annotations = find(expose({ strategy: nginx(), ...TLS, httpsRedirectCode: 308 }), 'Ingress').metadata.annotations;
    expect(annotations).toEqual({ 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' });
    expect(annotations).toEqual(find(expose({ strategy: nginx(), ...TLS }), 'Ingress').metadata.annotations);
  });

  test.each([301, 302, 307])('ingress-nginx refuses %d: no annotation chooses the code per Ingress', (code) => {
    expect(exposeError({ strategy: nginx(), ...TLS, httpsRedirectCode: code })).toBe(
      'ExposedService test/public: httpsRedirectCode: ingress-nginx redirects to HTTPS with its controller\'s http-redirect-code (308 by default) for every Ingress; '
        + `an Ingress cannot choose ${code}: use 308, or gatewayApi or apiGateway`);
  });

  test('a generic Ingress refuses any code, naming the strategies that can', () => {
    expect(exposeError({ strategy: ExposureStrategy.ingress({ className: 'traefik' }), ...TLS, httpsRedirectCode: 308 })).toBe(
      'ExposedService test/public: httpsRedirectCode: \'https-redirect-code\' is not supported by ingress; '
        + 'supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx), apiGateway (kong)');
  });
});

describe('ingress strategy, request body size limit', () => {
  test('ingress-nginx: proxy-body-size in the largest unit the size is whole in, in an Ingress of its own for a route that has its own', () => {
    const manifests = expose({
      strategy: nginx(),
      hosts: ['shop.example.com'],
      backend: httpbin(),
      maxRequestBody: Size.mebibytes(8),
      routes: [
        { match: { path: PathMatch.prefix('/api') } },
        { match: { path: PathMatch.prefix('/upload') }, maxRequestBody: Size.gibibytes(2) },
        { match: { path: PathMatch.prefix('/small') }, maxRequestBody: Size.kibibytes(1.5) },
        { match: { path: PathMatch.prefix('/odd') }, maxRequestBody: Size.kibibytes(0.5) },
        { match: { path: PathMatch.prefix('/tiny') }, maxRequestBody: Size.kibibytes(100.25) },
      ],
    });
    const ingresses = ofKind(manifests, 'Ingress');
    expect(ingresses.map((i) => [i.spec.rules[0].http.paths.map((p: any) => p.path), i.metadata.annotations])).toEqual([
      [['/api'], { [`${NGINX}proxy-body-size`]: '8m' }],
      [['/upload'], { [`${NGINX}proxy-body-size`]: '2g' }],
      [['/small'], { [`${NGINX}proxy-body-size`]: '1536' }],
      [['/odd'], { [`${NGINX}proxy-body-size`]: '512' }],
      [['/tiny'], { [`${NGINX}proxy-body-size`]: '102656' }],
    ]);
  });

  test('a generic Ingress cannot limit request bodies: an error naming the strategies that can', () => {
    expect(exposeError({
      strategy: ExposureStrategy.ingress({ className: 'nginx' }),
      backend: httpbin(),
      routes: [{ maxRequestBody: Size.mebibytes(8) }],
    })).toBe("ExposedService test/public: routes[0].maxRequestBody: 'max-request-body' is not supported by ingress; "
      + 'supported by: ingress (ingressNginx), gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)');
  });
});

describe('ingress-nginx: WebSockets and idleTimeout', () => {
  test('idleTimeout is the proxy read and send timeouts (whole seconds) of its route\'s Ingress', () => {
    const manifests = expose({
      strategy: nginx(),
      hosts: ['app.example.com'],
      backend: httpbin(),
      routes: [{ match: { path: PathMatch.prefix('/ws') }, idleTimeout: Duration.hours(1) }, { match: { path: PathMatch.prefix('/') } }],
    });
    const ingresses = ofKind(manifests, 'Ingress');
    const ws = ingresses.find((i) => i.spec.rules[0].http.paths[0].path === '/ws')!;
    expect(ws.metadata.annotations).toEqual(expect.objectContaining({ [`${NGINX}proxy-read-timeout`]: '3600', [`${NGINX}proxy-send-timeout`]: '3600' }));
    const rest = ingresses.filter((i) => i !== ws);
    expect(rest.length).toBe(1);
    expect(rest[0].metadata.annotations?.[`${NGINX}proxy-read-timeout`]).toBeUndefined();
  });

  test('idleTimeout in milliseconds or with timeout on one route is an error', () => {
    expect(exposeError({
      strategy: nginx(),
      backend: httpbin(),
      timeout: Duration.seconds(30),
      routes: [
        { match: { path: PathMatch.prefix('/ws') }, idleTimeout: Duration.millis(1500), timeout: Duration.seconds(5) },
        { match: { path: PathMatch.prefix('/sse') }, idleTimeout: Duration.minutes(5) },
      ],
    })).toBe([
      'ExposedService test/public: routes[0].idleTimeout: ingress-nginx timeouts are whole seconds; 1500ms is not',
      'ExposedService test/public: routes[0].idleTimeout: ingress-nginx\'s proxy-read-timeout and proxy-send-timeout are set by routes[0].timeout too; '
        + 'declare one of them for this route (a timeout on the other routes, not the exposure)',
      'ExposedService test/public: routes[1].idleTimeout: ingress-nginx\'s proxy-read-timeout and proxy-send-timeout are set by timeout too; '
        + 'declare one of them for this route (a timeout on the other routes, not the exposure)',
    ].join('\n'));
  });
});

describe('ingress strategy, external authentication', () => {
  test('ingress-nginx: auth-url (the prefix and the URI as sent), auth-response-headers and auth-signin, per route in an Ingress of its own', () => {
    const manifests = expose({
      strategy: nginx(),
      hosts: ['shop.example.com'],
      backend: httpbin(),
      auth: Auth.external({ service: Backend.fromName('oauth2-proxy', 4180), responseHeaders: ['X-Auth-Request-User', 'x-auth-request-email'] }),
      routes: [
        { match: { path: PathMatch.prefix('/api') } },
        {
          match: { path: PathMatch.prefix('/app') },
          auth: Auth.external({ service: Backend.fromName('authz', 8080), path: '/check/v1', forwardHeaders: ['cookie'], signinUrl: 'https://sso.example.com/start?app=shop' }),
        },
      ],
    }, 'shop');
    expect(ofKind(manifests, 'Ingress').map((i) => [i.spec.rules[0].http.paths.map((p: any) => p.path), i.metadata.annotations])).toEqual([
      [['/api'], {
        [`${NGINX}auth-url`]: 'http://oauth2-proxy.shop.svc:4180$request_uri',
        [`${NGINX}auth-response-headers`]: 'x-auth-request-user,x-auth-request-email',
      }],
      [['/app'], {
        [`${NGINX}auth-url`]: 'http://authz.shop.svc:8080/check/v1$request_uri',
        [`${NGINX}auth-signin`]: 'https://sso.example.com/start?app=shop',
      }],
    ]);
  });

  test.each([
    ['a path that auth-url\'s validator refuses', Auth.external({ service: Backend.fromName('authz', 8080), path: '/check%2Fv1' }),
      'ExposedService test/public: auth.path: ingress-nginx (v1.12+ validates annotations) refuses auth-url with the path "/check%2Fv1" and would reject the whole Ingress; '
      + 'use letters, digits and "-._~/:,&=", or use istio, gatewayApi or apiGateway'],
    ['a "$" in the path, which nginx would expand', Auth.external({ service: Backend.fromName('authz', 8080), path: '/check$x' }),
      'ExposedService test/public: auth.path: ingress-nginx (v1.12+ validates annotations) refuses auth-url with the path "/check$x" and would reject the whole Ingress; '
      + 'use letters, digits and "-._~/:,&=", or use istio, gatewayApi or apiGateway'],
    ['a sign-in URL that auth-signin\'s validator refuses', Auth.external({ service: Backend.fromName('authz', 8080), signinUrl: 'https://sso.example.com/start?next=%2F' }),
      'ExposedService test/public: auth.signinUrl: ingress-nginx (v1.12+ validates annotations) refuses auth-signin "https://sso.example.com/start?next=%2F" and would reject the whole Ingress; '
      + 'use letters, digits and "-._~/:,?&=" (no "$", which nginx expands, or "%"), or use apiGateway'],
    ['an answer header with a "."', Auth.external({ service: Backend.fromName('authz', 8080), responseHeaders: ['x.user'] }),
      'ExposedService test/public: auth.responseHeaders: ingress-nginx copies header "x.user" of the auth answer only if its name is letters, digits and "-"; '
      + 'rename it, or use istio, gatewayApi or apiGateway'],
  ])('ingress-nginx refuses %s', (_name, auth, message) => {
    expect(declarationError({ strategy: nginx(), hosts: ['shop.example.com'], backend: httpbin(), auth }, 'shop').message).toBe(message);
  });

  test('ingress-nginx needs a namespace to qualify the auth service\'s name', () => {
    expect(declarationError({ strategy: nginx(), backend: httpbin(), auth: Auth.external({ service: Backend.fromName('authz', 8080) }) }, undefined).message)
      .toBe('ExposedService test/public: auth.service: ingress-nginx resolves the auth-url host from its own namespace; give the chart a namespace or the auth service one '
        + '(Backend.fromName(name, port, { namespace }))');
  });

  test('a generic Ingress cannot authenticate externally: an error naming the strategies that can', () => {
    expect(exposeError({ strategy: ExposureStrategy.ingress({ className: 'nginx' }), backend: httpbin(), auth: Auth.external({ service: Backend.fromName('authz', 8080) }) }))
      .toBe("ExposedService test/public: auth: 'auth-external' is not supported by ingress; supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), gatewayApi (istio), apiGateway (nginx)");
  });
});

describe('ingress strategy, TLS passthrough and TCP', () => {
  const db = () => Backend.fromName('db', 5432);

  test('ingress-nginx: an Ingress per passthrough host with ssl-passthrough, next to the routes\' Ingress', () => {
    const manifests = expose({
      strategy: nginx(),
      hosts: ['shop.example.com'],
      backend: httpbin(),
      passthrough: [TlsPassthrough.host('db.example.com', db())],
    });
    const ingresses = ofKind(manifests, 'Ingress');
    expect(ingresses.map((i) => i.metadata.name)).toEqual(['test-public', 'test-public-passthrough-0']);
    expect(ingresses[1].metadata.annotations).toEqual({ [`${NGINX}ssl-passthrough`]: 'true' });
    expect(ingresses[1].spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'db.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'db', port: { number: 5432 } } } }] } }],
    });
  });

  test('ingress-nginx refuses another port, a wildcard, a host of the routes; TCP (the controller\'s tcp-services ConfigMap) is refused', () => {
    expect(exposeError({
      strategy: nginx(),
      hosts: ['shop.example.com'],
      backend: httpbin(),
      passthrough: [TlsPassthrough.host('db.example.com', db(), { port: 8443 }), TlsPassthrough.host('*.mq.example.com', db()), TlsPassthrough.host('shop.example.com', db())],
    })).toBe([
      'ExposedService test/public: passthrough[0].port: ingress-nginx passes TLS through on its HTTPS port only; use 443, or istio or gatewayApi for 8443',
      'ExposedService test/public: passthrough[1].host: ingress-nginx passes TLS through by the exact SNI hostname; list the hostnames, or use istio or gatewayApi for a wildcard',
      'ExposedService test/public: passthrough[2].host: ingress-nginx would pass the whole host "shop.example.com" through, its HTTP routes too; use another hostname',
    ].join('\n'));
    expect(exposeError({ strategy: nginx(), tcp: [TcpPort.of(5432, db())] })).toBe(
      'ExposedService test/public: tcp[0]: \'tcp\' is not supported by ingress (ingressNginx); supported by: nodePort, loadBalancer, istio, gatewayApi, apiGateway (nginx)');
  });

  test('a generic Ingress refuses both', () => {
    expect(exposeError({ strategy: ExposureStrategy.ingress({ className: 'traefik' }), passthrough: [TlsPassthrough.host('db.example.com', db())], tcp: [TcpPort.of(5432, db())] })).toBe([
      'ExposedService test/public: passthrough[0]: \'tls-passthrough\' is not supported by ingress; supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx)',
      'ExposedService test/public: tcp[0]: \'tcp\' is not supported by ingress; supported by: nodePort, loadBalancer, istio, gatewayApi, apiGateway (nginx)',
    ].join('\n'));
  });
});
