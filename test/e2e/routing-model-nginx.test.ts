import { Duration } from 'cdk8s';
import { AccessPolicy, ApiGatewayEngine, Auth, Backend, CorsPolicy, Deprecation, ExposedService, ExposedServiceProps, ExposureStrategy, HeaderMatch, PathMatch, Tls, requestsFor } from '../../src';
import { routeThroughApiGateway } from '../../src/routing/engines';
import { RouteRequest, RouteResult } from '../../src/routing/model';
import { parseNginxConfig } from '../../src/routing/nginx-parse';
import { request, Response, startBackend, TestBackend } from '../support/backends';
import { RunningNginx, startNginxInPod } from '../support/nginx';
import { secretManifest, SimulatedPod, simulatePod, tlsSecret } from '../support/pod-simulation';
import { Manifest, synthChecked, testChart } from '../support/synth';

/**
 * The NGINX engine's routing model against the real nginx: for each declaration, the same table
 * of requests goes through the model (reading the synthesized manifests) and through nginx run
 * from the synthesized YAML (the pod simulated, echo backends in place of the Services, each
 * reporting its name, the path and the headers it got). They must agree on the backend, the
 * path, the Host, the status, the Location and the header edits.
 *
 * The request table is generated from the manifests, not from the declaration: here from the
 * gateway's nginx.conf (the hosts nginx serves, the literal paths and header values its route
 * maps test, with their boundaries, and paths in forms nginx normalizes), plus `requestsFor()`'s
 * table of the front's routing objects (which, behind a LoadBalancer, has only the hosts).
 */
jest.setTimeout(120_000);

const NS = 'shop';
const fqdn = (name: string, port: number) => `${name}.${NS}.svc.cluster.local:${port}`;

interface Case {
  readonly name: string;
  readonly props: ExposedServiceProps;
  /** Backends by Service name and port. */
  readonly backends: readonly [string, number][];
  /** The answers of the gateway itself the table must meet (redirects, its own responses). */
  readonly answers: readonly string[];
  /** The Secrets the user creates (TLS, credentials). */
  readonly secrets?: () => Manifest[];
  /** Headers every request of the table carries (a credential: the model answers for requests that pass the checks). */
  readonly credentials?: Readonly<Record<string, string>>;
}

const cors: CorsPolicy = { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'] };
const past = new Date('2020-01-01T00:00:00Z');

const CASES: Case[] = [
  {
    name: 'paths, rewrites, redirects, weights, header edits, a mirror, a retired route',
    answers: ['redirect 301', 'redirect 302', 'respond 204', 'respond 400', 'respond 404', 'respond 410'],
    backends: [['api', 8080], ['api-v1', 8080], ['api-v2', 8080], ['api-v3', 8080], ['shadow', 8080], ['numbers', 9000], ['legacy', 8080]],
    props: {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: ['api.example.com'],
      backend: Backend.fromName('api', 8080),
      timeout: Duration.seconds(5),
      routes: [
        {
          match: { path: PathMatch.prefix('/v1') },
          backend: Backend.fromName('api-v1', 8080),
          rewrite: { path: '/' },
          requestHeaders: { set: { 'x-env': 'prod' }, add: { 'x-tag': 'gw' }, remove: ['x-debug'] },
          responseHeaders: { set: { 'x-served-by': 'gateway' }, remove: ['x-backend-version'] },
        },
        {
          match: { path: PathMatch.prefix('/v2/items') },
          backends: [{ backend: Backend.fromName('api-v2', 8080), weight: 9 }, { backend: Backend.fromName('api-v3', 8080), weight: 1 }],
          mirror: { backend: Backend.fromName('shadow', 8080) },
          timeout: Duration.millis(1500),
        },
        {
          match: { path: PathMatch.regex('/n/[0-9]+'), method: 'GET', headers: [HeaderMatch.exact('x-version', 'beta')] },
          backend: Backend.fromName('numbers', 9000),
          rewrite: { path: '/number', host: 'numbers.internal' },
        },
        { match: { path: PathMatch.exact('/old') }, redirect: { path: '/new', statusCode: 302 } },
        { match: { path: PathMatch.prefix('/moved') }, redirect: { scheme: 'https', host: 'www.example.com', statusCode: 301 } },
        {
          match: { path: PathMatch.prefix('/legacy') },
          backend: Backend.fromName('legacy', 8080),
          deprecation: Deprecation.of({ since: new Date('2019-01-01T00:00:00Z'), sunset: past, retire: true }),
        },
        { match: { path: PathMatch.prefix('/') }, cors },
      ],
    },
  },
  {
    name: 'two hosts, a host rewrite, exact and prefix routes side by side',
    answers: ['respond 400', 'respond 404'],
    backends: [['web', 80], ['static', 8080], ['health', 8080]],
    props: {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: ['www.example.com', 'example.com'],
      backend: Backend.fromName('web', 80),
      routes: [
        { match: { path: PathMatch.exact('/healthz') }, backend: Backend.fromName('health', 8080), rewrite: { path: '/status' } },
        { match: { path: PathMatch.prefix('/static/') }, backend: Backend.fromName('static', 8080), rewrite: { host: 'cdn.internal', path: '/assets' } },
        { match: { path: PathMatch.prefix('/static/v2') }, backend: Backend.fromName('static', 8080), requestHeaders: { add: { 'x-static': 'v2' } } },
        { match: { path: PathMatch.prefix('/') } },
      ],
    },
  },
  {
    name: 'TLS, an API key, an access list: the checks passed',
    // A request line nginx cannot parse gets the route server's error page, which fails: a 500.
    answers: ['respond 0', 'respond 400', 'respond 500'],
    backends: [['api', 8080], ['admin', 8080]],
    secrets: () => [tlsSecret('api-tls', 'api.example.com', NS), secretManifest('api-keys', { alice: 'key-alice' }, 'Opaque', NS)],
    credentials: { 'x-api-key': 'key-alice' },
    props: {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: ['api.example.com'],
      tls: Tls.fromSecret('api-tls'),
      backend: Backend.fromName('api', 8080),
      auth: Auth.apiKey({ secret: 'api-keys' }),
      access: AccessPolicy.allowFrom(['127.0.0.0/8', '10.0.0.0/8']),
      routes: [
        { match: { path: PathMatch.prefix('/admin') }, backend: Backend.fromName('admin', 8080), rewrite: { path: '/internal' } },
        { match: { path: PathMatch.prefix('/') } },
      ],
    },
  },
];

/** Literal text a regex from the configuration starts with (`~^/v1(?:/...` -> `/v1`). */
function literalStart(regex: string): string {
  let out = '';
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i];
    if (c === '\\' && /[^A-Za-z0-9]/.test(regex[i + 1] ?? '')) { out += regex[++i]; continue; }
    if (/[\\^$.*+?()[\]{}|]/.test(c)) break;
    out += c;
  }
  return out;
}

/**
 * The request table of a gateway, from its nginx.conf: every host it serves (and one it does
 * not), every literal path its maps test on `$uri` with its boundaries (itself, with a slash,
 * below it, a sibling sharing the prefix, one character shorter, with a query), paths nginx
 * normalizes (dot segments, double slashes, percent-encoding), and for each header a map tests,
 * its literal value and another; GET, POST and, where CORS answers preflights, OPTIONS with an
 * Origin.
 */
function requestTable(config: string, scheme: 'http' | 'https', credentials: Readonly<Record<string, string>>): RouteRequest[] {
  const http = parseNginxConfig(config, 'nginx.conf').find((d) => d.name === 'http')!.block!;
  const hosts = new Set<string>();
  for (const server of http.filter((d) => d.name === 'server')) {
    for (const d of server.block!.filter((x) => x.name === 'server_name')) d.args.filter((a) => a !== '_' && !a.includes('*')).forEach((a) => hosts.add(a));
  }
  hosts.add('unknown.example.org');
  const maps = http.filter((d) => d.name === 'map');
  const keys = (variable: string) => maps.filter((m) => m.args[0] === variable).flatMap((m) => m.block!.map((e) => e.name)).filter((k) => k.startsWith('~'));
  const paths = new Set(['/', '/nothing/here', '/%2e%2e/x', '/a/../b']);
  for (const key of keys('$uri')) {
    const p = literalStart(key.slice(2));
    if (p === '') continue;
    const base = p.endsWith('/') && p !== '/' ? p.slice(0, -1) : p;
    for (const path of [p, `${base}/`, `${base}/a/b`, `${base}x`, base.slice(0, -1) || '/', `${p}?q=1&r=2`, `${base}/x/../y`, `${base}//z`,
      `${base.replace(/^\/(.)/, (_m, c: string) => `/%${c.charCodeAt(0).toString(16)}`)}/enc`, `${base}/42`, `${base}/42/`]) paths.add(path);
  }
  // The paths of the regex routes: digits where the regex takes them.
  for (const key of keys('$uri')) if (key.includes('[0-9]+')) paths.add(literalStart(key.slice(2).replace(/^\(\?:/, '')) + '123');
  const headerVariants: Record<string, string>[] = [{}];
  for (const m of maps.filter((x) => x.args[0].startsWith('$http_') && x.args[0] !== '$http_upgrade')) {
    const name = m.args[0].slice(6).replace(/_/g, '-');
    for (const k of keys(m.args[0])) headerVariants.push({ [name]: literalStart(k.slice(2)) }, { [name]: `${literalStart(k.slice(2))}-other` });
  }
  // Headers the route's edits touch, as a client might send them.
  headerVariants.push({ 'x-tag': 'client', 'x-debug': '1', 'x-env': 'dev' });
  const preflight = maps.some((m) => m.args[0] === '$http_origin');
  const out: RouteRequest[] = [];
  for (const host of hosts) {
    for (const path of paths) {
      for (const headers of headerVariants) {
        out.push({ method: 'GET', scheme, host, path, headers: { ...credentials, ...headers } });
      }
      out.push({ method: 'POST', scheme, host, path, headers: { ...credentials } });
      if (preflight) {
        const headers = { ...credentials, 'origin': 'https://app.example.com', 'access-control-request-method': 'GET' };
        out.push({ method: 'OPTIONS', scheme, host, path, headers });
      }
    }
  }
  return out;
}

/** `requestsFor()`'s table of the manifests, as requests to the gateway's port of `scheme`. */
function frontTable(manifests: readonly Manifest[], scheme: 'http' | 'https', credentials: Readonly<Record<string, string>>): RouteRequest[] {
  return requestsFor(manifests).map(({ request: r, headers }) => {
    const m = /^(\S+) https?:\/\/([^/:]+)(?::\d+)?(\/.*)$/.exec(r)!;
    return { method: m[1], scheme, host: m[2], path: m[3], headers: { ...credentials, ...headers } };
  });
}

/** Response headers every backend sends besides its own (one a route's edit replaces). */
const BACKEND_HEADERS = { 'x-served-by': 'backend' };

/**
 * What the client and the backends saw, checked against the model's answer. `resend` sends the
 * request again with other headers: a header the model says is set must not depend on the client's.
 */
async function agree(model: RouteResult, res: Response, sent: RouteRequest, resend: (req: RouteRequest) => Promise<Response>): Promise<void> {
  const where = `${sent.method} http://${sent.host}${sent.path} ${JSON.stringify(sent.headers)}`;
  const context = { where, model, status: res.status, body: res.body.slice(0, 300) };
  if (model.kind === 'redirect') {
    const observed = { status: res.status, location: res.headers.location };
    expect({ ...context, ...observed }).toEqual({ ...context, status: model.status, location: model.location });
    return;
  }
  if (model.kind === 'respond') {
    expect({ ...context, status: res.status }).toEqual({ ...context, status: model.status });
    return;
  }
  expect({ ...context, status: res.status }).toEqual({ ...context, status: 200 });
  const seen = res.json();
  // The share is random among the backends the model lists.
  expect({ ...context, backend: Object.keys(model.backends).includes(seen.backend) }).toEqual({ ...context, backend: true });
  expect({ ...context, path: seen.path, host: seen.headers.host }).toEqual({ ...context, path: model.path, host: model.host });
  const sentHeader = (name: string) => Object.entries(sent.headers).find(([k]) => k.toLowerCase() === name)?.[1];
  const edits = model.requestHeaders ?? {};
  for (const [name, value] of Object.entries(edits.set ?? {})) {
    expect({ ...context, [name]: seen.headers[name] }).toEqual({ ...context, [name]: value });
    const again = (await resend({ ...sent, headers: { ...sent.headers, [name]: 'another-value' } })).json();
    if (again.backend === seen.backend) expect({ ...context, [name]: again.headers[name] }).toEqual({ ...context, [name]: value });
  }
  for (const [name, value] of Object.entries(edits.add ?? {})) {
    const before = sentHeader(name);
    expect({ ...context, [name]: seen.headers[name] }).toEqual({ ...context, [name]: before === undefined ? value : `${before}, ${value}` });
  }
  for (const name of edits.remove ?? []) expect({ ...context, [name]: seen.headers[name] }).toEqual({ ...context, [name]: undefined });
  // Headers the model says are not edited arrive as sent.
  for (const [name, value] of Object.entries(sent.headers)) {
    const n = name.toLowerCase();
    if (edits.set?.[n] === undefined && edits.add?.[n] === undefined && !(edits.remove ?? []).includes(n) && !['host', 'origin'].includes(n)) {
      expect({ ...context, [n]: seen.headers[n] }).toEqual({ ...context, [n]: value });
    }
  }
  const response = model.responseHeaders ?? {};
  for (const [name, value] of Object.entries(response.set ?? {})) {
    expect({ ...context, [name]: res.headers[name] }).toEqual({ ...context, [name]: value });
  }
  for (const [name, value] of Object.entries(response.add ?? {})) {
    const backend = (BACKEND_HEADERS as Record<string, string>)[name];
    expect({ ...context, [name]: res.headers[name] }).toEqual({ ...context, [name]: backend === undefined ? value : `${backend}, ${value}` });
  }
  for (const name of response.remove ?? []) expect({ ...context, [name]: res.headers[name] }).toEqual({ ...context, [name]: undefined });
  // The backend's own header reaches the client unless the model says it is edited.
  for (const [name, value] of Object.entries({ 'x-backend-version': '1.0.0', ...BACKEND_HEADERS })) {
    const edited = (response.remove ?? []).includes(name) || response.set?.[name] !== undefined || response.add?.[name] !== undefined;
    if (!edited) expect({ ...context, [name]: res.headers[name] }).toEqual({ ...context, [name]: value });
  }
}

describe.each(CASES)('the routing model and the real nginx agree: $name', (c) => {
  let manifests: Manifest[];
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  const backends = new Map<string, TestBackend>();

  beforeAll(async () => {
    const chart = testChart(NS, NS);
    new ExposedService(chart, 'api', c.props);
    manifests = synthChecked(chart);
    for (const [name, port] of c.backends) backends.set(`${name}:${port}`, await startBackend(`${name}:${port}`, { headers: BACKEND_HEADERS }));
    pod = await simulatePod({ manifests, secrets: c.secrets?.() ?? [] });
    nginx = await startNginxInPod(pod, { upstreams: Object.fromEntries(c.backends.map(([n, p]) => [fqdn(n, p), `127.0.0.1:${backends.get(`${n}:${p}`)!.port}`])) });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await Promise.all([...backends.values()].map((b) => b.close()));
  });

  const service = () => manifests.find((m) => m.kind === 'Service' && m.spec.type === 'LoadBalancer')!;
  /** The gateway Service's ports, each with the name of the container port it targets (nginx's listener there). */
  const servicePorts = () => {
    const containerPorts: { containerPort: number; name: string }[] = manifests.find((m) => m.kind === 'Deployment')!.spec.template.spec.containers[0].ports;
    return (service().spec.ports as { port: number; targetPort: number }[]).map((p) => {
      const name = containerPorts.find((cp) => cp.containerPort === p.targetPort)!.name;
      return { port: p.port, https: name === 'https' };
    });
  };
  const model = (req: RouteRequest, port = 80) => routeThroughApiGateway(manifests, { name: service().metadata.name!, port, namespace: NS }, req)!;
  const sendTo = (https: boolean) => (req: RouteRequest) => request(https ? nginx.ports.https : nginx.ports.http, {
    host: req.host, path: req.path, method: req.method, headers: req.headers, https,
  });
  const send = sendTo(false);

  test('every request of the table, on every port of the gateway\'s Service', async () => {
    const config = manifests.find((m) => m.kind === 'ConfigMap')!.data['nginx.conf'];
    const kinds = new Set<string>();
    for (const { port, https } of servicePorts()) {
      const scheme = https ? 'https' : 'http';
      const table = [...requestTable(config, scheme, c.credentials ?? {}), ...frontTable(manifests, scheme, c.credentials ?? {})];
      expect(table.length).toBeGreaterThan(50);
      for (const req of table) {
        const answer = model(req, port);
        kinds.add(answer.kind === 'forward' ? answer.backend : `${answer.kind} ${answer.status}`);
        if (answer.kind === 'respond' && answer.status === 0) {
          // No HTTP answer: the handshake is refused.
          await expect(sendTo(https)(req)).rejects.toThrow();
          continue;
        }
        await agree(answer, await sendTo(https)(req), req, sendTo(https));
      }
    }
    // The table reached every backend the declaration routes to (the mirror's aside) and the answers it gives itself.
    const routed = c.backends.map(([n, p]) => `${n}:${p}`).filter((b) => !['shadow:8080', 'api-v3:8080', 'legacy:8080'].includes(b));
    expect([...kinds].filter((k) => routed.includes(k)).sort()).toEqual(routed.sort());
    expect([...kinds].filter((k) => !k.includes(':')).sort()).toEqual(c.answers);
  });

  if (c.name.startsWith('paths')) {
    test('the mirror the model names gets a copy; the weights the model gives are the shares nginx keeps', async () => {
      const req: RouteRequest = { method: 'GET', scheme: 'http', host: 'api.example.com', path: '/v2/items/7', headers: {} };
      const answer = model(req);
      expect(answer).toMatchObject({ kind: 'forward', mirrors: ['shadow:8080'], backends: { 'api-v2:8080': 0.9, 'api-v3:8080': 0.1 }, timeout: '1500ms' });
      const shadow = backends.get('shadow:8080')!;
      const before = shadow.received.length;
      const counts: Record<string, number> = {};
      for (let i = 0; i < 50; i++) {
        const seen = (await send(req)).json();
        counts[seen.backend] = (counts[seen.backend] ?? 0) + 1;
      }
      expect(counts['api-v2:8080']).toBeGreaterThan(3 * (counts['api-v3:8080'] ?? 0));
      expect(counts['api-v3:8080']).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < 50 && shadow.received.length - before < 50; i++) await new Promise((r) => setTimeout(r, 20));
      expect(shadow.received.slice(before).map((r) => r.path)).toEqual(Array(50).fill('/v2/items/7'));
    });

    test('the timeout the model gives is the one nginx keeps: a backend slower than it gets a 504', async () => {
      const slow = await startBackend('slow', { delayMs: 2500 });
      const pod2 = await simulatePod({ manifests });
      const nginx2 = await startNginxInPod(pod2, { upstreams: { [fqdn('api-v2', 8080)]: `127.0.0.1:${slow.port}`, [fqdn('api-v3', 8080)]: `127.0.0.1:${slow.port}` } });
      try {
        const res = await request(nginx2.ports.http, { host: 'api.example.com', path: '/v2/items/1' });
        expect(res.status).toBe(504);
        // The other routes keep the exposure's 5 s.
        expect(model({ method: 'GET', scheme: 'http', host: 'api.example.com', path: '/x', headers: {} })).toMatchObject({ timeout: '5000ms' });
      } finally {
        await nginx2.stop();
        pod2.dispose();
        await slow.close();
      }
    });
  }
});
