import { randomBytes } from 'crypto';
import { ApiGatewayEngine, Backend, ExposedService, ExposureStrategy, TcpPort, TlsPassthrough } from '../../src';
import { RunningNginx, startNginxInPod } from '../support/nginx';
import { SimulatedPod, simulatePod } from '../support/pod-simulation';
import { fingerprintOf, StreamBackend, startTcpEcho, startTlsBackend, tcpExchange, tlsExchange } from '../support/streams';
import { find, synthChecked, testChart } from '../support/synth';

/**
 * The NGINX engine's streams on the real nginx: the gateway container of the pod simulated from
 * the synthesized YAML, its stream ports on loopback, the Services of the streams' backends
 * replaced by loopback servers. TLS is passed through, so the client meets the backend's own
 * certificate; a hostname the exposure does not pass through reaches no backend.
 */
jest.setTimeout(60_000);

describe('API gateway, NGINX engine: TLS passthrough and TCP ports on the real nginx', () => {
  const backends: Record<string, StreamBackend> = {};
  let pod: SimulatedPod;
  let nginx: RunningNginx;

  beforeAll(async () => {
    backends.db = await startTlsBackend('db', ['db.example.com']);
    backends.mq = await startTlsBackend('mq', ['*.mq.example.com']);
    backends.pg = await startTcpEcho();
    const chart = testChart('shop', 'shop');
    new ExposedService(chart, 'data', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      passthrough: [
        TlsPassthrough.host('db.example.com', Backend.fromName('db', 5433)),
        TlsPassthrough.host('*.mq.example.com', Backend.fromName('mq', 5671)),
      ],
      tcp: [TcpPort.of(5432, Backend.fromName('pg', 5432))],
    });
    const manifests = synthChecked(chart);
    // The ports the front forwards are the gateway's container ports (443, below 1024, served on 10443).
    expect(find(manifests, 'Service', 'shop-data').spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([['tcp-443', 443, 10443], ['tcp-5432', 5432, 5432]]);
    expect(find(manifests, 'Deployment').spec.template.spec.containers[0].ports.slice(3)).toEqual([{ containerPort: 10443, name: 'tls-443' }, { containerPort: 5432, name: 'tcp-5432' }]);
    pod = await simulatePod({ manifests });
    nginx = await startNginxInPod(pod, {
      upstreams: {
        'db.shop.svc.cluster.local:5433': `127.0.0.1:${backends.db.port}`,
        'mq.shop.svc.cluster.local:5671': `127.0.0.1:${backends.mq.port}`,
        'pg.shop.svc.cluster.local:5432': `127.0.0.1:${backends.pg.port}`,
      },
    });
  });

  afterAll(async () => {
    await nginx?.stop();
    pod?.dispose();
    await Promise.all(Object.values(backends).map((b) => b.close()));
  });

  test('a passed-through hostname: the handshake completes with the backend\'s certificate, and the payload round-trips', async () => {
    const outcome = await tlsExchange(nginx.portOf('tls-443'), 'db.example.com', backends.db.certificate!, 'hello');
    // The client trusts the backend's certificate only: nginx did not terminate TLS.
    expect(outcome).toEqual({ handshake: true, fingerprint: fingerprintOf(backends.db.certificate!), answer: 'db:hello' });
  });

  test('a wildcard hostname passes any of its subdomains through to its backend', async () => {
    const outcome = await tlsExchange(nginx.portOf('tls-443'), 'eu.mq.example.com', backends.mq.certificate!, 'publish');
    expect(outcome).toEqual({ handshake: true, fingerprint: fingerprintOf(backends.mq.certificate!), answer: 'mq:publish' });
    // Not the domain itself: "*." names subdomains only, and nginx closes the connection before the backend sees it.
    const before = backends.mq.connections();
    const domain = await tlsExchange(nginx.portOf('tls-443'), 'mq.example.com', backends.mq.certificate!, 'x');
    expect(domain.handshake).toBe(false);
    expect(domain.error).not.toBe('timeout');
    expect(backends.mq.connections()).toBe(before);
  });

  test('an unknown hostname, or none, is closed without reaching a backend', async () => {
    const before = { db: backends.db.connections(), mq: backends.mq.connections() };
    const unknown = await tlsExchange(nginx.portOf('tls-443'), 'other.example.com', backends.db.certificate!, 'hello');
    expect(unknown.handshake).toBe(false);
    expect(unknown.answer).toBeUndefined();
    // Closed by nginx, not left waiting.
    expect(unknown.error).not.toBe('timeout');
    // A ClientHello without a server name (SNI) at all.
    const none = await tlsExchange(nginx.portOf('tls-443'), '', backends.db.certificate!, 'hello');
    expect(none.handshake).toBe(false);
    expect(none.error).not.toBe('timeout');
    expect({ db: backends.db.connections(), mq: backends.mq.connections() }).toEqual(before);
  });

  test('a TCP port round-trips bytes to its backend', async () => {
    const payload = Buffer.concat([Buffer.from('\u0000PGSQL\r\n'), randomBytes(64 * 1024)]);
    const before = backends.pg.connections();
    expect((await tcpExchange(nginx.portOf('tcp-5432'), payload)).equals(payload)).toBe(true);
    expect(backends.pg.connections()).toBe(before + 1);
  });
});
