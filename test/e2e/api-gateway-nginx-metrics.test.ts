import * as dgram from 'dgram';
import * as http from 'http';
import { Duration } from 'cdk8s';
import { ApiGatewayEngine, Auth, Backend, ExposedService, ExposureStrategy, PathMatch, RateLimit } from '../../src';
import { request, startBackend, TestBackend } from '../support/backends';
import { freePort, RunningNginx, startNginxInPod } from '../support/nginx';
import { SandboxProcess, secretManifest, SimulatedPod, simulatePod } from '../support/pod-simulation';
import { find, Manifest, synthChecked, testChart } from '../support/synth';

/**
 * The NGINX engine's metrics, end to end: the real nginx runs the synthesized configuration as
 * the gateway container of the pod simulated from the YAML, and Debian's mtail (the exporter the
 * sidecar runs; `apt-get install mtail`) runs as the `metrics` container of the same pod, with
 * its arguments and the program from its ConfigMap volume. Two things are localized, as for every
 * server a test starts: the loopback ports (nginx's syslog destination and mtail's `--logs` on a
 * free UDP port, mtail's `--port` on a free TCP port bound to 127.0.0.1). Requests of two consumers
 * and an anonymous client on three routes (2xx, 401, 429, 502) must show in the scraped metrics
 * exactly as nginx's own usage log (stdout) records them.
 */
jest.setTimeout(60_000);

const HOST = 'api.example.com';
const KEYS = { alice: 'key-alice', bob: 'key-bob' };
const OBJECTIVE = 0.3;

type Sample = { readonly labels: Record<string, string>; readonly value: number };

/** The samples of a Prometheus text exposition, by metric name. */
function parseExposition(text: string): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v.replace(/\\(.)/g, '$1');
    out.set(m[1], [...out.get(m[1]) ?? [], { labels, value: Number(m[3]) }]);
  }
  return out;
}

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.on('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, timeout: 5_000, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += String(d); });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

describe('API gateway metrics, NGINX engine: nginx and the mtail sidecar of the simulated pod', () => {
  let backend: TestBackend;
  let manifests: Manifest[];
  let pod: SimulatedPod;
  let nginx: RunningNginx;
  let mtail: SandboxProcess;
  let metricsPort: number;

  beforeAll(async () => {
    backend = await startBackend('orders');
    const chart = testChart('shop', 'shop');
    new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({
        engine: ApiGatewayEngine.nginx(),
        monitoring: { serviceMonitor: true, alerts: { latencyP99: Duration.millis(OBJECTIVE * 1000) } },
      }),
      hosts: [HOST],
      auth: Auth.apiKey({ secret: 'api-keys' }),
      routes: [
        { match: { path: PathMatch.prefix('/orders') }, backend: Backend.fromName('orders', 8080) },
        // No test backend: the gateway answers 502.
        { match: { path: PathMatch.prefix('/reports') }, backend: Backend.fromName('reports', 8080) },
        { match: { path: PathMatch.prefix('/quota') }, backend: Backend.fromName('orders', 8080), rateLimit: RateLimit.perMinute(1, { key: 'api-key' }) },
      ],
    });
    manifests = synthChecked(chart);
    pod = await simulatePod({ manifests, secrets: [secretManifest('api-keys', KEYS)] });

    // The sidecar first, so that no datagram is sent before it listens.
    const syslogPort = await freeUdpPort();
    metricsPort = await freePort();
    const args: string[] = pod.container('metrics').args;
    const localized = args.map((a, i) => {
      if (args[i - 1] === '--logs') return a.replace(/^udp:\/\/127\.0\.0\.1:\d+$/, `udp://127.0.0.1:${syslogPort}`);
      if (args[i - 1] === '--port') return String(metricsPort);
      return a;
    });
    expect(localized).toContain(`udp://127.0.0.1:${syslogPort}`);
    mtail = pod.start('metrics', { argv: ['/usr/bin/mtail', ...localized, '--address', '127.0.0.1'], timeoutMs: 5 * 60_000 });
    for (let i = 0; ; i++) {
      if (mtail.exitCode() !== null) throw new Error(`mtail exited: ${mtail.stderr()}`);
      if ((await get(metricsPort, '/metrics').catch(() => undefined))?.status === 200) break;
      if (i > 100) throw new Error(`mtail did not serve /metrics within 10 s: ${mtail.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    nginx = await startNginxInPod(pod, { upstreams: { 'orders.shop.svc.cluster.local:8080': `127.0.0.1:${backend.port}` }, syslogPort });
  });

  afterAll(async () => {
    await nginx?.stop();
    await mtail?.stop(5_000);
    pod?.dispose();
    await backend?.close();
  });

  const send = (path: string, key?: string) => request(nginx.ports.http, { host: HOST, path, headers: key === undefined ? {} : { 'x-api-key': key } });

  /** The metrics once mtail has counted `total` requests (datagrams arrive asynchronously); bounded. */
  async function scrapeWhenCounted(total: number): Promise<Map<string, Sample[]>> {
    let metrics = new Map<string, Sample[]>();
    for (let i = 0; i < 50; i++) {
      metrics = parseExposition((await get(metricsPort, '/metrics')).body);
      const counted = (metrics.get('gateway_http_requests_total') ?? []).reduce((n, s) => n + s.value, 0);
      if (counted >= total) return metrics;
      await new Promise((r) => setTimeout(r, 100));
    }
    return metrics;
  }

  test('the pod runs the mtail sidecar hardened like the gateway, with the program from the ConfigMap and the metrics port named', () => {
    const spec = find(manifests, 'Deployment').spec.template.spec;
    const sidecar = spec.containers.find((c: any) => c.name === 'metrics');
    expect(sidecar.image).toBe('ghcr.io/jaqx0r/mtail:3.4.9');
    expect(sidecar.ports).toEqual([{ containerPort: 3903, name: 'metrics' }]);
    expect(sidecar.securityContext).toEqual(spec.containers.find((c: any) => c.name === 'gateway').securityContext);
    expect(sidecar.securityContext).toEqual(expect.objectContaining({
      readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false,
    }));
    expect(sidecar.resources).toEqual({ limits: { cpu: '200m', memory: '128Mi' }, requests: { cpu: '10m', memory: '32Mi' } });
    expect(sidecar.readinessProbe.httpGet.port).toBe(3903);
    expect(sidecar.livenessProbe.httpGet.port).toBe(3903);
    expect(pod.readFile('metrics', '/etc/mtail/gateway.mtail')).toBe(find(manifests, 'ConfigMap').data['gateway.mtail']);
    // Only the program: the sidecar does not see the proxy's configuration.
    expect(pod.listDir('metrics', '/etc/mtail')!.filter((f) => !f.startsWith('..'))).toEqual(['gateway.mtail']);
  });

  test('requests per route, consumer and status are counted, with bytes and latency, as nginx logged them', async () => {
    const expected: [string, string | undefined, number][] = [
      ['/orders/1', KEYS.alice, 200], ['/orders/2', KEYS.alice, 200], ['/orders/3', KEYS.alice, 200],
      ['/orders/4', KEYS.bob, 200],
      ['/orders/5', undefined, 401], ['/orders/6', 'key-mallory', 401],
      ['/reports/1', KEYS.alice, 502],
      ['/reports/2', KEYS.bob, 502], ['/reports/3', KEYS.bob, 502],
      ['/quota/1', KEYS.alice, 200], ['/quota/2', KEYS.alice, 429],
    ];
    for (const [path, key, status] of expected) expect([path, (await send(path, key)).status]).toEqual([path, status]);
    // nginx's own record of the same requests: the usage log on stdout.
    for (const [path] of expected) expect(await nginx.logLine((l) => l.uri === path)).toBeDefined();
    const usage = nginx.usageLog();
    expect(usage).toHaveLength(expected.length);

    const metrics = await scrapeWhenCounted(expected.length);
    const requests = metrics.get('gateway_http_requests_total') ?? [];
    const count = (route: string, consumer: string, code: string) => requests.find((s) => s.labels.route === route
      && s.labels.consumer === consumer && s.labels.code === code)?.value;
    expect(count('routes[0]', 'alice', '200')).toBe(3);
    expect(count('routes[0]', 'bob', '200')).toBe(1);
    expect(count('routes[0]', '', '401')).toBe(2);
    expect(count('routes[1]', 'alice', '502')).toBe(1);
    expect(count('routes[1]', 'bob', '502')).toBe(2);
    expect(count('routes[2]', 'alice', '200')).toBe(1);
    expect(count('routes[2]', 'alice', '429')).toBe(1);
    expect(requests.reduce((n, s) => n + s.value, 0)).toBe(expected.length);
    // The status class goes with the code.
    for (const s of requests) expect(s.labels.status_class).toBe(`${s.labels.code[0]}xx`);

    // Bytes and latency per route, consumer and status class: the sums of the usage log's lines.
    const key = (l: Record<string, string>) => `${l.route}|${l.consumer}|${l.status_class}`;
    const fromLog = new Map<string, { sent: number; received: number; time: number; n: number }>();
    for (const line of usage) {
      const k = key({ route: String(line.route), consumer: String(line.consumer), status_class: `${String(line.status)[0]}xx` });
      const acc = fromLog.get(k) ?? { sent: 0, received: 0, time: 0, n: 0 };
      fromLog.set(k, {
        sent: acc.sent + Number(line.bytes_sent),
        received: acc.received + Number(line.request_length),
        time: acc.time + Number(line.request_time),
        n: acc.n + 1,
      });
    }
    const byKey = (name: string) => new Map((metrics.get(name) ?? []).map((s) => [key(s.labels), s.value]));
    const sent = byKey('gateway_http_response_bytes_total');
    const received = byKey('gateway_http_request_bytes_total');
    const durationCount = byKey('gateway_http_request_duration_seconds_count');
    const durationSum = byKey('gateway_http_request_duration_seconds_sum');
    expect([...sent.keys()].sort()).toEqual([...fromLog.keys()].sort());
    for (const [k, acc] of fromLog) {
      expect([k, sent.get(k)]).toEqual([k, acc.sent]);
      expect([k, received.get(k)]).toEqual([k, acc.received]);
      expect([k, durationCount.get(k)]).toEqual([k, acc.n]);
      expect(durationSum.get(k)).toBeCloseTo(acc.time, 6);
    }
    expect(sent.get('routes[0]|alice|2xx')).toBeGreaterThan(0);

    // The histogram: cumulative buckets, the objective one of them, +Inf = the count.
    const buckets = metrics.get('gateway_http_request_duration_seconds_bucket') ?? [];
    for (const k of fromLog.keys()) {
      const series = buckets.filter((b) => key(b.labels) === k);
      const les = series.map((b) => b.labels.le);
      expect(les).toContain(String(OBJECTIVE));
      expect(les[les.length - 1]).toBe('+Inf');
      const values = series.map((b) => b.value);
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(values[values.length - 1]).toBe(fromLog.get(k)!.n);
      // Loopback requests take less than the objective: all are in its bucket.
      expect(series.find((b) => b.labels.le === String(OBJECTIVE))!.value).toBe(fromLog.get(k)!.n);
    }
  });

  test('the status server is not counted: health checks are no API traffic', async () => {
    const before = (await scrapeWhenCounted(0)).get('gateway_http_requests_total')!.reduce((n, s) => n + s.value, 0);
    expect((await get(nginx.ports.status, '/healthz')).status).toBe(200);
    await send('/orders/7', KEYS.bob);
    const after = (await scrapeWhenCounted(before + 1)).get('gateway_http_requests_total')!.reduce((n, s) => n + s.value, 0);
    expect(after).toBe(before + 1);
  });
});
