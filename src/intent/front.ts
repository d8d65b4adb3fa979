import { BackendIntent, backendKey, ExposureIntent, StreamIntent, TlsIntent } from './model';

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
  /** The workload's port for a stream declared on `port` (its Service maps one to the other). */
  readonly streamTargetPort: (port: number) => number;
}

/**
 * The intent of the strategy in front of a workload the exposure deploys (the API gateway's
 * `exposedVia`): the exposure's hosts and TLS (unless the front is L4), one route taking every
 * request to the workload (when the exposure has HTTP routes), and its streams, each to the
 * workload on the stream's own port (see `frontStreams`). Built here, so the front is checked and
 * rendered like any exposure.
 */
export function frontIntent(intent: ExposureIntent, target: FrontTarget): ExposureIntent {
  const backend = workloadBackend(intent, target, target.port);
  const streams = frontStreams(intent, target);
  const streamBackends = [...new Map(streams.map((s) => [s.backend.key, s.backend])).values()];
  const http = intent.routes.length > 0;
  return {
    path: intent.path,
    name: intent.name,
    namespace: intent.namespace,
    hosts: target.l4 ? [] : intent.hosts,
    // Client certificates are the workload's to verify (it refuses them behind an L7 front).
    tls: target.l4 || intent.tls === undefined ? undefined : withoutClientCertificates(intent.tls),
    routes: http ? [{
      field: 'routes',
      isDefault: true,
      protocol: 'http',
      match: { path: { kind: 'prefix', value: '/' }, headers: [], queryParams: [] },
      action: { kind: 'forward', backends: [{ backend, weight: 1 }] },
      sources: {},
    }] : [],
    streams,
    backends: [...http ? [backend] : [], ...streamBackends],
    backendFields: new Map([...http ? [backend] : [], ...streamBackends].map((b) => [b.key, 'exposedVia'])),
    preserveClientAddress: target.l4 && target.needsClientAddress ? true : undefined,
    passBodiesUpToBytes: target.l4 ? undefined : target.largestBodyBytes,
  };
}

function withoutClientCertificates(tls: TlsIntent): TlsIntent {
  const { clientCertificates: _, ...rest } = tls;
  return rest;
}

/** The workload's Service on `port` (its pods' `targetPort`), as the front's backend. */
function workloadBackend(intent: ExposureIntent, target: FrontTarget, port: number, targetPort = port): BackendIntent {
  return {
    key: backendKey(target.name, intent.namespace, port),
    name: target.name,
    namespace: intent.namespace,
    port,
    targetPort,
    origin: 'deployment',
    podLabels: target.podLabels,
    protocol: 'http',
  };
}

/**
 * The streams as the front forwards them to the workload, which serves each on its declared port
 * of its Service (`streamTargetPort` of its pods) and routes it further. An L7 front keeps them as
 * declared (a passthrough hostname is passed through by SNI to the workload); an L4 front (a
 * Service) cannot read SNI, so each passthrough port is a TCP port to the workload, which reads
 * SNI itself. Fields stay the declared ones, so what a front cannot express is reported where it
 * was declared.
 */
function frontStreams(intent: ExposureIntent, target: FrontTarget): StreamIntent[] {
  const toWorkload = (port: number) => workloadBackend(intent, target, port, target.streamTargetPort(port));
  if (!target.l4) return intent.streams.map((s) => ({ ...s, backend: toWorkload(s.port) }));
  const byPort = new Map<number, StreamIntent>();
  for (const s of intent.streams) {
    if (!byPort.has(s.port)) byPort.set(s.port, { kind: 'tcp', field: s.field, port: s.port, backend: toWorkload(s.port) });
  }
  return [...byPort.values()];
}
