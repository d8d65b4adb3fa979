import * as kplus from 'cdk8s-plus-27';
import * as YAML from 'yaml';
import { ApiGatewayEngine, Auth, Backend, ExposedService, ExposedServiceProps, ExposureStrategy, IngressController, RateLimit, Tls } from '../src';
import { hygieneProblems } from './support/hygiene';
import { find, Manifest, ofKind, synthChecked, testChart } from './support/synth';

const STRATEGIES: Record<string, () => ExposureStrategy> = {
  'ingress (ingressNginx)': () => ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }),
  'istio': () => ExposureStrategy.istio(),
  'gatewayApi': () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }),
  'apiGateway (nginx)': () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
  'apiGateway (kong)': () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }),
};

function expose(strategy: ExposureStrategy, props: Partial<ExposedServiceProps>): Manifest[] {
  const chart = testChart('shop', 'shop');
  new ExposedService(chart, 'public', { strategy, hosts: ['shop.example.com'], backend: Backend.fromName('web', 80), ...props });
  return synthChecked(chart);
}

describe('secure defaults', () => {
  /** How each strategy answers plain HTTP when TLS is declared. */
  const REDIRECTS: Record<string, (m: Manifest[]) => void> = {
    'ingress (ingressNginx)': (m) => expect(find(m, 'Ingress').metadata.annotations?.['nginx.ingress.kubernetes.io/ssl-redirect']).toBe('true'),
    'istio': (m) => expect(find(m, 'Gateway').spec.servers[0]).toEqual(expect.objectContaining({ port: expect.objectContaining({ number: 80 }), tls: { httpsRedirect: true } })),
    'gatewayApi': (m) => expect(find(m, 'HTTPRoute', 'shop-public-https-redirect').spec.rules[0].filters[0])
      .toEqual({ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }),
    'apiGateway (nginx)': (m) => expect(find(m, 'ConfigMap').data['nginx.conf']).toMatch(/listen 8080;\n\s+server_name shop\.example\.com;\n\s+return 301 https:\/\/\$host\$request_uri;/),
    'apiGateway (kong)': (m) => expect(YAML.parse(find(m, 'ConfigMap').data['kong.yml'], { version: '1.1' }).services[0].routes[0])
      .toEqual(expect.objectContaining({ protocols: ['https'], https_redirect_status_code: 301 })),
  };

  test.each(Object.keys(STRATEGIES))('TLS declared: plain HTTP redirects to HTTPS (%s)', (name) => {
    REDIRECTS[name](expose(STRATEGIES[name](), { tls: Tls.fromSecret('shop-tls') }));
  });

  test.each(['apiGateway (nginx)', 'apiGateway (kong)'])('TLS declared: the API gateway sends HSTS (%s)', (name) => {
    const config = JSON.stringify(find(expose(STRATEGIES[name](), { tls: Tls.fromSecret('shop-tls') }), 'ConfigMap').data);
    expect(config).toContain('Strict-Transport-Security');
    expect(config).toContain('max-age=31536000; includeSubDomains');
  });

  test.each(Object.keys(STRATEGIES))('no Secret value reaches the synthesized YAML (%s)', (name) => {
    const chart = testChart('shop', 'shop');
    const values = { 'tls.crt': 'CERTIFICATE-BODY-1234', 'tls.key': 'PRIVATE-KEY-5678', 'alice': 'api-key-of-alice-9012' };
    const tlsSecret = new kplus.Secret(chart, 'tls', { stringData: { 'tls.crt': values['tls.crt'], 'tls.key': values['tls.key'] } });
    const keys = new kplus.Secret(chart, 'keys', { stringData: { alice: values.alice } });
    const apiGateway = name.startsWith('apiGateway');
    new ExposedService(chart, 'public', {
      strategy: STRATEGIES[name](),
      hosts: ['shop.example.com'],
      backend: Backend.fromName('web', 80),
      tls: Tls.fromSecret(tlsSecret),
      ...(apiGateway ? { auth: Auth.apiKey({ secret: keys }), rateLimit: RateLimit.perSecond(5) } : {}),
    });
    const library = synthChecked(chart).filter((m) => m.kind !== 'Secret');
    const yaml = JSON.stringify(library);
    for (const value of Object.values(values)) expect(yaml).not.toContain(value);
    // Only the names are referenced.
    expect(yaml).toContain(tlsSecret.name);
    if (apiGateway) expect(yaml).toContain(keys.name);
  });

  test.each(Object.keys(STRATEGIES))('no wildcard host unless declared (%s)', (name) => {
    const manifests = expose(STRATEGIES[name](), { tls: Tls.fromSecret('shop-tls') });
    for (const m of manifests) {
      const h = [
        ...(m.spec?.rules ?? []).map((r: any) => r.host),
        ...(m.spec?.hostnames ?? []),
        ...(m.spec?.hosts ?? []),
        ...(m.spec?.servers ?? []).flatMap((s: any) => s.hosts),
        ...(m.spec?.listeners ?? []).map((l: any) => l.hostname),
      ].filter((x) => x !== undefined);
      expect(h.every((x: string) => x === 'shop.example.com')).toBe(true);
    }
    if (name === 'apiGateway (nginx)') expect(find(manifests, 'ConfigMap').data['nginx.conf']).not.toMatch(/server_name [^;]*\*/);
  });

  test.each(['apiGateway (nginx)', 'apiGateway (kong)'])('the gateway workloads pass the kube-linter default checks (%s)', (name) => {
    const manifests = expose(STRATEGIES[name](), { tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }), auth: Auth.apiKey({ secret: 'keys' }) });
    expect(ofKind(manifests, 'Deployment')).toHaveLength(1);
    expect(hygieneProblems(manifests)).toEqual([]);
  });
});
