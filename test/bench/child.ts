/**
 * One benchmark measurement, in a process of its own: builds N exposures with one strategy in
 * one variant and synthesizes them; prints { ms, maxRssMb } as JSON. Run by bench.ts.
 *
 * Variants: `library` (ExposedService), `baseline` (the same manifests, hand-built as L1
 * ApiObjects: the floor; they are read, before timing, from the file a `dump` run wrote, as a
 * hand-written program holds its object literals), `exposeViaIngress` (cdk8s-plus-27's own
 * Service.exposeViaIngress).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
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

/** Exposure i: its own Service (the L4 strategies need pods), two routes on one host. */
function declare(chart: Chart, i: number): void {
  const svc = new kplus.Service(chart, `svc-${i}`, { ports: [{ port: 8080 }] });
  svc.selectLabel('app', `svc-${i}`);
  const l4 = strategyName === 'nodePort';
  new lib.ExposedService(chart, `expose-${i}`, {
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
    // Deployments, PDBs and Services stay plain ApiObjects: their typed props take Quantity and IntOrString
    // objects, not the JSON strings and numbers.
    'v1/ConfigMap': kplus.k8s.KubeConfigMap,
    'networking.k8s.io/v1/Ingress': kplus.k8s.KubeIngress,
  };
  if (core[`${apiVersion}/${kind}`]) return core[`${apiVersion}/${kind}`];
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (apiVersion === 'networking.istio.io/v1') return require('../../lib/imports/istio-networking.istio.io')[kind];
  if (apiVersion === 'gateway.networking.k8s.io/v1') return require('../../lib/imports/gateway-api-gateway.networking.k8s.io')[kind === 'HTTPRoute' ? 'HttpRoute' : kind];
  /* eslint-enable @typescript-eslint/no-require-imports */
  return undefined;
}

function run(): void {
  const app = new App({ outdir: '/tmp/cdk8s-expose-bench-unused' });
  const chart = new Chart(app, 'bench');
  if (variant === 'dump') {
    for (let i = 0; i < n; i++) declare(chart, i);
    fs.writeFileSync(manifestsFile, JSON.stringify(chart.toJson()));
    return;
  }
  const manifests: any[] = variant === 'baseline' ? JSON.parse(fs.readFileSync(manifestsFile, 'utf8')) : [];
  const started = performance.now();
  if (variant === 'baseline') {
    // Hand-built: the same objects, as the typed L1 classes a hand-written chart would use.
    manifests.forEach((m, k) => {
      const { apiVersion, kind, ...props } = m;
      const L1 = typedL1(apiVersion, kind);
      if (L1) new L1(chart, `o-${k}`, props);
      else new ApiObject(chart, `o-${k}`, m);
    });
  }
  for (let i = 0; i < n && variant !== 'baseline'; i++) {
    if (variant === 'library') {
      declare(chart, i);
    } else {
      const svc = new kplus.Service(chart, `svc-${i}`, { ports: [{ port: 8080 }] });
      svc.selectLabel('app', `svc-${i}`);
      svc.exposeViaIngress('/api', { name: `ing-${i}` } as any);
    }
  }
  const yaml = app.synthYaml();
  const ms = performance.now() - started;
  const sha = createHash('sha256').update(yaml).digest('hex').slice(0, 16);
  process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes: yaml.length, sha })}\n`);
}

run();
