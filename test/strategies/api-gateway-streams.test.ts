import * as kplus from 'cdk8s-plus-27';
import {
  ApiGatewayEngine, ApiGatewayStrategyOptions, Backend, ExposedService, ExposedServiceProps, ExposureStrategy, IngressController, TcpPort, Tls,
  TlsPassthrough,
} from '../../src';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

const db = () => Backend.fromName('db', 5433);
const mq = () => Backend.fromName('mq', 5671);
const pg = () => Backend.fromName('pg', 5432);
const api = () => Backend.fromName('api', 8080);

function expose(props: Partial<ExposedServiceProps>, options: Partial<ApiGatewayStrategyOptions> = {}): Manifest[] {
  const chart = testChart('shop', 'shop');
  new ExposedService(chart, 'data', { strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), ...options }), ...props });
  return synthChecked(chart);
}

const configOf = (manifests: Manifest[]): string => find(manifests, 'ConfigMap').data['nginx.conf'];
const streamBlockOf = (manifests: Manifest[]): string => configOf(manifests).split('\nstream {\n')[1];
const containerPortsOf = (manifests: Manifest[]) => find(manifests, 'Deployment', 'shop-data-gateway').spec.template.spec.containers[0].ports;
const servicePorts = (service: Manifest) => service.spec.ports.map((p: any) => [p.name, p.port, p.targetPort]);
const STREAMS: Partial<ExposedServiceProps> = {
  passthrough: [TlsPassthrough.host('db.example.com', db()), TlsPassthrough.host('*.mq.example.com', mq())],
  tcp: [TcpPort.of(5432, pg())],
};
const error = (props: Partial<ExposedServiceProps>, options: Partial<ApiGatewayStrategyOptions> = {}) => declarationError({
  strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), ...options }), ...props,
}, 'shop').message;

describe('apiGateway strategy, NGINX engine: TLS passthrough and TCP ports', () => {
  test('a stream block: SNI hostnames of each passthrough port in a map (others to an upstream that is down), a server per TCP port', () => {
    const manifests = expose(STREAMS);
    expect(streamBlockOf(manifests)).toBe([
      '  # TLS passthrough and TCP ports: forwarded as bytes, never decrypted.',
      '  upstream stream_0 {',
      '    server db.shop.svc.cluster.local:5433;',
      '  }',
      '  upstream stream_1 {',
      '    server mq.shop.svc.cluster.local:5671;',
      '  }',
      '  upstream stream_2 {',
      '    server pg.shop.svc.cluster.local:5432;',
      '  }',
      '  upstream unknown_sni {',
      '    server 127.0.0.1:1 down;',
      '  }',
      '',
      '  # passthrough[0], passthrough[1]: TLS on port 443 (the Service\'s; 10443 in the container), passed through by SNI hostname; other names are closed.',
      '  map $ssl_preread_server_name $passthrough_443 {',
      '    hostnames;',
      '    default unknown_sni;',
      '    "db.example.com" stream_0;',
      '    "*.mq.example.com" stream_1;',
      '  }',
      '  server {',
      '    listen 10443;',
      '    ssl_preread on;',
      '    proxy_pass $passthrough_443;',
      '  }',
      '',
      '  # tcp[0]: TCP on port 5432.',
      '  server {',
      '    listen 5432;',
      '    proxy_pass stream_2;',
      '  }',
      '}',
      '',
    ].join('\n'));
    // No HTTP routes: no HTTP server, no usage log; the status server answers the probes.
    const config = configOf(manifests);
    expect(config).not.toContain('listen 8080');
    expect(config).not.toContain('log_format');
    expect(config).toContain('listen 8081;');
    expect(config).not.toContain('load_module');
    expect(containerPortsOf(manifests)).toEqual([
      { containerPort: 8080, name: 'http' }, { containerPort: 8443, name: 'https' }, { containerPort: 8081, name: 'status' },
      { containerPort: 10443, name: 'tls-443' }, { containerPort: 5432, name: 'tcp-5432' },
    ]);
    // The default front, a LoadBalancer, forwards each stream port as TCP: the gateway reads SNI itself.
    const front = find(manifests, 'Service', 'shop-data');
    expect(front.spec.type).toBe('LoadBalancer');
    expect(servicePorts(front)).toEqual([['tcp-443', 443, 10443], ['tcp-5432', 5432, 5432]]);
  });

  test('backends in other namespaces by FQDN, a backend of several streams one upstream, ports of 1024 and more as declared', () => {
    const manifests = expose({
      passthrough: [TlsPassthrough.host('db.example.com', Backend.fromName('db', 5433, { namespace: 'data' }), { port: 9443 })],
      tcp: [TcpPort.of(15433, Backend.fromName('db', 5433, { namespace: 'data' }))],
    });
    const stream = streamBlockOf(manifests);
    expect(stream.match(/^ {2}upstream stream_\d+ \{\n.*\n {2}\}/gm)).toEqual(['  upstream stream_0 {\n    server db.data.svc.cluster.local:5433;\n  }']);
    expect(stream).toContain('    listen 9443;\n    ssl_preread on;\n    proxy_pass $passthrough_9443;');
    expect(stream).toContain('    listen 15433;\n    proxy_pass stream_0;');
    expect(containerPortsOf(manifests).slice(3)).toEqual([{ containerPort: 9443, name: 'tls-9443' }, { containerPort: 15433, name: 'tcp-15433' }]);
  });

  test('with HTTP routes: the route server and the streams side by side; the front has both', () => {
    const manifests = expose({ hosts: ['api.example.com'], backend: api(), ...STREAMS }, { exposedVia: ExposureStrategy.loadBalancer() });
    const config = configOf(manifests);
    expect(config).toContain('    listen 8080;\n    server_name api.example.com;');
    expect(config).toContain('\nstream {\n');
    expect(servicePorts(find(manifests, 'Service', 'shop-data'))).toEqual([['http', 8080, 8080], ['tcp-443', 443, 10443], ['tcp-5432', 5432, 5432]]);
  });

  test('behind istio: a TLS server (PASSTHROUGH) and a TCP server, routed to the gateway Service\'s stream ports', () => {
    const manifests = expose({ hosts: ['api.example.com'], backend: api(), ...STREAMS }, { exposedVia: ExposureStrategy.istio() });
    expect(servicePorts(find(manifests, 'Service', 'shop-data-gateway'))).toEqual([
      ['http-8080', 8080, 8080], ['tls-443', 443, 10443], ['tcp-5432', 5432, 5432],
    ]);
    const servers = find(manifests, 'Gateway').spec.servers;
    expect(servers.map((s: any) => [s.port.number, s.port.protocol, s.tls?.mode, s.hosts])).toEqual([
      [80, 'HTTP', undefined, ['api.example.com']],
      [443, 'TLS', 'PASSTHROUGH', ['db.example.com', '*.mq.example.com']],
      [5432, 'TCP', undefined, ['*']],
    ]);
    const vs = find(manifests, 'VirtualService').spec;
    const gateway = 'shop-data-gateway.shop.svc.cluster.local';
    expect(vs.tls.map((r: any) => [r.match[0].sniHosts, r.route[0].destination])).toEqual([
      [['db.example.com'], { host: gateway, port: { number: 443 } }],
      [['*.mq.example.com'], { host: gateway, port: { number: 443 } }],
    ]);
    expect(vs.tcp.map((r: any) => [r.match[0].port, r.route[0].destination])).toEqual([[5432, { host: gateway, port: { number: 5432 } }]]);
  });

  test('behind gatewayApi: a TLSRoute per hostname and a TCPRoute per port, to the gateway Service', () => {
    const manifests = expose({ hosts: ['api.example.com'], backend: api(), ...STREAMS }, { exposedVia: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }) });
    const refs = (kind: string) => ofKind(manifests, kind).map((r) => [r.spec.hostnames, r.spec.rules[0].backendRefs]);
    expect(refs('TLSRoute')).toEqual([
      [['db.example.com'], [{ name: 'shop-data-gateway', port: 443 }]],
      [['*.mq.example.com'], [{ name: 'shop-data-gateway', port: 443 }]],
    ]);
    expect(refs('TCPRoute')).toEqual([[undefined, [{ name: 'shop-data-gateway', port: 5432 }]]]);
  });

  test('streams only, behind istio or gatewayApi: the front has no HTTP server or route, the gateway Service only the stream ports', () => {
    const istio = expose({ passthrough: [TlsPassthrough.host('db.example.com', db())] }, { exposedVia: ExposureStrategy.istio() });
    expect(servicePorts(find(istio, 'Service', 'shop-data-gateway'))).toEqual([['tls-443', 443, 10443]]);
    expect(find(istio, 'Gateway').spec.servers.map((s: any) => s.port.protocol)).toEqual(['TLS']);
    expect(find(istio, 'VirtualService').spec.http).toBeUndefined();
    const gatewayApi = expose({ tcp: [TcpPort.of(5432, pg())] }, { exposedVia: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }) });
    expect(servicePorts(find(gatewayApi, 'Service', 'shop-data-gateway'))).toEqual([['tcp-5432', 5432, 5432]]);
    expect(ofKind(gatewayApi, 'HTTPRoute')).toEqual([]);
    expect(find(gatewayApi, 'Gateway').spec.listeners.map((l: any) => [l.protocol, l.port])).toEqual([['TCP', 5432]]);
  });

  test('isolateBackends: the streams\' Deployment backends accept the gateway on their ports', () => {
    const chart = testChart('shop', 'shop');
    const dep = new kplus.Deployment(chart, 'pg', { containers: [{ image: 'postgres:16.4', portNumber: 5432 }] });
    new ExposedService(chart, 'data', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), isolateBackends: true }),
      tcp: [TcpPort.of(15432, Backend.fromDeployment(dep))],
    });
    const policy = find(synthChecked(chart), 'NetworkPolicy');
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 5432, protocol: 'TCP' }]);
  });

  test('behind ingress-nginx: passthrough on 443 as an ssl-passthrough Ingress to the gateway Service; TCP ports refused as on ingress-nginx', () => {
    const ingressNginx = () => ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() });
    const manifests = expose({ hosts: ['api.example.com'], backend: api(), passthrough: [TlsPassthrough.host('db.example.com', db())] }, { exposedVia: ingressNginx() });
    const passthrough = ofKind(manifests, 'Ingress').find((i) => i.metadata.annotations?.['nginx.ingress.kubernetes.io/ssl-passthrough'] === 'true')!;
    expect(passthrough.spec.rules[0].host).toBe('db.example.com');
    expect(passthrough.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'shop-data-gateway', port: { number: 443 } });
    expect(error({ tcp: [TcpPort.of(5432, pg())] }, { exposedVia: ingressNginx() })).toBe(
      'ExposedService test/public: tcp[0]: \'tcp\' is not supported by ingress (ingressNginx) (exposedVia); supported by: nodePort, loadBalancer, istio, gatewayApi');
  });
});

describe('apiGateway strategy: streams refused', () => {
  test('a front that cannot forward them: the usual error, naming the fronts that can (an API gateway is none)', () => {
    expect(error({ passthrough: [TlsPassthrough.host('db.example.com', db())] }, { exposedVia: ExposureStrategy.ingress({ className: 'traefik' }) })).toBe(
      'ExposedService test/public: passthrough[0]: \'tls-passthrough\' is not supported by ingress (exposedVia); '
      + 'supported by: ingress (ingressNginx), istio, gatewayApi');
  });

  test('a stream port of the engine\'s own listeners, or where a port below 1024 is served', () => {
    expect(error({ tcp: [TcpPort.of(8080, pg()), TcpPort.of(8081, pg())], passthrough: [TlsPassthrough.host('db.example.com', db(), { port: 8443 })] })).toBe([
      'ExposedService test/public: passthrough[0].port: 8443 is the port of the NGINX engine\'s HTTPS listener (HTTP 8080, HTTPS 8443, status 8081, gRPC 8082), '
      + 'and the gateway listens for each stream on its declared port; use another port',
      'ExposedService test/public: tcp[0].port: 8080 is the port of the NGINX engine\'s HTTP listener (HTTP 8080, HTTPS 8443, status 8081, gRPC 8082), '
      + 'and the gateway listens for each stream on its declared port; use another port',
      'ExposedService test/public: tcp[1].port: 8081 is the port of the NGINX engine\'s status listener (HTTP 8080, HTTPS 8443, status 8081, gRPC 8082), '
      + 'and the gateway listens for each stream on its declared port; use another port',
    ].join('\n'));
    expect(error({ passthrough: [TlsPassthrough.host('db.example.com', db())], tcp: [TcpPort.of(10443, pg())] })).toBe(
      'ExposedService test/public: tcp[0].port: the gateway serves port 443 on 10443 (it runs without privilege, so ports below 1024 are served 10000 higher); use another port');
  });

  test('a passthrough hostname nginx\'s map reads as a keyword', () => {
    expect(error({ passthrough: [TlsPassthrough.host('default', db())] })).toBe(
      'ExposedService test/public: passthrough[0].host: nginx\'s map of SNI hostnames reads "default" as a keyword, not a hostname; use a fully qualified hostname, or another strategy');
  });

  test('the Kong engine: refused by its capability row', () => {
    const kong = declarationError({ strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }), tcp: [TcpPort.of(5432, pg())] }, 'shop').message;
    expect(kong).toBe('ExposedService test/public: tcp[0]: \'tcp\' is not supported by apiGateway (kong); supported by: nodePort, loadBalancer, istio, gatewayApi, apiGateway (nginx)');
  });

  test('TLS at the gateway and a passthrough on 443 behind a Service: both are the Service\'s port 443', () => {
    expect(error({ hosts: ['api.example.com'], backend: api(), tls: Tls.fromSecret('api-tls'), passthrough: [TlsPassthrough.host('db.example.com', db())] })).toBe(
      'ExposedService test/public: passthrough[0].port: 443 is the Service port of exposedVia already; use another port');
  });
});
