/**
 * One benchmark measurement, in a process of its own: builds N exposures with one strategy in
 * one variant and synthesizes them; prints { ms, maxRssMb } as JSON. Run by bench.ts.
 *
 * Variants: `library` (ExposedService), `baseline` (the same app, with the library's objects
 * hand-built as L1s: the floor; the app's own Services are declared as in `library`, since they
 * are the app's code either way; the L1s' data is read, before timing, from the file a `dump` run
 * wrote, as a hand-written program holds its object literals), `exposeViaIngress` (cdk8s-plus-27's
 * own Service.exposeViaIngress), `plusIngress` (cdk8s-plus-27's Ingress with the library's rules).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
// The compiled package, as an app loads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require('../../lib/src');

const [strategyName, nText, variant, manifestsFile] = process.argv.slice(2);
const n = Number(nText);

const STRATEGIES: Record<string, () => any> = {
  'nodePort': () => lib.ExposureStrategy.nodePort(),
  'ingress': () => lib.ExposureStrategy.ingress({ className: 'nginx' }),
  'istio': () => lib.ExposureStrategy.istio(),
  'gatewayApi': () => lib.ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }),
  'apiGateway-nginx': () => lib.ExposureStrategy.apiGateway({ engine: lib.ApiGatewayEngine.nginx() }),
  'apiGateway-kong': () => lib.ExposureStrategy.apiGateway({ engine: lib.ApiGatewayEngine.kong() }),
};

/** The app's own Service of exposure i (the L4 strategies need pods): app code in every variant. */
function appService(chart: Chart, i: number): kplus.Service {
  const svc = new kplus.Service(chart, `svc-${i}`, { ports: [{ port: 8080 }] });
  svc.selectLabel('app', `svc-${i}`);
  return svc;
}

/** Exposure i: the app's Service, exposed with two routes on one host. */
function declare(chart: Chart, i: number): Construct {
  const svc = appService(chart, i);
  const l4 = strategyName === 'nodePort';
  return new lib.ExposedService(chart, `expose-${i}`, {
    strategy: STRATEGIES[strategyName](),
    backend: lib.Backend.fromService(svc),
    ...(l4 ? {} : {
      hosts: [`svc-${i}.example.com`],
      routes: [{ match: { path: lib.PathMatch.prefix('/api') } }, { match: { path: lib.PathMatch.prefix('/') } }],
    }),
  });
}

/** The typed L1 class of a kind (cdk8s-plus-27's k8s, the generated imports), loaded as needed. */
function typedL1(apiVersion: string, kind: string): (new (scope: Chart, id: string, props: any) => ApiObject) | undefined {
  const core: Record<string, any> = {
    'v1/ConfigMap': kplus.k8s.KubeConfigMap,
    'v1/Service': kplus.k8s.KubeService,
    'apps/v1/Deployment': kplus.k8s.KubeDeployment,
    'policy/v1/PodDisruptionBudget': kplus.k8s.KubePodDisruptionBudget,
    'networking.k8s.io/v1/NetworkPolicy': kplus.k8s.KubeNetworkPolicy,
    'autoscaling/v2/HorizontalPodAutoscaler': kplus.k8s.KubeHorizontalPodAutoscalerV2,
    'networking.k8s.io/v1/Ingress': kplus.k8s.KubeIngress,
  };
  if (core[`${apiVersion}/${kind}`]) return core[`${apiVersion}/${kind}`];
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (apiVersion === 'networking.istio.io/v1') return require('../../lib/imports/istio-networking.istio.io')[kind];
  if (apiVersion === 'gateway.networking.k8s.io/v1') return require('../../lib/imports/gateway-api-gateway.networking.k8s.io')[kind === 'HTTPRoute' ? 'HttpRoute' : kind];
  /* eslint-enable @typescript-eslint/no-require-imports */
  return undefined;
}

/**
 * A manifest's JSON as the typed L1's props, as a hand-written chart spells them: ports and
 * rollout bounds as IntOrString, resources as Quantity, and the few fields whose TypeScript name
 * differs from the JSON name. (The run's byte-identical check proves nothing was lost.)
 */
function typedProps(json: any): any {
  const intOrString = (v: any) => (v === undefined ? undefined : typeof v === 'number' ? kplus.k8s.IntOrString.fromNumber(v) : kplus.k8s.IntOrString.fromString(v));
  const quantities = (q: any) => q && Object.fromEntries(Object.entries(q).map(([k, v]) => [k, kplus.k8s.Quantity.fromString(String(v))]));
  const container = (c: any) => ({
    ...c,
    ...Object.fromEntries(['livenessProbe', 'readinessProbe', 'startupProbe'].filter((p) => c[p]).map((p) => [p, { ...c[p], httpGet: c[p].httpGet && { ...c[p].httpGet, port: intOrString(c[p].httpGet.port) } }])),
    resources: c.resources && { limits: quantities(c.resources.limits), requests: quantities(c.resources.requests) },
  });
  const { apiVersion, kind, ...props } = json;
  const spec = props.spec;
  switch (`${apiVersion}/${kind}`) {
    case 'v1/Service':
      return { ...props, spec: { ...spec, ports: spec.ports?.map((p: any) => ({ ...p, targetPort: intOrString(p.targetPort) })) } };
    case 'policy/v1/PodDisruptionBudget':
      return { ...props, spec: { ...spec, minAvailable: intOrString(spec.minAvailable), maxUnavailable: intOrString(spec.maxUnavailable) } };
    case 'networking.k8s.io/v1/NetworkPolicy':
      return {
        ...props,
        spec: { ...spec, ingress: spec.ingress?.map((r: any) => ({ ...r, ports: r.ports?.map((p: any) => ({ ...p, port: intOrString(p.port) })) })) },
      };
    case 'apps/v1/Deployment': {
      const { setHostnameAsFQDN, ...pod } = spec.template.spec;
      const rolling = spec.strategy?.rollingUpdate;
      return {
        ...props,
        spec: {
          ...spec,
          strategy: spec.strategy && {
            ...spec.strategy,
            rollingUpdate: rolling && { maxSurge: intOrString(rolling.maxSurge), maxUnavailable: intOrString(rolling.maxUnavailable) },
          },
          template: {
            ...spec.template,
            spec: {
              ...pod,
              setHostnameAsFqdn: setHostnameAsFQDN,
              containers: pod.containers.map(container),
              initContainers: pod.initContainers?.map(container),
            },
          },
        },
      };
    }
    default:
      return props;
  }
}

function run(): void {
  const app = new App({ outdir: '/tmp/cdk8s-expose-bench-unused' });
  const chart = new Chart(app, 'bench');
  if (variant === 'dump') {
    // Per exposure, the manifests of the library's objects (in synth order).
    const exposures = Array.from({ length: n }, (_, i) => declare(chart, i));
    chart.toJson();
    const manifests = exposures.map((e) => e.node.findAll().filter(ApiObject.isApiObject).map((o) => o.toJson()));
    fs.writeFileSync(manifestsFile, JSON.stringify(manifests));
    return;
  }
  // The baseline's literals, prepared before timing: per exposure, each object's L1 class and props.
  const manifests: { L1: new (scope: Chart, id: string, props: any) => ApiObject; props: any }[][] = variant !== 'baseline' ? []
    : JSON.parse(fs.readFileSync(manifestsFile, 'utf8')).map((objects: any[]) => objects.map((m) => {
      const L1 = typedL1(m.apiVersion, m.kind);
      if (L1 === undefined) throw new Error(`no typed L1 for ${m.apiVersion}/${m.kind}`);
      return { L1, props: typedProps(m) };
    }));
  const started = performance.now();
  if (variant === 'baseline') {
    // Hand-built: the app's Service as in the app, the library's objects as the typed L1 classes
    // a hand-written chart would use.
    manifests.forEach((objects, i) => {
      appService(chart, i);
      objects.forEach(({ L1, props }, k) => new L1(chart, `o-${i}-${k}`, props));
    });
  }
  for (let i = 0; i < n && variant !== 'baseline'; i++) {
    if (variant === 'library') {
      declare(chart, i);
    } else if (variant === 'plusIngress') {
      // cdk8s-plus's Ingress L2 (what exposeViaIngress builds) with the library's rules: the same
      // Ingress, except that cdk8s-plus orders the paths alphabetically.
      const svc = appService(chart, i);
      const ingress = new kplus.Ingress(chart, `expose-${i}`, { className: 'nginx', metadata: { name: `bench-expose-${i}` } });
      for (const path of ['/api', '/']) ingress.addHostRule(`svc-${i}.example.com`, path, kplus.IngressBackend.fromService(svc), kplus.HttpIngressPathType.PREFIX);
    } else {
      appService(chart, i).exposeViaIngress('/api', { name: `ing-${i}` } as any);
    }
  }
  const yaml = app.synthYaml();
  const ms = performance.now() - started;
  const sha = createHash('sha256').update(yaml).digest('hex').slice(0, 16);
  process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes: yaml.length, sha })}\n`);
}

run();
