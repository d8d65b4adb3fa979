import { Construct } from 'constructs';
import { alertRules } from './alert-rules';
import { EngineMetricNames, MetricsEndpoint } from './engine';
import { alertThresholds, GatewayMonitoring } from './monitoring';
import type * as k8s from '../../../imports/k8s';
import type * as promOperator from '../../../imports/prometheus-operator-monitoring.coreos.com';
import { resourceName } from '../../core/naming';
import { kube } from '../shared/kube';

/** The name of the metrics port, on the metrics Service and (the sidecar's) in the pod. */
export const METRICS_PORT_NAME = 'metrics';

/** What `monitoring` synthesizes. */
export interface GatewayMetricsResources {
  readonly service: k8s.KubeService;
  readonly serviceMonitor?: promOperator.ServiceMonitor;
  readonly prometheusRule?: promOperator.PrometheusRule;
}

/** The prometheus-operator module, loaded on first use: only gateways with monitoring pay for it. */
function promKinds(): typeof promOperator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../../imports/prometheus-operator-monitoring.coreos.com');
}

/**
 * The metrics Service (ClusterIP, never the gateway's public one: the status listener and the
 * exporter stay inside the cluster), its ServiceMonitor and the alerts.
 */
export function renderGatewayMetrics(scope: Construct, options: {
  readonly monitoring: GatewayMonitoring;
  readonly endpoint: MetricsEndpoint;
  readonly names: EngineMetricNames;
  readonly podLabels: Record<string, string>;
  readonly deployment: string;
  readonly namespace?: string;
}): GatewayMetricsResources {
  const { monitoring, endpoint } = options;
  const name = resourceName(scope, 'gateway-metrics');
  // What the ServiceMonitor selects: this Service only.
  const serviceLabels = { 'app.kubernetes.io/component': 'api-gateway-metrics', 'app.kubernetes.io/instance': name };
  const service = new (kube().KubeService)(scope, 'GatewayMetricsService', {
    metadata: { name, labels: serviceLabels },
    spec: {
      type: 'ClusterIP',
      selector: options.podLabels,
      ports: [{ name: METRICS_PORT_NAME, port: endpoint.port, targetPort: kube().IntOrString.fromNumber(endpoint.port) }],
    },
  });
  const labels = monitoring.labels === undefined ? undefined : { ...monitoring.labels };
  const serviceMonitor = monitoring.serviceMonitor !== true ? undefined : new (promKinds().ServiceMonitor)(scope, 'GatewayServiceMonitor', {
    metadata: { name, labels },
    spec: {
      selector: { matchLabels: serviceLabels },
      endpoints: [{
        port: METRICS_PORT_NAME,
        path: endpoint.path,
        interval: monitoring.scrapeInterval === undefined ? undefined : `${monitoring.scrapeInterval.toSeconds()}s`,
      }],
    },
  });
  const prometheusRule = monitoring.alerts === undefined ? undefined : new (promKinds().PrometheusRule)(scope, 'GatewayAlerts', {
    metadata: { name: resourceName(scope, 'gateway-alerts'), labels },
    spec: {
      groups: [{
        name: `${options.deployment}.rules`,
        rules: alertRules(options.names, alertThresholds(monitoring.alerts),
          { job: name, deployment: options.deployment, namespace: options.namespace })
          .map((r) => ({ ...r, expr: promKinds().PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })),
      }],
    },
  });
  return { service, serviceMonitor, prometheusRule };
}
