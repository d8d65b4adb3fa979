import { ApiGatewayEngine, Backend, Deprecation, ExposedService, ExposureStrategy, PathMatch } from '../../src';
import { request, Response, startBackend, TestBackend } from '../support/backends';
import { RunningNginx, startNginxInPod } from '../support/nginx';
import { SimulatedPod, simulatePod } from '../support/pod-simulation';
import { synthChecked, testChart } from '../support/synth';

/**
 * API lifecycle on the real nginx, run as the gateway container of the pod simulated from the
 * synthesized YAML, with loopback backends: what a client of a deprecated, a retired and a
 * current version sees. The retirement is decided by nginx's clock at each request: a sunset
 * that passes while nginx runs turns the route to 410 without a reload.
 */
jest.setTimeout(60_000);

const HOST = 'api.example.com';
const LINK = 'https://developer.example.com/migrate-to-v2';
// More than the synthesis, the pod's simulation and nginx's start take.
const SETUP_SECONDS = 15;
const fqdn = (name: string) => `${name}.shop.svc.cluster.local:8080`;
// The backend of v1 announces a sunset of its own and links to its next page: the gateway's
// Deprecation and Sunset replace its own (a response carries one of each), its links stay.
const BACKEND_HEADERS = { sunset: 'Thu, 01 Jan 2099 00:00:00 GMT', deprecation: '@0', link: '<https://api.example.com/v1/items?page=2>; rel="next"' };

/** The field lines of `name` (case-insensitive) as received, in order. */
function fields(res: Response, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i].toLowerCase() === name) values.push(res.rawHeaders[i + 1]);
  return values;
}

describe('API lifecycle on the real nginx: deprecation headers and retirement after the sunset', () => {
  const backends: Record<string, TestBackend> = {};
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  // A sunset some whole seconds ahead of the synthesis: it passes during the test.
  let soon: number;
  const get = (path: string, headers: Record<string, string> = {}) => request(nginx.ports.http, { host: HOST, path, headers });

  beforeAll(async () => {
    backends['api-v1'] = await startBackend('api-v1', { headers: BACKEND_HEADERS });
    for (const name of ['api-v0', 'api-v2']) backends[name] = await startBackend(name);
    soon = Math.ceil(Date.now() / 1000) + SETUP_SECONDS;
    const chart = testChart('shop', 'shop');
    const v0 = Backend.fromName('api-v0', 8080);
    new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: [HOST],
      routes: [
        {
          match: { path: PathMatch.prefix('/v1') },
          backend: Backend.fromName('api-v1', 8080),
          deprecation: Deprecation.of({ since: new Date('2026-01-01T00:00:00Z'), sunset: new Date('2099-01-01T00:00:00Z'), link: LINK }),
        },
        // Retired since 2001.
        { match: { path: PathMatch.prefix('/v0') }, backend: v0, deprecation: Deprecation.of({ since: new Date('2000-01-01T00:00:00Z'), sunset: new Date('2001-01-01T00:00:00Z'), retire: true }) },
        // Retired from 2099 on.
        { match: { path: PathMatch.prefix('/beta') }, backend: v0, deprecation: Deprecation.of({ since: new Date('2026-01-01T00:00:00Z'), sunset: new Date('2099-01-01T00:00:00Z'), retire: true }) },
        // Retired in a few seconds.
        { match: { path: PathMatch.prefix('/soon') }, backend: v0, deprecation: Deprecation.of({ since: new Date('2026-01-01T00:00:00Z'), sunset: new Date(soon * 1000), retire: true }) },
        { match: { path: PathMatch.prefix('/v2') }, backend: Backend.fromName('api-v2', 8080) },
      ],
    });
    pod = await simulatePod({ manifests: synthChecked(chart) });
    nginx = await startNginxInPod(pod, { upstreams: Object.fromEntries(Object.entries(backends).map(([n, b]) => [fqdn(n), `127.0.0.1:${b.port}`])) });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await Promise.all(Object.values(backends).map((b) => b.close()));
  });

  test('a deprecated route: one Deprecation (RFC 9745 sf-date), one Sunset (RFC 8594 IMF-fixdate), and its Link beside the backend\'s', async () => {
    const res = await get('/v1/items');
    expect(res.status).toBe(200);
    expect(res.json().backend).toBe('api-v1');
    expect(fields(res, 'deprecation')).toEqual(['@1767225600']);
    expect(fields(res, 'sunset')).toEqual(['Thu, 01 Jan 2099 00:00:00 GMT']);
    expect(fields(res, 'link')).toEqual([BACKEND_HEADERS.link, `<${LINK}>; rel="deprecation"`]);
  });

  test('HEAD gets them too', async () => {
    const head = await request(nginx.ports.http, { host: HOST, path: '/v1', method: 'HEAD' });
    expect(fields(head, 'deprecation')).toEqual(['@1767225600']);
    expect(fields(head, 'sunset')).toEqual(['Thu, 01 Jan 2099 00:00:00 GMT']);
  });

  test('the other routes carry none of them', async () => {
    const res = await get('/v2/items');
    expect(res.json().backend).toBe('api-v2');
    for (const name of ['deprecation', 'sunset', 'link']) expect(fields(res, name)).toEqual([]);
  });

  test('retired after a sunset in the past: 410 Gone with the gateway\'s JSON error, and the backend never asked', async () => {
    const before = backends['api-v0'].received.length;
    const res = await get('/v0/items');
    expect(res.status).toBe(410);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({ error: 'gone', status: 410, request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(backends['api-v0'].received.length).toBe(before);
  });

  test('retired from a sunset in the future: still forwarded, announcing the sunset', async () => {
    const res = await get('/beta/items');
    expect(res.status).toBe(200);
    expect(res.json().backend).toBe('api-v0');
    expect(fields(res, 'sunset')).toEqual(['Thu, 01 Jan 2099 00:00:00 GMT']);
  });

  test('the sunset passing while nginx runs: forwarded before, 410 from that second on, with no reload', async () => {
    // Before the sunset: the setup took less than SETUP_SECONDS - 1.
    expect(soon * 1000 - Date.now()).toBeGreaterThan(1000);
    const before = await get('/soon');
    expect(before.status).toBe(200);
    expect(fields(before, 'sunset')).toEqual([new Date(soon * 1000).toUTCString()]);
    // Bounded: the sunset is at most SETUP_SECONDS after the synthesis.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, soon * 1000 - Date.now()) + 50));
    const after = await get('/soon');
    expect(after.status).toBe(410);
    expect(after.json().error).toBe('gone');
  });
});
