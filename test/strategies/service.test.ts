import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AccessPolicy, Backend, ExposedService, ExposureStrategy, PathMatch, TcpPort, Tls, TlsPassthrough } from '../../src';
import { declarationError, find, ofKind, synthChecked, testChart } from '../support/synth';

function api(chart: ReturnType<typeof testChart>, ports = [8080]): kplus.Deployment {
  return new kplus.Deployment(chart, 'api', {
    containers: [{ image: 'ghcr.io/acme/api:1.4.2', ports: ports.map((number) => ({ number })), securityContext: { ensureNonRoot: false } }],
  });
}

describe('nodePort strategy', () => {
  test('a NodePort Service selecting the Deployment pods', () => {
    const chart = testChart('shop');
    const dep = api(chart);
    new ExposedService(chart, 'public', { strategy: ExposureStrategy.nodePort({ nodePort: 30080 }), backend: Backend.fromDeployment(dep) });
    const manifests = synthChecked(chart);
    // No ClusterIP Service is created for the Deployment: the NodePort Service selects its pods.
    const services = ofKind(manifests, 'Service');
    expect(services).toHaveLength(1);
    const svc = services[0];
    expect(svc.apiVersion).toBe('v1');
    expect(svc.metadata.name).toBe('shop-public');
    expect(svc.spec).toEqual({
      type: 'NodePort',
      selector: find(manifests, 'Deployment').spec.selector.matchLabels,
      ports: [{ name: 'http', protocol: 'TCP', port: 8080, targetPort: 8080, nodePort: 30080 }],
    });
    expect(manifests).toMatchSnapshot();
  });

  test('a Service backend: the same pods and target port, a new NodePort Service', () => {
    const chart = testChart();
    const svc = api(chart).exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    new ExposedService(chart, 'public', { strategy: ExposureStrategy.nodePort(), backend: Backend.fromService(svc) });
    const manifests = synthChecked(chart);
    const nodePort = find(manifests, 'Service', 'test-public');
    expect(nodePort.spec.selector).toEqual(find(manifests, 'Service', svc.name).spec.selector);
    expect(nodePort.spec.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }]);
  });

  test('the selector is read at synth, after later edits of the Service', () => {
    const chart = testChart();
    const dep = api(chart);
    const svc = dep.exposeViaService({ ports: [{ port: 8080 }] });
    new ExposedService(chart, 'public', { strategy: ExposureStrategy.nodePort(), backend: Backend.fromService(svc) });
    dep.podMetadata.addLabel('tier', 'web');
    svc.selectLabel('tier', 'web');
    const manifests = synthChecked(chart);
    expect(find(manifests, 'Service', 'test-public').spec.selector.tier).toBe('web');
  });

  test.each([
    [{ nodePort: 8080 }, 'ExposedService test/public: strategy: nodePort 8080 is outside the NodePort range; use 30000-32767'],
    [{ port: 0 }, 'ExposedService test/public: strategy: port 0 is not a port number; use an integer from 1 to 65535'],
  ])('bad options %j are errors', (options, message) => {
    const chart = testChart();
    expect(() => new ExposedService(chart, 'public', { strategy: ExposureStrategy.nodePort(options), backend: Backend.fromDeployment(api(chart)) }))
      .toThrow(message);
  });

  test('L7 features are capability errors naming the strategies that can', () => {
    const chart = testChart();
    expect(() => new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.nodePort(),
      hosts: ['shop.example.com'],
      backend: Backend.fromDeployment(api(chart)),
      timeout: Duration.seconds(3),
      routes: [{ match: { path: PathMatch.prefix('/api') } }],
    })).toThrow([
      "ExposedService test/public: hosts: 'hosts' is not supported by nodePort; supported by: ingress, istio, gatewayApi, apiGateway (nginx), apiGateway (kong)",
      "ExposedService test/public: routes: 'path-routing' is not supported by nodePort; supported by: ingress, istio, gatewayApi, apiGateway (nginx), apiGateway (kong)",
      "ExposedService test/public: timeout: 'timeout' is not supported by nodePort; supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx), apiGateway (kong)",
    ].join('\n'));
  });

  test('a backend known only by name has no pods to select', () => {
    const chart = testChart();
    expect(() => new ExposedService(chart, 'public', { strategy: ExposureStrategy.nodePort(), backend: Backend.fromName('httpbin', 8000) }))
      .toThrow("ExposedService test/public: backend: 'backend-by-name' is not supported by nodePort; supported by: ingress, istio, gatewayApi, apiGateway (nginx), apiGateway (kong)");
  });
});

describe('loadBalancer strategy', () => {
  test('a LoadBalancer Service with class, traffic policy, annotations and its own port', () => {
    const chart = testChart('shop');
    new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.loadBalancer({
        port: 80,
        loadBalancerClass: 'service.k8s.aws/nlb',
        externalTrafficPolicy: 'Local',
        annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' },
      }),
      backend: Backend.fromDeployment(api(chart)),
    });
    const manifests = synthChecked(chart);
    const svc = find(manifests, 'Service');
    expect(svc.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' });
    expect(svc.spec).toEqual(expect.objectContaining({
      type: 'LoadBalancer',
      loadBalancerClass: 'service.k8s.aws/nlb',
      externalTrafficPolicy: 'Local',
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
    }));
    expect(manifests).toMatchSnapshot();
  });

  test('weighted backends are a capability error', () => {
    const chart = testChart();
    const dep = api(chart);
    expect(() => new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.loadBalancer(),
      routes: [{ backends: [{ backend: Backend.fromDeployment(dep), weight: 1 }, { backend: Backend.fromName('other', 80), weight: 1 }] }],
    })).toThrow("ExposedService test/public: routes[0].backends: 'weighted-backends' is not supported by loadBalancer; supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx), apiGateway (kong)");
  });

  test('a bad externalTrafficPolicy is an error', () => {
    const chart = testChart();
    expect(() => new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.loadBalancer({ externalTrafficPolicy: 'Nearest' as any }), backend: Backend.fromDeployment(api(chart)),
    })).toThrow('ExposedService test/public: strategy: externalTrafficPolicy "Nearest" is not a policy; use "Cluster" or "Local"');
  });
});

describe('client IP access lists on a Service', () => {
  test('loadBalancer: the allow list as loadBalancerSourceRanges', () => {
    const chart = testChart('shop');
    new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.loadBalancer(),
      backend: Backend.fromDeployment(api(chart)),
      access: AccessPolicy.allowFrom(['203.0.113.0/24', '2001:db8::/32', '198.51.100.7']),
    });
    const svc = find(synthChecked(chart), 'Service', 'shop-public');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['198.51.100.7/32', '203.0.113.0/24', '2001:db8::/32']);
    // The load balancer filters by the source address it receives: no traffic policy is needed for it.
    expect(svc.spec.externalTrafficPolicy).toBeUndefined();
  });

  test('loadBalancer: a deny list (or exceptions) is an error; nodePort: any list is', () => {
    expect(declarationError({
      strategy: ExposureStrategy.loadBalancer(),
      backend: Backend.fromName('api', 8080),
      access: AccessPolicy.allowFrom(['10.0.0.0/8'], { except: ['10.1.0.0/16'] }),
    }).message).toBe([
      'ExposedService test/public: access: \'ip-deny-list\' is not supported by loadBalancer; supported by: ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)',
      // A Service known by name only has no pods to select: reported with the access list's problem.
      'ExposedService test/public: backend: \'backend-by-name\' is not supported by loadBalancer; supported by: ingress, istio, gatewayApi, apiGateway (nginx), apiGateway (kong)',
    ].join('\n'));
    expect(declarationError({
      strategy: ExposureStrategy.nodePort(),
      backend: Backend.fromName('api', 8080),
      access: AccessPolicy.denyFrom(['203.0.113.0/24']),
    }).message).toContain("ExposedService test/public: access: 'ip-deny-list' is not supported by nodePort; supported by: ingress (ingressNginx), istio, gatewayApi (envoyGateway), gatewayApi (kong), gatewayApi (istio), apiGateway (nginx), apiGateway (kong)");
  });
});

describe('service strategies, the status of the HTTPS redirect', () => {
  test.each([['nodePort', ExposureStrategy.nodePort()], ['loadBalancer', ExposureStrategy.loadBalancer()]] as const)('%s refuses it, as it refuses tls', (name, strategy) => {
    const chart = testChart();
    const backend = Backend.fromDeployment(api(chart), { port: 8080 });
    expect(() => new ExposedService(chart, 'public', { strategy, hosts: ['shop.example.com'], backend, tls: Tls.fromSecret('t'), httpsRedirectCode: 308 })).toThrow(new Error([
      `ExposedService test/public: hosts: 'hosts' is not supported by ${name}; supported by: ingress, istio, gatewayApi, apiGateway (nginx), apiGateway (kong)`,
      `ExposedService test/public: tls: 'tls' is not supported by ${name}; supported by: ingress, istio, gatewayApi, apiGateway (nginx), apiGateway (kong)`,
      `ExposedService test/public: httpsRedirectCode: 'https-redirect-code' is not supported by ${name}; `
        + 'supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx), apiGateway (kong)',
    ].join('\n')));
  });
});

test('request body size limits: nodePort and loadBalancer refuse them, naming the strategies that can', () => {
  for (const [strategy, name] of [[ExposureStrategy.nodePort(), 'nodePort'], [ExposureStrategy.loadBalancer(), 'loadBalancer']] as const) {
    expect(declarationError({ strategy, backend: Backend.fromName('api', 8080), maxRequestBody: Size.mebibytes(8) }).message).toContain(
      `ExposedService test/public: maxRequestBody: 'max-request-body' is not supported by ${name}; supported by: ingress (ingressNginx), gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)`);
  }
});

describe('TCP ports on a Service', () => {
  test('nodePort: the route\'s port and the TCP ports, to the same pods', () => {
    const chart = testChart('shop');
    const dep = api(chart, [8080, 5432]);
    new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.nodePort(),
      backend: Backend.fromDeployment(dep, { port: 8080 }),
      tcp: [TcpPort.of(15432, Backend.fromDeployment(dep, { port: 5432 }))],
    });
    const svc = find(synthChecked(chart), 'Service');
    expect(svc.spec.ports).toEqual([
      { name: 'http', protocol: 'TCP', port: 8080, targetPort: 8080 },
      { name: 'tcp-15432', protocol: 'TCP', port: 15432, targetPort: 5432 },
    ]);
  });

  test('loadBalancer: TCP ports only (a TLS port to one backend is a TCP port)', () => {
    const chart = testChart('shop');
    const dep = api(chart, [5432, 6432]);
    new ExposedService(chart, 'db', {
      strategy: ExposureStrategy.loadBalancer(),
      tcp: [TcpPort.of(5432, Backend.fromDeployment(dep, { port: 5432 })), TcpPort.of(6432, Backend.fromDeployment(dep, { port: 6432 }))],
    });
    const svc = find(synthChecked(chart), 'Service');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports).toEqual([
      { name: 'tcp-5432', protocol: 'TCP', port: 5432, targetPort: 5432 },
      { name: 'tcp-6432', protocol: 'TCP', port: 6432, targetPort: 6432 },
    ]);
  });

  test('refused: another backend\'s pods, a port taken, port or nodePort that name no single port, an allow list over TCP ports, SNI routing', () => {
    const chart = testChart();
    const dep = api(chart, [8080, 5432]);
    const other = new kplus.Deployment(chart, 'other', { containers: [{ image: 'pg:16', portNumber: 5432, securityContext: { ensureNonRoot: false } }] });
    const error = (strategy: ExposureStrategy, props: object) => {
      try {
        new ExposedService(chart, `x${Math.floor(chart.node.children.length)}`, { strategy, ...props });
      } catch (e) {
        return (e as Error).message.replace(/test\/x\d+/g, 'test/x');
      }
      return 'no error';
    };
    const web = Backend.fromDeployment(dep, { port: 8080 });
    const pg = Backend.fromDeployment(dep, { port: 5432 });
    expect(error(ExposureStrategy.nodePort(), { backend: web, tcp: [TcpPort.of(5432, Backend.fromDeployment(other))] })).toBe(
      'ExposedService test/x: tcp[0].backend: a nodePort Service selects the pods of one backend, and backend is "test-api-c855049c"; '
      + 'declare this port in an exposure of its own, or send it to the same backend');
    expect(error(ExposureStrategy.nodePort(), { backend: web, tcp: [TcpPort.of(8080, pg)] })).toBe(
      'ExposedService test/x: tcp[0].port: 8080 is the Service port of backend already; use another port');
    expect(error(ExposureStrategy.nodePort({ port: 80 }), { tcp: [TcpPort.of(5432, pg)] })).toBe(
      'ExposedService test/x: strategy: port is the Service port of the HTTP route, and the exposure declares none (each TcpPort names its own port); remove port');
    expect(error(ExposureStrategy.nodePort({ nodePort: 30080 }), { backend: web, tcp: [TcpPort.of(5432, pg)] })).toBe(
      'ExposedService test/x: strategy: nodePort names one port, and the Service has 2; remove nodePort (Kubernetes allocates one per port)');
    expect(error(ExposureStrategy.loadBalancer(), { backend: web, access: AccessPolicy.allowFrom(['10.0.0.0/8']), tcp: [TcpPort.of(5432, pg)] })).toBe(
      'ExposedService test/x: access: loadBalancerSourceRanges would restrict every port of the Service, the TCP ports too; declare the TCP ports in an exposure of their own');
    expect(error(ExposureStrategy.loadBalancer(), { passthrough: [TlsPassthrough.host('db.example.com', pg)] })).toBe(
      'ExposedService test/x: passthrough[0]: \'tls-passthrough\' is not supported by loadBalancer; supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx)');
  });
});
