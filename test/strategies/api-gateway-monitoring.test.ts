import { Duration } from 'cdk8s';
import * as YAML from 'yaml';
import {
  ApiGatewayEngine, ApiGatewayStrategyOptions, Auth, Backend, ExposedService, ExposedServiceProps, ExposureStrategy, GatewayMonitoring, PathMatch,
  TcpPort,
} from '../../src';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

const api = () => Backend.fromName('api', 8080);

function expose(options: Partial<ApiGatewayStrategyOptions>, props: Partial<ExposedServiceProps> = {}): Manifest[] {
  const chart = testChart('shop', 'shop');
  new ExposedService(chart, 'api', {
    strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), ...options }),
    hosts: ['api.example.com'],
    routes: [{ match: { path: PathMatch.prefix('/orders') }, backend: api(), auth: Auth.apiKey({ secret: 'api-keys' }) }],
    ...props,
  });
  return synthChecked(chart);
}

const podOf = (manifests: Manifest[]) => find(manifests, 'Deployment', 'shop-api-gateway').spec.template.spec;
const names = (manifests: Manifest[]) => manifests.map((m) => `${m.kind}/${m.metadata.name}`);
const everything: GatewayMonitoring = { serviceMonitor: true, scrapeInterval: Duration.seconds(15), labels: { release: 'kube-prometheus-stack' }, alerts: {} };

describe('apiGateway monitoring, NGINX engine', () => {
  test('without monitoring: no sidecar, no metrics Service, no syslog log', () => {
    const manifests = expose({});
    expect(podOf(manifests).containers.map((c: any) => c.name)).toEqual(['gateway']);
    expect(names(manifests)).not.toContain('Service/shop-api-gateway-metrics');
    expect(find(manifests, 'ConfigMap').data['nginx.conf']).not.toContain('syslog:');
    expect(find(manifests, 'ConfigMap').data['gateway.mtail']).toBeUndefined();
  });

  test('monitoring: the usage line to the mtail sidecar, a metrics Service, a ServiceMonitor and alerts', () => {
    const manifests = expose({ monitoring: everything });
    expect(names(manifests)).toEqual([
      'ConfigMap/shop-api-gateway-config', 'Deployment/shop-api-gateway', 'PodDisruptionBudget/shop-api-gateway',
      'Service/shop-api-gateway-metrics', 'ServiceMonitor/shop-api-gateway-metrics', 'PrometheusRule/shop-api-gateway-alerts', 'Service/shop-api',
    ]);
    const config: string = find(manifests, 'ConfigMap').data['nginx.conf'];
    expect(config).toContain('access_log /dev/stdout usage;');
    expect(config).toContain('access_log syslog:server=127.0.0.1:5140,nohostname,tag=gateway metrics;');
    expect(config).toContain("log_format metrics escape=json '{\"route\":\"$route_name\",\"consumer\":\"$consumer$remote_user\",\"code\":$status,");
    // The health checks are no traffic: the status server logs nothing.
    expect(config).toMatch(/listen 8081;\n\s+access_log off;/);

    const pod = podOf(manifests);
    const [gateway, sidecar] = pod.containers;
    expect(sidecar).toEqual({
      name: 'metrics',
      image: 'ghcr.io/jaqx0r/mtail:3.4.9',
      imagePullPolicy: 'IfNotPresent',
      args: ['--progs', '/etc/mtail', '--logs', 'udp://127.0.0.1:5140', '--port', '3903', '--logtostderr', '--emit_prog_label=false'],
      ports: [{ containerPort: 3903, name: 'metrics' }],
      volumeMounts: [{ name: 'metrics-program', mountPath: '/etc/mtail', readOnly: true }],
      readinessProbe: { failureThreshold: 1, httpGet: { path: '/', port: 3903, scheme: 'HTTP' }, periodSeconds: 10 },
      livenessProbe: { failureThreshold: 3, httpGet: { path: '/', port: 3903, scheme: 'HTTP' }, periodSeconds: 10 },
      resources: { limits: { cpu: '200m', memory: '128Mi' }, requests: { cpu: '10m', memory: '32Mi' } },
      securityContext: gateway.securityContext,
    });
    expect(gateway.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.volumes).toContainEqual({ name: 'metrics-program', configMap: { name: 'shop-api-gateway-config', items: [{ key: 'gateway.mtail', path: 'gateway.mtail' }] } });
    // The latency objective (1 s by default) is a bound of the histogram.
    expect(find(manifests, 'ConfigMap').data['gateway.mtail']).toContain('buckets -1, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10\n');

    const service = find(manifests, 'Service', 'shop-api-gateway-metrics');
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: find(manifests, 'Deployment').spec.selector.matchLabels,
      ports: [{ name: 'metrics', port: 3903, targetPort: 3903 }],
    });
    // The public Service does not carry the metrics port.
    expect(find(manifests, 'Service', 'shop-api').spec.ports.map((p: any) => p.port)).toEqual([80]);
    expect(find(manifests, 'ServiceMonitor').metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    expect(find(manifests, 'ServiceMonitor').spec).toEqual({
      selector: { matchLabels: service.metadata.labels },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '15s' }],
    });
    const rule = find(manifests, 'PrometheusRule');
    expect(rule.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    expect(rule.spec.groups[0].rules.map((r: any) => [r.alert, r.for, r.labels.severity])).toEqual([
      ['ApiGatewayRouteErrors', '5m', 'critical'], ['ApiGatewayRouteSlow', '5m', 'warning'], ['ApiGatewayConsumerThrottled', '5m', 'warning'],
      ['ApiGatewayAuthFailures', '5m', 'warning'], ['ApiGatewayReplicasUnavailable', '5m', 'warning'],
    ]);
    // The default thresholds, on this gateway's job and Deployment.
    const exprs = rule.spec.groups[0].rules.map((r: any) => r.expr.split('\n').pop().trim());
    expect(exprs).toEqual(['> 0.05', '> 1', '> 0.1', '> 0.2', 'kube_deployment_status_replicas_unavailable{deployment="shop-api-gateway",namespace="shop"} > 0']);
    expect(rule.spec.groups[0].rules[0].expr).toContain('gateway_http_requests_total{job="shop-api-gateway-metrics",namespace="shop",code=~"5.."}[5m]');
  });

  test('declared thresholds reach the rules; the objective becomes a histogram bound', () => {
    const manifests = expose({
      monitoring: {
        serviceMonitor: true,
        alerts: { errorRatio: 0.01, latencyP99: Duration.millis(250), throttledRatio: 0.3, authFailureRatio: 0.5, for: Duration.seconds(90) },
      },
    });
    const rules = find(manifests, 'PrometheusRule').spec.groups[0].rules;
    expect(rules.map((r: any) => r.expr.split('\n').pop().trim()).slice(0, 4)).toEqual(['> 0.01', '> 0.25', '> 0.3', '> 0.5']);
    expect(rules.map((r: any) => r.for)).toEqual(['90s', '90s', '90s', '90s', '90s']);
    expect(rules[1].annotations.description).toContain('(objective 250ms)');
    expect(find(manifests, 'ConfigMap').data['gateway.mtail']).toContain('buckets -1, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10\n');
    const other = expose({ monitoring: { serviceMonitor: true, alerts: { latencyP99: Duration.millis(300) } } });
    expect(find(other, 'ConfigMap').data['gateway.mtail']).toContain('buckets -1, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5, 10\n');
  });

  test('metrics only: the sidecar and the metrics Service, no prometheus-operator object', () => {
    const manifests = expose({ monitoring: {} });
    expect(podOf(manifests).containers.map((c: any) => c.name)).toEqual(['gateway', 'metrics']);
    expect(ofKind(manifests, 'ServiceMonitor')).toEqual([]);
    expect(ofKind(manifests, 'PrometheusRule')).toEqual([]);
    expect(find(manifests, 'Service', 'shop-api-gateway-metrics').spec.ports).toEqual([{ name: 'metrics', port: 3903, targetPort: 3903 }]);
  });

  test('behind an L7 front: the metrics Service is not the gateway Service the front routes to', () => {
    const manifests = expose({ monitoring: { serviceMonitor: true }, exposedVia: ExposureStrategy.istio() });
    expect(find(manifests, 'Service', 'shop-api-gateway').spec.ports.map((p: any) => p.name)).toEqual(['http-8080']);
    expect(find(manifests, 'Service', 'shop-api-gateway-metrics').spec.ports.map((p: any) => p.name)).toEqual(['metrics']);
  });

  test('another pinned exporter image', () => {
    const manifests = expose({ engine: ApiGatewayEngine.nginx({ metricsImage: 'registry.example.com/mtail:3.4.9' }), monitoring: {} });
    expect(podOf(manifests).containers[1].image).toBe('registry.example.com/mtail:3.4.9');
  });
});

describe('apiGateway monitoring, Kong engine', () => {
  test('the prometheus plugin per consumer on the status listener: the metrics Service targets it, no sidecar', () => {
    const manifests = expose({ engine: ApiGatewayEngine.kong(), monitoring: everything });
    const pod = podOf(manifests);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['gateway']);
    const gateway = pod.containers[0];
    expect(gateway.env).toContainEqual({ name: 'KONG_STATUS_LISTEN', value: '0.0.0.0:8100' });
    expect(gateway.ports).toContainEqual({ containerPort: 8100, name: 'status' });
    const kong = YAML.parse(find(manifests, 'ConfigMap').data['kong.yml'], { version: '1.1' });
    expect(kong.plugins).toContainEqual({
      name: 'prometheus', config: { per_consumer: true, status_code_metrics: true, latency_metrics: true, bandwidth_metrics: true },
    });
    expect(find(manifests, 'Service', 'shop-api-gateway-metrics').spec.ports).toEqual([{ name: 'metrics', port: 8100, targetPort: 8100 }]);
    expect(find(manifests, 'ServiceMonitor').spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '15s' }]);
    const rules = find(manifests, 'PrometheusRule').spec.groups[0].rules;
    expect(rules[0].expr).toContain('kong_http_requests_total{job="shop-api-gateway-metrics",namespace="shop",code=~"5.."}[5m]');
    // Kong's latency histogram is in milliseconds: the quantile is read in seconds.
    expect(rules[1].expr).toBe('histogram_quantile(0.99, sum by (route, le) (rate(kong_request_latency_ms_bucket{job="shop-api-gateway-metrics",namespace="shop"}[5m]))) * 0.001\n  > 1');
  });
});

describe('apiGateway monitoring: refusals', () => {
  const error = (monitoring: unknown, options: Partial<ApiGatewayStrategyOptions> = {},
    props: Partial<ExposedServiceProps> = {}) => declarationError({
    strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), monitoring: monitoring as GatewayMonitoring, ...options }),
    routes: [{ match: { path: PathMatch.prefix('/') }, backend: api() }],
    ...props,
  }).message;

  test.each([
    ['a ratio of 1', { serviceMonitor: true, alerts: { errorRatio: 1 } },
      'ExposedService test/public: strategy: monitoring.alerts.errorRatio 1 is not a ratio; use a number above 0 and below 1 (0.05 is 5%)'],
    ['a percentage for a ratio', { serviceMonitor: true, alerts: { throttledRatio: 20 } },
      'ExposedService test/public: strategy: monitoring.alerts.throttledRatio 20 is not a ratio; use a number above 0 and below 1 (0.05 is 5%)'],
    ['a ratio of 0', { serviceMonitor: true, alerts: { authFailureRatio: 0 } },
      'ExposedService test/public: strategy: monitoring.alerts.authFailureRatio 0 is not a ratio; use a number above 0 and below 1 (0.05 is 5%)'],
    ['a latency below a millisecond', { serviceMonitor: true, alerts: { latencyP99: Duration.millis(0.5) } },
      'ExposedService test/public: strategy: monitoring.alerts.latencyP99 of 0.5ms is not a whole number of milliseconds of at least 1'],
    ['a fractional for', { serviceMonitor: true, alerts: { for: Duration.millis(1500) } },
      'ExposedService test/public: strategy: monitoring.alerts.for of 1.5s is not a whole number of seconds'],
    ['a scrape interval below a second', { serviceMonitor: true, scrapeInterval: Duration.millis(500) },
      'ExposedService test/public: strategy: monitoring.scrapeInterval of 0.5s is not a whole number of seconds of at least 1'],
    ['a label name with a space', { serviceMonitor: true, labels: { 'my release': 'x' } },
      'ExposedService test/public: strategy: monitoring.labels: "my release" is not a label name; use [prefix/]name, the name of at most 63 letters, digits, "-", "_" and ".", '
      + 'starting and ending with a letter or digit'],
    ['a label value with a slash', { serviceMonitor: true, labels: { release: 'a/b' } },
      'ExposedService test/public: strategy: monitoring.labels["release"]: "a/b" is not a label value; use at most 63 letters, digits, "-", "_" and ".", '
      + 'starting and ending with a letter or digit'],
    ['labels with nothing to label', { labels: { release: 'kps' } },
      'ExposedService test/public: strategy: monitoring.labels label the ServiceMonitor and the PrometheusRule, and there is neither; set serviceMonitor: true or alerts'],
    ['alerts without a ServiceMonitor', { alerts: {} },
      'ExposedService test/public: strategy: monitoring.alerts read the series the ServiceMonitor scrapes (job = the metrics Service); set monitoring.serviceMonitor: true'],
    ['a string for a boolean', { serviceMonitor: 'yes' },
      'ExposedService test/public: strategy: options.monitoring.serviceMonitor is a string ("yes"); use true or false'],
    ['a misspelled field', { serviceMonitors: true },
      'ExposedService test/public: strategy: options.monitoring.serviceMonitors is not a field of monitoring options; did you mean serviceMonitor?'],
    ['a number for a duration', { serviceMonitor: true, alerts: { latencyP99: 300 } },
      'ExposedService test/public: strategy: options.monitoring.alerts.latencyP99 is a number (300); use a cdk8s Duration, e.g. Duration.seconds(5)'],
  ])('%s', (_name, monitoring, message) => {
    expect(error(monitoring)).toBe(message);
  });

  test('an unpinned exporter image', () => {
    expect(error({}, { engine: ApiGatewayEngine.nginx({ metricsImage: 'ghcr.io/jaqx0r/mtail:latest' }) }))
      .toBe('ExposedService test/public: strategy: metricsImage "ghcr.io/jaqx0r/mtail:latest" is not pinned; use a version tag or a digest');
  });

  test('an exposure of streams only has no HTTP requests to count', () => {
    expect(error({}, {}, { routes: undefined, tcp: [TcpPort.of(5432, Backend.fromName('db', 5432))] } as any))
      .toBe('ExposedService test/public: routes: the apiGateway (nginx) strategy\'s monitoring counts HTTP requests, and the exposure has no HTTP routes '
        + '(streams are not counted); leave monitoring unset');
  });
});
