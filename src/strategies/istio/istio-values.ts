import type * as istioNetworking from '../../../imports/istio-networking.istio.io';
import { BackendIntent, ForwardIntent } from '../../intent/model';

/** Renders Istio names and values for one exposure (internal). */
export interface IstioNaming {
  /** The destination host of a backend: its FQDN, or its short name when no namespace is known. */
  host(backend: BackendIntent): string;
}

/** Backend hosts as FQDNs in `clusterDomain` (default `cluster.local`). */
export function istioNaming(clusterDomain: string | undefined): IstioNaming {
  const domain = clusterDomain ?? 'cluster.local';
  return {
    // Without a namespace, Istio resolves a short name in the VirtualService's own namespace.
    host: (b: BackendIntent) => (b.namespace === undefined ? b.name : `${b.name}.${b.namespace}.svc.${domain}`),
  };
}

/** A backend as an Istio destination (of a route or a mirror): host, subset and port. */
export function destination(backend: BackendIntent, naming: IstioNaming): istioNetworking.VirtualServiceSpecHttpRouteDestination {
  return { host: naming.host(backend), subset: backend.subset?.name, port: { number: backend.port } };
}

/**
 * A forward's backends as weighted destinations (of an `http` or a `tls` route): the weights
 * as percentages, and none for a single backend.
 */
export function weightedDestinations(action: ForwardIntent, naming: IstioNaming): istioNetworking.VirtualServiceSpecHttpRoute[] {
  const backends = action.backends;
  const weights = percentages(backends.map((b) => b.weight));
  return backends.map((b, i) => ({
    destination: destination(b.backend, naming),
    weight: backends.length > 1 ? weights[i] : undefined,
  }));
}

/** Istio durations: seconds with up to millisecond precision ("1.5s"). */
export function duration(ms: number): string {
  return `${ms / 1000}s`;
}

/**
 * Relative weights as whole percentages summing to 100 (Istio requires it), by the largest
 * remainder method; ties go to the earlier backend, so the result is deterministic.
 */
export function percentages(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w * 100) / total);
  const result = exact.map(Math.floor);
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  const missing = 100 - result.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) result[order[k].i]++;
  return result;
}
