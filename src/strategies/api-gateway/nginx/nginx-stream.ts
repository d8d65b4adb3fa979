import { BackendIntent, ExposureIntent, passthroughStreams, streamPorts, tcpStreams } from '../../../intent/model';
import { backendAddress, streamContainerPort } from '../engine';
import { ConfigLines, quoteKey } from './nginx-text';

/** The upstream of connections whose SNI names no passthrough hostname: its one server is down, so nginx closes them. */
export const UNKNOWN_SNI_UPSTREAM = 'unknown_sni';

/**
 * The exposure's streams, in nginx's `stream` context (ngx_stream_module: built into the official
 * images; Debian's nginx loads it from libnginx-mod-stream): a server per port, listening on the
 * declared port (below 1024, on port + 10000: see `streamContainerPort`). A passthrough port reads
 * the ClientHello's SNI (`ssl_preread`, nothing is decrypted) and a `map` of its hostnames picks
 * the upstream; a hostname it does not list, or none, goes to an upstream whose only server is
 * down, so the connection is closed without reaching a backend. A TCP port forwards every
 * connection to its backend. Backends are Services by FQDN, resolved when nginx starts, as the
 * HTTP routes' are; hostnames are written by the one encoder (`quoteKey`). Nothing when the
 * exposure has no streams.
 */
export function renderStreams(out: ConfigLines, intent: ExposureIntent, clusterDomain: string): void {
  if (intent.streams.length === 0) return;
  // One upstream per backend address, named in the order the streams declare them.
  const upstreams = new Map<string, string>();
  const upstreamOf = (backend: BackendIntent) => {
    const address = backendAddress(backend, intent, clusterDomain);
    if (!upstreams.has(address)) upstreams.set(address, `stream_${upstreams.size}`);
    return upstreams.get(address)!;
  };
  const passthrough = passthroughStreams(intent);
  const servers = new ConfigLines();
  for (const port of streamPorts(intent)) {
    const listen = streamContainerPort(port);
    const where = listen === port ? `port ${port}` : `port ${port} (the Service's; ${listen} in the container)`;
    const tcp = tcpStreams(intent).find((s) => s.port === port);
    servers.add('');
    if (tcp !== undefined) {
      servers.add(`# ${tcp.field}: TCP on ${where}.`);
      servers.block('server', (server) => server.add(`listen ${listen};`, `proxy_pass ${upstreamOf(tcp.backend)};`));
      continue;
    }
    // Exact names first, then the longest wildcard: map's `hostnames` order, as server_name's.
    const hosts = passthrough.filter((s) => s.port === port);
    const variable = `$passthrough_${port}`;
    servers.add(`# ${hosts.map((s) => s.field).join(', ')}: TLS on ${where}, passed through by SNI hostname; other names are closed.`);
    servers.block(`map $ssl_preread_server_name ${variable}`, (map) => map.add(
      'hostnames;', `default ${UNKNOWN_SNI_UPSTREAM};`, ...hosts.map((s) => `${quoteKey(s.host)} ${upstreamOf(s.backend)};`)));
    servers.block('server', (server) => server.add(`listen ${listen};`, 'ssl_preread on;', `proxy_pass ${variable};`));
  }
  out.block('stream', (stream) => {
    stream.add('# TLS passthrough and TCP ports: forwarded as bytes, never decrypted.');
    for (const [address, name] of upstreams) stream.block(`upstream ${name}`, (u) => u.add(`server ${address};`));
    stream.block(`upstream ${UNKNOWN_SNI_UPSTREAM}`, (u) => u.add('server 127.0.0.1:1 down;'));
    stream.add(...servers.lines);
  });
  out.add('');
}
