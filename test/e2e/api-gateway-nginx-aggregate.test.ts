import * as http from 'http';
import { AddressInfo } from 'net';
import { Duration } from 'cdk8s';
import { AggregatePart, ApiGatewayEngine, Auth, Backend, ExposedService, ExposureStrategy, PathMatch } from '../../src';
import { NJS_MODULE_FILE } from '../../src/strategies/api-gateway/nginx/nginx-njs';
import { request, startBackend, TestBackend } from '../support/backends';
import { RunningNginx, startNginxInPod } from '../support/nginx';
import { secretManifest, SimulatedPod, simulatePod } from '../support/pod-simulation';
import { synthChecked, testChart } from '../support/synth';

/**
 * Aggregate routes (`aggregate`) on the real nginx with Debian's njs: the gateway pod simulated
 * from the synthesized YAML (the njs module comes from its ConfigMap, as nginx.conf does), the
 * parts' Services replaced by loopback backends. What a client sees: one JSON object of the
 * parts' answers, failed optional parts under `errors`, the gateway's JSON 502 when a required
 * part fails; what the backends see: the declared paths with the request's values
 * percent-encoded into them.
 */
jest.setTimeout(60_000);

const HOST = 'api.example.com';
const fqdn = (name: string) => `${name}.shop.svc.cluster.local:8080`;

/** A backend answering every request with `status` and `body` (content type JSON), on 127.0.0.1. */
async function startFixedBackend(status: number, body: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('aggregate routes on the real nginx (njs)', () => {
  const backends: Record<string, TestBackend> = {};
  const fixed: Record<string, { port: number; close(): Promise<void> }> = {};
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    request(nginx.ports.http, { host: HOST, path, method, headers: { 'x-api-key': 'key-alice', ...headers } });

  beforeAll(async () => {
    for (const name of ['api', 'users', 'orders', 'recommendations']) backends[name] = await startBackend(name);
    backends.slow = await startBackend('slow', { delayMs: 3000 });
    fixed.failing = await startFixedBackend(503, '{"error":"overloaded"}');
    fixed.text = await startFixedBackend(200, 'not json at all');
    const users = Backend.fromName('users', 8080);
    const manifests = (() => {
      const chart = testChart('shop', 'shop');
      new ExposedService(chart, 'api', {
        strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
        hosts: [HOST],
        backend: Backend.fromName('api', 8080),
        auth: Auth.apiKey({ secret: 'api-keys' }),
        routes: [
          {
            match: { path: PathMatch.exact('/dashboard') },
            aggregate: {
              user: AggregatePart.required(users, { path: '/users/{query.user}' }),
              orders: AggregatePart.required(Backend.fromName('orders', 8080), { path: '/orders?user={query.user}&limit=5' }),
              recommendations: AggregatePart.optional(Backend.fromName('recommendations', 8080), { path: '/top/{header.x-region}', timeout: Duration.seconds(2) }),
            },
          },
          {
            match: { path: PathMatch.exact('/dashboard/degraded') },
            aggregate: {
              user: AggregatePart.required(users, { path: '/users/{query.user}' }),
              recommendations: AggregatePart.optional(Backend.fromName('slow', 8080), { path: '/top', timeout: Duration.millis(300) }),
              orders: AggregatePart.optional(Backend.fromName('failing', 8080), { path: '/orders' }),
              news: AggregatePart.optional(Backend.fromName('text', 8080), { path: '/news' }),
              ads: AggregatePart.optional(Backend.fromName('down', 8080), { path: '/ads' }),
            },
          },
          {
            match: { path: PathMatch.exact('/dashboard/broken') },
            aggregate: {
              user: AggregatePart.required(users, { path: '/users/1' }),
              orders: AggregatePart.required(Backend.fromName('failing', 8080), { path: '/orders' }),
            },
          },
          {
            match: { path: PathMatch.exact('/dashboard/unreachable') },
            aggregate: {
              user: AggregatePart.required(users, { path: '/users/1' }),
              ads: AggregatePart.required(Backend.fromName('down', 8080), { path: '/ads' }),
            },
          },
          {
            match: { path: PathMatch.exact('/dashboard/late') },
            aggregate: { user: AggregatePart.required(Backend.fromName('slow', 8080), { path: '/users/1', timeout: Duration.millis(300) }) },
          },
          { match: { path: PathMatch.prefix('/') } },
        ],
      });
      return synthChecked(chart);
    })();
    // The pinned image has the njs module (nginx.org's build); nginx here loads Debian's in its place.
    pod = await simulatePod({ manifests, secrets: [secretManifest('api-keys', { alice: 'key-alice' })], imageFiles: { gateway: [NJS_MODULE_FILE] } });
    const upstreams: Record<string, string> = Object.fromEntries(Object.entries(backends).map(([n, b]) => [fqdn(n), `127.0.0.1:${b.port}`]));
    for (const [n, b] of Object.entries(fixed)) upstreams[fqdn(n)] = `127.0.0.1:${b.port}`;
    // "down" has no server: the part's upstream is a closed loopback port.
    nginx = await startNginxInPod(pod, { upstreams });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await Promise.all([...Object.values(backends), ...Object.values(fixed)].map((b) => b.close()));
  });

  test('all parts present: one JSON object keyed by part, each part called on its declared path with the values substituted', async () => {
    const res = await get('/dashboard?user=42', { 'x-region': 'eu-west' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['orders', 'recommendations', 'user']);
    expect(body.user).toEqual(expect.objectContaining({ backend: 'users', method: 'GET', path: '/users/42' }));
    expect(body.orders).toEqual(expect.objectContaining({ backend: 'orders', method: 'GET', path: '/orders?user=42&limit=5' }));
    expect(body.recommendations).toEqual(expect.objectContaining({ backend: 'recommendations', path: '/top/eu-west' }));
    expect(body.errors).toBeUndefined();
    // Each part gets a GET without the client's body, asking for JSON, uncompressed.
    expect(body.user.headers.accept).toBe('application/json');
    expect(body.user.headers['accept-encoding']).toBeUndefined();
    expect(body.user.headers.host).toBe(HOST);
  });

  test('the parts are called in parallel: the answer waits for the slowest, not for their sum', async () => {
    const started = Date.now();
    const res = await get('/dashboard/degraded?user=1');
    expect(res.status).toBe(200);
    // Five parts, one of them cut at 300 ms: well under a second in all.
    expect(Date.now() - started).toBeLessThan(1500);
  });

  test('failed optional parts are reported under errors: a timeout, a status, an answer that is not JSON, no answer', async () => {
    const res = await get('/dashboard/degraded?user=7');
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.user).toEqual(expect.objectContaining({ backend: 'users', path: '/users/7' }));
    expect(body.recommendations).toBeUndefined();
    expect(body.errors).toEqual({
      recommendations: { error: 'timeout' },
      orders: { error: 'status', status: 503 },
      news: { error: 'not JSON', status: 200 },
      ads: { error: 'unreachable' },
    });
  });

  test('a required part failing gives the gateway\'s JSON 502: a bad status, no answer, a timeout', async () => {
    for (const path of ['/dashboard/broken', '/dashboard/unreachable', '/dashboard/late']) {
      const res = await get(path);
      expect(res.status).toBe(502);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.json()).toEqual({ error: 'bad gateway', status: 502, request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    }
  });

  test('adversarial values reach the backend percent-encoded, inside their segment or query value', async () => {
    const before = backends.users.received.length;
    const value = '../admin?x=1#y%2F &z';
    const res = await get(`/dashboard?user=${encodeURIComponent(value)}`, { 'x-region': '../../etc/passwd?a#b' });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.user.path).toBe('/users/%2E%2E%2Fadmin%3Fx%3D1%23y%252F%20%26z');
    expect(body.orders.path).toBe('/orders?user=%2E%2E%2Fadmin%3Fx%3D1%23y%252F%20%26z&limit=5');
    expect(body.recommendations.path).toBe('/top/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd%3Fa%23b');
    expect(backends.users.received.slice(before).map((r) => r.path)).toEqual(['/users/%2E%2E%2Fadmin%3Fx%3D1%23y%252F%20%26z']);
    // Encoded slashes in the client's value are encoded again: "%2F" arrives as "%252F", never as "/".
    const encoded = (await get('/dashboard?user=a%2Fb', { 'x-region': 'eu' })).json();
    expect(encoded.user.path).toBe('/users/a%2Fb');
    expect(decodeURIComponent(encoded.user.path.slice('/users/'.length))).toBe('a/b');
  });

  test('a request without a value of every placeholder (or with "." or "..") gets 400 and calls no backend', async () => {
    const before = { users: backends.users.received.length, orders: backends.orders.received.length };
    for (const [path, headers] of [
      ['/dashboard', { 'x-region': 'eu' }],
      ['/dashboard?user=1', {}],
      ['/dashboard?user=', { 'x-region': 'eu' }],
      ['/dashboard?user=..', { 'x-region': 'eu' }],
      ['/dashboard?user=1&user=2', { 'x-region': 'eu' }],
    ] as const) {
      const res = await get(path, headers);
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ error: 'bad request', status: 400, request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    }
    expect(backends.users.received.length).toBe(before.users);
    expect(backends.orders.received.length).toBe(before.orders);
  });

  test('methods other than GET and HEAD get 405; the route\'s policies run first (an API key is required)', async () => {
    expect((await get('/dashboard?user=1', { 'x-region': 'eu' }, 'POST')).status).toBe(405);
    const head = await get('/dashboard?user=1', { 'x-region': 'eu' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const anonymous = await request(nginx.ports.http, { host: HOST, path: '/dashboard?user=1', headers: { 'x-region': 'eu' } });
    expect(anonymous.status).toBe(401);
  });

  test('the usage log keeps the route and the consumer of an aggregate request', async () => {
    await get('/dashboard?user=log-check', { 'x-region': 'eu' });
    const line = await nginx.logLine((l) => l.uri === '/dashboard?user=log-check');
    expect(line).toEqual(expect.objectContaining({ route: 'routes[0]', consumer: 'alice', status: 200 }));
  });

  test('other routes still forward', async () => {
    expect((await get('/anything')).json().backend).toBe('api');
  });
});

// The parts of an aggregate route are its backends: they get what the route's checks tell a
// forwarded backend (here the auth service's answer headers), never the client's own of that name.
describe('an aggregate route behind external authentication, on the real nginx', () => {
  const backends: Record<string, TestBackend> = {};
  let identityPod: SimulatedPod;
  let identityNginx: RunningNginx;

  beforeAll(async () => {
    backends.api = await startBackend('api');
    backends.users = await startBackend('users');
    backends.authz = await startBackend('authz', { headers: { 'x-user': 'alice' } });
    const chart = testChart('shop', 'shop');
    new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: ['api.example.com'],
      backend: Backend.fromName('api', 8080),
      auth: Auth.external({ service: Backend.fromName('authz', 8080), responseHeaders: ['x-user'] }),
      routes: [
        { match: { path: PathMatch.exact('/dashboard') }, aggregate: { user: AggregatePart.required(Backend.fromName('users', 8080), { path: '/users/1' }) } },
        { match: { path: PathMatch.prefix('/') } },
      ],
    });
    identityPod = await simulatePod({ manifests: synthChecked(chart), imageFiles: { gateway: [NJS_MODULE_FILE] } });
    identityNginx = await startNginxInPod(identityPod, {
      upstreams: Object.fromEntries(Object.entries(backends).map(([name, b]) => [`${name}.shop.svc.cluster.local:8080`, `127.0.0.1:${b.port}`])),
    });
  });

  afterAll(async () => {
    await identityNginx?.stop();
    identityPod?.dispose();
    await Promise.all(Object.values(backends).map((b) => b.close()));
  });

  test('each part gets the auth service\'s x-user, as a forwarded backend does; a client\'s forged one never reaches it', async () => {
    const forwarded = await request(identityNginx.ports.http, { host: 'api.example.com', path: '/other', headers: { 'x-user': 'mallory' } });
    expect(forwarded.json().headers['x-user']).toBe('alice');
    for (const headers of [{ 'x-user': 'mallory' }, {}] as Record<string, string>[]) {
      const res = await request(identityNginx.ports.http, { host: 'api.example.com', path: '/dashboard', headers });
      expect(res.status).toBe(200);
      expect(res.json().user.headers['x-user']).toBe('alice');
    }
  });
});
