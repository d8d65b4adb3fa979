import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { loadGenerated } from './imported-code';
import { Manifest, synthChecked } from './synth';
import { ExposureError, ExposureStrategy, GatewayImplementation, IngressController, requestsFor, route } from '../../src';

import { importManifests } from '../../src/import/import-manifests';
import { ImportedExposure, ImportResult, Loss, SourceDocument } from '../../src/import/model';
import { parseManifests } from '../../src/import/read-manifests';
import { expressionText, writeTypeScript } from '../../src/import/write-typescript';
import { RouteResult } from '../../src/routing/model';

/**
 * The round trip of the importer over the corpus: each file is imported, the declaration is
 * synthesized on the strategy the input was written for, and the requests `requestsFor()` makes
 * from the original go through `route()` on both: the same backends, path, host, redirect (status
 * and Location) and header edits. Then the same declaration on every other strategy routes the
 * same, or is refused (an ExposureError), or differs (listed, for review).
 */

export const CORPUS = path.join(__dirname, '..', 'fixtures', 'import-corpus');

/** Every manifest file of the corpus, relative to it, in name order. */
export function corpusFiles(): string[] {
  const walk = (dir: string): string[] => fs.readdirSync(path.join(CORPUS, dir), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? [path.join(dir, e.name)] : []));
  return walk('.').map((f) => f.replace(/^\.\//, ''));
}

/**
 * The documents of a corpus file. ingress2gateway's printed outputs start with a box-drawn WARN
 * block (lines starting with `┌─`, `│`, `└─`; see the corpus README): those lines are not YAML.
 */
export function corpusDocuments(file: string): SourceDocument[] {
  const text = fs.readFileSync(path.join(CORPUS, file), 'utf8').split('\n').filter((l) => !/^(┌─|│|└─)/.test(l)).join('\n');
  const parsed = parseManifests(text, file);
  if (parsed.errors.length > 0) throw new Error(`${file}: ${JSON.stringify(parsed.errors)}`);
  return [...parsed.documents];
}

/** Every strategy the declaration is tried on. */
export const STRATEGIES: readonly (readonly [string, () => ExposureStrategy])[] = [
  ['nodePort', () => ExposureStrategy.nodePort()],
  ['loadBalancer', () => ExposureStrategy.loadBalancer()],
  ['ingress (ingressNginx)', () => ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() })],
  ['ingress', () => ExposureStrategy.ingress({ className: 'traefik' })],
  ['istio', () => ExposureStrategy.istio()],
  ['gatewayApi', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' })],
  ['gatewayApi (envoyGateway)', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway() })],
  ['gatewayApi (traefik)', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'traefik', implementation: GatewayImplementation.traefik() })],
  ['gatewayApi (nginxGatewayFabric)', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'nginx', implementation: GatewayImplementation.nginxGatewayFabric() })],
  ['gatewayApi (kong)', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'kong', implementation: GatewayImplementation.kong() })],
  ['gatewayApi (istio)', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'istio', implementation: GatewayImplementation.istio() })],
];

/** Exposures written for the same strategy in the same namespace: one chart, one program. */
export interface Partition {
  readonly namespace: string;
  readonly strategy: string;
  readonly exposures: readonly ImportedExposure[];
  /** The program the importer writes for them alone. */
  readonly code: string;
}

export function partitions(result: ImportResult): Partition[] {
  const keys = [...new Set(result.exposures.map((e) => JSON.stringify([e.namespace, expressionText(e.sourceStrategy)])))].sort();
  return keys.map((key) => {
    const [namespace, strategy] = JSON.parse(key) as [string, string];
    const exposures = result.exposures.filter((e) => e.namespace === namespace && expressionText(e.sourceStrategy) === strategy);
    return { namespace, strategy, exposures, code: writeTypeScript({ exposures, losses: [], errors: [] }) };
  });
}

/** The partition's declaration synthesized on `strategy` (its source's when unset), or the refusal. */
export function synthesize(p: Partition, strategy?: ExposureStrategy): Manifest[] | { refused: string } {
  const mod = loadGenerated(p.code);
  const chart = new Chart(Testing.app(), 'imported', { namespace: p.namespace });
  try {
    mod.exposures(chart, strategy ?? mod.sourceStrategy());
  } catch (e) {
    if (e instanceof ExposureError) return { refused: e.message };
    throw e;
  }
  return synthChecked(chart);
}

/** The original objects of a partition: the sources of its exposures, and the Services of the input (named ports). */
export function originalOf(p: Partition, documents: readonly SourceDocument[]): Manifest[] {
  const sources = new Set(p.exposures.flatMap((e) => e.sources));
  return documents.filter((d) => d.manifest.kind === 'Service' || sources.has(`${d.manifest.kind} ${d.manifest.metadata?.namespace ?? 'default'}/${d.manifest.metadata?.name} (${d.file})`))
    .map((d) => d.manifest as Manifest);
}

/**
 * What the client and the backend see of a routing answer. Answers that mean the same for the
 * routing are written alike: nothing listening on the port (status 0) and no route (the data
 * plane's 404) are both "not served", and the order of the response headers a data plane removes
 * does not matter.
 */
export function seen(r: RouteResult): unknown {
  if (r.kind === 'forward') {
    const removed = r.responseHeaders?.remove;
    const responseHeaders = removed === undefined ? r.responseHeaders : { ...r.responseHeaders, remove: [...removed].sort() };
    return { backends: r.backends, host: r.host, path: r.path, requestHeaders: r.requestHeaders, responseHeaders };
  }
  if (r.kind === 'redirect') return { status: r.status, location: r.location };
  return { status: r.status === 0 || r.reason === 'no route' ? 'not served' : r.status };
}

/**
 * The Gateways of the input an import attaches to as existing ones (Istio or Gateway API): the
 * cluster keeps them (the importer says so in a loss), so the import is routed with them applied.
 */
export function existingGatewaysOf(synthesized: readonly Manifest[], original: readonly Manifest[]): Manifest[] {
  const created = new Set(synthesized.filter((m) => m.kind === 'Gateway').map((m) => `${m.apiVersion.split('/')[0]} ${m.metadata.name}`));
  const referenced = new Set<string>();
  for (const m of synthesized) {
    for (const g of m.kind === 'VirtualService' ? m.spec?.gateways ?? [] : []) referenced.add(`networking.istio.io ${String(g).split('/').pop()}`);
    for (const ref of m.kind === 'HTTPRoute' || m.kind === 'GRPCRoute' ? m.spec?.parentRefs ?? [] : []) referenced.add(`gateway.networking.k8s.io ${ref.name}`);
  }
  return original.filter((m) => m.kind === 'Gateway' && referenced.has(`${m.apiVersion.split('/')[0]} ${m.metadata.name}`)
    && !created.has(`${m.apiVersion.split('/')[0]} ${m.metadata.name}`));
}

function answer(manifests: readonly Manifest[], request: string, headers?: Readonly<Record<string, string>>): string {
  try {
    return JSON.stringify(seen(route(manifests, request, { headers })));
  } catch (e) {
    return `route: ${(e as Error).message.split('\n')[0]}`;
  }
}

/** The requests of `requestsFor(original)` whose answers differ: `request -> original | other`. */
export function differences(original: readonly Manifest[], other: readonly Manifest[]): string[] {
  return requestsFor(original as Manifest[]).flatMap(({ request, headers }) => {
    const a = answer(original, request, headers);
    const b = answer(other, request, headers);
    if (a === b) return [];
    return [`${request}${headers ? ` ${JSON.stringify(headers)}` : ''}: ${a} | ${b}`];
  });
}

/** The round trip of one file, as reviewed: its losses, and per partition and strategy what routes differently. */
export interface FileRoundTrip {
  readonly losses: readonly string[];
  readonly partitions: readonly {
    readonly namespace: string;
    readonly strategy: string;
    /** The requests the original routes and the import on the source's strategy does not route the same. */
    readonly source: readonly string[];
    /** Per other strategy: `same`, `refused: ...` or the requests that differ. */
    readonly others: Readonly<Record<string, 'same' | string | readonly string[]>>;
  }[];
}

export function lossText(l: Loss): string {
  return `${l.kind}: ${l.source}: ${l.field}: ${l.reason}`;
}

/** The round trip of a corpus file. */
export function roundTrip(file: string): FileRoundTrip & { readonly result: ImportResult } {
  const documents = corpusDocuments(file);
  const result = importManifests(documents);
  const losses = [...result.losses, ...result.exposures.flatMap((e) => e.losses)].map(lossText);
  return {
    result,
    losses: [...new Set(losses)],
    partitions: partitions(result).map((p) => {
      const original = originalOf(p, documents);
      const synthesized = synthesize(p);
      const source = 'refused' in synthesized ? [`refused: ${synthesized.refused}`]
        : differences(original, [...synthesized, ...existingGatewaysOf(synthesized, original)]);
      const others: Record<string, 'same' | string | readonly string[]> = {};
      for (const [name, strategy] of STRATEGIES) {
        const s = synthesize(p, strategy());
        if ('refused' in s) {others[name] = `refused: ${s.refused}`;} else {
          const d = differences(original, s);
          others[name] = d.length === 0 ? 'same' : d;
        }
      }
      return { namespace: p.namespace, strategy: p.strategy, source, others };
    }),
  };
}
