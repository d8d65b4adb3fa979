/**
 * The round trip of the Istio and Gateway API readers: the routing of the input and of its import
 * synthesized on the source's strategy, compared request by request (`requestsFor` of the input,
 * `route` through the data plane's model).
 */
import { evaluate, show } from './mesh-expr';
import { DataPlane, ExposedService, requestsFor, route, RouteResult } from '../../src';
import { importManifests } from '../../src/import/import-manifests';
import { SourceDocument } from '../../src/import/model';
import { Manifest, synthChecked, testChart } from '../support/synth';

/** What must be the same: where the request goes and what happens to it (the data plane's own naming aside). */
function essence(r: RouteResult): unknown {
  switch (r.kind) {
    case 'forward':
      return {
        kind: r.kind,
        backends: r.backends,
        host: r.host,
        path: r.path,
        timeout: r.timeout,
        requestHeaders: r.requestHeaders,
        responseHeaders: r.responseHeaders,
        fault: r.fault,
        mirrors: r.mirrors,
      };
    case 'redirect': return { kind: r.kind, status: r.status, location: r.location };
    case 'respond': return { kind: r.kind, status: r.status };
  }
}

const attempt = (f: () => RouteResult): unknown => {
  try {
    return essence(f());
  } catch (e) {
    return { error: (e as Error).message };
  }
};

/**
 * The requests whose answer differs between the input and the import (empty when the round trip
 * holds), after checking that every exposure synthesizes on its source strategy. Gateways the
 * import refers to as existing are applied as they were, beside the synthesized objects.
 */
export function roundTripDifferences(documents: readonly SourceDocument[], dataPlane: DataPlane): string[] {
  const result = importManifests(documents);
  const groups = new Map<string, typeof result.exposures[number][]>();
  for (const e of result.exposures) groups.set(e.namespace, [...(groups.get(e.namespace) ?? []), e]);
  const output: Manifest[] = [];
  for (const [namespace, exposures] of groups) {
    const chart = testChart('imported', namespace);
    for (const e of exposures) new ExposedService(chart, e.id, { ...evaluate(e.props), strategy: evaluate(e.sourceStrategy) });
    output.push(...synthChecked(chart));
  }
  const existing = result.exposures.map((e) => show(e.sourceStrategy)).filter((s) => s.includes('existing(') || s.includes('gateway: {'));
  const kept = documents.map((d) => d.manifest).filter((m) => m.kind === 'Gateway'
    && existing.some((s) => s.includes(`name: '${m.metadata?.name}'`)));
  const source = documents.map((d) => d.manifest) as Manifest[];
  const imported = [...output, ...kept] as Manifest[];
  const differences: string[] = [];
  let forwarded = 0; // or redirected
  // The table's requests on the default ports, and again on the other ports the Gateways listen on.
  const ports = [...new Set(source.filter((m) => m.kind === 'Gateway').flatMap((m) => [
    ...(m.spec?.servers ?? []).map((s: any) => s?.port?.number),
    ...(m.spec?.listeners ?? []).map((l: any) => l?.port),
  ]).filter((p) => typeof p === 'number' && p !== 80 && p !== 443))];
  const requests = requestsFor(source).flatMap((r) => [r, ...ports.map((p) => ({ ...r, request: r.request.replace(/^(\S+ \w+:\/\/[^/]+)/, `$1:${p}`) }))]);
  for (const { request, headers } of requests) {
    const before = attempt(() => route(source, request, { headers, dataPlane }));
    if (['forward', 'redirect'].includes(String((before as { kind?: string }).kind))) forwarded++;
    const after = attempt(() => route(imported, request, { headers, dataPlane }));
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      differences.push(`${request} ${JSON.stringify(headers)}: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
    }
  }
  // A round trip of nothing but errors and 404s would prove nothing.
  if (forwarded === 0) differences.push('no request of the input is forwarded or redirected');
  return differences;
}
