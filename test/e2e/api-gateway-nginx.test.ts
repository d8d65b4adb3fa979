import { X509Certificate } from 'crypto';
import * as tls from 'tls';
import { Duration, Size } from 'cdk8s';
import { AccessPolicy, ApiGatewayEngine, Auth, Backend, BackendTls, CircuitBreaker, ClientCertificates, ExposedService, ExposureStrategy, PathMatch, RateLimit, Tls } from '../../src';
import { startAuthService, TestAuthService } from '../support/auth-service';
import { request, startBackend, TestBackend } from '../support/backends';
import { caWithClient } from '../support/client-certificates';
import { HttpsBackend, issueCertificate, startHttpsBackend, testCa } from '../support/https-backend';
import { RunningNginx, startNginxInPod } from '../support/nginx';
import { secretManifest, SimulatedPod, simulatePod, tlsSecret } from '../support/pod-simulation';
import { Manifest, synthChecked, testChart } from '../support/synth';
import { connectWebSocket, EchoServer, startEchoServer } from '../support/websocket';

/**
 * The NGINX engine's gateway, run by the real nginx on 127.0.0.1 with loopback backends in place
 * of the Services: what a client sees. nginx runs as the gateway container of the pod simulated
 * from the synthesized YAML: the configuration comes from its ConfigMap volume, the credentials
 * from the init container's run on the Secrets as a user creates them.
 */
jest.setTimeout(60_000);

// The Secrets: one data key per consumer, as both engines read them.
const API_KEYS = { alice: 'key-alice', bob: 'key-bob\n', carol: '~^carol.*key$' };
const HOST = 'api.example.com';
const fqdn = (name: string) => `${name}.shop.svc.cluster.local:8080`;

/** The synthesized manifests of the declaration. */
function gatewayOf(declare: (chart: ReturnType<typeof testChart>) => void): Manifest[] {
  const chart = testChart('shop', 'shop');
  declare(chart);
  return synthChecked(chart);
}

describe('API gateway, NGINX engine, on the real nginx', () => {
  const names = ['api', 'api-v1', 'api-v2', 'api-v3', 'shadow'];
  const backends: Record<string, TestBackend> = {};
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  const get = (path: string, headers: Record<string, string> = {}) => request(nginx.ports.http, { host: HOST, path, headers });
  const withKey = (path: string, headers: Record<string, string> = {}) => get(path, { 'x-api-key': 'key-alice', ...headers });

  beforeAll(async () => {
    for (const name of names) backends[name] = await startBackend(name);
    backends.slow = await startBackend('slow', { delayMs: 3000 });
    const manifests = gatewayOf((chart) => new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx({ cacheTtl: Duration.seconds(30), maxBodySize: Size.kibibytes(64) }) }),
      hosts: [HOST],
      backend: Backend.fromName('api', 8080),
      auth: Auth.apiKey({ secret: 'api-keys' }),
      timeout: Duration.seconds(1),
      cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['x-api-key'], maxAge: Duration.hours(1) },
      routes: [
        {
          match: { path: PathMatch.prefix('/v1') },
          backend: Backend.fromName('api-v1', 8080),
          rewrite: { path: '/' },
          requestHeaders: { set: { 'x-env': 'prod' }, add: { 'x-tag': 'gw' }, remove: ['x-debug'] },
          responseHeaders: { set: { 'x-served-by': 'gateway' }, remove: ['x-backend-version'] },
        },
        {
          match: { path: PathMatch.prefix('/v2') },
          backends: [{ backend: Backend.fromName('api-v2', 8080), weight: 9 }, { backend: Backend.fromName('api-v3', 8080), weight: 1 }],
          mirror: { backend: Backend.fromName('shadow', 8080) },
        },
        { match: { path: PathMatch.prefix('/limited') }, rateLimit: RateLimit.perSecond(1, { burst: 2, key: 'api-key' }) },
        { match: { path: PathMatch.prefix('/slow') }, backend: Backend.fromName('slow', 8080) },
        { match: { path: PathMatch.exact('/old') }, redirect: { path: '/new', statusCode: 302 } },
        { match: { path: PathMatch.prefix('/admin') }, auth: Auth.basic({ secret: 'admins', realm: 'Admins' }) },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }));
    pod = await simulatePod({ manifests, secrets: [secretManifest('api-keys', API_KEYS), secretManifest('admins', { admin: 's3cret' })] });
    nginx = await startNginxInPod(pod, { upstreams: Object.fromEntries([...names, 'slow'].map((n) => [fqdn(n), `127.0.0.1:${backends[n].port}`])) });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await Promise.all(Object.values(backends).map((b) => b.close()));
  });

  test('each route reaches its backend', async () => {
    expect((await withKey('/v1/users')).json().backend).toBe('api-v1');
    expect((await withKey('/v2/users')).json().backend).toMatch(/^api-v[23]$/);
    expect((await withKey('/anything/else')).json().backend).toBe('api');
  });

  test('the rewrite and the request header edits arrive at the backend', async () => {
    const seen = (await withKey('/v1/users/7?expand=1', { 'x-debug': 'on', 'x-tag': 'client' })).json();
    expect(seen.path).toBe('/users/7?expand=1');
    expect(seen.headers['x-env']).toBe('prod');
    expect(seen.headers['x-tag']).toBe('client, gw');
    expect(seen.headers['x-debug']).toBeUndefined();
    expect(seen.headers.host).toBe(HOST);
    expect((await withKey('/v1')).json().path).toBe('/');
  });

  test('a prefix rewrite never sends a path outside its target: raw URIs not in the normalized form get 400', async () => {
    // nginx routes /v1/x/../users as /v1/users; rewriting the raw form would send /x/../users.
    expect((await withKey('/v1/x/../users')).status).toBe(400);
    expect((await withKey('/v1/%2E%2E/v1/users')).status).toBe(400);
    expect((await withKey('/v1//users')).status).toBe(400);
    // An encoded prefix: the raw form does not start with /v1.
    expect((await withKey('/%761/users')).status).toBe(400);
    expect(backends['api-v1'].received.some((r) => r.path.includes('..'))).toBe(false);
  });

  test('response header edits reach the client', async () => {
    const res = await withKey('/v1/headers');
    expect(res.headers['x-served-by']).toBe('gateway');
    expect(res.headers['x-backend-version']).toBeUndefined();
    // The other routes pass the backend's header through.
    expect((await withKey('/anything/h')).headers['x-backend-version']).toBe('1.0.0');
  });

  test('weighted backends share the traffic, and the mirror gets a copy', async () => {
    const before = { v2: backends['api-v2'].received.length, v3: backends['api-v3'].received.length, shadow: backends.shadow.received.length };
    for (let i = 0; i < 40; i++) await withKey(`/v2/items/${i}`);
    const v2 = backends['api-v2'].received.length - before.v2;
    const v3 = backends['api-v3'].received.length - before.v3;
    expect(v2 + v3).toBe(40);
    expect(v3).toBeGreaterThanOrEqual(1);
    expect(v2).toBeGreaterThan(3 * v3);
    // Mirrored requests are fire-and-forget: wait (bounded) for the last copies to land.
    for (let i = 0; i < 50 && backends.shadow.received.length - before.shadow < 40; i++) await new Promise((r) => setTimeout(r, 20));
    expect(backends.shadow.received.length - before.shadow).toBe(40);
  });

  test('API keys: none or a bad one -> 401 with JSON; a good one -> 200, with the consumer in the usage log', async () => {
    const none = await get('/anything');
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toBe('application/json');
    expect(none.json()).toEqual({ error: 'unauthorized', status: 401, request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect((await get('/anything', { 'x-api-key': 'key-mallory' })).status).toBe(401);
    // Keys compare exactly: case counts, and regex characters in a key are literal.
    expect((await get('/anything', { 'x-api-key': 'KEY-ALICE' })).status).toBe(401);
    expect((await get('/anything', { 'x-api-key': '~^carol.*key$' })).status).toBe(200);
    expect((await get('/anything', { 'x-api-key': '~^carolXXkey$' })).status).toBe(401);
    const ok = await get('/billing/check', { 'x-api-key': 'key-bob' });
    expect(ok.status).toBe(200);
    const line = await nginx.logLine((l) => l.uri === '/billing/check');
    expect(line).toEqual(expect.objectContaining({ consumer: 'bob', route: 'routes[6]', status: 200, method: 'GET', host: HOST }));
    expect(typeof line!.request_time).toBe('number');
  });

  test('a burst over the rate limit -> 429 with JSON and Retry-After', async () => {
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 6; i++) {
      const res = await withKey(`/limited/${i}`);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    // 1 request per second and a burst of 2: the first three pass at once.
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses).toContain(429);
    expect(limited!.headers['retry-after']).toBe('1');
    expect(limited!.json()).toEqual(expect.objectContaining({ error: 'too many requests', status: 429 }));
    // Another consumer has a budget of its own.
    expect((await get('/limited/x', { 'x-api-key': 'key-bob' })).status).toBe(200);
  });

  test('CORS: a preflight is answered for an allowed origin, not for another', async () => {
    const preflight = (origin: string) => request(nginx.ports.http, {
      host: HOST, path: '/v1/users', method: 'OPTIONS', headers: { 'origin': origin, 'access-control-request-method': 'POST' },
    });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(allowed.headers['access-control-allow-headers']).toBe('x-api-key');
    expect(allowed.headers['access-control-max-age']).toBe('3600');
    const other = await preflight('https://evil.example.com');
    expect(other.status).toBe(401);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const actual = await withKey('/v1/users', { origin: 'https://app.example.com' });
    expect(actual.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  test('a slow backend -> 504 with JSON at the declared timeout', async () => {
    const started = Date.now();
    const res = await withKey('/slow/report');
    const elapsed = Date.now() - started;
    expect(res.status).toBe(504);
    expect(res.json()).toEqual(expect.objectContaining({ error: 'gateway timeout', status: 504 }));
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2900);
  });

  test('a cached GET -> X-Cache-Status: HIT', async () => {
    const before = backends.api.received.length;
    expect((await withKey('/catalog/1')).headers['x-cache-status']).toBe('MISS');
    // nginx commits the entry once the first response is complete: ask again, bounded.
    let second = await withKey('/catalog/1');
    for (let i = 0; i < 20 && second.headers['x-cache-status'] !== 'HIT'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      second = await withKey('/catalog/1');
    }
    expect(second.headers['x-cache-status']).toBe('HIT');
    expect(second.json().backend).toBe('api');
    // Another consumer does not get alice's cached response.
    expect((await get('/catalog/1', { 'x-api-key': 'key-bob' })).headers['x-cache-status']).toBe('MISS');
    expect(backends.api.received.length - before).toBeLessThanOrEqual(3);
  });

  test('basic auth: no credentials -> 401 with WWW-Authenticate; good ones -> 200 with the user as consumer', async () => {
    const none = await get('/admin/stats');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Basic realm="Admins"');
    const ok = await get('/admin/stats', { authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` });
    expect(ok.status).toBe(200);
    expect(ok.json().backend).toBe('api');
    expect(await nginx.logLine((l) => l.uri === '/admin/stats' && l.status === 200)).toEqual(expect.objectContaining({ consumer: 'admin' }));
  });

  test('redirects, body size limit, other hosts', async () => {
    const redirect = await withKey('/old');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe(`http://${HOST}/new`);
    const big = await request(nginx.ports.http, { host: HOST, path: '/v1/upload', method: 'POST', headers: { 'x-api-key': 'key-alice' }, body: 'x'.repeat(100 * 1024) });
    expect(big.status).toBe(413);
    expect(big.json()).toEqual(expect.objectContaining({ error: 'request body too large' }));
    const other = await request(nginx.ports.http, { host: 'other.example.com', path: '/' });
    expect(other.status).toBe(404);
    expect(other.json()).toEqual({ error: 'not found', status: 404 });
  });

  test('health and metrics answer on the internal status port only', async () => {
    expect((await request(nginx.ports.status, { host: 'localhost', path: '/healthz' })).body).toBe('ok\n');
    expect((await request(nginx.ports.status, { host: 'localhost', path: '/stub_status' })).body).toMatch(/^Active connections: \d+/);
    expect((await withKey('/stub_status')).json().backend).toBe('api');
  });
});

describe('API gateway, NGINX engine, terminating TLS behind a LoadBalancer', () => {
  let api: TestBackend;
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  let secret: Manifest & { data?: Record<string, string> };

  beforeAll(async () => {
    api = await startBackend('api');
    const manifests = gatewayOf((chart) => new ExposedService(chart, 'secure', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: ['secure.example.com'],
      backend: Backend.fromName('api', 8080),
      tls: Tls.fromSecret('secure-tls'),
    }));
    // The TLS Secret as a user creates it (kubernetes.io/tls), with a certificate made by openssl.
    secret = tlsSecret('secure-tls', 'secure.example.com');
    pod = await simulatePod({ manifests, secrets: [secret] });
    nginx = await startNginxInPod(pod, { upstreams: { [fqdn('api')]: `127.0.0.1:${api.port}` } });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await api?.close();
  });

  test('plain HTTP redirects to HTTPS', async () => {
    const res = await request(nginx.ports.http, { host: 'secure.example.com', path: '/orders?id=1' });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('https://secure.example.com/orders?id=1');
  });

  test('HTTPS reaches the backend, with HSTS', async () => {
    const res = await request(nginx.ports.https, { host: 'secure.example.com', path: '/orders', https: true });
    expect(res.status).toBe(200);
    expect(res.json().backend).toBe('api');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  test('a handshake for another host is refused', async () => {
    await expect(request(nginx.ports.https, { host: 'other.example.com', path: '/', https: true })).rejects.toThrow();
  });

  test('the certificate served is the Secret\'s', async () => {
    const served = await new Promise<Buffer>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: nginx.ports.https, servername: 'secure.example.com', rejectUnauthorized: false }, () => {
        resolve(socket.getPeerCertificate().raw);
        socket.end();
      });
      socket.setTimeout(5_000, () => socket.destroy(new Error('no TLS handshake within 5 s')));
      socket.once('error', reject);
    });
    expect(new X509Certificate(served).fingerprint256).toBe(new X509Certificate(Buffer.from(secret.data!['tls.crt'], 'base64')).fingerprint256);
  });
});

describe('API gateway, NGINX engine, WebSockets and the status of the HTTPS redirect', () => {
  const HOST_WS = 'live.example.com';
  let echo: EchoServer;
  let pod: SimulatedPod;
  let nginx: RunningNginx;

  beforeAll(async () => {
    echo = await startEchoServer();
    const manifests = gatewayOf((chart) => new ExposedService(chart, 'live', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: [HOST_WS],
      backend: Backend.fromName('echo', 8080),
      tls: Tls.fromSecret('live-tls'),
      httpsRedirectCode: 308,
      // A short idle timeout, so that the test shows it in seconds (nginx's own default is 60 s).
      routes: [{ match: { path: PathMatch.prefix('/ws') }, idleTimeout: Duration.seconds(2) }, {}],
    }));
    pod = await simulatePod({ manifests, secrets: [tlsSecret('live-tls', HOST_WS)] });
    nginx = await startNginxInPod(pod, { upstreams: { [fqdn('echo')]: `127.0.0.1:${echo.port}` } });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await echo?.close();
  });

  test('plain HTTP answers the declared 308 with the https Location', async () => {
    const res = await request(nginx.ports.http, { host: HOST_WS, path: '/orders?id=1', method: 'POST', body: 'x' });
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe(`https://${HOST_WS}/orders?id=1`);
  });

  test('a WebSocket upgrade reaches the echo server through the gateway, and messages come back', async () => {
    const ws = await connectWebSocket(nginx.ports.https, { host: HOST_WS, path: '/ws/chat', https: true });
    try {
      expect(ws.status).toBe(101);
      expect(await ws.echo('hello')).toBe('hello');
      expect(await ws.echo('again, '.repeat(40))).toBe('again, '.repeat(40));
      const upgrade = echo.upgrades[echo.upgrades.length - 1];
      expect([upgrade.upgrade, upgrade.connection, upgrade.host]).toEqual(['websocket', 'upgrade', HOST_WS]);
    } finally {
      ws.close();
    }
  });

  test('idleTimeout: open while messages come within it, closed by the gateway after it is silent for longer', async () => {
    const ws = await connectWebSocket(nginx.ports.https, { host: HOST_WS, path: '/ws', https: true });
    try {
      for (let i = 0; i < 3; i++) {
        expect(await ws.closedWithin(1_000)).toBe(false);
        expect(await ws.echo(`still here ${i}`)).toBe(`still here ${i}`);
      }
      // 3 s of silence after 3 s of talk: past the 2 s idle timeout, well within the 60 s default.
      expect(await ws.closedWithin(4_000)).toBe(true);
    } finally {
      ws.close();
    }
  });

  test('a route without idleTimeout keeps nginx\'s default: open after the other route\'s would close', async () => {
    const ws = await connectWebSocket(nginx.ports.https, { host: HOST_WS, path: '/', https: true });
    try {
      expect(await ws.closedWithin(3_000)).toBe(false);
      expect(await ws.echo('hello')).toBe('hello');
    } finally {
      ws.close();
    }
  });

  test('a plain request sends no Connection header upstream: the upstream connection is kept alive', async () => {
    const res = await request(nginx.ports.https, { host: HOST_WS, path: '/plain', https: true });
    expect(res.status).toBe(200);
    expect(res.json().connection).toBeUndefined();
    expect(res.json().upgrade).toBeUndefined();
  });
});

describe('API gateway, NGINX engine, client IP access lists behind a trusted front', () => {
  let api: TestBackend;
  let internal: TestBackend;
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  // The test connects from 127.0.0.1, the front's address here: it sends X-Forwarded-For as the front would.
  const from = (client: string | undefined, path: string) => request(nginx.ports.http, {
    host: 'edge.example.com', path, headers: client === undefined ? {} : { 'x-forwarded-for': client },
  });

  beforeAll(async () => {
    api = await startBackend('api');
    internal = await startBackend('internal');
    const manifests = gatewayOf((chart) => new ExposedService(chart, 'edge', {
      strategy: ExposureStrategy.apiGateway({
        engine: ApiGatewayEngine.nginx({ trustedProxies: ['127.0.0.1'] }),
        exposedVia: ExposureStrategy.istio(),
      }),
      hosts: ['edge.example.com'],
      backend: Backend.fromName('api', 8080),
      access: AccessPolicy.denyFrom(['198.51.100.0/24']),
      routes: [
        {
          match: { path: PathMatch.prefix('/internal') },
          backend: Backend.fromName('internal', 8080),
          access: AccessPolicy.allowFrom(['203.0.113.0/24', '2001:db8::/32'], { except: ['203.0.113.7'] }),
        },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }));
    pod = await simulatePod({ manifests });
    nginx = await startNginxInPod(pod, { upstreams: { [fqdn('api')]: `127.0.0.1:${api.port}`, [fqdn('internal')]: `127.0.0.1:${internal.port}` } });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await Promise.all([api?.close(), internal?.close()]);
  });

  test('an allowed client reaches the backend; others get 403 with JSON, and never reach it', async () => {
    const before = internal.received.length;
    const allowed = await from('203.0.113.5', '/internal/report');
    expect(allowed.status).toBe(200);
    expect(allowed.json().backend).toBe('internal');
    expect((await from('2001:db8::1', '/internal/report')).status).toBe(200);
    const other = await from('192.0.2.1', '/internal/report');
    expect(other.status).toBe(403);
    expect(other.headers['content-type']).toBe('application/json');
    expect(other.json()).toEqual({ error: 'forbidden', status: 403, request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(internal.received.length - before).toBe(2);
  });

  test('an exception inside the allowed range is refused', async () => {
    expect((await from('203.0.113.7', '/internal')).status).toBe(403);
    expect((await from('203.0.113.8', '/internal')).status).toBe(200);
  });

  test('the client address is the last one the front appended: a forged earlier entry changes nothing', async () => {
    expect((await from('203.0.113.5, 192.0.2.1', '/internal')).status).toBe(403);
    expect((await from('192.0.2.1, 203.0.113.5', '/internal')).status).toBe(200);
  });

  test('without X-Forwarded-For the client is the connection\'s address (the front\'s), which the allow list does not hold', async () => {
    expect((await from(undefined, '/internal')).status).toBe(403);
    expect((await from(undefined, '/anything')).status).toBe(200);
  });

  test('the exposure\'s deny list applies to the routes that inherit it', async () => {
    expect((await from('198.51.100.9', '/anything')).status).toBe(403);
    expect((await from('192.0.2.1', '/anything')).json().backend).toBe('api');
    // The route's own policy replaces the exposure's: a client of 198.51.100.0/24 is not in its allow list anyway.
    expect((await from('198.51.100.9', '/internal')).status).toBe(403);
  });
});

describe('API gateway, NGINX engine, client IP access lists behind a LoadBalancer', () => {
  let api: TestBackend;
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  let manifests: Manifest[];
  const get = (path: string, headers: Record<string, string> = {}) => request(nginx.ports.http, { host: 'direct.example.com', path, headers });

  beforeAll(async () => {
    api = await startBackend('api');
    manifests = gatewayOf((chart) => new ExposedService(chart, 'direct', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: ['direct.example.com'],
      backend: Backend.fromName('api', 8080),
      routes: [
        { match: { path: PathMatch.prefix('/closed') }, access: AccessPolicy.allowFrom(['10.0.0.0/8']) },
        { match: { path: PathMatch.prefix('/') }, access: AccessPolicy.allowFrom(['127.0.0.0/8']) },
      ],
    }));
    pod = await simulatePod({ manifests });
    nginx = await startNginxInPod(pod, { upstreams: { [fqdn('api')]: `127.0.0.1:${api.port}` } });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await api?.close();
  });

  test('the LoadBalancer keeps the client address (externalTrafficPolicy: Local)', () => {
    expect(manifests.find((m) => m.kind === 'Service')!.spec.externalTrafficPolicy).toBe('Local');
  });

  test('the connection\'s address decides: 127.0.0.1 is allowed on / and not on /closed', async () => {
    expect((await get('/open')).status).toBe(200);
    expect((await get('/closed')).status).toBe(403);
  });

  test('no proxy is trusted: X-Forwarded-For and X-Real-IP are ignored', async () => {
    expect((await get('/closed', { 'x-forwarded-for': '10.1.2.3', 'x-real-ip': '10.1.2.3' })).status).toBe(403);
  });
});

describe('API gateway, NGINX engine, request body size limits', () => {
  let api: TestBackend;
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  const post = (path: string, bytes: number, headers: Record<string, string> = {}) =>
    request(nginx.ports.http, { host: 'bodies.example.com', path, method: 'POST', headers, body: 'x'.repeat(bytes) });

  beforeAll(async () => {
    api = await startBackend('api');
    const manifests = gatewayOf((chart) => new ExposedService(chart, 'bodies', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx({ maxBodySize: Size.kibibytes(64) }) }),
      hosts: ['bodies.example.com'],
      backend: Backend.fromName('api', 8080),
      routes: [
        { match: { path: PathMatch.prefix('/upload') }, maxRequestBody: Size.kibibytes(256) },
        { match: { path: PathMatch.prefix('/small') }, maxRequestBody: Size.kibibytes(1.5) },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }));
    pod = await simulatePod({ manifests });
    nginx = await startNginxInPod(pod, { upstreams: { [fqdn('api')]: `127.0.0.1:${api.port}` } });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await api?.close();
  });

  test('a body up to the route\'s limit reaches the backend; one byte more gets 413 with JSON and never reaches it', async () => {
    const before = api.received.length;
    expect((await post('/small', 1536)).status).toBe(200);
    const over = await post('/small', 1537);
    expect(over.status).toBe(413);
    expect(over.headers['content-type']).toBe('application/json');
    expect(over.json()).toEqual({ error: 'request body too large', status: 413, request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(api.received.length - before).toBe(1);
  });

  test('a route\'s limit above the engine\'s lets larger bodies through on that route only', async () => {
    expect((await post('/upload', 200 * 1024)).status).toBe(200);
    expect((await post('/upload', 256 * 1024 + 1)).status).toBe(413);
    // The catch-all keeps the engine's 64 KiB.
    expect((await post('/other', 64 * 1024)).status).toBe(200);
    expect((await post('/other', 100 * 1024)).status).toBe(413);
  });

  test('a chunked body (no Content-Length) is counted as it arrives', async () => {
    expect((await post('/small', 1536, { 'transfer-encoding': 'chunked' })).status).toBe(200);
    const over = await post('/small', 4096, { 'transfer-encoding': 'chunked' });
    expect(over.status).toBe(413);
    expect(over.json().error).toBe('request body too large');
  });
});

describe('API gateway, NGINX engine, external authentication', () => {
  let api: TestBackend;
  let auth: TestAuthService;
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  const HOST_AUTH = 'authn.example.com';
  const send = (path: string, headers: Record<string, string> = {}, method = 'GET', body?: string) =>
    request(nginx.ports.http, { host: HOST_AUTH, path, method, headers, body });

  beforeAll(async () => {
    api = await startBackend('api');
    auth = await startAuthService();
    const manifests = gatewayOf((chart) => new ExposedService(chart, 'authn', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: [HOST_AUTH],
      backend: Backend.fromName('api', 8080),
      auth: Auth.external({
        service: Backend.fromName('authz', 8080),
        // A "$" reaches the auth service literally (nginx would read "$v1" as a variable).
        path: '/check$v1',
        forwardHeaders: ['cookie'],
        responseHeaders: ['x-auth-request-user', 'x-auth-request-email'],
      }),
      routes: [
        { match: { path: PathMatch.prefix('/app') }, auth: Auth.external({ service: Backend.fromName('authz', 8080), signinUrl: 'https://sso.example.com/start?app=$shop' }) },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }));
    pod = await simulatePod({ manifests });
    nginx = await startNginxInPod(pod, { upstreams: { [fqdn('api')]: `127.0.0.1:${api.port}`, [fqdn('authz')]: `127.0.0.1:${auth.port}` } });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await api?.close();
    await auth?.close();
  });

  test('a 2xx of the auth service lets the request through: the backend gets the declared headers of its answer, no other', async () => {
    const before = api.received.length;
    const res = await send('/orders/7?x=1&y=%2F', { 'authorization': 'Bearer allow', 'x-auth-request-user': 'forged' });
    expect(res.status).toBe(200);
    expect(api.received.length - before).toBe(1);
    const seen = api.received[api.received.length - 1];
    expect(seen.path).toBe('/orders/7?x=1&y=%2F');
    expect(seen.headers['x-auth-request-user']).toBe('alice');
    expect(seen.headers['x-auth-request-email']).toBe('alice@example.com');
    expect(seen.headers['x-auth-internal']).toBeUndefined();
    // The auth subrequest leaves the route's name for the usage log.
    expect(await nginx.logLine((l) => l.uri === '/orders/7?x=1&y=%2F' && l.status === 200)).toEqual(expect.objectContaining({ route: 'routes[1]' }));
  });

  test('the auth service gets the prefix and the URI as sent, the method, Authorization, the declared headers and the original request; no body, no other header', async () => {
    const before = auth.received.length;
    await send('/orders/7?x=1&y=%2F', { 'authorization': 'Bearer allow', 'cookie': 'session=abc', 'x-other': 'kept-away', 'content-type': 'text/plain' }, 'POST', 'a body');
    expect(auth.received.length - before).toBe(1);
    const check = auth.received[auth.received.length - 1];
    expect(check.path).toBe('/check$v1/orders/7?x=1&y=%2F');
    expect(check.method).toBe('POST');
    expect(check.bodyBytes).toBe(0);
    expect(check.headers).toMatchObject({
      'host': HOST_AUTH,
      'authorization': 'Bearer allow',
      'cookie': 'session=abc',
      'x-original-uri': '/orders/7?x=1&y=%2F',
      'x-original-method': 'POST',
      'x-forwarded-host': HOST_AUTH,
      'x-forwarded-proto': 'http',
      'x-forwarded-for': '127.0.0.1',
    });
    expect(check.headers['x-other']).toBeUndefined();
    expect(check.headers['content-type']).toBeUndefined();
  });

  test('401 and 403 of the auth service reach the client (JSON); the backend never sees the request', async () => {
    const before = api.received.length;
    const unauthenticated = await send('/orders');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.json()).toMatchObject({ error: 'unauthorized', status: 401 });
    const forbidden = await send('/orders', { authorization: 'Bearer deny' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json()).toMatchObject({ error: 'forbidden', status: 403 });
    expect(api.received.length).toBe(before);
  });

  test('any other answer of the auth service is a 500, and the backend never sees the request', async () => {
    const before = api.received.length;
    const res = await send('/orders', { authorization: 'Bearer broken' });
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ error: 'internal error', status: 500 });
    expect(api.received.length).toBe(before);
  });

  test('with signinUrl, a 401 becomes a redirect to it; 403 stays 403', async () => {
    const before = api.received.length;
    const res = await send('/app/page');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('https://sso.example.com/start?app=$shop');
    expect((await send('/app/page', { authorization: 'Bearer deny' })).status).toBe(403);
    expect(api.received.length).toBe(before);
    // Without a prefix, the auth service gets the client's URI as it is.
    expect((await send('/app/page?q=1', { authorization: 'Bearer allow' })).status).toBe(200);
    expect(auth.received[auth.received.length - 1].path).toBe('/app/page?q=1');
  });
});

describe.each([
  ['required, the CA in a ConfigMap', 'require' as const],
  ['optional, the CA in a Secret', 'optional' as const],
])('API gateway, NGINX engine, client certificates %s', (_, mode) => {
  const HOST_MTLS = 'partners.example.com';
  const partners = caWithClient('partners-ca', 'partner-a', 'Acme');
  const stranger = caWithClient('other-ca', 'partner-a', 'Acme');
  let api: TestBackend;
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  const get = (options: { clientCertificate?: { cert: string; key: string }; headers?: Record<string, string> } = {}) =>
    request(nginx.ports.https, { host: HOST_MTLS, path: '/orders', https: true, ...options });

  beforeAll(async () => {
    api = await startBackend('api');
    const ca = mode === 'require' ? { caConfigMap: 'partners-ca' } : { caSecret: 'partners-ca' };
    const manifests = gatewayOf((chart) => new ExposedService(chart, 'partners', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: [HOST_MTLS],
      backend: Backend.fromName('api', 8080),
      tls: Tls.fromSecret('partners-tls', { clientCertificates: mode === 'require' ? ClientCertificates.require(ca) : ClientCertificates.optional(ca) }),
    }));
    // The CA bundle as a user stores it: ca.crt of a ConfigMap or of an Opaque Secret.
    const caObject = mode === 'require'
      ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'partners-ca', namespace: 'shop' }, data: { 'ca.crt': partners.ca.cert } } as Manifest
      : secretManifest('partners-ca', { 'ca.crt': partners.ca.cert }, 'Opaque', 'shop');
    pod = await simulatePod({ manifests, secrets: [tlsSecret('partners-tls', HOST_MTLS), caObject] });
    nginx = await startNginxInPod(pod, { upstreams: { [fqdn('api')]: `127.0.0.1:${api.port}` } });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await api?.close();
  });

  test('a certificate of the CA reaches the backend, which learns who the client is (a forged identity header is replaced)', async () => {
    const before = api.received.length;
    const res = await get({ clientCertificate: partners.client, headers: { 'ssl-client-subject-dn': 'CN=admin', 'ssl-client-verify': 'SUCCESS' } });
    expect(res.status).toBe(200);
    const seen = api.received.slice(before)[0].headers;
    expect(seen['ssl-client-verify']).toBe('SUCCESS');
    expect(seen['ssl-client-subject-dn']).toBe('O=Acme,CN=partner-a');
    expect(seen['ssl-client-issuer-dn']).toBe('CN=partners-ca');
    const forwarded = new X509Certificate(decodeURIComponent(String(seen['ssl-client-cert'])));
    expect(forwarded.fingerprint256).toBe(new X509Certificate(partners.client.cert).fingerprint256);
  });

  test('a certificate of another CA gets 400 (JSON) and never reaches the backend', async () => {
    const before = api.received.length;
    const res = await get({ clientCertificate: stranger.client });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad request', status: 400 });
    expect(api.received.length).toBe(before);
  });

  test(mode === 'require' ? 'no certificate gets 400 (JSON)' : 'no certificate passes without an identity, even a forged one', async () => {
    const before = api.received.length;
    const res = await get({ headers: { 'ssl-client-subject-dn': 'CN=admin', 'ssl-client-cert': 'forged' } });
    if (mode === 'require') {
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'bad request', status: 400 });
      expect(api.received.length).toBe(before);
    } else {
      expect(res.status).toBe(200);
      const seen = api.received.slice(before)[0].headers;
      expect(seen['ssl-client-verify']).toBe('NONE');
      expect(seen['ssl-client-subject-dn']).toBeUndefined();
      expect(seen['ssl-client-cert']).toBeUndefined();
    }
  });
});

describe('API gateway, NGINX engine, circuit breaking (max_conns)', () => {
  let slow: TestBackend;
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  const get = (path: string) => request(nginx.ports.http, { host: 'limited.example.com', path });

  beforeAll(async () => {
    // Each request holds its upstream connection for 1.5 s: concurrent requests pile up.
    slow = await startBackend('slow', { delayMs: 1500 });
    const manifests = gatewayOf((chart) => new ExposedService(chart, 'limited', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: ['limited.example.com'],
      backend: Backend.fromName('slow', 8080),
      routes: [{ match: { path: PathMatch.prefix('/a') } }, { match: { path: PathMatch.prefix('/') } }],
      circuitBreaker: CircuitBreaker.of({ maxConnections: 2 }),
    }));
    pod = await simulatePod({ manifests });
    nginx = await startNginxInPod(pod, { upstreams: { [fqdn('slow')]: `127.0.0.1:${slow.port}` } });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await slow?.close();
  });

  test('requests over the limit get 502 (JSON) at once and never reach the backend; the limit spans both routes to the Service', async () => {
    const before = slow.received.length;
    const started = Date.now();
    // Two requests take both connections (one per route); the next ones, on either route, find none.
    const held = [get('/a/1'), get('/b/1')];
    await new Promise((r) => setTimeout(r, 300));
    const over = await Promise.all([get('/a/2'), get('/b/2'), get('/c/3')]);
    const overMs = Date.now() - started;
    expect(over.map((r) => r.status)).toEqual([502, 502, 502]);
    expect(over[0].headers['content-type']).toBe('application/json');
    expect(over[0].json()).toEqual({ error: 'bad gateway', status: 502, request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    // Refused without waiting for a connection: well before the held requests are answered.
    expect(overMs).toBeLessThan(1200);
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
    expect(slow.received.length - before).toBe(2);
  });

  test('once the held requests are answered, connections are free again', async () => {
    const answers = await Promise.all([get('/a/again'), get('/again')]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
  });
});

describe('API gateway, NGINX engine, TLS to the backend', () => {
  const SERVER_NAME = 'secure.shop.internal';
  let backend: HttpsBackend;
  let pod: SimulatedPod;
  let nginx: RunningNginx;

  beforeAll(async () => {
    const ca = testCa('Shop Test CA');
    const otherCa = testCa('Other Test CA');
    backend = await startHttpsBackend(issueCertificate(ca, SERVER_NAME));
    const manifests = gatewayOf((chart) => new ExposedService(chart, 'tls-backends', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: [HOST],
      routes: [
        { match: { path: PathMatch.prefix('/verified') }, backend: Backend.fromName('secure', 8443, { tls: BackendTls.fromSecret('shop-ca', { serverName: SERVER_NAME }) }) },
        { match: { path: PathMatch.prefix('/wrong-ca') }, backend: Backend.fromName('wrong-ca', 8443, { tls: BackendTls.fromSecret('other-ca', { serverName: SERVER_NAME }) }) },
        { match: { path: PathMatch.prefix('/wrong-name') }, backend: Backend.fromName('wrong-name', 8443, { tls: BackendTls.fromSecret('shop-ca', { serverName: 'other.shop.internal' }) }) },
        { match: { path: PathMatch.prefix('/unverified') }, backend: Backend.fromName('unverified', 8443, { tls: BackendTls.unverified() }) },
      ],
    }));
    // The CA Secrets as a user creates them: the CA certificate in key ca.crt.
    pod = await simulatePod({ manifests, secrets: [secretManifest('shop-ca', { 'ca.crt': ca.crt }), secretManifest('other-ca', { 'ca.crt': otherCa.crt })] });
    const address = `127.0.0.1:${backend.port}`;
    const upstream = (name: string) => `${name}.shop.svc.cluster.local:8443`;
    nginx = await startNginxInPod(pod, { upstreams: Object.fromEntries(['secure', 'wrong-ca', 'wrong-name', 'unverified'].map((n) => [upstream(n), address])) });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await backend?.close();
  });

  test('with the CA of the Secret, the request reaches the backend over TLS, with the declared server name', async () => {
    const res = await request(nginx.ports.http, { host: HOST, path: '/verified/orders' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ backend: 'https', path: '/verified/orders', servername: SERVER_NAME, encrypted: true });
  });

  test('a certificate of another CA fails verification: 502, and the backend never answers', async () => {
    const before = backend.received.length;
    const res = await request(nginx.ports.http, { host: HOST, path: '/wrong-ca/orders' });
    expect(res.status).toBe(502);
    expect(backend.received.length).toBe(before);
  });

  test('a certificate for another name fails verification: 502, and the backend never answers', async () => {
    const before = backend.received.length;
    const res = await request(nginx.ports.http, { host: HOST, path: '/wrong-name/orders' });
    expect(res.status).toBe(502);
    expect(backend.received.length).toBe(before);
  });

  test('unverified TLS passes, encrypted, without a server name', async () => {
    const res = await request(nginx.ports.http, { host: HOST, path: '/unverified/x' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ backend: 'https', path: '/unverified/x', servername: false, encrypted: true });
  });
});
