/**
 * The importer: hands each manifest to the reader of its kind (`readers.ts`) and reports every
 * manifest no reader takes as a loss, so nothing of the input is skipped silently.
 */
import { apiGroup, isKind, KindRef, ManifestReader, objectName } from './manifest-reader';
import { ImportedExposure, ImportResult, InputError, Loss, SourceDocument } from './model';
import { manifestProblem } from './read-manifests';
import { READERS } from './readers';

/** Workload kinds: inputs of the exposures (their Services are the backends), not exposures. */
const WORKLOADS = new Set(['Deployment', 'Pod', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/** Reads every document with the registered readers. */
export function importManifests(input: readonly SourceDocument[], readers: readonly ManifestReader[] = READERS): ImportResult {
  const exposures: ImportedExposure[] = [];
  const losses: Loss[] = [];
  const errors: InputError[] = [];
  // Documents read by readManifests are manifests already; others are checked here.
  const documents = input.filter((d) => {
    const problem = manifestProblem(d.manifest);
    if (problem !== undefined) errors.push({ file: d.file, message: problem });
    return problem === undefined;
  });
  for (const reader of readers) {
    const mine = documents.filter((d) => reader.kinds.some((k) => isKind(d.manifest, k)));
    if (mine.length === 0) continue;
    const output = reader.read(mine, documents);
    exposures.push(...output.exposures);
    losses.push(...output.losses);
    errors.push(...(output.errors ?? []));
  }
  const taken = (ref: KindRef) => readers.some((r) => r.kinds.some((k) => sameKind(k, ref)));
  const consulted = (ref: KindRef) => readers.some((r) => (r.consults ?? []).some((k) => sameKind(k, ref)));
  for (const { manifest } of documents) {
    const ref = { group: apiGroup(manifest.apiVersion), kind: manifest.kind };
    if (taken(ref) || consulted(ref)) continue;
    losses.push({
      source: objectName(manifest),
      field: `kind ${manifest.kind}`,
      reason: WORKLOADS.has(manifest.kind) ? 'not read (workloads are inputs only: the exposures reach them through their Services)' : 'not read',
      kind: 'unsupported',
    });
  }
  return { exposures: uniqueIds(exposures), losses, errors };
}

function sameKind(a: KindRef, b: KindRef): boolean {
  return a.group === b.group && a.kind === b.kind;
}

/** Construct ids unique per namespace: a later exposure with a taken id gets `-2`, `-3`, ... */
function uniqueIds(exposures: readonly ImportedExposure[]): ImportedExposure[] {
  const taken = new Set<string>();
  return exposures.map((e) => {
    let id = e.id;
    for (let n = 2; taken.has(`${e.namespace}\u0000${id}`); n++) id = `${e.id}-${n}`;
    taken.add(`${e.namespace}\u0000${id}`);
    return id === e.id ? e : { ...e, id };
  });
}
