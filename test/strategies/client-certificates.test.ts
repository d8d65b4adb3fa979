import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ApiGatewayEngine, Backend, ClientCertificates, ExposedService, ExposedServiceProps, ExposureStrategy, IngressController, IstioGateway,
  PathMatch, Tls,
} from '../../src';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

const httpbin = () => Backend.fromName('httpbin', 8000);
const base = (clientCertificates: ClientCertificates, secret = 'shop-tls'): Partial<ExposedServiceProps> => ({
  hosts: ['shop.example.com'],
  backend: httpbin(),
  tls: Tls.fromSecret(secret, { clientCertificates }),
});

function expose(strategy: ExposureStrategy, props: Partial<ExposedServiceProps>, namespace: string | undefined = 'shop'): Manifest[] {
  const chart = testChart('test', namespace);
  new ExposedService(chart, 'public', { strategy, ...props });
  return synthChecked(chart);
}

const errorOf = (strategy: ExposureStrategy, props: Partial<ExposedServiceProps>, namespace?: string) =>
  declarationError({ strategy, ...props } as ExposedServiceProps, namespace).message;
const ingressNginx = () => ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() });
const nginxGateway = (exposedVia?: ExposureStrategy) => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia });

describe('client certificates', () => {
  test('ingress-nginx: auth-tls-* annotations, the CA Secret as namespace/name, the certificate passed to the backend', () => {
    const ingress = find(expose(ingressNginx(), base(ClientCertificates.require({ caSecret: 'partners-ca', verifyDepth: 2 }))), 'Ingress');
    const a = ingress.metadata.annotations!;
    expect(a['nginx.ingress.kubernetes.io/auth-tls-secret']).toBe('shop/partners-ca');
    expect(a['nginx.ingress.kubernetes.io/auth-tls-verify-client']).toBe('on');
    expect(a['nginx.ingress.kubernetes.io/auth-tls-verify-depth']).toBe('2');
    expect(a['nginx.ingress.kubernetes.io/auth-tls-pass-certificate-to-upstream']).toBe('true');
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);

    const optional = find(expose(ingressNginx(), base(ClientCertificates.optional({ caSecret: kplus.Secret.fromSecretName(testChart('x'), 's', 'partners-ca') }))), 'Ingress');
    expect(optional.metadata.annotations!['nginx.ingress.kubernetes.io/auth-tls-verify-client']).toBe('optional');
    expect(optional.metadata.annotations!['nginx.ingress.kubernetes.io/auth-tls-verify-depth']).toBeUndefined();
  });

  test('ingress-nginx: every Ingress of the host carries the verification (routes with policies of their own get Ingresses of their own)', () => {
    const routes = [{ match: { path: PathMatch.prefix('/slow') }, timeout: Duration.seconds(30) }, { match: { path: PathMatch.prefix('/') } }];
    const ingresses = ofKind(expose(ingressNginx(), { ...base(ClientCertificates.optional({ caSecret: 'partners-ca' })), routes }), 'Ingress');
    expect(ingresses.length).toBe(2);
    for (const ingress of ingresses) {
      expect(ingress.metadata.annotations!['nginx.ingress.kubernetes.io/auth-tls-secret']).toBe('shop/partners-ca');
      expect(ingress.metadata.annotations!['nginx.ingress.kubernetes.io/auth-tls-verify-client']).toBe('optional');
    }
  });

  test('ingress-nginx: auth-tls-secret needs a namespace', () => {
    expect(errorOf(ingressNginx(), base(ClientCertificates.require({ caSecret: 'partners-ca' })))).toBe(
      'ExposedService test/public: tls.clientCertificates.caSecret: ingress-nginx reads auth-tls-secret as namespace/name; give the chart a namespace');
  });

  test('Istio: MUTUAL and OPTIONAL_MUTUAL with the credential; the CA in the TLS Secret or <secret>-cacert', () => {
    const servers = (c: ClientCertificates) => find(expose(ExposureStrategy.istio(), base(c)), 'Gateway').spec.servers;
    expect(servers(ClientCertificates.require({ caSecret: 'shop-tls' }))[1]).toEqual(
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'MUTUAL', credentialName: 'shop-tls' } });
    expect(servers(ClientCertificates.optional({ caSecret: 'shop-tls-cacert' }))[1].tls).toEqual({ mode: 'OPTIONAL_MUTUAL', credentialName: 'shop-tls' });
  });

  test('Istio refuses a CA it does not read, a ConfigMap, a depth, PASSTHROUGH; tlsMode MUTUAL names the migration', () => {
    const istio = ExposureStrategy.istio();
    expect(errorOf(istio, base(ClientCertificates.require({ caSecret: 'partners-ca' })))).toBe(
      'ExposedService test/public: tls.clientCertificates.caSecret: Istio reads the client CA of a Gateway server from its TLS Secret\'s ca.crt or from the Secret '
      + '"shop-tls-cacert" beside it; name caSecret "shop-tls" or "shop-tls-cacert" (in the gateway\'s namespace), not "partners-ca"');
    expect(errorOf(istio, base(ClientCertificates.require({ caConfigMap: 'partners-ca' })))).toBe(
      'ExposedService test/public: tls.clientCertificates.caConfigMap: \'client-ca-config-map\' is not supported by istio; '
      + 'supported by: gatewayApi, apiGateway (nginx)');
    expect(errorOf(istio, base(ClientCertificates.require({ caSecret: 'shop-tls', verifyDepth: 2 })))).toBe(
      'ExposedService test/public: tls.clientCertificates.verifyDepth: \'client-certificate-depth\' is not supported by istio; '
      + 'supported by: ingress (ingressNginx), apiGateway (nginx)');
    expect(errorOf(ExposureStrategy.istio({ gateway: IstioGateway.create({ tlsMode: 'MUTUAL' as any }) }), base(ClientCertificates.require({ caSecret: 'shop-tls' })))).toContain(
      'tlsMode "MUTUAL" is declared on the TLS now: tls: Tls.fromSecret(secret, { clientCertificates: ClientCertificates.require({ caSecret: secret }) }) '
      + '(the CA from the Secret\'s ca.crt, as MUTUAL read it); remove tlsMode');
  });

  test.each([
    ['standard', ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' })],
    ['experimental', ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', experimental: true })],
  ])('Gateway API (%s): the Gateway\'s frontend validation, a ConfigMap CA, AllowValidOnly', (_, strategy) => {
    const gateway = find(expose(strategy, base(ClientCertificates.require({ caConfigMap: 'partners-ca' }))), 'Gateway');
    expect(gateway.spec.tls).toEqual({
      frontend: { default: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'partners-ca' }], mode: 'AllowValidOnly' } } },
    });
  });

  test('Gateway API refuses optional certificates (AllowInsecureFallback also admits invalid ones), a Secret CA, a depth', () => {
    const gw = ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' });
    expect(errorOf(gw, base(ClientCertificates.optional({ caConfigMap: 'partners-ca' })))).toBe(
      'ExposedService test/public: tls.clientCertificates: \'client-certificates-optional\' is not supported by gatewayApi; '
      + 'supported by: ingress (ingressNginx), istio, apiGateway (nginx)');
    expect(errorOf(gw, base(ClientCertificates.require({ caSecret: 'partners-ca' })))).toBe(
      'ExposedService test/public: tls.clientCertificates.caSecret: \'client-ca-secret\' is not supported by gatewayApi; '
      + 'supported by: ingress (ingressNginx), istio, apiGateway (nginx)');
    expect(errorOf(gw, base(ClientCertificates.require({ caConfigMap: 'partners-ca', verifyDepth: 3 })))).toBe(
      'ExposedService test/public: tls.clientCertificates.verifyDepth: \'client-certificate-depth\' is not supported by gatewayApi; '
      + 'supported by: ingress (ingressNginx), apiGateway (nginx)');
  });

  test('NGINX engine: the CA mounted (ca.crt only), ssl_verify_client, the identity headers', () => {
    const manifests = expose(nginxGateway(), base(ClientCertificates.require({ caConfigMap: 'partners-ca', verifyDepth: 2 })));
    const conf: string = find(manifests, 'ConfigMap').data['nginx.conf'];
    expect(conf).toContain('ssl_client_certificate /etc/nginx/client-ca/ca.crt;\n');
    expect(conf).toContain('ssl_verify_client on;\n');
    expect(conf).toContain('ssl_verify_depth 2;\n');
    expect(conf).toContain('proxy_set_header ssl-client-subject-dn $ssl_client_s_dn;');
    const pod = find(manifests, 'Deployment').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'secret-1', configMap: { name: 'partners-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'secret-1', mountPath: '/etc/nginx/client-ca', readOnly: true });

    const optional = expose(nginxGateway(ExposureStrategy.nodePort()), base(ClientCertificates.optional({ caSecret: 'partners-ca' })));
    expect(find(optional, 'ConfigMap').data['nginx.conf']).toContain('ssl_verify_client optional;\n');
    expect(find(optional, 'Deployment').spec.template.spec.volumes).toContainEqual(
      { name: 'secret-1', secret: { secretName: 'partners-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
  });

  test('NGINX engine: the identity headers are the engine\'s, never a request header edit', () => {
    const routes = [{ requestHeaders: { set: { 'SSL-Client-Verify': 'SUCCESS' } } }];
    expect(errorOf(nginxGateway(), { ...base(ClientCertificates.require({ caSecret: 'partners-ca' })), routes })).toBe(
      'ExposedService test/public: routes[0].requestHeaders: the NGINX engine sets "ssl-client-verify" itself from the verified client certificate; remove it from the edits');
  });

  test('NGINX engine behind an L7 front: TLS ends at the front, refused', () => {
    expect(errorOf(nginxGateway(ExposureStrategy.istio()), base(ClientCertificates.require({ caSecret: 'shop-tls' })))).toBe(
      'ExposedService test/public: tls.clientCertificates: behind istio TLS ends at the front, so the gateway sees no client certificate; '
      + 'expose the gateway with loadBalancer or nodePort (it then terminates TLS), or declare the exposure with the front\'s strategy itself');
  });

  test.each([
    ['nodePort', ExposureStrategy.nodePort(), 'nodePort'],
    ['loadBalancer', ExposureStrategy.loadBalancer(), 'loadBalancer'],
    ['a generic Ingress', ExposureStrategy.ingress({ className: 'traefik' }), 'ingress'],
    ['the Kong engine', ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }), 'apiGateway (kong)'],
  ])('%s refuses client certificates', (_, strategy, name) => {
    expect(errorOf(strategy, base(ClientCertificates.require({ caSecret: 'partners-ca' })), 'shop')).toContain(
      `ExposedService test/public: tls.clientCertificates: 'client-certificates' is not supported by ${name}; `
      + 'supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx)\n'
      + `ExposedService test/public: tls.clientCertificates.caSecret: 'client-ca-secret' is not supported by ${name}; `
      + 'supported by: ingress (ingressNginx), istio, apiGateway (nginx)');
  });

  test('no ConfigMap or Secret of the output: the Gateway API reference check reads the kind', () => {
    expect(ofKind(expose(ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }), base(ClientCertificates.require({ caConfigMap: 'ca' }))), 'ReferenceGrant')).toEqual([]);
  });
});
