import { App, Chart, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import { crossReferenceProblems, ExternalService } from './cross-references';
import { gatewayApiReferenceProblems } from './gateway-api-references';
import { ingressNginxAnnotationProblems } from './ingress-nginx-annotations';
import { istioReferenceProblems } from './istio-references';
import { kongProblems } from './kong-schema';
import { nginxConfigProblems } from './nginx';
import { Manifest, schemaProblems } from './schema';
import { ExposedService, ExposedServiceProps, ExposureError } from '../../src';

export { Manifest };

/** The Services declared with `Backend.fromName` anywhere under `root`: they live outside the app. */
export function declaredExternals(root: IConstruct): ExternalService[] {
  return exposedServices(root).flatMap((e) => e.externalReferences.filter((r) => r.kind === 'Service')
    .map(({ name, namespace, port }) => ({ name, namespace, port: port! })));
}

/** The existing Gateways (`namespace/name`) of an API group that exposures under `root` attach to. */
export function declaredExistingGateways(root: IConstruct, apiGroup: 'networking.istio.io' | 'gateway.networking.k8s.io'): string[] {
  return exposedServices(root).flatMap((e) => e.externalReferences.filter((r) => r.kind === 'Gateway' && r.apiGroup === apiGroup)
    .map((r) => `${r.namespace}/${r.name}`));
}

/** The experimental channel when any exposure under `root` uses it. */
function gatewayApiChannel(root: IConstruct) {
  return exposedServices(root).some((e) => /^gatewayApi \(.*experimental\)$/.test(e.strategyName)) ? 'experimental' : 'standard';
}

function exposedServices(root: IConstruct): ExposedService[] {
  return root.node.findAll().filter((c): c is ExposedService => c instanceof ExposedService);
}

/** Every problem the schema and cross-reference checks find in the manifests of `root`. */
export function manifestProblems(root: App | Chart, manifests: readonly Manifest[]): string[] {
  const external = declaredExternals(root);
  return [
    ...schemaProblems(manifests, gatewayApiChannel(root)),
    ...crossReferenceProblems(manifests, external),
    ...istioReferenceProblems(manifests, external, declaredExistingGateways(root, 'networking.istio.io')),
    ...gatewayApiReferenceProblems(manifests, external, declaredExistingGateways(root, 'gateway.networking.k8s.io')),
    ...kongProblems(manifests, external),
    // Every ingress-nginx annotation must pass the controller's own validation (v1.12+).
    ...ingressNginxAnnotationProblems(manifests),
    // Every nginx configuration an API gateway carries must pass `nginx -t` on the real nginx.
    ...manifests.filter((m) => m.kind === 'ConfigMap' && m.data?.['nginx.conf'] !== undefined)
      .flatMap((m) => nginxConfigProblems(m.data['nginx.conf'], otherFiles(m.data)).map((p) => `ConfigMap/${m.metadata.name}: nginx -t: ${p}`)),
  ];
}

/** The files of a gateway's ConfigMap besides nginx.conf (its njs modules). */
function otherFiles(data: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).filter(([name]) => name !== 'nginx.conf'));
}

/**
 * Synthesizes a chart (or every chart of an app) and fails the test unless every manifest passes
 * the schema and cross-reference checks. Every test that synthesizes goes through here.
 */
export function synthChecked(root: App | Chart): Manifest[] {
  const charts = root instanceof App ? root.charts : [root];
  const manifests: Manifest[] = charts.flatMap((c) => Testing.synth(c) as Manifest[]);
  const problems = manifestProblems(root, manifests);
  if (problems.length > 0) throw new Error(`synthesized manifests fail the checks:\n${problems.join('\n')}`);
  return manifests;
}

/** The manifests of one kind. */
export function ofKind(manifests: readonly Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}

/** The one manifest of a kind and name; fails when there is none. */
export function find(manifests: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}: ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found[0];
}

/** A chart in a fresh app, for one test. */
export function testChart(id = 'test', namespace?: string): Chart {
  return new Chart(Testing.app(), id, { namespace });
}

/**
 * Declares `props` as `test/public` in a fresh chart and returns the error it must fail with: the
 * exact text is what the bad-input tests pin down.
 */
export function declarationError(props: ExposedServiceProps, namespace?: string): ExposureError {
  try {
    new ExposedService(testChart('test', namespace), 'public', props);
  } catch (e) {
    if (e instanceof ExposureError) return e;
    throw new Error(`expected an ExposureError, got ${(e as Error).stack}`);
  }
  throw new Error('expected the declaration to fail');
}
