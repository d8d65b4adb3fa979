import * as crypto from 'crypto';
import { ApiGatewayEngine, Auth, Backend, ExposedService, ExposureStrategy, PathMatch } from '../../src';
import { NJS_MODULE_FILE } from '../../src/strategies/api-gateway/nginx/nginx-njs';
import { request, Response, startBackend, TestBackend } from '../support/backends';
import { RunningNginx, startNginxInPod } from '../support/nginx';
import { secretManifest, SimulatedPod, simulatePod } from '../support/pod-simulation';
import { Manifest, synthChecked, testChart } from '../support/synth';

/**
 * `Auth.jwt` on the NGINX engine, on the real nginx with Debian's njs (0.7.9): the gateway pod
 * simulated from the synthesized YAML, the JWKS from a Secret and from a ConfigMap as a user
 * creates them, tokens minted here with node's crypto (RS256 and ES256). What a client and the
 * backend see, and what the usage log says.
 */
jest.setTimeout(60_000);

const HOST = 'api.example.com';
const ISSUER = 'https://id.example.com';
const fqdn = (name: string) => `${name}.shop.svc.cluster.local:8080`;

const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const partner = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = (pair: crypto.KeyPairKeyObjectResult, kid: string, extra: Record<string, string> = {}) => ({ ...pair.publicKey.export({ format: 'jwk' }), kid, ...extra });

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A signed JWT: RS256 with an RSA key, ES256 (r||s) with an EC key; `none` unsigned. */
function mint(alg: string, header: Record<string, unknown>, claims: Record<string, unknown>, key?: crypto.KeyObject): string {
  const signed = `${base64url({ alg, typ: 'JWT', ...header })}.${base64url(claims)}`;
  const signature = key === undefined ? Buffer.alloc(0)
    : crypto.sign('sha256', Buffer.from(signed), alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${signed}.${signature.toString('base64url')}`;
}

/** HS256 keyed with the RSA key's public PEM: the classic key confusion, which must never pass. */
function hs256(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const signed = `${base64url({ alg: 'HS256', typ: 'JWT', ...header })}.${base64url(payload)}`;
  const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' });
  return `${signed}.${crypto.createHmac('sha256', pem).update(signed).digest('base64url')}`;
}

const claims = (extra: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: 'orders', sub: 'alice', exp: now() + 300, iat: now(), ...extra });
const rs256 = (extra: Record<string, unknown> = {}, kid = 'rsa-1') => mint('RS256', { kid }, claims(extra), rsa.privateKey);
const es256 = (extra: Record<string, unknown> = {}, kid = 'ec-1') => mint('ES256', { kid }, claims(extra), ec.privateKey);

describe('Auth.jwt on the NGINX engine, on the real nginx', () => {
  let backend: TestBackend;
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  let sequence = 0;

  /** A request with the token (or Authorization header) given; each with its own path, to find its log line. */
  const call = (path: string, authorization?: string, headers: Record<string, string> = {}) => request(nginx.ports.http, {
    host: HOST, path: `${path}?n=${++sequence}`, headers: { ...authorization === undefined ? {} : { authorization }, ...headers },
  });
  const bearer = (token: string) => `Bearer ${token}`;

  /** The gateway's JSON 401, with the challenge; the backend not reached. */
  async function expectRefused(res: Response, challenge: string) {
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({ error: 'unauthorized', status: 401, request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(res.headers['www-authenticate']).toBe(challenge);
  }
  const invalid = (description: string) => `Bearer error="invalid_token", error_description="${description}"`;

  beforeAll(async () => {
    backend = await startBackend('api');
    const chart = testChart('shop', 'shop');
    new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: [HOST],
      backend: Backend.fromName('api', 8080),
      routes: [
        {
          match: { path: PathMatch.prefix('/orders') },
          auth: Auth.jwt({ issuer: ISSUER, jwksUri: `${ISSUER}/jwks`, audiences: ['orders', 'billing'], jwksSecret: 'id-jwks' }),
        },
        { match: { path: PathMatch.prefix('/partners') }, auth: Auth.jwt({ issuer: 'https://partner.example.com', jwksUri: 'https://partner.example.com/jwks', jwksConfigMap: 'partner-jwks' }) },
        { match: { path: PathMatch.prefix('/') } },
      ],
    });
    const manifests = synthChecked(chart);
    // The JWKS as the issuers publish them: an RSA and an EC key (one with its own alg), and a key no token uses.
    const jwks = { keys: [jwk(rsa, 'rsa-1', { alg: 'RS256', use: 'sig' }), jwk(ec, 'ec-1'), jwk(stranger, 'unused')] };
    const partnerJwks: Manifest = {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'partner-jwks', namespace: 'shop' }, data: { 'jwks.json': JSON.stringify({ keys: [jwk(partner, 'p-1')] }) },
    } as Manifest;
    pod = await simulatePod({
      manifests: [...manifests, partnerJwks],
      secrets: [secretManifest('id-jwks', { 'jwks.json': JSON.stringify(jwks) })],
      // The image's njs module (Debian's here, where the test's nginx loads it from).
      imageFiles: { gateway: [NJS_MODULE_FILE] },
    });
    nginx = await startNginxInPod(pod, { upstreams: { [fqdn('api')]: `127.0.0.1:${backend.port}` } });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await backend?.close();
  });

  test('a valid RS256 token: the backend sees the subject as the consumer, the usage log names it', async () => {
    const res = await call('/orders/1', bearer(rs256()));
    expect(res.status).toBe(200);
    expect(res.json().headers['x-consumer-username']).toBe('alice');
    // The token reaches the backend as sent.
    expect(res.json().headers.authorization).toBe(`Bearer ${res.json().headers.authorization.slice(7)}`);
    const line = await nginx.logLine((l) => l.uri === `/orders/1?n=${sequence}`);
    expect(line).toEqual(expect.objectContaining({ consumer: 'alice', route: 'routes[0]', status: 200 }));
  });

  test('a valid ES256 token, an audience among several, a client\'s own consumer header replaced', async () => {
    const res = await call('/orders/2', bearer(es256({ sub: 'bob', aud: ['other', 'billing'] })), { 'x-consumer-username': 'mallory' });
    expect(res.status).toBe(200);
    expect(res.json().headers['x-consumer-username']).toBe('bob');
    expect(await nginx.logLine((l) => l.uri === `/orders/2?n=${sequence}`)).toEqual(expect.objectContaining({ consumer: 'bob', status: 200 }));
  });

  test('the clock skew: a token expired 20 s ago or valid in 20 s passes, 120 s does not', async () => {
    expect((await call('/orders/skew', bearer(rs256({ exp: now() - 20 })))).status).toBe(200);
    expect((await call('/orders/skew', bearer(rs256({ nbf: now() + 20 })))).status).toBe(200);
    await expectRefused(await call('/orders/skew', bearer(rs256({ exp: now() - 120 }))), invalid('expired'));
    await expectRefused(await call('/orders/skew', bearer(rs256({ nbf: now() + 120 }))), invalid('not yet valid'));
  });

  test('refused tokens: the JSON 401 with the reason in WWW-Authenticate, the backend never reached, the usage log without a consumer', async () => {
    const before = backend.received.length;
    const forged = rs256().split('.');
    const cases: [string | undefined, string][] = [
      [undefined, 'Bearer'],
      ['Basic YWxpY2U6cw==', 'Bearer'],
      [bearer('not-a-token'), invalid('malformed token')],
      [bearer('e30.e30'), invalid('malformed token')],
      [bearer(`${base64url('x')}.${base64url(claims())}.c2ln`), invalid('malformed token')],
      [bearer(rs256({ exp: now() - 3600 })), invalid('expired')],
      [bearer(rs256({ nbf: now() + 3600 })), invalid('not yet valid')],
      [bearer(rs256({ exp: undefined })), invalid('no exp')],
      [bearer(rs256({ iss: 'https://evil.example.com' })), invalid('wrong issuer')],
      [bearer(es256({ aud: 'payments' })), invalid('wrong audience')],
      [bearer(es256({ aud: undefined })), invalid('wrong audience')],
      [bearer(rs256({ sub: '' })), invalid('sub must be printable ASCII')],
      [bearer(rs256({ sub: 'a\r\nx-admin: 1' })), invalid('sub must be printable ASCII')],
      // Signed by a key of the set under another kid: the signature is checked against rsa-1.
      [bearer(mint('RS256', { kid: 'rsa-1' }, claims(), stranger.privateKey)), invalid('bad signature')],
      // The claims changed after signing.
      [bearer(`${forged[0]}.${base64url(claims({ sub: 'root' }))}.${forged[2]}`), invalid('bad signature')],
      [bearer(mint('none', { kid: 'rsa-1' }, claims())), invalid('alg must be RS256 or ES256')],
      [bearer(hs256({ kid: 'rsa-1' }, claims())), invalid('alg must be RS256 or ES256')],
      // ES256 named, the RSA key's kid: no key of that alg.
      [bearer(mint('ES256', { kid: 'rsa-1' }, claims(), ec.privateKey)), invalid('no key of the issuer for this token')],
      [bearer(rs256({}, 'rsa-9')), invalid('no key of the issuer for this token')],
    ];
    for (const [authorization, challenge] of cases) {
      await expectRefused(await call('/orders/refused', authorization), challenge);
    }
    expect(backend.received.length).toBe(before);
    const line = await nginx.logLine((l) => l.uri === `/orders/refused?n=${sequence}`);
    expect(line).toEqual(expect.objectContaining({ consumer: '', status: 401 }));
  });

  test('without a kid every key of the alg is tried', async () => {
    expect((await call('/orders/3', bearer(mint('ES256', {}, claims({ sub: 'carol' }), ec.privateKey))))).toEqual(expect.objectContaining({ status: 200 }));
    await expectRefused(await call('/orders/3', bearer(mint('RS256', {}, claims(), crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey))),
      invalid('bad signature'));
  });

  test('a second issuer with its JWKS in a ConfigMap, any audience; each route takes only its issuer\'s tokens', async () => {
    const token = mint('ES256', { kid: 'p-1' }, { iss: 'https://partner.example.com', sub: 'acme', exp: now() + 60 }, partner.privateKey);
    const res = await call('/partners/x', bearer(token));
    expect(res.status).toBe(200);
    expect(res.json().headers['x-consumer-username']).toBe('acme');
    await expectRefused(await call('/orders/4', bearer(token)), invalid('no key of the issuer for this token'));
    await expectRefused(await call('/partners/x', bearer(es256())), invalid('no key of the issuer for this token'));
  });

  test('routes without Auth.jwt ask nothing, and pass no consumer', async () => {
    const res = await call('/public');
    expect(res.status).toBe(200);
    expect(res.json().headers['x-consumer-username']).toBeUndefined();
  });
});
