import { Duration } from 'cdk8s';
import { BOOLEAN, DURATION, NUMBER, object, optional, STRING_RECORD } from '../../core/runtime-shape';
import { problemsOf } from '../../core/validators';

/**
 * The alerts of an API gateway (a `PrometheusRule` of prometheus-operator): what a platform team
 * watches on an API. Every threshold has a default; `alerts: {}` turns them all on with them.
 */
export interface GatewayAlerts {
  /**
   * The share of a route's requests answered 5xx (over 5 minutes) above which `ApiGatewayRouteErrors` fires.
   * @default 0.05
   * @example alerts: { errorRatio: 0.01 }
   */
  readonly errorRatio?: number;
  /**
   * The latency objective of every route: `ApiGatewayRouteSlow` fires when a route's 99th
   * percentile (over 5 minutes) is above it. Whole milliseconds.
   * @default Duration.seconds(1)
   * @example alerts: { latencyP99: Duration.millis(300) }
   */
  readonly latencyP99?: Duration;
  /**
   * The share of a consumer's requests refused with 429 (rate limits: quota pressure) above which
   * `ApiGatewayConsumerThrottled` fires.
   * @default 0.1
   * @example alerts: { throttledRatio: 0.25 }
   */
  readonly throttledRatio?: number;
  /**
   * The share of a route's requests refused with 401 or 403 (failed or missing credentials, refused
   * clients) above which `ApiGatewayAuthFailures` fires: a spike of credential stuffing or a client
   * whose key was revoked.
   * @default 0.2
   * @example alerts: { authFailureRatio: 0.5 }
   */
  readonly authFailureRatio?: number;
  /**
   * How long a condition holds before its alert fires (Prometheus's `for`), whole seconds.
   * `ApiGatewayReplicasUnavailable` (gateway pods unavailable, from kube-state-metrics) uses it too.
   * @default Duration.minutes(5)
   * @example alerts: { for: Duration.minutes(10) }
   */
  readonly for?: Duration;
}

/**
 * Prometheus metrics of the API gateway, per route, consumer and status (see the README for the
 * metric names of each engine), on a `metrics` port of a ClusterIP Service of their own, never on
 * the gateway's public Service. The NGINX engine runs an exporter sidecar (mtail) that turns the
 * usage log into metrics; Kong serves its `prometheus` plugin's metrics on its status listener.
 */
export interface GatewayMonitoring {
  /**
   * A `ServiceMonitor` (prometheus-operator, `monitoring.coreos.com/v1`) that scrapes the metrics Service.
   * @default false
   * @example monitoring: { serviceMonitor: true }
   */
  readonly serviceMonitor?: boolean;
  /**
   * How often Prometheus scrapes the gateway (whole seconds).
   * @default - the Prometheus's own scrape interval
   * @example monitoring: { serviceMonitor: true, scrapeInterval: Duration.seconds(15) }
   */
  readonly scrapeInterval?: Duration;
  /**
   * Labels of the ServiceMonitor and the PrometheusRule: what the Prometheus's
   * `serviceMonitorSelector` and `ruleSelector` select (kube-prometheus-stack: its `release`).
   * @default - none
   * @example monitoring: { serviceMonitor: true, labels: { release: 'kube-prometheus-stack' } }
   */
  readonly labels?: Record<string, string>;
  /**
   * A `PrometheusRule` with the gateway's alerts, on the metric names of its engine.
   * @default - no alerts
   * @example monitoring: { alerts: { errorRatio: 0.01, latencyP99: Duration.millis(300) } }
   */
  readonly alerts?: GatewayAlerts;
}

/** The alerts' thresholds, defaults applied (internal). */
export interface AlertThresholds {
  readonly errorRatio: number;
  readonly latencyP99Seconds: number;
  readonly throttledRatio: number;
  readonly authFailureRatio: number;
  readonly forSeconds: number;
}

export const DEFAULT_ALERTS: AlertThresholds = {
  errorRatio: 0.05, latencyP99Seconds: 1, throttledRatio: 0.1, authFailureRatio: 0.2, forSeconds: 300,
};

/** The runtime shape of `GatewayMonitoring` (a JavaScript caller may pass anything). */
export const MONITORING_SHAPE = object('monitoring options', {
  serviceMonitor: optional(BOOLEAN),
  scrapeInterval: optional(DURATION),
  labels: optional(STRING_RECORD),
  alerts: optional(object('alert thresholds', {
    errorRatio: optional(NUMBER),
    latencyP99: optional(DURATION),
    throttledRatio: optional(NUMBER),
    authFailureRatio: optional(NUMBER),
    for: optional(DURATION),
  })),
});

/** The thresholds of `alerts`, defaults applied. */
export function alertThresholds(alerts: GatewayAlerts): AlertThresholds {
  return {
    errorRatio: alerts.errorRatio ?? DEFAULT_ALERTS.errorRatio,
    latencyP99Seconds: alerts.latencyP99 === undefined ? DEFAULT_ALERTS.latencyP99Seconds : alerts.latencyP99.toMilliseconds() / 1000,
    throttledRatio: alerts.throttledRatio ?? DEFAULT_ALERTS.throttledRatio,
    authFailureRatio: alerts.authFailureRatio ?? DEFAULT_ALERTS.authFailureRatio,
    forSeconds: alerts.for === undefined ? DEFAULT_ALERTS.forSeconds : alerts.for.toSeconds({ integral: false }),
  };
}

// A label name (an optional DNS subdomain prefix and a name of 63 characters at most) and value (63 at most, may be empty).
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function labelProblem(key: string, value: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (!LABEL_NAME.test(name) || (prefix !== undefined && (!LABEL_PREFIX.test(prefix) || prefix.length > 253))) {
    return `monitoring.labels: "${key}" is not a label name; use [prefix/]name, the name of at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  }
  return LABEL_VALUE.test(value) ? undefined
    : `monitoring.labels["${key}"]: "${value}" is not a label value; use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
}

function ratioProblem(value: number | undefined, what: string): string | undefined {
  return value === undefined || (value > 0 && value < 1) ? undefined : `monitoring.alerts.${what} ${value} is not a ratio; use a number above 0 and below 1 (0.05 is 5%)`;
}

/** The problems of the monitoring options (context-free), in the format of strategy option problems. */
export function monitoringProblems(monitoring: GatewayMonitoring | undefined): string[] {
  if (monitoring === undefined) return [];
  const interval = monitoring.scrapeInterval?.toSeconds({ integral: false });
  const alerts = monitoring.alerts;
  const latencyMs = alerts?.latencyP99?.toMilliseconds({ integral: false });
  const forSeconds = alerts?.for?.toSeconds({ integral: false });
  return problemsOf(
    interval !== undefined && (interval < 1 || !Number.isInteger(interval))
      ? `monitoring.scrapeInterval of ${interval}s is not a whole number of seconds of at least 1` : undefined,
    ...Object.entries(monitoring.labels ?? {}).map(([k, v]) => labelProblem(k, v)),
    monitoring.labels !== undefined && monitoring.serviceMonitor !== true && alerts === undefined
      ? 'monitoring.labels label the ServiceMonitor and the PrometheusRule, and there is neither; set serviceMonitor: true or alerts' : undefined,
    ratioProblem(alerts?.errorRatio, 'errorRatio'),
    ratioProblem(alerts?.throttledRatio, 'throttledRatio'),
    ratioProblem(alerts?.authFailureRatio, 'authFailureRatio'),
    latencyMs !== undefined && (latencyMs < 1 || !Number.isInteger(latencyMs))
      ? `monitoring.alerts.latencyP99 of ${latencyMs}ms is not a whole number of milliseconds of at least 1` : undefined,
    forSeconds !== undefined && (forSeconds < 0 || !Number.isInteger(forSeconds)) ? `monitoring.alerts.for of ${forSeconds}s is not a whole number of seconds` : undefined,
  );
}
