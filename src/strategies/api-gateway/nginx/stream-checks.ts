import { NGINX_PORTS } from './nginx-layout';
import { Problem } from '../../../core/errors';
import { ExposureIntent, passthroughStreams, streamPorts } from '../../../intent/model';
import { streamContainerPort, UNPRIVILEGED_PORT_OFFSET } from '../engine';

/** The gateway's own listeners, by port: a stream listens on its declared port of the same pod. */
const OWN_LISTENERS: ReadonlyMap<number, string> = new Map([
  [NGINX_PORTS.http, 'HTTP'],
  [NGINX_PORTS.https, 'HTTPS'],
  [NGINX_PORTS.status, 'status'],
  [NGINX_PORTS.grpc, 'gRPC'],
]);

/**
 * Words a `map` reads as its own parameters even when quoted: a passthrough hostname spelled like
 * one would not be a key.
 */
const MAP_KEYWORDS = ['default', 'hostnames', 'include', 'volatile'];

/**
 * What the NGINX engine cannot express of the streams: a port of its own listeners, a port where
 * it serves a stream declared below 1024, a hostname its `map` reads as a keyword.
 */
export function streamProblems(intent: ExposureIntent): Problem[] {
  const ports = intent.streams.filter((s) => OWN_LISTENERS.has(s.port)).map((s) => ({
    field: `${s.field}.port`,
    message: `${s.port} is the port of the NGINX engine's ${OWN_LISTENERS.get(s.port)} listener (HTTP ${NGINX_PORTS.http}, HTTPS ${NGINX_PORTS.https}, `
      + `status ${NGINX_PORTS.status}, gRPC ${NGINX_PORTS.grpc}), and the gateway listens for each stream on its declared port; use another port`,
  }));
  const low = new Set(streamPorts(intent).filter((p) => streamContainerPort(p) !== p));
  const shifted = intent.streams.filter((s) => low.has(s.port - UNPRIVILEGED_PORT_OFFSET)).map((s) => ({
    field: `${s.field}.port`,
    message: `the gateway serves port ${s.port - UNPRIVILEGED_PORT_OFFSET} on ${s.port} (it runs without privilege, so ports below 1024 `
      + `are served ${UNPRIVILEGED_PORT_OFFSET} higher); use another port`,
  }));
  const keywords = passthroughStreams(intent).filter((s) => MAP_KEYWORDS.includes(s.host)).map((s) => ({
    field: `${s.field}.host`,
    message: `nginx's map of SNI hostnames reads "${s.host}" as a keyword, not a hostname; use a fully qualified hostname, or another strategy`,
  }));
  return [...ports, ...shifted, ...keywords];
}
