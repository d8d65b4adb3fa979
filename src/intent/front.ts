import { BackendIntent, backendKey, ExposureIntent, TlsIntent } from './model';

/** The workload a front routes to: a gateway the exposure deploys. */
export interface FrontTarget {
  /** The name of the workload's Service (the object name of an L7 front's backend). */
  readonly name: string;
  readonly port: number;
  /** The labels of the workload's pods, read at synth (they exist once the workload is rendered). */
  readonly podLabels: () => Record<string, string>;
  /**
   * True when the front is an L4 strategy (a Service): it then carries neither hosts nor TLS,
   * which the workload serves itself.
   */
  readonly l4: boolean;
  /** True when the workload compares client addresses (access lists): an L4 front must keep them. */
  readonly needsClientAddress: boolean;
  /** The largest request body the workload accepts on any route, in bytes. */
  readonly largestBodyBytes: number;
}

/**
 * The intent of the strategy in front of a workload the exposure deploys (the API gateway's
 * `exposedVia`): the exposure's hosts and TLS (unless the front is L4), and one route taking every
 * request to the workload. Built here, so the front is checked and rendered like any exposure.
 */
export function frontIntent(intent: ExposureIntent, target: FrontTarget): ExposureIntent {
  const backend: BackendIntent = {
    key: backendKey(target.name, intent.namespace, target.port),
    name: target.name,
    namespace: intent.namespace,
    port: target.port,
    targetPort: target.port,
    origin: 'deployment',
    podLabels: target.podLabels,
    protocol: 'http',
  };
  return {
    path: intent.path,
    name: intent.name,
    namespace: intent.namespace,
    hosts: target.l4 ? [] : intent.hosts,
    // Client certificates are the workload's to verify (it refuses them behind an L7 front).
    tls: target.l4 || intent.tls === undefined ? undefined : withoutClientCertificates(intent.tls),
    routes: [{
      field: 'routes',
      isDefault: true,
      protocol: 'http',
      match: { path: { kind: 'prefix', value: '/' }, headers: [], queryParams: [] },
      action: { kind: 'forward', backends: [{ backend, weight: 1 }] },
      sources: {},
    }],
    streams: [],
    backends: [backend],
    backendFields: new Map([[backend.key, 'exposedVia']]),
    preserveClientAddress: target.l4 && target.needsClientAddress ? true : undefined,
    passBodiesUpToBytes: target.l4 ? undefined : target.largestBodyBytes,
  };
}

function withoutClientCertificates(tls: TlsIntent): TlsIntent {
  const { clientCertificates: _, ...rest } = tls;
  return rest;
}
