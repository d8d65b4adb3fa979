import * as YAML from 'yaml';
import { ExposureStrategy } from '../../src';
import { Loss } from '../../src/import/model';
import { declareGenerated, generatedFor, importYaml } from '../support/imported-code';
import { synthChecked } from '../support/synth';

const A = 'nginx.ingress.kubernetes.io/';

interface IngressOptions {
  readonly name?: string;
  readonly namespace?: string;
  readonly className?: string | null;
  readonly annotations?: Record<string, string>;
  readonly host?: string | null;
  readonly paths?: { path: string; pathType?: string; service?: string; port?: number | string }[];
  readonly tls?: { hosts?: string[]; secretName: string }[];
}

function ingress(o: IngressOptions = {}): Record<string, any> {
  const paths = (o.paths ?? [{ path: '/', pathType: 'Prefix' }]).map((p) => ({
    path: p.path,
    pathType: p.pathType ?? 'Prefix',
    backend: { service: { name: p.service ?? 'web', port: typeof p.port === 'string' ? { name: p.port } : { number: p.port ?? 80 } } },
  }));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: o.name ?? 'web', ...(o.namespace ? { namespace: o.namespace } : {}), ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      ...(o.className === null ? {} : { ingressClassName: o.className ?? 'nginx' }),
      ...(o.tls ? { tls: o.tls } : {}),
      rules: [{ ...(o.host === null ? {} : { host: o.host ?? 'shop.example.com' }), http: { paths } }],
    },
  };
}

function yamlOf(...docs: Record<string, any>[]): string {
  return docs.map((d) => YAML.stringify(d)).join('---\n');
}

/** The generated props of the only exposure, as written (the lines between `new ExposedService(` and `strategy,`). */
function propsText(...docs: Record<string, any>[]): string {
  const code = generatedFor(yamlOf(...docs));
  const m = /new ExposedService\(chart, '[^']*', \{\n([\s\S]*?)\n {6}strategy,\n/.exec(code);
  if (!m) throw new Error(`no exposure in:\n${code}`);
  return m[1].split('\n').map((l) => l.slice(6)).join('\n');
}

function lossesOf(...docs: Record<string, any>[]): string[] {
  const result = importYaml(yamlOf(...docs));
  const all: Loss[] = [...result.losses, ...result.exposures.flatMap((e) => e.losses)];
  return all.map((l) => `${l.kind}: ${l.source}: ${l.field}: ${l.reason}`);
}

/** Synthesizes the import on the source's strategy, through every check of the suite. */
function synthesizes(...docs: Record<string, any>[]) {
  const code = generatedFor(yamlOf(...docs));
  return synthChecked(declareGenerated(code, docs[0].metadata.namespace ?? 'default'));
}

describe('generic Ingress', () => {
  test('hosts, Prefix and Exact paths, ports by number; the strategy of the source', () => {
    const doc = ingress({
      className: 'traefik',
      paths: [{ path: '/api', service: 'api', port: 8080 }, { path: '/health', pathType: 'Exact' }, { path: '/', service: 'web' }],
    });
    expect(propsText(doc)).toBe(`hosts: ['shop.example.com'],
routes: [
  { match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080) },
  { match: { path: PathMatch.exact('/health') }, backend: Backend.fromName('web', 80) },
  { match: { path: PathMatch.prefix('/') }, backend: Backend.fromName('web', 80) },
],`);
    const code = generatedFor(yamlOf(doc));
    expect(code).toContain("return ExposureStrategy.ingress({ className: 'traefik' });");
    expect(lossesOf(doc)).toEqual([]);
    const ing = synthesizes(doc).find((m) => m.kind === 'Ingress')!;
    expect(ing.spec.ingressClassName).toBe('traefik');
  });

  test('a port by name is resolved from a Service of the input; without one it is a loss', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 8080, targetPort: 80 }] } };
    const doc = ingress({ className: 'traefik', paths: [{ path: '/', port: 'http' }] });
    expect(propsText(doc, service)).toContain("backend: Backend.fromName('web', 8080)");
    const docs = [ingress({ className: 'traefik', paths: [{ path: '/', port: 'http' }, { path: '/b', port: 81 }] })];
    expect(lossesOf(...docs)).toEqual([
      'unsupported: Ingress default/web: spec.rules[0].http.paths[0].backend.service.port.name: '
        + 'port "http" of Service web: no Service in the input names it (give the input the Service, or a port number)',
    ]);
  });

  test('TLS from a Secret, or cert-manager with its issuer; hosts with different Secrets are separate exposures', () => {
    const doc = ingress({ className: 'traefik', tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }] });
    expect(propsText(doc)).toContain("tls: Tls.fromSecret('shop-tls'),");
    const cm = ingress({ className: 'traefik', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' }, tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }] });
    expect(propsText(cm)).toContain("tls: Tls.certManager({ clusterIssuer: 'letsencrypt', secretName: 'shop-tls' }),");
    expect(lossesOf(cm)).toEqual([]);
    synthesizes(cm);
  });

  test('a wildcard TLS host serves the rule hosts one label below it, as the certificate and the controller do', () => {
    // ingress-nginx serves a.example.com with the Secret of tls.hosts "*.example.com" and redirects it to HTTPS
    // (a certificate's wildcard covers one label, RFC 6125 6.4.3).
    const doc = ingress({ host: 'a.example.com', tls: [{ hosts: ['*.example.com'], secretName: 'wild-tls' }] });
    expect(propsText(doc)).toBe(`hosts: ['a.example.com'],
tls: Tls.fromSecret('wild-tls'),
httpsRedirectCode: 308,
routes: [{ match: { path: PathMatch.prefix('/') }, backend: Backend.fromName('web', 80) }],`);
    expect(lossesOf(doc)).toEqual([]);
    synthesizes(doc);
    const deeper = ingress({ host: 'a.b.example.com', tls: [{ hosts: ['*.example.com'], secretName: 'wild-tls' }] });
    expect(propsText(deeper)).not.toContain('tls:');
    expect(lossesOf(deeper)).toEqual(['unsupported: Ingress default/web: spec.tls: TLS for host *.example.com, which no rule routes']);
  });

  test('ImplementationSpecific on a generic controller is read as Prefix, and said so', () => {
    const doc = ingress({ className: 'traefik', paths: [{ path: '/a', pathType: 'ImplementationSpecific' }] });
    expect(propsText(doc)).toContain("PathMatch.prefix('/a')");
    expect(lossesOf(doc)).toEqual([
      'unsupported: Ingress default/web: spec.rules[0].http.paths[0].pathType: ImplementationSpecific: the controller decides how it matches; read as Prefix',
    ]);
  });

  test('unknown annotations are reported, never guessed; kinds no reader takes are reported', () => {
    const doc = ingress({ className: 'traefik', annotations: { 'traefik.ingress.kubernetes.io/router.middlewares': 'x' } });
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: {} };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } };
    expect(lossesOf(doc, deployment, cm)).toEqual([
      'unsupported: Deployment default/web: kind Deployment: not read (workloads are inputs only: the exposures reach them through their Services)',
      'unsupported: ConfigMap shop/c: kind ConfigMap: not read',
      'unknown-annotation: Ingress default/web: traefik.ingress.kubernetes.io/router.middlewares: unknown annotation (another controller\'s or tool\'s): not read',
    ]);
  });

  test('without a class: the cluster\'s default class, said so', () => {
    expect(lossesOf(ingress({ className: null }))).toEqual([
      'unsupported: Ingress default/web: spec.ingressClassName: unset (the cluster\'s default IngressClass): sourceStrategy() names the class "default"; set yours',
    ]);
  });
});

describe('ingress-nginx annotations', () => {
  const nginx = (annotations: Record<string, string>, o: IngressOptions = {}) => ingress({ ...o, annotations });

  test('the strategy of the source is ingress-nginx', () => {
    expect(generatedFor(yamlOf(nginx({})))).toContain(
      "return ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() });");
  });

  test('snippets are not portable', () => {
    expect(lossesOf(nginx({ [`${A}configuration-snippet`]: 'more_set_headers "X: y";', [`${A}server-snippet`]: 'x' }))).toEqual([
      'not-portable: Ingress default/web: nginx.ingress.kubernetes.io/configuration-snippet: raw nginx, not portable',
      'not-portable: Ingress default/web: nginx.ingress.kubernetes.io/server-snippet: raw nginx, not portable',
    ]);
  });

  test('an unknown ingress-nginx annotation is reported with its value', () => {
    expect(lossesOf(nginx({ [`${A}made-up`]: 'x' }))).toEqual([
      'unknown-annotation: Ingress default/web: nginx.ingress.kubernetes.io/made-up: unknown ingress-nginx annotation (value "x"): not read',
    ]);
  });

  test('rewrite-target with the prefix-and-rest capture groups: a prefix rewritten', () => {
    const doc = nginx({ [`${A}rewrite-target`]: '/$2' }, { paths: [{ path: '/something(/|$)(.*)', pathType: 'ImplementationSpecific' }] });
    expect(propsText(doc)).toBe(`hosts: ['shop.example.com'],
routes: [
  {
    match: { path: PathMatch.prefix('/something') },
    backend: Backend.fromName('web', 80),
    rewrite: { path: '/' },
  },
],`);
    expect(lossesOf(doc)).toEqual([
      'unsupported: Ingress default/web: nginx.ingress.kubernetes.io/rewrite-target: '
        + 'ingress-nginx matches "/something(/|$)(.*)" case-insensitively; the declaration\'s prefix is case-sensitive',
    ]);
    synthesizes(doc);
  });

  test('rewrite-target "/b/$2": the path itself goes to /b/ (an exact route), the rest to /b/...', () => {
    const doc = nginx({ [`${A}rewrite-target`]: '/b/$2' }, { paths: [{ path: '/a(/|$)(.*)', pathType: 'ImplementationSpecific' }] });
    expect(propsText(doc)).toBe(`hosts: ['shop.example.com'],
routes: [
  { match: { path: PathMatch.exact('/a') }, backend: Backend.fromName('web', 80), rewrite: { path: '/b/' } },
  { match: { path: PathMatch.prefix('/a') }, backend: Backend.fromName('web', 80), rewrite: { path: '/b' } },
],`);
  });

  test('rewrite-target with other capture groups is a loss; the path is still matched as nginx does', () => {
    const doc = nginx({ [`${A}rewrite-target`]: '/$1' }, { paths: [{ path: '/api/v[0-9]+/(.*)', pathType: 'ImplementationSpecific' }] });
    expect(propsText(doc)).toContain("PathMatch.regex('(?i)(?:/api/v[0-9]+/(.*)).*')");
    expect(lossesOf(doc)).toEqual([
      'unsupported: Ingress default/web: nginx.ingress.kubernetes.io/rewrite-target: rewrite-target "/$1" with path "/api/v[0-9]+/(.*)": '
        + 'the declaration rewrites a prefix or the whole path; of capture groups it reads only "<prefix>(/|$)(.*)" with "/$2", "<path>$1$2" or '
        + '"<path>/$2" (requests reach the backend unrewritten)',
    ]);
  });

  test('use-regex: every path of the host is a case-insensitive regex anchored at the start, longest first', () => {
    const doc = nginx({ [`${A}use-regex`]: 'true' }, {
      paths: [{ path: '/a', pathType: 'Prefix' }, { path: '/api/.+', pathType: 'ImplementationSpecific', service: 'api' }],
    });
    expect(propsText(doc)).toBe(`hosts: ['shop.example.com'],
routes: [
  { match: { path: PathMatch.regex('(?i)(?:/api/.+).*') }, backend: Backend.fromName('api', 80) },
  { match: { path: PathMatch.regex('(?i)(?:/a).*') }, backend: Backend.fromName('web', 80) },
],`);
    expect(lossesOf(doc)).toEqual([]);
    synthesizes(doc);
  });

  test('regex mode: a Prefix path of the Ingress that sets use-regex is one location; of another Ingress of the host, two (/a and /a/)', () => {
    const own = nginx({ [`${A}use-regex`]: 'true' }, { paths: [{ path: '/a/', pathType: 'Prefix' }] });
    expect(propsText(own)).toContain("PathMatch.regex('(?i)(?:/a/).*')");
    const other = nginx({}, { name: 'other', paths: [{ path: '/b/', pathType: 'Prefix' }] });
    const code = generatedFor(yamlOf(own, other));
    expect(code).toContain("PathMatch.regex('(?i)(?:/b).*')");
  });

  test('ImplementationSpecific without regexes: a string prefix', () => {
    const doc = nginx({}, { paths: [{ path: '/a.b', pathType: 'ImplementationSpecific' }] });
    expect(propsText(doc)).toContain("PathMatch.regex('/a\\\\.b.*')");
    expect(lossesOf(doc)).toEqual([]);
  });

  test('timeouts, retries, body size, client addresses, rate limit', () => {
    const doc = nginx({
      [`${A}proxy-read-timeout`]: '30',
      [`${A}proxy-send-timeout`]: '30',
      [`${A}proxy-next-upstream`]: 'error timeout http_502 http_503 http_504',
      [`${A}proxy-next-upstream-tries`]: '4',
      [`${A}proxy-body-size`]: '8m',
      [`${A}whitelist-source-range`]: '10.0.0.0/8, 192.168.0.0/16',
      [`${A}denylist-source-range`]: '10.1.0.0/16',
      [`${A}limit-rps`]: '10',
      [`${A}limit-burst-multiplier`]: '3',
    });
    expect(propsText(doc)).toBe(`hosts: ['shop.example.com'],
routes: [{ match: { path: PathMatch.prefix('/') }, backend: Backend.fromName('web', 80) }],
timeout: Duration.seconds(30),
retries: { attempts: 3, retryOn: ['gateway-error'] },
rateLimit: RateLimit.perSecond(10, { burst: 30 }),
access: AccessPolicy.allowFrom(['10.0.0.0/8', '192.168.0.0/16'], { except: ['10.1.0.0/16'] }),
maxRequestBody: Size.mebibytes(8),`);
    expect(lossesOf(doc)).toEqual([]);
    synthesizes(doc);
  });

  test('a timeout set on one side keeps the controller\'s 60 s on the other: a loss', () => {
    expect(lossesOf(nginx({ [`${A}proxy-read-timeout`]: '120' }))).toEqual([
      'unsupported: Ingress default/web: nginx.ingress.kubernetes.io/proxy-send-timeout: 60s differs from proxy-read-timeout (120s): the declaration\'s timeout sets both to 120s',
    ]);
  });

  test('retries on conditions the declaration has no name for are a loss', () => {
    expect(lossesOf(nginx({ [`${A}proxy-next-upstream`]: 'error http_404' }))[0]).toMatch(/^unsupported: Ingress default\/web: nginx.ingress.kubernetes.io\/proxy-next-upstream: "error http_404": the declaration retries on 5xx/);
    expect(propsText(nginx({ [`${A}proxy-next-upstream`]: 'off' }))).toContain('retries: { attempts: 0 },');
  });

  test('CORS: the controller\'s defaults written out', () => {
    const doc = nginx({ [`${A}enable-cors`]: 'true', [`${A}cors-allow-origin`]: 'https://a.example.com, https://b.example.com' });
    expect(propsText(doc)).toContain(`cors: {
  allowOrigins: ['https://a.example.com', 'https://b.example.com'],
  allowMethods: ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'],
  allowHeaders: [
    'DNT',`);
    expect(propsText(doc)).toContain(`  allowCredentials: true,
  maxAge: Duration.seconds(1728000),
},`);
    expect(lossesOf(nginx({ [`${A}cors-allow-origin`]: '*' }))).toEqual([
      'invalid: Ingress default/web: nginx.ingress.kubernetes.io/cors-allow-origin: without enable-cors: "true" the controller ignores it',
    ]);
    synthesizes(doc);
  });

  test('CORS with the default origin "*" and the default credentials: credentials false, a loss (browsers refuse credentials with "*")', () => {
    // The controller sends Access-Control-Allow-Origin "*" and Access-Control-Allow-Credentials "true" by default
    // (docs: cors-allow-origin "*", cors-allow-credentials "true"); the Fetch standard's CORS check fails a credentialed request on "*".
    const doc = nginx({ [`${A}enable-cors`]: 'true' });
    expect(propsText(doc)).toContain('  allowOrigins: [\'*\'],');
    expect(propsText(doc)).toContain(`  allowCredentials: false,
  maxAge: Duration.seconds(1728000),
},`);
    expect(lossesOf(doc)).toEqual([
      'unsupported: Ingress default/web: nginx.ingress.kubernetes.io/cors-allow-credentials: "true" (the controller\'s default) with origin "*": '
        + 'browsers refuse credentials with origin "*"; read as false',
    ]);
    expect(lossesOf(nginx({ [`${A}enable-cors`]: 'true', [`${A}cors-allow-credentials`]: 'true', [`${A}cors-allow-origin`]: '*' }))).toEqual([
      'unsupported: Ingress default/web: nginx.ingress.kubernetes.io/cors-allow-credentials: "true" with origin "*": '
        + 'browsers refuse credentials with origin "*"; read as false',
    ]);
    expect(lossesOf(nginx({ [`${A}enable-cors`]: 'true', [`${A}cors-allow-credentials`]: 'false' }))).toEqual([]);
    synthesizes(doc);
  });

  test('basic auth from a Secret; external auth at an in-cluster Service', () => {
    const basic = nginx({ [`${A}auth-type`]: 'basic', [`${A}auth-secret`]: 'basic-auth', [`${A}auth-realm`]: 'Authentication Required' });
    expect(propsText(basic)).toContain("auth: Auth.basic({ secret: 'basic-auth', realm: 'Authentication Required' }),");
    expect(lossesOf(basic)).toEqual([]);
    synthesizes(basic);
    const external = nginx({
      [`${A}auth-url`]: 'http://authz.auth.svc.cluster.local:8080/verify$request_uri',
      [`${A}auth-response-headers`]: 'x-user, x-groups',
      [`${A}auth-signin`]: 'https://login.example.com/start',
    });
    expect(propsText(external)).toContain(
      "auth: Auth.external({\n  service: Backend.fromName('authz', 8080, { namespace: 'auth' }),\n  path: '/verify',\n  responseHeaders: ['x-user', 'x-groups'],\n"
      + "  signinUrl: 'https://login.example.com/start',\n}),");
    expect(lossesOf(nginx({ [`${A}auth-url`]: 'https://httpbin.org/basic-auth/user/passwd' }))).toEqual([
      'unsupported: Ingress default/web: nginx.ingress.kubernetes.io/auth-url: "https://httpbin.org/basic-auth/user/passwd": the declaration calls an in-cluster Service '
        + 'over HTTP at a path prefix followed by the request\'s URI (http://<service>.<namespace>.svc:<port>/<prefix>$request_uri)',
    ]);
  });

  test('cookie affinity: name, lifetime, path; balanced mode is a loss', () => {
    const doc = nginx({
      [`${A}affinity`]: 'cookie',
      [`${A}affinity-mode`]: 'persistent',
      [`${A}session-cookie-name`]: 'route',
      [`${A}session-cookie-max-age`]: '3600',
      [`${A}session-cookie-expires`]: '3600',
      [`${A}session-cookie-path`]: '/shop',
    });
    expect(propsText(doc)).toContain("affinity: SessionAffinity.cookie({ name: 'route', ttl: Duration.seconds(3600), path: '/shop' }),");
    expect(lossesOf(doc)).toEqual([]);
    synthesizes(doc);
    expect(propsText(nginx({ [`${A}upstream-hash-by`]: '$http_x_user' }))).toContain("affinity: SessionAffinity.header('x-user'),");
  });

  test('backend-protocol, upstream-vhost, x-forwarded-prefix, mirror-target', () => {
    const doc = nginx({
      [`${A}backend-protocol`]: 'GRPC',
      [`${A}upstream-vhost`]: 'internal.example.com',
      [`${A}x-forwarded-prefix`]: '/shop',
      [`${A}mirror-target`]: 'http://shadow.shop.svc:8080$request_uri',
    });
    expect(propsText(doc)).toBe(`hosts: ['shop.example.com'],
routes: [
  {
    match: { path: PathMatch.prefix('/') },
    protocol: 'grpc',
    backend: Backend.fromName('web', 80),
    rewrite: { host: 'internal.example.com' },
    requestHeaders: { set: { 'X-Forwarded-Prefix': '/shop' } },
    mirror: { backend: Backend.fromName('shadow', 8080, { namespace: 'shop' }) },
  },
],`);
    expect(propsText(nginx({ [`${A}backend-protocol`]: 'HTTPS' }))).toContain("Backend.fromName('web', 80, { tls: BackendTls.unverified() })");
  });

  test('permanent-redirect, temporal-redirect and app-root', () => {
    const doc = nginx({ [`${A}permanent-redirect`]: 'https://www.example.com/new', [`${A}permanent-redirect-code`]: '308' });
    expect(propsText(doc)).toContain(`  {
    match: { path: PathMatch.prefix('/') },
    redirect: { scheme: 'https', host: 'www.example.com', path: '/new', statusCode: 308 },
  },`);
    synthesizes(doc);
    expect(propsText(nginx({ [`${A}app-root`]: '/app1' }))).toContain("{ match: { path: PathMatch.exact('/') }, redirect: { path: '/app1', statusCode: 302 } },");
  });

  test('temporal-redirect and permanent-redirect: the controller applies the temporal one, the permanent one is a loss', () => {
    // ingress-nginx internal/ingress/annotations/redirect/redirect.go: "execution order is temporal and then permanent".
    const doc = nginx({
      [`${A}permanent-redirect`]: 'https://www.example.com/new',
      [`${A}permanent-redirect-code`]: '308',
      [`${A}temporal-redirect`]: 'https://www.example.com/soon',
    });
    expect(propsText(doc)).toContain(`  {
    match: { path: PathMatch.prefix('/') },
    redirect: { scheme: 'https', host: 'www.example.com', path: '/soon', statusCode: 302 },
  },`);
    expect(lossesOf(doc)).toEqual([
      'invalid: Ingress default/web: nginx.ingress.kubernetes.io/permanent-redirect: temporal-redirect takes precedence (the controller ignores it)',
      'invalid: Ingress default/web: nginx.ingress.kubernetes.io/permanent-redirect-code: temporal-redirect takes precedence (the controller ignores it)',
    ]);
    synthesizes(doc);
  });

  test('allowlist-source-range is read first, whitelist-source-range only when it is empty', () => {
    // ingress-nginx internal/ingress/annotations/ipallowlist/main.go: the allowlist annotation, then its "whitelist" alias when empty.
    const both = nginx({ [`${A}allowlist-source-range`]: '10.0.0.0/8', [`${A}whitelist-source-range`]: '192.168.0.0/16' });
    expect(propsText(both)).toContain("access: AccessPolicy.allowFrom(['10.0.0.0/8']),");
    expect(lossesOf(both)).toEqual([
      'invalid: Ingress default/web: nginx.ingress.kubernetes.io/whitelist-source-range: '
        + 'allowlist-source-range takes precedence (the controller reads this one only when that is empty)',
    ]);
    const allowOnly = nginx({ [`${A}allowlist-source-range`]: '10.0.0.0/8' });
    expect(propsText(allowOnly)).toContain("access: AccessPolicy.allowFrom(['10.0.0.0/8']),");
    expect(lossesOf(allowOnly)).toEqual([]);
    const emptyAllow = nginx({ [`${A}allowlist-source-range`]: '', [`${A}whitelist-source-range`]: '192.168.0.0/16' });
    expect(propsText(emptyAllow)).toContain("access: AccessPolicy.allowFrom(['192.168.0.0/16']),");
    expect(lossesOf(emptyAllow)).toEqual([]);
    expect(lossesOf(nginx({ [`${A}allowlist-source-range`]: '10.0.0.0/33' }))).toEqual([
      expect.stringMatching(/^invalid: Ingress default\/web: nginx.ingress.kubernetes.io\/allowlist-source-range: .*: not read$/),
    ]);
    synthesizes(both);
  });

  test('client certificates: auth-tls-secret with TLS', () => {
    const doc = nginx({ [`${A}auth-tls-secret`]: 'default/ca', [`${A}auth-tls-verify-depth`]: '2' },
      { tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }] });
    expect(propsText(doc)).toContain(`tls: Tls.fromSecret('shop-tls', {
  clientCertificates: ClientCertificates.require({ caSecret: 'ca', verifyDepth: 2 }),
}),`);
    expect(lossesOf(doc)).toEqual([]);
  });

  test('ssl-redirect "false" with TLS is a loss', () => {
    expect(lossesOf(nginx({ [`${A}ssl-redirect`]: 'false' }, { tls: [{ hosts: ['shop.example.com'], secretName: 's' }] }))).toEqual([
      'unsupported: Ingress default/web: nginx.ingress.kubernetes.io/ssl-redirect: "false": plain HTTP is served too; the declaration redirects HTTP to HTTPS when it declares TLS',
    ]);
  });
});

describe('canary Ingresses merge into their main Ingress', () => {
  const main = ingress({ annotations: {}, paths: [{ path: '/', service: 'web' }] });
  const canary = (annotations: Record<string, string>) => ingress({ name: 'web-canary', annotations: { [`${A}canary`]: 'true', ...annotations }, paths: [{ path: '/', service: 'web-v2' }] });

  test('by weight: a split of the route', () => {
    const c = canary({ [`${A}canary-weight`]: '20' });
    expect(propsText(main, c)).toBe(`hosts: ['shop.example.com'],
routes: [
  {
    match: { path: PathMatch.prefix('/') },
    backends: [
      { backend: Backend.fromName('web', 80), weight: 80 },
      { backend: Backend.fromName('web-v2', 80), weight: 20 },
    ],
  },
],`);
    expect(lossesOf(main, c)).toEqual([]);
    synthesizes(main, c);
  });

  test('by header value and by cookie: header-matched routes first', () => {
    const c = canary({ [`${A}canary-by-header`]: 'x-canary', [`${A}canary-by-header-value`]: 'yes', [`${A}canary-by-cookie`]: 'beta' });
    expect(propsText(main, c)).toBe(`hosts: ['shop.example.com'],
routes: [
  {
    match: { path: PathMatch.prefix('/'), headers: [HeaderMatch.exact('x-canary', 'yes')] },
    backend: Backend.fromName('web-v2', 80),
  },
  {
    match: {
      path: PathMatch.prefix('/'),
      headers: [HeaderMatch.regex('cookie', '(?:.*;\\\\s*)?beta=always(?:;.*)?')],
    },
    backend: Backend.fromName('web-v2', 80),
  },
  { match: { path: PathMatch.prefix('/') }, backend: Backend.fromName('web', 80) },
],`);
    // The declaration is whole; the ingress-nginx strategy renders weighted canaries only: a loss on the source's strategy.
    expect(lossesOf(main, c)).toEqual([
      'unsupported: Ingress default/web-canary: nginx.ingress.kubernetes.io/canary-by-header: the routes matched on header "x-canary" are kept, '
        + 'but the ingress-nginx strategy cannot render a header-matched canary: istio, gatewayApi, apiGateway (nginx), apiGateway (kong) render it',
      'unsupported: Ingress default/web-canary: nginx.ingress.kubernetes.io/canary-by-cookie: the routes matched on cookie "beta" are kept, '
        + 'but the ingress-nginx strategy cannot render a cookie-matched canary: istio, gatewayApi, apiGateway (nginx), apiGateway (kong) render it',
    ]);
    const result = importYaml(yamlOf(main, c));
    expect(result.losses).toEqual([]);
    expect(result.exposures[0].losses.map((l) => l.field)).toEqual(['nginx.ingress.kubernetes.io/canary-by-header', 'nginx.ingress.kubernetes.io/canary-by-cookie']);
    const code = generatedFor(yamlOf(main, c));
    expect(() => declareGenerated(code)).toThrow("ExposedService imported/web: routes[0].match.headers: 'header-match' is not supported by ingress (ingressNginx); "
      + 'supported by: istio, gatewayApi, apiGateway (nginx), apiGateway (kong)');
    synthChecked(declareGenerated(code, 'default', 'exposures', ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' })));
  });

  test('canary-by-header with a name the declaration refuses is an invalid loss; the weight still splits', () => {
    const c = canary({ [`${A}canary-by-header`]: 'X Bad', [`${A}canary-by-header-value`]: 'yes', [`${A}canary-weight`]: '20' });
    expect(propsText(main, c)).toBe(`hosts: ['shop.example.com'],
routes: [
  {
    match: { path: PathMatch.prefix('/') },
    backends: [
      { backend: Backend.fromName('web', 80), weight: 80 },
      { backend: Backend.fromName('web-v2', 80), weight: 20 },
    ],
  },
],`);
    expect(lossesOf(main, c)).toEqual([
      'invalid: Ingress default/web-canary: nginx.ingress.kubernetes.io/canary-by-header: "X Bad" is not an HTTP header name; '
        + 'use letters, digits and "-" (RFC 7230 token): no route is matched on it',
    ]);
    synthesizes(main, c);
  });

  test('a canary without a main Ingress for its path is a loss', () => {
    const lonely = ingress({ name: 'web-canary', annotations: { [`${A}canary`]: 'true' }, paths: [{ path: '/other', service: 'web-v2' }] });
    expect(lossesOf(main, lonely)).toEqual([
      'unsupported: Ingress default/web-canary: spec.rules[0].http.paths[0].path: no main Ingress in namespace default routes "/other" for shop.example.com: the canary takes no request',
    ]);
  });
});

describe('input errors', () => {
  test('not YAML, not a manifest', () => {
    const { parseManifests } = jest.requireActual('../../src/import/read-manifests');
    expect(parseManifests('a: [', 'bad.yaml').errors).toEqual([{ file: 'bad.yaml', message: expect.stringMatching(/^not YAML: /) }]);
    expect(parseManifests('- 1\n', 'list.yaml').errors).toEqual([
      { file: 'list.yaml', message: 'list.yaml: document 1: not a manifest (an object with apiVersion and kind)' },
    ]);
    expect(parseManifests('kind: Ingress\n', 'k.yaml').errors).toEqual([{ file: 'k.yaml', message: 'k.yaml: document 1: not a manifest: apiVersion is missing' }]);
    expect(parseManifests('apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n', 'l.yaml').documents).toHaveLength(1);
  });
});
