import * as kplus from 'cdk8s-plus-27';
import {
  ApiGatewayEngine, Backend, BackendTls, ExposedService, ExposedServiceProps, ExposureStrategy, IngressController, PathMatch,
} from '../../src';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

/** TLS to the backend on every strategy: what each renders, and what each refuses (exact messages). */

const verified = () => BackendTls.fromSecret('payments-ca', { serverName: 'payments.shop.internal' });
const payments = (tls: BackendTls) => Backend.fromName('payments', 8443, { tls });
const A = 'nginx.ingress.kubernetes.io/';

const STRATEGIES = {
  nodePort: () => ExposureStrategy.nodePort(),
  loadBalancer: () => ExposureStrategy.loadBalancer(),
  ingress: () => ExposureStrategy.ingress({ className: 'nginx' }),
  ingressNginx: () => ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }),
  istio: () => ExposureStrategy.istio(),
  gatewayApi: () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }),
  gatewayApiExperimental: () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', experimental: true }),
  nginx: () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
  kong: () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }),
};

function expose(strategy: keyof typeof STRATEGIES, props: Partial<ExposedServiceProps>, namespace: string | undefined = 'shop'): Manifest[] {
  const chart = testChart('test', namespace);
  new ExposedService(chart, 'public', { strategy: STRATEGIES[strategy](), hosts: ['shop.example.com'], ...props });
  return synthChecked(chart);
}

const errorOf = (strategy: keyof typeof STRATEGIES, props: Partial<ExposedServiceProps>, namespace: string | undefined = 'shop') =>
  declarationError({ strategy: STRATEGIES[strategy](), hosts: ['shop.example.com'], ...props }, namespace).message;

describe('TLS to the backend', () => {
  describe('istio: DestinationRule port-level tls', () => {
    test('a CA from a Secret: SIMPLE, credentialName, sni and the name verified', () => {
      const rule = find(expose('istio', { backend: payments(verified()) }), 'DestinationRule');
      expect(rule.apiVersion).toBe('networking.istio.io/v1');
      expect(rule.spec).toEqual({
        host: 'payments.shop.svc.cluster.local',
        trafficPolicy: {
          portLevelSettings: [{
            port: { number: 8443 },
            tls: { mode: 'SIMPLE', credentialName: 'payments-ca', sni: 'payments.shop.internal', subjectAltNames: ['payments.shop.internal'] },
          }],
        },
      });
    });

    test('the system CAs: no credential; unverified: insecureSkipVerify', () => {
      const system = find(expose('istio', { backend: payments(BackendTls.systemCertificates({ serverName: 'pay.example.com' })) }), 'DestinationRule');
      expect(system.spec.trafficPolicy.portLevelSettings[0].tls).toEqual({ mode: 'SIMPLE', sni: 'pay.example.com', subjectAltNames: ['pay.example.com'] });
      const unverified = find(expose('istio', { backend: payments(BackendTls.unverified()) }), 'DestinationRule');
      expect(unverified.spec.trafficPolicy.portLevelSettings[0].tls).toEqual({ mode: 'SIMPLE', insecureSkipVerify: true });
    });

    test('the strategy\'s traffic policy is repeated at the port (Istio does not merge port-level settings)', () => {
      const chart = testChart('test', 'shop');
      new ExposedService(chart, 'public', {
        strategy: ExposureStrategy.istio({ trafficPolicy: { loadBalancer: 'LEAST_REQUEST' } }), hosts: ['shop.example.com'], backend: payments(verified()),
      });
      const policy = find(synthChecked(chart), 'DestinationRule').spec.trafficPolicy;
      expect(policy.loadBalancer).toEqual({ simple: 'LEAST_REQUEST' });
      expect(policy.portLevelSettings[0].loadBalancer).toEqual({ simple: 'LEAST_REQUEST' });
    });

    test('refused: a CA in a ConfigMap; one port declared with two TLS settings', () => {
      expect(errorOf('istio', { backend: payments(BackendTls.fromConfigMap('payments-ca', { serverName: 'payments.shop.internal' })) })).toBe(
        'ExposedService test/public: backend: istio reads a backend\'s CA from a Secret (DestinationRule credentialName), not from ConfigMap "payments-ca"; '
        + 'use BackendTls.fromSecret(...) or BackendTls.systemCertificates(...)');
      expect(errorOf('istio', {
        routes: [
          { match: { path: PathMatch.prefix('/a') }, backend: Backend.fromName('payments', 8443, { tls: verified(), subset: { name: 'v1', labels: { v: '1' } } }) },
          { match: { path: PathMatch.prefix('/b') }, backend: Backend.fromName('payments', 8443, { subset: { name: 'v2', labels: { v: '2' } } }) },
        ],
      })).toBe('ExposedService test/public: routes[1].backend: port 8443 of "payments" has one TLS setting in a DestinationRule; routes[0].backend declared it with '
        + 'TLS verified by Secret "payments-ca" as payments.shop.internal, this backend with plain text: declare the same tls');
    });
  });

  describe('ingress-nginx: backend-protocol and proxy-ssl annotations', () => {
    test('a CA from a Secret: HTTPS, the Secret as namespace/name, verification on with the server name sent', () => {
      const ingress = find(expose('ingressNginx', { backend: payments(verified()) }), 'Ingress');
      expect(ingress.metadata.annotations).toEqual(expect.objectContaining({
        [`${A}backend-protocol`]: 'HTTPS',
        [`${A}proxy-ssl-secret`]: 'shop/payments-ca',
        [`${A}proxy-ssl-verify`]: 'on',
        [`${A}proxy-ssl-verify-depth`]: '100',
        [`${A}proxy-ssl-name`]: 'payments.shop.internal',
        [`${A}proxy-ssl-server-name`]: 'on',
      }));
    });

    test('gRPC over TLS is GRPCS; unverified is HTTPS alone; routes with other protocols get Ingresses of their own', () => {
      const manifests = expose('ingressNginx', {
        routes: [
          { match: { path: PathMatch.prefix('/grpc') }, backend: Backend.fromName('catalog', 9443, { protocol: 'grpc', tls: BackendTls.unverified() }) },
          { match: { path: PathMatch.prefix('/web') }, backend: payments(BackendTls.unverified()) },
          { match: { path: PathMatch.prefix('/plain') }, backend: Backend.fromName('plain', 80) },
        ],
      });
      const ingresses = ofKind(manifests, 'Ingress');
      const protocolOf = (path: string) => ingresses.find((i) => i.spec.rules[0].http.paths.some((p: any) => p.path === path))!.metadata.annotations?.[`${A}backend-protocol`];
      expect([protocolOf('/grpc'), protocolOf('/web'), protocolOf('/plain')]).toEqual(['GRPCS', 'HTTPS', undefined]);
      expect(ingresses.every((i) => Object.keys(i.metadata.annotations ?? {}).every((a) => !a.startsWith(`${A}proxy-ssl`)))).toBe(true);
    });

    test('refused: the system CAs, a ConfigMap, a server name without verification, no namespace, a canary of another TLS, a TLS mirror', () => {
      const prefix = 'ExposedService test/public: ';
      expect(errorOf('ingressNginx', { backend: payments(BackendTls.systemCertificates({ serverName: 'pay.example.com' })) })).toBe(`${prefix}backend: `
        + 'ingress-nginx verifies a backend with a CA from a Secret (proxy-ssl-secret); the system CAs are not one: use BackendTls.fromSecret(...)');
      expect(errorOf('ingressNginx', { backend: payments(BackendTls.fromConfigMap('ca', { serverName: 'pay.example.com' })) })).toBe(`${prefix}backend: `
        + 'ingress-nginx verifies a backend with a CA from a Secret (proxy-ssl-secret); ConfigMap "ca" is not one: use BackendTls.fromSecret(...)');
      expect(errorOf('ingressNginx', { backend: payments(BackendTls.unverified({ serverName: 'pay.example.com' })) })).toBe(`${prefix}backend: `
        + 'ingress-nginx sends a server name (proxy-ssl-name) only with proxy-ssl-secret, which verifies the certificate; remove serverName, or verify with BackendTls.fromSecret(...)');
      expect(declarationError({ strategy: STRATEGIES.ingressNginx(), hosts: ['shop.example.com'], backend: payments(verified()) }).message).toBe(`${prefix}backend: `
        + 'ingress-nginx names the CA Secret as namespace/name (proxy-ssl-secret) in the Ingress\'s namespace; give the chart a namespace');
      expect(errorOf('ingressNginx', { routes: [{ backends: [{ backend: payments(verified()), weight: 90 }, { backend: Backend.fromName('plain', 80), weight: 10 }] }] }))
        .toBe(`${prefix}routes[0].backends: `
        + 'ingress-nginx\'s canary Ingress takes the main Ingress\'s backend-protocol and proxy-ssl annotations; the backends are declared with '
        + 'TLS verified by Secret "payments-ca" as payments.shop.internal and plain text: declare the same tls, or use gatewayApi or istio');
      expect(errorOf('ingressNginx', {
        routes: [{ match: { path: PathMatch.prefix('/') }, backend: Backend.fromName('plain', 80), mirror: { backend: payments(BackendTls.unverified()) } }],
      })).toBe(`${prefix}routes[0].mirror.backend: ingress-nginx mirrors over plain HTTP (mirror-target http://...); the mirror backend declares tls: use istio`);
    });
  });

  describe('gatewayApi: BackendTLSPolicy', () => {
    test.each(['gatewayApi', 'gatewayApiExperimental'] as const)('%s: a CA ConfigMap, or the well-known system CAs, for the declared hostname', (strategy) => {
      const manifests = expose(strategy, {
        routes: [
          { match: { path: PathMatch.prefix('/pay') }, backend: payments(BackendTls.fromConfigMap('payments-ca', { serverName: 'payments.shop.internal' })) },
          { match: { path: PathMatch.prefix('/ext') }, backend: Backend.fromName('partner', 443, { tls: BackendTls.systemCertificates({ serverName: 'api.partner.example' }) }) },
        ],
      });
      const policies = ofKind(manifests, 'BackendTLSPolicy');
      expect(policies.map((p) => [p.apiVersion, p.metadata.name])).toEqual([
        ['gateway.networking.k8s.io/v1', 'test-public-partner-tls'], ['gateway.networking.k8s.io/v1', 'test-public-payments-tls'],
      ]);
      expect(policies[1].spec).toEqual({
        targetRefs: [{ group: '', kind: 'Service', name: 'payments' }],
        validation: { hostname: 'payments.shop.internal', caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'payments-ca' }] },
      });
      expect(policies[0].spec.validation).toEqual({ hostname: 'api.partner.example', wellKnownCACertificates: 'System' });
    });

    test('a gRPC backend over TLS: GRPCRoute to the Service, and its BackendTLSPolicy', () => {
      const manifests = expose('gatewayApi', { backend: Backend.fromName('catalog', 9443, { protocol: 'grpc', tls: BackendTls.systemCertificates({ serverName: 'catalog.shop.internal' }) }) });
      expect(ofKind(manifests, 'GRPCRoute')).toHaveLength(1);
      expect(find(manifests, 'BackendTLSPolicy').spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'catalog' }]);
    });

    test('refused: a CA Secret, no verification, another namespace, two ports of one Service declared differently', () => {
      const prefix = 'ExposedService test/public: ';
      expect(errorOf('gatewayApi', { backend: payments(verified()) })).toBe(`${prefix}backend: a Gateway API BackendTLSPolicy reads the CA from a ConfigMap (caCertificateRefs), `
        + 'not from Secret "payments-ca"; use BackendTls.fromConfigMap(...) or .systemCertificates(...)');
      expect(errorOf('gatewayApi', { backend: payments(BackendTls.unverified()) })).toBe(`${prefix}backend: 'backend-tls-unverified' is not supported by gatewayApi; `
        + 'supported by: ingress (ingressNginx), istio, apiGateway (nginx), apiGateway (kong)');
      expect(errorOf('gatewayApi', {
        backend: Backend.fromName('payments', 8443, { namespace: 'pay', tls: BackendTls.systemCertificates({ serverName: 'pay.example.com' }) }),
      })).toBe(`${prefix}backend: a BackendTLSPolicy lives in its Service's namespace (pay) and reads its CA there; declare the TLS backend in the exposure's namespace, or use istio`);
      expect(errorOf('gatewayApi', {
        routes: [
          { match: { path: PathMatch.prefix('/a') }, backend: payments(BackendTls.systemCertificates({ serverName: 'pay.example.com' })) },
          { match: { path: PathMatch.prefix('/b') }, backend: Backend.fromName('payments', 8080) },
        ],
      })).toBe(`${prefix}routes[1].backend: a BackendTLSPolicy applies to every port of Service "payments"; routes[0].backend declared it with TLS verified by the system CAs as `
        + 'pay.example.com, this backend with plain text: declare the same tls, or use istio');
    });
  });

  describe('apiGateway (nginx): proxy_pass https with proxy_ssl_*', () => {
    test('the location verifies with the mounted CA Secret and sends the server name', () => {
      const manifests = expose('nginx', { backend: payments(verified()) });
      const conf: string = find(manifests, 'ConfigMap').data['nginx.conf'];
      expect(conf).toContain([
        'proxy_ssl_server_name on;',
        'proxy_ssl_name "payments.shop.internal";',
        'proxy_ssl_verify on;',
        'proxy_ssl_verify_depth 100;',
        'proxy_ssl_trusted_certificate /etc/nginx/secrets/payments-ca/ca.crt;',
      ].map((l) => `      ${l}`).join('\n'));
      expect(conf).toMatch(/proxy_pass "https:\/\/route_0\$\{request_uri\}";/);
      const pod = find(manifests, 'Deployment').spec.template.spec;
      const volume = pod.volumes.find((v: any) => v.secret?.secretName === 'payments-ca');
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: volume.name, mountPath: '/etc/nginx/secrets/payments-ca', readOnly: true });
    });

    test('unverified: https, verification off, no server name', () => {
      const conf: string = find(expose('nginx', { backend: payments(BackendTls.unverified()) }), 'ConfigMap').data['nginx.conf'];
      expect(conf).toContain('proxy_ssl_verify off;');
      expect(conf).not.toContain('proxy_ssl_name');
    });

    test('refused: a ConfigMap or the system CAs; a route to backends of different TLS', () => {
      const prefix = 'ExposedService test/public: ';
      expect(errorOf('nginx', { backend: payments(BackendTls.fromConfigMap('ca', { serverName: 'pay.example.com' })) })).toBe(`${prefix}backend: the NGINX engine reads a backend's CA `
        + 'from a Secret mounted into the gateway (key ca.crt); ConfigMap "ca" is not one: use BackendTls.fromSecret(...)');
      expect(errorOf('nginx', { backend: payments(BackendTls.systemCertificates({ serverName: 'pay.example.com' })) })).toBe(`${prefix}backend: the NGINX engine reads a backend's CA `
        + 'from a Secret mounted into the gateway (key ca.crt); the system CAs of the image are not one: use BackendTls.fromSecret(...)');
      expect(errorOf('nginx', { routes: [{ backends: [{ backend: payments(verified()), weight: 1 }, { backend: Backend.fromName('plain', 80), weight: 1 }] }] }))
        .toBe(`${prefix}routes[0].backends: `
        + 'the NGINX engine proxies a route to one upstream, one way; its backends are declared with TLS verified by Secret "payments-ca" as payments.shop.internal and plain text: '
        + 'declare the same tls, or use istio');
    });
  });

  describe('apiGateway (kong): an https service without verification', () => {
    test('protocol https, tls_verify false', () => {
      const manifests = expose('kong', { backend: payments(BackendTls.unverified()) });
      const kongYml: string = find(manifests, 'ConfigMap').data['kong.yml'];
      expect(kongYml).toMatch(/protocol: "https"\n\s+tls_verify: false\n/);
    });

    test('refused: verification (a CA is PEM in the declarative config), a server name', () => {
      const prefix = 'ExposedService test/public: ';
      expect(errorOf('kong', { backend: payments(verified()) })).toBe(`${prefix}backend: 'backend-tls' is not supported by apiGateway (kong); `
        + 'supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx)');
      expect(errorOf('kong', { backend: payments(BackendTls.unverified({ serverName: 'pay.example.com' })) })).toBe(`${prefix}backend: `
        + 'Kong sends its upstream\'s host as the TLS server name; it cannot send serverName: remove it, or use the nginx engine');
    });
  });

  test.each(['nodePort', 'loadBalancer', 'ingress'] as const)('%s: refused (nothing proxies, or no Ingress field)', (strategy) => {
    const chart = testChart('test', 'shop');
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', portNumber: 8443 }] });
    expect(() => new ExposedService(chart, 'public', { strategy: STRATEGIES[strategy](), backend: Backend.fromDeployment(api, { tls: verified() }) })).toThrow(
      `ExposedService test/public: backend: 'backend-tls' is not supported by ${strategy}; supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx)`);
  });

  test('a created Service names a TLS port https-<port> (gRPC: tls-<port>), which Istio passes through', () => {
    const chart = testChart('test', 'shop');
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', portNumber: 8443 }] });
    new ExposedService(chart, 'public', { strategy: ExposureStrategy.istio(), hosts: ['shop.example.com'], backend: Backend.fromDeployment(api, { tls: verified() }) });
    const service = ofKind(synthChecked(chart), 'Service')[0];
    expect(service.spec.ports.map((p: any) => p.name)).toEqual(['https-8443']);
  });
});

describe('BackendTls: bad values (exact messages)', () => {
  const errorFor = (tls: unknown) => errorOf('istio', { backend: Backend.fromName('payments', 8443, { tls: tls as BackendTls }) });
  const P = 'ExposedService test/public: backend: ';
  test.each([
    ['no serverName', () => BackendTls.fromSecret('ca', {} as any), 'tls: serverName is required: the name the backend\'s certificate must carry'],
    ['no options', () => BackendTls.systemCertificates(undefined as any), 'tls: options is undefined; pass { serverName }'],
    ['options not an object', () => BackendTls.fromSecret('ca', 'x' as any), 'tls: options is a string ("x"); use an object'],
    ['an uppercase serverName', () => BackendTls.fromSecret('ca', { serverName: 'Pay.example.com' }),
      'tls: serverName: "Pay.example.com" has uppercase letters; hostnames are lowercase: "pay.example.com"'],
    ['a wildcard serverName', () => BackendTls.unverified({ serverName: '*.example.com' }),
      'tls: serverName "*.example.com" is a wildcard; TLS sends and verifies one name: use e.g. "api.example.com"'],
    ['an IP address as serverName', () => BackendTls.systemCertificates({ serverName: '10.0.0.1' }), 'tls: serverName: "10.0.0.1" is an IP address; use a DNS name'],
    ['a number as serverName', () => BackendTls.unverified({ serverName: 7 as any }), 'tls: serverName is a number (7); use a hostname'],
    ['a bad Secret name', () => BackendTls.fromSecret('Bad_Name', { serverName: 'a.example.com' }),
      'tls: CA secret name "Bad_Name" is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and "."'],
    ['no Secret', () => BackendTls.fromSecret(undefined as any, { serverName: 'a.example.com' }), 'tls: CA secret is undefined; use the Secret\'s name or a cdk8s-plus Secret'],
    ['a bad ConfigMap name', () => BackendTls.fromConfigMap('', { serverName: 'a.example.com' }), 'tls: CA config map name is empty'],
    ['a ConfigMap that is no name', () => BackendTls.fromConfigMap(3 as any, { serverName: 'a.example.com' }), 'tls: CA config map name is a number (3); use the ConfigMap\'s name'],
  ])('%s', (_name, make, message) => {
    expect(errorFor(make())).toBe(`${P}${message}`);
  });

  test('tls that is not a BackendTls', () => {
    expect(errorFor({ serverName: 'a' })).toBe(`${P}tls is an object; use BackendTls.fromSecret(...), .fromConfigMap(...), .systemCertificates(...) or .unverified()`);
  });

  test('one Service port declared with two TLS settings', () => {
    expect(errorOf('istio', {
      routes: [
        { match: { path: PathMatch.prefix('/a') }, backend: payments(verified()) },
        { match: { path: PathMatch.prefix('/b') }, backend: payments(BackendTls.unverified()) },
      ],
    })).toBe('ExposedService test/public: routes[1].backend.tls: port 8443 of "payments" is declared with TLS unverified, but routes[0].backend declared it with '
      + 'TLS verified by Secret "payments-ca" as payments.shop.internal; declare the same tls');
  });
});
