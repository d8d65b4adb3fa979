import * as crypto from 'crypto';
import * as http2 from 'http2';
import * as https from 'https';
import { Duration, Size } from 'cdk8s';
import { AccessPolicy, ApiGatewayEngine, Auth, Backend, Deprecation, ExposedService, ExposureStrategy, PathMatch, RateLimit, Tls } from '../../src';
import { NJS_MODULE_FILE } from '../../src/strategies/api-gateway/nginx/nginx-njs';
import { request, startBackend, TestBackend } from '../support/backends';
import { GrpcBackend, grpcClient, GrpcClient, GrpcStatus, startGrpcBackend } from '../support/grpc';
import { RunningNginx, startNginxInPod } from '../support/nginx';
import { secretManifest, SimulatedPod, simulatePod, tlsSecret } from '../support/pod-simulation';
import { Manifest, synthChecked, testChart } from '../support/synth';

/**
 * gRPC through the NGINX engine's gateway, on the real nginx with loopback gRPC backends
 * (@grpc/grpc-js) in place of the Services: unary calls and server streams pass, and the errors
 * the gateway itself answers reach the gRPC client as gRPC statuses. nginx runs as the gateway
 * container of the pod simulated from the synthesized YAML.
 */
jest.setTimeout(60_000);

const HOST = 'rpc.example.com';
const fqdn = (name: string, port: number) => `${name}.shop.svc.cluster.local:${port}`;
const grpcBackend = (name: string) => Backend.fromName(name, 9090, { protocol: 'grpc' });

/** The response headers of one bodiless gRPC POST to `path` over h2c (what the gateway answers itself), bounded. */
function rawGrpcHeaders(port: number, path: string): Promise<http2.IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const timer = setTimeout(() => { session.destroy(); reject(new Error('no answer within 5s')); }, 5000);
    session.on('error', reject);
    const req = session.request({ ':method': 'POST', ':path': path, ':authority': HOST, 'content-type': 'application/grpc', 'te': 'trailers' });
    req.on('response', (headers) => { clearTimeout(timer); resolve(headers); session.close(); });
    req.on('error', reject);
    req.end();
  });
}

/** An RS256 key of the JWT route's issuer, and a token of it signed in the test. */
const ISSUER = 'https://id.example.com';
const signer = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWKS = JSON.stringify({ keys: [{ ...signer.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });
function token(sub: string): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const signed = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64({ iss: ISSUER, sub, exp: Math.floor(Date.now() / 1000) + 300 })}`;
  return `${signed}.${crypto.sign('sha256', Buffer.from(signed), signer.privateKey).toString('base64url')}`;
}

function gatewayOf(declare: (chart: ReturnType<typeof testChart>) => void): Manifest[] {
  const chart = testChart('shop', 'shop');
  declare(chart);
  return synthChecked(chart);
}

describe('gRPC routes behind an L7 front: HTTP/2 cleartext on the gateway\'s gRPC port', () => {
  let echo: GrpcBackend;
  let slow: GrpcBackend;
  let web: TestBackend;
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  let client: GrpcClient;

  beforeAll(async () => {
    echo = await startGrpcBackend('echo');
    slow = await startGrpcBackend('slow', { delayMs: 3000 });
    web = await startBackend('web');
    const manifests = gatewayOf((chart) => new ExposedService(chart, 'rpc', {
      // The test's client stands in for the front: its X-Forwarded-For is believed.
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx({ trustedProxies: ['127.0.0.1'] }), exposedVia: ExposureStrategy.istio() }),
      hosts: [HOST],
      backend: Backend.fromName('web', 8080),
      routes: [
        {
          match: { path: PathMatch.prefix('/test.echo.v1.Guarded') },
          backend: grpcBackend('echo'),
          access: AccessPolicy.denyFrom(['198.51.100.0/24']),
          maxRequestBody: Size.kibibytes(1),
        },
        { match: { path: PathMatch.prefix('/test.echo.v1.Echo') }, backend: grpcBackend('echo'), requestHeaders: { set: { 'x-env': 'prod' } } },
        { match: { path: PathMatch.prefix('/test.echo.v1.Limited') }, backend: grpcBackend('echo'), rateLimit: RateLimit.perMinute(1, { burst: 1 }) },
        { match: { path: PathMatch.prefix('/test.echo.v1.Private') }, backend: grpcBackend('echo'), auth: Auth.apiKey({ secret: 'rpc-keys' }) },
        { match: { path: PathMatch.prefix('/test.echo.v1.Down') }, backend: grpcBackend('down') },
        { match: { path: PathMatch.prefix('/test.echo.v1.Slow') }, backend: grpcBackend('slow'), timeout: Duration.seconds(1) },
        {
          match: { path: PathMatch.prefix('/test.echo.v1.Retired') },
          backend: grpcBackend('echo'),
          deprecation: Deprecation.of({ since: new Date('2025-01-01T00:00:00Z'), sunset: new Date('2026-01-01T00:00:00Z'), retire: true }),
        },
        { match: { path: PathMatch.prefix('/test.echo.v1.Signed') }, backend: grpcBackend('echo'), auth: Auth.jwt({ issuer: ISSUER, jwksUri: `${ISSUER}/keys`, jwksSecret: 'rpc-jwks' }) },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }));
    pod = await simulatePod({
      manifests,
      secrets: [secretManifest('rpc-keys', { alice: 'key-alice' }), secretManifest('rpc-jwks', { 'jwks.json': JWKS })],
      // The image's njs module, for the JWT route (Debian's here, where the test's nginx loads it from).
      imageFiles: { gateway: [NJS_MODULE_FILE] },
    });
    nginx = await startNginxInPod(pod, {
      upstreams: { [fqdn('echo', 9090)]: `127.0.0.1:${echo.port}`, [fqdn('slow', 9090)]: `127.0.0.1:${slow.port}`, [fqdn('web', 8080)]: `127.0.0.1:${web.port}` },
    });
    client = grpcClient(nginx.portOf('grpc'), { authority: HOST });
  });

  afterAll(async () => {
    client?.close();
    await nginx?.stop();
    pod?.dispose();
    await Promise.all([echo?.close(), slow?.close(), web?.close()]);
  });

  test('a unary call reaches the gRPC backend, with its path and the declared header', async () => {
    const result = await client.say('Echo', 'hello');
    expect(result.code).toBe(GrpcStatus.OK);
    const reply = result.replies[0];
    expect(reply).toEqual(expect.objectContaining({ text: 'hello', backend: 'echo', path: '/test.echo.v1.Echo/Say' }));
    const metadata = JSON.parse(reply.metadata);
    expect(metadata['x-env']).toBe('prod');
    expect(metadata['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    const line = await nginx.logLine((l) => l.uri === '/test.echo.v1.Echo/Say');
    expect(line).toEqual(expect.objectContaining({ route: 'routes[1]', status: 200, method: 'POST', host: HOST }));
  });

  test('a server stream arrives whole, message by message', async () => {
    const result = await client.count('Echo', 5);
    expect(result.code).toBe(GrpcStatus.OK);
    expect(result.replies.map((r) => r.n)).toEqual([1, 2, 3, 4, 5]);
    expect(result.replies.every((r) => r.backend === 'echo')).toBe(true);
  });

  test('the HTTP port still speaks HTTP/1.1 to HTTP clients', async () => {
    const res = await request(nginx.ports.http, { host: HOST, path: '/status' });
    expect(res.status).toBe(200);
    expect(res.json().backend).toBe('web');
  });

  test('over the rate limit -> RESOURCE_EXHAUSTED, as HTTP 200 with grpc-status', async () => {
    const first = await client.say('Limited', 'one');
    expect(first.code).toBe(GrpcStatus.OK);
    // 1 a minute and a burst of 1: a third call within the minute is refused.
    const codes = [(await client.say('Limited', 'two')).code, (await client.say('Limited', 'three')).code];
    expect(codes).toContain(GrpcStatus.RESOURCE_EXHAUSTED);
    const refused = await client.say('Limited', 'four');
    expect(refused).toEqual({ code: GrpcStatus.RESOURCE_EXHAUSTED, details: 'too many requests', replies: [] });
    // On the wire: HTTP 200, a gRPC content type, the status and message in the headers (trailers-only).
    const headers = await rawGrpcHeaders(nginx.portOf('grpc'), '/test.echo.v1.Limited/Say');
    expect(headers).toEqual(expect.objectContaining({
      ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '8', 'grpc-message': 'too many requests',
    }));
    expect(echo.received.filter((r) => r.path === '/test.echo.v1.Limited/Say')).toHaveLength(codes.filter((c) => c === GrpcStatus.OK).length + 1);
  });

  test('no API key -> UNAUTHENTICATED; a good one passes', async () => {
    expect(await client.say('Private', 'x')).toEqual({ code: GrpcStatus.UNAUTHENTICATED, details: 'unauthorized', replies: [] });
    expect(await client.say('Private', 'x', { 'x-api-key': 'key-mallory' })).toEqual({ code: GrpcStatus.UNAUTHENTICATED, details: 'unauthorized', replies: [] });
    const ok = await client.say('Private', 'x', { 'x-api-key': 'key-alice' });
    expect(ok.code).toBe(GrpcStatus.OK);
    expect(ok.replies[0].backend).toBe('echo');
  });

  test('a denied client address -> PERMISSION_DENIED; a body over maxRequestBody -> RESOURCE_EXHAUSTED', async () => {
    expect(await client.say('Guarded', 'x', { 'x-forwarded-for': '198.51.100.7' })).toEqual({ code: GrpcStatus.PERMISSION_DENIED, details: 'forbidden', replies: [] });
    expect((await client.say('Guarded', 'x', { 'x-forwarded-for': '203.0.113.7' })).code).toBe(GrpcStatus.OK);
    const before = echo.received.length;
    expect(await client.say('Guarded', 'x'.repeat(4096))).toEqual({ code: GrpcStatus.RESOURCE_EXHAUSTED, details: 'request body too large', replies: [] });
    expect(echo.received.length).toBe(before);
  });

  test('a route retired after its sunset -> UNIMPLEMENTED "gone", never reaching the backend', async () => {
    expect(await client.say('Retired', 'x')).toEqual({ code: GrpcStatus.UNIMPLEMENTED, details: 'gone', replies: [] });
    expect(echo.received.filter((r) => r.path.startsWith('/test.echo.v1.Retired/'))).toEqual([]);
  });

  test('JWT on a gRPC route: no or a bad token -> UNAUTHENTICATED; a valid one passes with its subject as the consumer', async () => {
    expect(await client.say('Signed', 'x')).toEqual({ code: GrpcStatus.UNAUTHENTICATED, details: 'unauthorized', replies: [] });
    const forged = `${token('mallory').split('.').slice(0, 2).join('.')}.${Buffer.from('forged').toString('base64url')}`;
    expect(await client.say('Signed', 'x', { authorization: `Bearer ${forged}` })).toEqual({ code: GrpcStatus.UNAUTHENTICATED, details: 'unauthorized', replies: [] });
    const ok = await client.say('Signed', 'x', { authorization: `Bearer ${token('alice')}` });
    expect(ok.code).toBe(GrpcStatus.OK);
    expect(JSON.parse(ok.replies[0].metadata)['x-consumer-username']).toBe('alice');
    const line = await nginx.logLine((l) => l.uri === '/test.echo.v1.Signed/Say' && l.consumer === 'alice');
    expect(line).toEqual(expect.objectContaining({ route: 'routes[7]', status: 200 }));
  });

  test('the gRPC port serves the declared hosts only: another host gets the JSON 404, over h2c too', async () => {
    const status = (authority: string) => new Promise<number>((resolve, reject) => {
      const session = http2.connect(`http://127.0.0.1:${nginx.portOf('grpc')}`);
      const timer = setTimeout(() => { session.destroy(); reject(new Error('no answer within 5s')); }, 5000);
      session.on('error', reject);
      const req = session.request({ ':method': 'GET', ':path': '/status', ':authority': authority });
      req.on('response', (headers) => { clearTimeout(timer); resolve(Number(headers[':status'])); session.close(); });
      req.on('error', reject);
      req.end();
    });
    expect(await status('evil.example.org')).toBe(404);
    expect(await status(HOST)).toBe(200);
  });

  test('a backend that is down -> UNAVAILABLE; a stream too', async () => {
    expect(await client.say('Down', 'x')).toEqual({ code: GrpcStatus.UNAVAILABLE, details: 'bad gateway', replies: [] });
    expect(await client.count('Down', 3)).toEqual({ code: GrpcStatus.UNAVAILABLE, details: 'bad gateway', replies: [] });
  });

  test('a backend slower than the declared timeout -> DEADLINE_EXCEEDED at the timeout', async () => {
    const started = Date.now();
    const result = await client.say('Slow', 'x');
    const elapsed = Date.now() - started;
    expect(result).toEqual({ code: GrpcStatus.DEADLINE_EXCEEDED, details: 'gateway timeout', replies: [] });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2900);
  });
});

describe('gRPC routes where the gateway terminates TLS: HTTP/2 by ALPN on the HTTPS port', () => {
  let echo: GrpcBackend;
  let web: TestBackend;
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  let client: GrpcClient;
  const secret = tlsSecret('rpc-tls', HOST);

  beforeAll(async () => {
    echo = await startGrpcBackend('echo');
    web = await startBackend('web');
    const manifests = gatewayOf((chart) => new ExposedService(chart, 'rpc', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: [HOST],
      tls: Tls.fromSecret('rpc-tls'),
      backend: Backend.fromName('web', 8080),
      routes: [
        { match: { path: PathMatch.prefix('/test.echo.v1.Echo') }, backend: grpcBackend('echo') },
        { match: { path: PathMatch.prefix('/test.echo.v1.Down') }, backend: grpcBackend('down') },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }));
    pod = await simulatePod({ manifests, secrets: [secret] });
    nginx = await startNginxInPod(pod, { upstreams: { [fqdn('echo', 9090)]: `127.0.0.1:${echo.port}`, [fqdn('web', 8080)]: `127.0.0.1:${web.port}` } });
    const ca = Buffer.from((secret as unknown as { data: Record<string, string> }).data['tls.crt'], 'base64');
    client = grpcClient(nginx.ports.https, { authority: HOST, ca });
  });

  afterAll(async () => {
    client?.close();
    await nginx?.stop();
    pod?.dispose();
    await Promise.all([echo?.close(), web?.close()]);
  });

  test('a unary call and a server stream over TLS; the gateway\'s own error as UNAVAILABLE', async () => {
    const say = await client.say('Echo', 'secure');
    expect(say.code).toBe(GrpcStatus.OK);
    expect(say.replies[0]).toEqual(expect.objectContaining({ text: 'secure', backend: 'echo', path: '/test.echo.v1.Echo/Say' }));
    const count = await client.count('Echo', 3);
    expect(count.code).toBe(GrpcStatus.OK);
    expect(count.replies.map((r) => r.n)).toEqual([1, 2, 3]);
    expect(await client.say('Down', 'x')).toEqual({ code: GrpcStatus.UNAVAILABLE, details: 'bad gateway', replies: [] });
  });

  test('the HTTPS port still serves HTTP/1.1 clients (ALPN)', async () => {
    const ca = Buffer.from((secret as unknown as { data: Record<string, string> }).data['tls.crt'], 'base64');
    const res = await new Promise<{ status: number; version: string; body: string }>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port: nginx.ports.https, path: '/status', servername: HOST, headers: { host: HOST }, ca, timeout: 5000 }, (r) => {
        let body = '';
        r.on('data', (c) => { body += c; });
        r.on('end', () => resolve({ status: r.statusCode!, version: r.httpVersion, body }));
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 5s')));
      req.on('error', reject);
      req.end();
    });
    expect(res).toEqual(expect.objectContaining({ status: 200, version: '1.1' }));
    expect(JSON.parse(res.body).backend).toBe('web');
  });
});
