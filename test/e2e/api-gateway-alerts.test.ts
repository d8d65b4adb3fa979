import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as YAML from 'yaml';
import { ApiGatewayEngine, Auth, Backend, ExposedService, ExposureStrategy, PathMatch, RateLimit } from '../../src';
import { find, Manifest, synthChecked, testChart } from '../support/synth';

/**
 * The API gateway's alerts on Prometheus's own rule engine (`promtool`, Debian's `prometheus`
 * package): the rules file is the synthesized PrometheusRule's groups, checked with `promtool
 * check rules`; `promtool test rules` runs them on synthetic series of each engine's metric names
 * (built here from the engine's labels and buckets) and shows each alert firing, with its labels
 * and annotations, where the series are unhealthy, and silent where they are healthy, before its
 * `for`, and for another gateway's series.
 */
jest.setTimeout(60_000);

const NAMESPACE = 'shop';
const DEPLOYMENT = 'shop-api-gateway';
const JOB = 'shop-api-gateway-metrics';

/** What each engine's exporter serves: metric names, label sets, latency buckets and unit. */
interface EngineSeries {
  readonly engine: () => ApiGatewayEngine;
  readonly route: (i: number) => string;
  /** The labels of a request counter series, beside job and namespace. */
  readonly requestLabels: (route: string, consumer: string, code: number) => Record<string, string>;
  readonly requests: string;
  readonly buckets: string;
  readonly bucketLabels: (route: string) => Record<string, string>;
  /** Bucket bounds (`le`), in the engine's unit. */
  readonly bounds: (manifests: Manifest[]) => number[];
  /** The unit of the bounds, in seconds. */
  readonly unit: number;
}

const NGINX: EngineSeries = {
  engine: () => ApiGatewayEngine.nginx(),
  route: (i) => `routes[${i}]`,
  requestLabels: (route, consumer, code) => ({ route, consumer, code: String(code), status_class: `${String(code)[0]}xx` }),
  requests: 'gateway_http_requests_total',
  buckets: 'gateway_http_request_duration_seconds_bucket',
  bucketLabels: (route) => ({ route, consumer: 'alice', status_class: '2xx' }),
  // The bounds the sidecar's program declares (its first bound is not exported).
  bounds: (manifests) => {
    const program: string = find(manifests, 'ConfigMap').data['gateway.mtail'];
    return /buckets (.*)$/m.exec(program)![1].split(', ').map(Number).slice(1);
  },
  unit: 1,
};

const KONG: EngineSeries = {
  engine: () => ApiGatewayEngine.kong(),
  route: (i) => `routes-${i}`,
  requestLabels: (route, consumer, code) => ({ service: route, route, code: String(code), source: 'service', workspace: 'default', consumer }),
  requests: 'kong_http_requests_total',
  buckets: 'kong_request_latency_ms_bucket',
  bucketLabels: (route) => ({ service: route, route, workspace: 'default' }),
  // The prometheus plugin's default latency buckets (ms).
  bounds: () => [1, 2, 5, 7, 10, 15, 20, 30, 50, 75, 100, 200, 500, 750, 1000, 2000, 5000, 10000, 30000, 60000],
  unit: 0.001,
};

function synthesize(e: EngineSeries): Manifest[] {
  const chart = testChart('shop', NAMESPACE);
  new ExposedService(chart, 'api', {
    strategy: ExposureStrategy.apiGateway({
      engine: e.engine(),
      monitoring: {
        serviceMonitor: true,
        alerts: { errorRatio: 0.1, latencyP99: Duration.millis(300), throttledRatio: 0.2, authFailureRatio: 0.3, for: Duration.minutes(2) },
      },
    }),
    hosts: ['api.example.com'],
    auth: Auth.apiKey({ secret: 'api-keys' }),
    routes: [
      { match: { path: PathMatch.prefix('/orders') }, backend: Backend.fromName('orders', 8080), rateLimit: RateLimit.perSecond(10, { key: 'api-key' }) },
      { match: { path: PathMatch.prefix('/reports') }, backend: Backend.fromName('reports', 8080) },
      { match: { path: PathMatch.prefix('/admin') }, backend: Backend.fromName('admin', 8080) },
    ],
  });
  return synthChecked(chart);
}

/** A promtool series line: `name{k="v",...}`, with the job and namespace prometheus-operator adds. */
function series(name: string, labels: Record<string, string>, job = JOB): string {
  const all = { ...labels, job, namespace: NAMESPACE };
  return `${name}{${Object.entries(all).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

/** A counter growing by `perSecond` each second, sampled every minute for 15 minutes. */
const growing = (perSecond: number) => `0+${perSecond * 60}x15`;

/** The request counters and latency buckets of one route: `requests` per second by consumer and status, all of latency `latency` seconds. */
function routeSeries(e: EngineSeries, manifests: Manifest[], route: string, requests: [string, number, number][], latency: number, job = JOB) {
  const total = requests.reduce((n, [, , rate]) => n + rate, 0);
  return [
    ...requests.map(([consumer, code, rate]) => ({ series: series(e.requests, e.requestLabels(route, consumer, code), job), values: growing(rate) })),
    ...[...e.bounds(manifests), Infinity].map((le) => ({
      series: series(e.buckets, { ...e.bucketLabels(route), le: le === Infinity ? '+Inf' : String(le) }, job),
      values: growing(le * e.unit >= latency ? total : 0),
    })),
  ];
}

function promtool(args: string[], cwd: string) {
  const result = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw new Error(`promtool is not installed (apt-get install -y prometheus): ${result.error.message}`);
  return result;
}

const ALERTS = ['ApiGatewayRouteErrors', 'ApiGatewayRouteSlow', 'ApiGatewayConsumerThrottled', 'ApiGatewayAuthFailures', 'ApiGatewayReplicasUnavailable'];

describe.each([['nginx', NGINX, '2.485s'], ['kong', KONG, '1.99s']] as const)('API gateway alerts, %s engine, on promtool', (_name, e, slowP99) => {
  let dir: string;
  let manifests: Manifest[];

  beforeAll(() => {
    manifests = synthesize(e);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-rules-'));
    // The rules file: the PrometheusRule's groups, as prometheus-operator hands them to Prometheus.
    fs.writeFileSync(path.join(dir, 'rules.yaml'), YAML.stringify({ groups: find(manifests, 'PrometheusRule').spec.groups }));
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('promtool check rules accepts every rule', () => {
    const result = promtool(['check', 'rules', 'rules.yaml'], dir);
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS: 5 rules found');
    expect(result.status).toBe(0);
  });

  test('promtool test rules: each alert fires on unhealthy series and stays silent on healthy ones', () => {
    const [r0, r1, r2] = [0, 1, 2].map(e.route);
    const unhealthy = [
      // routes 0: healthy (1% 5xx, fast); dave gets 429 for half of his requests.
      ...routeSeries(e, manifests, r0, [['alice', 200, 10], ['alice', 500, 0.1], ['dave', 200, 1], ['dave', 429, 1]], 0.05),
      // routes 1: half 5xx, and slow (all between 1 and 2.5 s).
      ...routeSeries(e, manifests, r1, [['bob', 200, 1], ['bob', 503, 1]], 2),
      // routes 2: two thirds refused with 401.
      ...routeSeries(e, manifests, r2, [['', 401, 2], ['carol', 200, 1]], 0.05),
      { series: `kube_deployment_status_replicas_unavailable{deployment="${DEPLOYMENT}",namespace="${NAMESPACE}"}`, values: '1x15' },
    ];
    const healthy = [
      ...routeSeries(e, manifests, r0, [['alice', 200, 10], ['alice', 500, 0.1], ['dave', 200, 1]], 0.05),
      ...routeSeries(e, manifests, r1, [['bob', 200, 1]], 0.1),
      ...routeSeries(e, manifests, r2, [['carol', 200, 1], ['', 401, 0.1]], 0.05),
      { series: `kube_deployment_status_replicas_unavailable{deployment="${DEPLOYMENT}",namespace="${NAMESPACE}"}`, values: '0x15' },
      // Another gateway's series: failing, slow, unavailable, none of them this gateway's alerts.
      ...routeSeries(e, manifests, r1, [['bob', 503, 5], ['bob', 401, 5], ['bob', 429, 5]], 5, 'other-gateway-metrics'),
      { series: `kube_deployment_status_replicas_unavailable{deployment="other-gateway",namespace="${NAMESPACE}"}`, values: '2x15' },
    ];
    const alert = (labels: Record<string, string>, summary: string, description: string) => ({
      exp_labels: labels, exp_annotations: { summary, description },
    });
    const firing: Record<string, object[]> = {
      ApiGatewayRouteErrors: [alert({ route: r1, severity: 'critical' },
        `Route ${r1} of ${JOB} answers 5xx`, `50% of the requests of route ${r1} got a 5xx over 5m (threshold 10%).`)],
      ApiGatewayRouteSlow: [alert({ route: r1, severity: 'warning' },
        `Route ${r1} of ${JOB} is slower than its objective`, `The 99th percentile latency of route ${r1} is ${slowP99} over 5m (objective 300ms).`)],
      ApiGatewayConsumerThrottled: [alert({ consumer: 'dave', severity: 'warning' },
        `Consumer dave of ${JOB} is rate limited`, '50% of the requests of consumer "dave" got 429 over 5m (threshold 20%): the consumer is near its quota.')],
      ApiGatewayAuthFailures: [alert({ route: r2, severity: 'warning' },
        `Route ${r2} of ${JOB} refuses many requests with 401/403`,
        `66.67% of the requests of route ${r2} got 401 or 403 over 5m (threshold 30%): failing credentials or refused clients.`)],
      ApiGatewayReplicasUnavailable: [alert({ deployment: DEPLOYMENT, namespace: NAMESPACE, severity: 'warning' },
        `Gateway ${DEPLOYMENT} has unavailable pods`, `1 pod(s) of the gateway Deployment ${DEPLOYMENT} are unavailable.`)],
    };
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: unhealthy,
          alert_rule_test: [
            // Before `for` (2m) has passed, nothing fires yet.
            ...ALERTS.map((alertname) => ({ eval_time: '1m', alertname, exp_alerts: [] })),
            ...ALERTS.map((alertname) => ({ eval_time: '10m', alertname, exp_alerts: firing[alertname] })),
          ],
        },
        {
          interval: '1m',
          input_series: healthy,
          alert_rule_test: ALERTS.map((alertname) => ({ eval_time: '10m', alertname, exp_alerts: [] })),
        },
      ],
    };
    fs.writeFileSync(path.join(dir, 'tests.yaml'), YAML.stringify(tests));
    const result = promtool(['test', 'rules', 'tests.yaml'], dir);
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
