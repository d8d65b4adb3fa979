import { EngineMetricNames } from './engine';
import { AlertThresholds } from './monitoring';

/** One alerting rule of a PrometheusRule group, as prometheus-operator's schema has it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** What the alerts select: the gateway's series (by the scrape job, its metrics Service) and its Deployment. */
export interface AlertTargets {
  /** The metrics Service: prometheus-operator names the scrape job after it. */
  readonly job: string;
  readonly deployment: string;
  /** The namespace of both, when the exposure declares one. */
  readonly namespace?: string;
}

/** The rate window of every ratio and quantile. */
const WINDOW = '5m';

/**
 * The gateway's alerts on its engine's metric names: 5xx ratio per route, p99 latency per route
 * over the objective, 429 ratio per consumer, 401/403 ratio per route, and gateway pods
 * unavailable (kube-state-metrics' `kube_deployment_status_replicas_unavailable`). A ratio is of
 * the requests in the window: a route without traffic has no ratio and fires nothing.
 */
export function alertRules(names: EngineMetricNames, t: AlertThresholds, targets: AlertTargets): AlertRule[] {
  const scope = `job="${targets.job}"${targets.namespace === undefined ? '' : `,namespace="${targets.namespace}"`}`;
  const rate = (by: string, extra = '') => `sum by (${by}) (rate(${names.requests}{${scope}${extra}}[${WINDOW}]))`;
  const ratio = (by: string, extra: string) => `${rate(by, extra)}\n  /\n${rate(by)}`;
  // The quantile in seconds whatever the engine's unit, so that every alert reads alike.
  const inSeconds = names.latencyUnitSeconds === 1 ? '' : ` * ${number(names.latencyUnitSeconds)}`;
  const forDuration = promDuration(t.forSeconds);
  const deployment = `deployment="${targets.deployment}"${targets.namespace === undefined ? '' : `,namespace="${targets.namespace}"`}`;
  return [
    {
      alert: 'ApiGatewayRouteErrors',
      expr: `${ratio('route', ',code=~"5.."')}\n  > ${number(t.errorRatio)}`,
      for: forDuration,
      labels: { severity: 'critical' },
      annotations: {
        summary: `Route {{ $labels.route }} of ${targets.job} answers 5xx`,
        description: `{{ $value | humanizePercentage }} of the requests of route {{ $labels.route }} got a 5xx over ${WINDOW} (threshold ${percent(t.errorRatio)}).`,
      },
    },
    {
      alert: 'ApiGatewayRouteSlow',
      expr: `histogram_quantile(0.99, sum by (route, le) (rate(${names.latencyBuckets}{${scope}}[${WINDOW}])))${inSeconds}\n  > ${number(t.latencyP99Seconds)}`,
      for: forDuration,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Route {{ $labels.route }} of ${targets.job} is slower than its objective`,
        description: `The 99th percentile latency of route {{ $labels.route }} is {{ $value | humanizeDuration }} over ${WINDOW} `
          + `(objective ${t.latencyP99Seconds < 1 ? `${number(t.latencyP99Seconds * 1000)}ms` : `${number(t.latencyP99Seconds)}s`}).`,
      },
    },
    {
      alert: 'ApiGatewayConsumerThrottled',
      expr: `${ratio('consumer', ',code="429"')}\n  > ${number(t.throttledRatio)}`,
      for: forDuration,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Consumer {{ $labels.consumer }} of ${targets.job} is rate limited`,
        description: `{{ $value | humanizePercentage }} of the requests of consumer "{{ $labels.consumer }}" got 429 over ${WINDOW} `
          + `(threshold ${percent(t.throttledRatio)}): the consumer is near its quota.`,
      },
    },
    {
      alert: 'ApiGatewayAuthFailures',
      expr: `${ratio('route', ',code=~"401|403"')}\n  > ${number(t.authFailureRatio)}`,
      for: forDuration,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Route {{ $labels.route }} of ${targets.job} refuses many requests with 401/403`,
        description: `{{ $value | humanizePercentage }} of the requests of route {{ $labels.route }} got 401 or 403 over ${WINDOW} `
          + `(threshold ${percent(t.authFailureRatio)}): failing credentials or refused clients.`,
      },
    },
    {
      alert: 'ApiGatewayReplicasUnavailable',
      expr: `kube_deployment_status_replicas_unavailable{${deployment}} > 0`,
      for: forDuration,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Gateway ${targets.deployment} has unavailable pods`,
        description: `{{ $value }} pod(s) of the gateway Deployment ${targets.deployment} are unavailable.`,
      },
    },
  ];
}

/** A threshold as PromQL writes it: decimal, without float noise (0.1 * 3 = 0.30000000000000004). */
function number(n: number): string {
  return String(Number(n.toPrecision(12)));
}

function percent(ratio: number): string {
  return `${number(ratio * 100)}%`;
}

/** Whole seconds as a Prometheus duration, in the largest unit that keeps them whole: 300 is `5m`. */
function promDuration(seconds: number): string {
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
