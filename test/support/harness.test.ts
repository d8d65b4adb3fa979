import { CelRuleSet, celProblems, escapeProperty } from './cel';
import { crossReferenceProblems } from './cross-references';
import { gatewayApiReferenceProblems } from './gateway-api-references';
import { hygieneProblems } from './hygiene';
import { ingressNginxAnnotationProblems } from './ingress-nginx-annotations';
import { istioReferenceProblems } from './istio-references';
import { kongConfigProblems, kongIngressControllerProblems } from './kong-schema';
import { celRuleCount, celRuleReport, Manifest, schemaProblems } from './schema';
import { manifestProblems, testChart } from './synth';

// The checks every suite relies on must themselves catch what they claim to.
const ingress = (spec: any, extra: any = {}): Manifest => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', ...extra }, spec,
});
const backend = { service: { name: 'web', port: { number: 80 } } };
const service: Manifest = {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
};
const deployment: Manifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 8080 }] }] } },
  },
};

describe('schema check', () => {
  test('accepts a valid manifest', () => {
    expect(schemaProblems([ingress({ ingressClassName: 'nginx', defaultBackend: backend })])).toEqual([]);
  });

  test('rejects unknown fields, as kubectl apply does', () => {
    expect(schemaProblems([ingress({ ingressClassName: 'nginx', defaultBackend: backend, backend })]))
      .toEqual(['Ingress/web: /spec must NOT have additional properties "backend"']);
    expect(schemaProblems([ingress({ defaultBackend: backend }, { labelz: {} })]))
      .toEqual(['Ingress/web: /metadata must NOT have additional properties "labelz"']);
  });

  test('rejects wrong types and missing required fields', () => {
    expect(schemaProblems([ingress({ rules: [{ http: { paths: [{ path: '/', backend }] } }] })]))
      .toEqual(["Ingress/web: /spec/rules/0/http/paths/0 must have required property 'pathType'"]);
  });

  test('checks custom resources against the vendored CRD schema', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web' },
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }], timeout: '5s' }] },
    };
    expect(schemaProblems([route])).toEqual(['HTTPRoute/web: /spec/rules/0 must NOT have additional properties "timeout"']);
  });

  test('refuses kinds and versions it has no schema for', () => {
    expect(schemaProblems([{ apiVersion: 'networking.k8s.io/v1beta1', kind: 'Ingress', metadata: { name: 'web' } }]))
      .toEqual(['Ingress/web: no schema for networking.k8s.io/v1beta1/Ingress: the check knows only the vendored versions']);
  });
});

describe('cross-reference check', () => {
  test('accepts a Deployment, its Service and an Ingress to it', () => {
    expect(crossReferenceProblems([deployment, service, ingress({ ingressClassName: 'nginx', defaultBackend: backend })])).toEqual([]);
  });

  test('finds backends that resolve to nothing, unless declared external', () => {
    const orphan = ingress({ ingressClassName: 'nginx', rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] });
    expect(crossReferenceProblems([orphan])).toEqual(['Ingress/web: backend web:80 is no Service port in the output nor a declared external Service']);
    expect(crossReferenceProblems([orphan], [{ name: 'web', port: 80 }])).toEqual([]);
    expect(crossReferenceProblems([deployment, service, ingress({ ingressClassName: 'nginx', defaultBackend: { service: { name: 'web', port: { number: 81 } } } })]))
      .toEqual(['Ingress/web: backend web:81 is no Service port in the output nor a declared external Service']);
  });

  test('finds selectors that select nothing and target ports no container has', () => {
    const bad = { ...service, spec: { selector: { app: 'api' }, ports: [{ port: 80 }] } };
    expect(crossReferenceProblems([deployment, bad])).toEqual(['Service/web: selector {"app":"api"} selects no pod template in the output']);
    const wrongPort = { ...service, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9090 }] } };
    expect(crossReferenceProblems([deployment, wrongPort])).toEqual(['Service/web: targetPort 9090 is not a container port of the selected pods (8080)']);
  });

  test('finds invalid and duplicate names, and TLS hosts without a rule', () => {
    const tls = ingress({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['b.example.com'], secretName: 'tls' }],
      rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }],
    });
    expect(crossReferenceProblems([deployment, service, service, tls, { ...tls, metadata: { name: 'Bad_Name' } }])).toEqual([
      'Service/web: two objects of this kind have this name in namespace "(default)"',
      'Ingress/Bad_Name: name is not a DNS-1123 subdomain',
      'Ingress/web: TLS host b.example.com has no rule',
      'Ingress/Bad_Name: TLS host b.example.com has no rule',
    ]);
  });
});

describe('Istio cross-reference check', () => {
  const gw = (hosts: string[]): Manifest => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'gw' },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }] },
  });
  const vs = (http: any[], gateways = ['gw']): Manifest => ({
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'vs' }, spec: { hosts: ['a.example.com'], gateways, http },
  });
  const to = (host: string, extra: any = {}) => ({ destination: { host, port: { number: 80 }, ...extra.destination }, ...extra.route });

  test('accepts a VirtualService bound to a Gateway that serves its host, routing to a Service', () => {
    expect(istioReferenceProblems([deployment, service, gw(['*.example.com']), vs([{ route: [to('web')] }])], [], [])).toEqual([]);
  });

  test('finds missing gateways, unserved hosts, unresolved destinations and bad weights', () => {
    expect(istioReferenceProblems([deployment, service, gw(['b.example.com']), vs([{ route: [to('web', { route: { weight: 60 } }), to('api', { route: { weight: 30 } })] }], ['gw', 'other'])], [], []))
      .toEqual([
        'VirtualService/vs: host a.example.com is served by no server of Gateway gw',
        'VirtualService/vs: gateway other is not in the output nor declared existing',
        'VirtualService/vs: http[0].route[1] api:80 is no Service port in the output nor a declared external Service',
        'VirtualService/vs: http[0] weights do not sum to 100',
      ]);
  });

  test('finds subsets no DestinationRule defines, and subsets that select no pods', () => {
    const rule = (labels: any): Manifest => ({
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'web' }, spec: { host: 'web', subsets: [{ name: 'v1', labels }] },
    });
    const http = [{ route: [to('web', { destination: { subset: 'v1' } })] }];
    expect(istioReferenceProblems([deployment, service, gw(['*']), vs(http)], [], []))
      .toEqual(['VirtualService/vs: http[0].route[0] subset v1 of web is defined by no DestinationRule']);
    expect(istioReferenceProblems([deployment, service, gw(['*']), vs(http), rule({ version: 'v1' })], [], []))
      .toEqual(['VirtualService/vs: http[0].route[0] subset v1 ({"app":"web","version":"v1"}) selects no pod template in the output']);
    expect(istioReferenceProblems([deployment, service, gw(['*']), vs(http), rule({ app: 'web' })], [], [])).toEqual([]);
  });
});

describe('Gateway API checks', () => {
  const G = 'gateway.networking.k8s.io';
  const gateway = (listener: any, namespace = 'shop'): Manifest => ({
    apiVersion: `${G}/v1`, kind: 'Gateway', metadata: { name: 'gw', namespace }, spec: { gatewayClassName: 'eg', listeners: [listener] },
  });
  const listener = { name: 'http', protocol: 'HTTP', port: 80, hostname: 'a.example.com', allowedRoutes: { namespaces: { from: 'Same' } } };
  const route = (rule: any, extra: any = {}): Manifest => ({
    apiVersion: `${G}/v1`,
    kind: 'HTTPRoute',
    metadata: { name: 'r', namespace: 'shop' },
    spec: { parentRefs: [{ name: 'gw', ...extra.parent }], hostnames: extra.hostnames ?? ['a.example.com'], rules: [rule] },
  });
  const svc: Manifest = { ...service, metadata: { name: 'web', namespace: 'shop' } };
  const dep: Manifest = { ...deployment, metadata: { name: 'web', namespace: 'shop' } };
  const toWeb = { backendRefs: [{ name: 'web', port: 80 }] };

  test('the experimental channel accepts retry, the standard one does not', () => {
    const withRetry = route({ ...toWeb, retry: { attempts: 2 } });
    expect(schemaProblems([withRetry], 'standard')).toEqual(['HTTPRoute/r: /spec/rules/0 must NOT have additional properties "retry"']);
    expect(schemaProblems([withRetry], 'experimental')).toEqual([]);
  });

  test('accepts a route a listener accepts', () => {
    expect(gatewayApiReferenceProblems([dep, svc, gateway(listener), route(toWeb)], [], [])).toEqual([]);
  });

  test('BackendTLSPolicy: its CEL rules, a Service target of its namespace, a CA', () => {
    const policy = (validation: any, target = 'web'): Manifest => ({
      apiVersion: `${G}/v1`,
      kind: 'BackendTLSPolicy',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { targetRefs: [{ group: '', kind: 'Service', name: target }], validation },
    });
    const ca = { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }] };
    for (const channel of ['standard', 'experimental'] as const) {
      expect(schemaProblems([policy({ hostname: 'web.internal', ...ca })], channel)).toEqual([]);
      expect(schemaProblems([policy({ hostname: 'web.internal', ...ca, wellKnownCACertificates: 'System' })], channel).map((p) => p.replace(/ \(rule: [^]*\)$/, '')))
        .toEqual(['BackendTLSPolicy/p: spec.validation: must not contain both CACertificateRefs and WellKnownCACertificates']);
      expect(schemaProblems([policy({ ...ca })], channel)).toEqual(['BackendTLSPolicy/p: /spec/validation must have required property \'hostname\'']);
    }
    expect(gatewayApiReferenceProblems([dep, svc, policy({ hostname: 'web.internal', ...ca })], [], [])).toEqual([]);
    expect(gatewayApiReferenceProblems([policy({ hostname: 'web.internal', wellKnownCACertificates: 'System' }, 'gone')], [], [])).toEqual([
      'BackendTLSPolicy/p: target Service shop/gone is no Service in the output nor a declared external Service',
    ]);
  });

  test('an ExtensionRef filter names an object of its group, kind and name in the route\'s namespace', () => {
    const filtered = route({ ...toWeb, filters: [{ type: 'ExtensionRef', extensionRef: { group: 'traefik.io', kind: 'Middleware', name: 'limit' } }] });
    const middleware = (name: string, namespace = 'shop'): Manifest => ({
      apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name, namespace }, spec: { rateLimit: { average: 10 } },
    });
    expect(gatewayApiReferenceProblems([dep, svc, gateway(listener), filtered, middleware('limit')], [], [])).toEqual([]);
    for (const wrong of [middleware('other'), middleware('limit', 'infra')]) {
      expect(gatewayApiReferenceProblems([dep, svc, gateway(listener), filtered, wrong], [], [])).toEqual([
        'HTTPRoute/r: rules[0] ExtensionRef traefik.io/Middleware limit is not in the output',
        `Middleware/${wrong.metadata.name}: no route rule references it`,
      ]);
    }
  });

  test('a Traefik basic auth Secret of the output is one Traefik reads: one key of htpasswd lines, or a basic-auth Secret', () => {
    const filtered = route({ ...toWeb, filters: [{ type: 'ExtensionRef', extensionRef: { group: 'traefik.io', kind: 'Middleware', name: 'auth' } }] });
    const auth: Manifest = { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'auth', namespace: 'shop' }, spec: { basicAuth: { secret: 'admins' } } };
    const secret = (fields: Record<string, unknown>): Manifest => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'admins', namespace: 'shop' }, ...fields });
    const problems = (s: Manifest) => gatewayApiReferenceProblems([dep, svc, gateway(listener), filtered, auth, s], [], []);
    expect(problems(secret({ stringData: { auth: 'admin:{SHA}x' } }))).toEqual([]);
    expect(problems(secret({ type: 'kubernetes.io/basic-auth', stringData: { username: 'admin', password: 'x' } }))).toEqual([]);
    expect(problems(secret({ stringData: { 'auth': 'admin:{SHA}x', '.htpasswd': 'admin:{SHA}x' } })))
      .toEqual(['Middleware/auth: basic auth Secret admins has 2 keys; Traefik reads htpasswd lines from its only key']);
    expect(problems(secret({ type: 'kubernetes.io/basic-auth', stringData: { username: 'admin' } })))
      .toEqual(['Middleware/auth: basic auth Secret admins of type kubernetes.io/basic-auth without username and password']);
  });

  test('NGINX Gateway Fabric: policies target a route or Service of the output, once, without sectionName; the basic auth Secret\'s type and key', () => {
    const N = 'gateway.nginx.org/v1alpha1';
    const rateLimit = (targetRef: any, name = 'p'): Manifest => ({
      apiVersion: N,
      kind: 'RateLimitPolicy',
      metadata: { name, namespace: 'shop' },
      spec: { targetRefs: [targetRef], rateLimit: { local: { rules: [{ key: '$binary_remote_addr', rate: '1r/s' }] } } },
    });
    const upstream = (name: string): Manifest => ({
      apiVersion: N,
      kind: 'UpstreamSettingsPolicy',
      metadata: { name: 'u', namespace: 'shop' },
      spec: { targetRefs: [{ group: '', kind: 'Service', name }], loadBalancingMethod: 'hash consistent', hashMethodKey: '$remote_addr' },
    });
    const toRoute = { group: G, kind: 'HTTPRoute', name: 'r' };
    const base = [dep, svc, gateway(listener), route(toWeb)];
    expect(gatewayApiReferenceProblems([...base, rateLimit(toRoute), upstream('web')], [], [])).toEqual([]);
    expect(gatewayApiReferenceProblems([...base, rateLimit({ ...toRoute, name: 'gone' }), upstream('gone')], [], [])).toEqual([
      'RateLimitPolicy/p: target HTTPRoute shop/gone is not in the output',
      'UpstreamSettingsPolicy/u: target Service shop/gone is not in the output nor a declared external Service',
    ]);
    expect(gatewayApiReferenceProblems([...base, rateLimit({ ...toRoute, sectionName: 'x' }), rateLimit(toRoute, 'q')], [], [])).toEqual([
      'RateLimitPolicy/p: target HTTPRoute shop/r has a sectionName, which NGINX Gateway Fabric\'s policies do not take',
      'RateLimitPolicy/q: a second RateLimitPolicy -> HTTPRoute shop/r',
    ]);
    const filter: Manifest = {
      apiVersion: N,
      kind: 'AuthenticationFilter',
      metadata: { name: 'f', namespace: 'shop' },
      spec: { type: 'Basic', basic: { secretRef: { name: 'admins' }, realm: 'Shop' } },
    };
    const secret = (type: string, key: string): Manifest => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'admins', namespace: 'shop' }, type, data: { [key]: 'eA==' } });
    expect(gatewayApiReferenceProblems([...base, filter, secret('nginx.org/htpasswd', 'auth')], [], [])).toEqual([]);
    for (const wrong of [secret('Opaque', 'auth'), secret('nginx.org/htpasswd', '.htpasswd')]) {
      expect(gatewayApiReferenceProblems([...base, filter, wrong], [], []))
        .toEqual(['AuthenticationFilter/f: basic auth Secret admins is not of type nginx.org/htpasswd with the key auth']);
    }
  });

  test('Envoy Gateway: the Secrets of the output that a SecurityPolicy reads have its format', () => {
    const policy = (spec: any): Manifest => ({
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'SecurityPolicy',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { targetRefs: [{ group: G, kind: 'HTTPRoute', name: 'r' }], ...spec },
    });
    const secret = (extra: any): Manifest => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys', namespace: 'shop' }, ...extra });
    const apiKeys = policy({ apiKeyAuth: { credentialRefs: [{ name: 'keys' }], extractFrom: [{ headers: ['x-api-key'] }] } });
    const base = [dep, svc, gateway(listener), route(toWeb)];
    expect(gatewayApiReferenceProblems([...base, apiKeys], [], [])).toEqual([]);
    expect(gatewayApiReferenceProblems([...base, apiKeys, secret({ stringData: { alice: 'k1' } })], [], [])).toEqual([]);
    expect(gatewayApiReferenceProblems([...base, apiKeys, secret({ type: 'kubernetes.io/basic-auth', stringData: { username: 'a', password: 'b' } })], [], []))
      .toEqual(['SecurityPolicy/p: API key Secret keys is of type kubernetes.io/basic-auth, not Opaque']);
    expect(gatewayApiReferenceProblems([...base, apiKeys, secret({})], [], [])).toEqual(['SecurityPolicy/p: API key Secret keys has no client ids']);
    expect(gatewayApiReferenceProblems([...base, apiKeys, secret({ stringData: { alice: '' } })], [], [])).toEqual(['SecurityPolicy/p: API key Secret keys: client alice has an empty key']);
    const basic = policy({ basicAuth: { users: { name: 'keys' } } });
    expect(gatewayApiReferenceProblems([...base, basic, secret({ stringData: { auth: 'alice:{SHA}x' } })], [], [])).toEqual(['SecurityPolicy/p: basic auth Secret keys has no key .htpasswd']);
  });

  test('Istio policies by targetRefs: a Gateway API Gateway of the output or a declared existing one, in the policy\'s namespace', () => {
    const policy = (namespace: string, ref: any = { group: G, kind: 'Gateway', name: 'gw' }, extra: any = {}): Manifest => ({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'p', namespace },
      spec: { targetRefs: [ref], action: 'DENY', rules: [{ from: [{ source: { remoteIpBlocks: ['203.0.113.0/24'] } }] }], ...extra },
    });
    const routed = [dep, svc, gateway(listener), route(toWeb)];
    expect(gatewayApiReferenceProblems([...routed, policy('shop')], [], [])).toEqual([]);
    expect(gatewayApiReferenceProblems([...routed, policy('infra')], [], ['infra/gw'])).toEqual([]);
    expect(gatewayApiReferenceProblems([...routed, policy('infra')], [], [])).toEqual([
      'AuthorizationPolicy/p: target Gateway infra/gw is no Gateway of the output nor a declared existing one in the policy\'s namespace',
    ]);
    expect(gatewayApiReferenceProblems([...routed, policy('shop', { group: G, kind: 'Gateway', name: 'gw', namespace: 'shop' })], [], [])).toEqual([
      'AuthorizationPolicy/p: target Gateway shop/gw names a namespace; Istio attaches from the Gateway\'s own',
    ]);
    expect(gatewayApiReferenceProblems([...routed, policy('shop', { group: G, kind: 'HTTPRoute', name: 'r' })], [], [])).toEqual([
      `AuthorizationPolicy/p: target ${G}/HTTPRoute is not a Gateway API Gateway`,
    ]);
    expect(gatewayApiReferenceProblems([...routed, policy('shop', undefined, { selector: { matchLabels: { istio: 'ingressgateway' } } })], [], [])).toEqual([
      'AuthorizationPolicy/p: both targetRefs and selector',
    ]);
    // The CRD refuses both, and a namespace in the reference (its CEL rules).
    expect(schemaProblems([policy('shop', { group: G, kind: 'Gateway', name: 'gw', namespace: 'shop' })], 'standard').map((p) => p.replace(/ \(rule: [^]*\)$/, '')))
      .toEqual(['AuthorizationPolicy/p: spec.targetRefs[0].namespace: cross namespace referencing is not currently supported']);
  });

  test('finds routes no listener accepts: hostname, sectionName, namespace', () => {
    expect(gatewayApiReferenceProblems([dep, svc, gateway(listener), route(toWeb, { hostnames: ['b.example.com'] })], [], []))
      .toEqual(['HTTPRoute/r: no listener of Gateway gw accepts the route']);
    expect(gatewayApiReferenceProblems([dep, svc, gateway(listener), route(toWeb, { parent: { sectionName: 'https' } })], [], []))
      .toEqual(['HTTPRoute/r: no listener of Gateway gw/https accepts the route']);
    expect(gatewayApiReferenceProblems([dep, svc, gateway(listener, 'infra'), route(toWeb, { parent: { namespace: 'infra' } })], [], []))
      .toEqual(['HTTPRoute/r: no listener of Gateway gw accepts the route']);
  });

  test('client certificate validation: one core ConfigMap with ca.crt, granted across namespaces, on a Gateway with HTTPS', () => {
    const https = { name: 'https', protocol: 'HTTPS', port: 443, hostname: 'a.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] } };
    const validating = (refs: any[], l: any = https): Manifest => {
      const gw = gateway(l);
      return { ...gw, spec: { ...gw.spec, tls: { frontend: { default: { validation: { caCertificateRefs: refs } } } } } };
    };
    const configMap = (data: any): Manifest => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ca', namespace: 'shop' }, data });
    expect(gatewayApiReferenceProblems([validating([{ group: '', kind: 'ConfigMap', name: 'ca' }])], [], [])).toEqual([]);
    expect(gatewayApiReferenceProblems([validating([{ group: '', kind: 'ConfigMap', name: 'ca' }]), configMap({ 'ca.crt': 'pem' })], [], [])).toEqual([]);
    expect(gatewayApiReferenceProblems([validating([{ group: '', kind: 'ConfigMap', name: 'ca' }]), configMap({ 'tls.crt': 'pem' })], [], []))
      .toEqual(['Gateway/gw: client CA ConfigMap ca has no ca.crt']);
    expect(gatewayApiReferenceProblems([validating([{ group: '', kind: 'Secret', name: 'ca' }])], [], []))
      .toEqual(['Gateway/gw: client CA /Secret ca is not a core ConfigMap']);
    expect(gatewayApiReferenceProblems([validating([{ group: '', kind: 'ConfigMap', name: 'ca', namespace: 'pki' }])], [], []))
      .toEqual(['Gateway/gw: client CA ConfigMap pki/ca without a ReferenceGrant']);
    expect(gatewayApiReferenceProblems([validating([{ group: '', kind: 'ConfigMap', name: 'ca' }], listener)], [], []))
      .toEqual(['Gateway/gw: client validation without an HTTPS listener']);
  });

  test('finds cross-namespace references without a ReferenceGrant', () => {
    const other = route({ backendRefs: [{ name: 'users', namespace: 'team-a', port: 80 }] });
    expect(gatewayApiReferenceProblems([gateway(listener), other], [{ name: 'users', namespace: 'team-a', port: 80 }], []))
      .toEqual(['HTTPRoute/r: rules[0].backendRefs[0] team-a/users has no ReferenceGrant']);
    const grant: Manifest = {
      apiVersion: `${G}/v1beta1`,
      kind: 'ReferenceGrant',
      metadata: { name: 'g', namespace: 'team-a' },
      spec: { from: [{ group: G, kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service', name: 'users' }] },
    };
    expect(gatewayApiReferenceProblems([gateway(listener), other, grant], [{ name: 'users', namespace: 'team-a', port: 80 }], [])).toEqual([]);
  });

  test('a rule that neither forwards nor redirects is reported', () => {
    expect(gatewayApiReferenceProblems([dep, svc, gateway(listener), route({})], [], []))
      .toEqual(['HTTPRoute/r: rules[0] neither forwards nor redirects']);
  });

  test('a listener accepts the route kinds of its protocol: TLSRoute on TLS Passthrough, TCPRoute on TCP', () => {
    const passthrough = { name: 'tls', protocol: 'TLS', port: 443, hostname: 'a.example.com', tls: { mode: 'Passthrough' } };
    const tcp = { name: 'tcp', protocol: 'TCP', port: 5432 };
    const stream = (kind: string, sectionName: string): Manifest => ({
      apiVersion: `${G}/v1`, kind, metadata: { name: 'r', namespace: 'shop' }, spec: { parentRefs: [{ name: 'gw', sectionName }], rules: [toWeb] },
    });
    expect(gatewayApiReferenceProblems([dep, svc, gateway(passthrough), stream('TLSRoute', 'tls')], [], [])).toEqual([]);
    expect(gatewayApiReferenceProblems([dep, svc, gateway(tcp), stream('TCPRoute', 'tcp')], [], [])).toEqual([]);
    expect(gatewayApiReferenceProblems([dep, svc, gateway(tcp), stream('TLSRoute', 'tcp')], [], [])).toEqual(['TLSRoute/r: no listener of Gateway gw/tcp accepts the route']);
    expect(gatewayApiReferenceProblems([dep, svc, gateway(listener), stream('TCPRoute', 'http')], [], [])).toEqual(['TCPRoute/r: no listener of Gateway gw/http accepts the route']);
    expect(gatewayApiReferenceProblems([dep, svc, gateway({ ...passthrough, tls: { mode: 'Terminate' } }), stream('TLSRoute', 'tls')], [], []))
      .toEqual(['TLSRoute/r: no listener of Gateway gw/tls accepts the route']);
    expect(gatewayApiReferenceProblems([dep, svc, gateway(passthrough), route(toWeb, { parent: { sectionName: 'tls' } })], [], []))
      .toEqual(['HTTPRoute/r: no listener of Gateway gw/tls accepts the route']);
    const toNothing = { ...stream('TCPRoute', 'tcp'), spec: { parentRefs: [{ name: 'gw', sectionName: 'tcp' }], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] } };
    expect(gatewayApiReferenceProblems([dep, svc, gateway(tcp), toNothing], [], []))
      .toEqual(['TCPRoute/r: rules[0].backendRefs[0] db:5432 is no Service port in the output nor a declared external Service']);
  });

  test('TLSRoute hostnames: no IP address (Kubernetes isIP), wildcards only as a leading label', () => {
    const tlsRoute = (hostnames: string[]): Manifest => ({
      apiVersion: `${G}/v1`, kind: 'TLSRoute', metadata: { name: 'r' }, spec: { parentRefs: [{ name: 'gw' }], hostnames, rules: [toWeb] },
    });
    expect(schemaProblems([tlsRoute(['db.example.com', '*.example.com'])])).toEqual([]);
    expect(schemaProblems([tlsRoute(['10.0.0.1'])]).map((p) => p.replace(/ \(rule: [^]*\)$/, ''))).toContain('TLSRoute/r: spec.hostnames: Hostnames cannot contain an IP');
    expect(schemaProblems([tlsRoute(['a.*.example.com'])])).not.toEqual([]);
  });
});

describe('CEL rules of the CRDs (x-kubernetes-validations)', () => {
  const G = 'gateway.networking.k8s.io/v1';
  const httpRoute = (rule: any, spec: any = {}): Manifest => ({
    apiVersion: G, kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { parentRefs: [{ name: 'gw' }], rules: [rule], ...spec },
  });
  const toWeb = { backendRefs: [{ name: 'web', port: 80 }] };
  /** The messages of the CEL failures, without the rule text. */
  const messages = (manifests: Manifest[], channel?: 'standard' | 'experimental') =>
    schemaProblems(manifests, channel).map((p) => p.replace(/ \(rule: [^]*\)$/, ''));

  test('every rule of every CRD compiles: none is skipped but the transition rules', () => {
    expect(celRuleReport()).toEqual({ compiled: 249, transitionRules: 9, unsupported: [] });
    expect(celRuleCount()).toBe(249);
  });

  test('a failure names the object, the field, the message and the rule', () => {
    expect(schemaProblems([httpRoute({ ...toWeb, matches: [{ path: { type: 'PathPrefix', value: '/a//b' } }] })])).toEqual([
      "HTTPRoute/r: spec.rules[0].matches[0].path: must not contain '//' when type one of ['Exact', 'PathPrefix'] "
        + "(rule: (self.type in ['Exact','PathPrefix']) ? !self.value.contains('//') : true)",
    ]);
    expect(schemaProblems([httpRoute({ ...toWeb, matches: [{ path: { type: 'PathPrefix', value: '/a/b' } }] })])).toEqual([]);
  });

  test('HTTPRoute: RequestRedirect and URLRewrite filters together, redirect with backends, prefix rewrite of an exact match', () => {
    const redirect = { type: 'RequestRedirect', requestRedirect: { scheme: 'https' } };
    const rewrite = { type: 'URLRewrite', urlRewrite: { hostname: 'b.example.com' } };
    expect(messages([httpRoute({ filters: [redirect, rewrite] })])).toEqual([
      'HTTPRoute/r: spec.rules[0].filters: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
    ]);
    expect(messages([httpRoute({ filters: [redirect] }), httpRoute({ ...toWeb, filters: [rewrite] })])).toEqual([]);
    expect(messages([httpRoute({ ...toWeb, filters: [redirect] })]))
      .toEqual(['HTTPRoute/r: spec.rules[0]: RequestRedirect filter must not be used together with backendRefs']);
    const prefixRewrite = { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } };
    expect(messages([httpRoute({ ...toWeb, matches: [{ path: { type: 'Exact', value: '/a' } }], filters: [prefixRewrite] })]))
      .toEqual(['HTTPRoute/r: spec.rules[0]: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified']);
    expect(messages([httpRoute({ ...toWeb, matches: [{ path: { type: 'PathPrefix', value: '/a' } }], filters: [prefixRewrite] })])).toEqual([]);
    expect(messages([httpRoute({ ...toWeb, timeouts: { request: '1s', backendRequest: '1s500ms' } })]))
      .toEqual(['HTTPRoute/r: spec.rules[0].timeouts: backendRequest timeout cannot be longer than request timeout']);
    // A request timeout of 0s means none.
    expect(messages([httpRoute({ ...toWeb, timeouts: { request: '0s', backendRequest: '1s500ms' } })])).toEqual([]);
  });

  test('rules see the defaults the API server applies (group, kind, method type)', () => {
    // backendRef kind defaults to Service and group to "": a Service needs a port.
    expect(messages([httpRoute({ backendRefs: [{ name: 'web' }] })]))
      .toEqual(['HTTPRoute/r: spec.rules[0].backendRefs[0]: Must have port for Service reference']);
    expect(messages([httpRoute({ backendRefs: [{ name: 'web', group: 'example.com', kind: 'Bucket' }] })])).toEqual([]);
    // Two parentRefs to the same Gateway (group and kind defaulted) need distinct sectionNames.
    expect(messages([httpRoute(toWeb, { parentRefs: [{ name: 'gw' }, { name: 'gw', kind: 'Gateway' }] })])).toEqual([
      'HTTPRoute/r: spec.parentRefs: sectionName must be unique when parentRefs includes 2 or more references to the same parent',
    ]);
    expect(messages([httpRoute(toWeb, { parentRefs: [{ name: 'gw', sectionName: 'a' }, { name: 'gw', sectionName: 'b' }] })])).toEqual([]);
  });

  test('Gateway listeners: tls per protocol, unique names', () => {
    const gateway = (...listeners: any[]): Manifest => ({ apiVersion: G, kind: 'Gateway', metadata: { name: 'gw' }, spec: { gatewayClassName: 'eg', listeners } });
    const tls = { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] };
    expect(messages([gateway({ name: 'http', protocol: 'HTTP', port: 80, tls })]))
      .toEqual(["Gateway/gw: spec.listeners: tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"]);
    expect(messages([gateway({ name: 'https', protocol: 'HTTPS', port: 443, tls: { mode: 'Passthrough' } })]))
      .toEqual(['Gateway/gw: spec.listeners: tls mode must be Terminate for protocol HTTPS']);
    expect(messages([gateway({ name: 'a', protocol: 'HTTP', port: 80 }, { name: 'a', protocol: 'HTTP', port: 8080 })]))
      .toEqual(['Gateway/gw: spec.listeners: Listener name must be unique within the Gateway']);
    expect(messages([gateway({ name: 'http', protocol: 'HTTP', port: 80 }, { name: 'https', protocol: 'HTTPS', port: 443, tls })])).toEqual([]);
  });

  test('GRPCRoute method match: service or method, with valid characters (RE2 (?i) included)', () => {
    const grpcRoute = (method: any): Manifest => ({
      apiVersion: G,
      kind: 'GRPCRoute',
      metadata: { name: 'g' },
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ method }], backendRefs: [{ name: 'grpc', port: 9000 }] }] },
    });
    // type defaults to Exact, so an empty method match names neither.
    expect(messages([grpcRoute({})]))
      .toEqual(["GRPCRoute/g: spec.rules[0].matches[0].method: One or both of 'service' or 'method' must be specified"]);
    expect(messages([grpcRoute({ service: 'shop.Cart', method: 'Get-Item' })]))
      .toEqual(['GRPCRoute/g: spec.rules[0].matches[0].method: method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)']);
    expect(messages([grpcRoute({ service: 'Shop.Cart', method: 'GetItem' })])).toEqual([]);
    expect(messages([grpcRoute({ service: 'shop/Cart' })])).toEqual([
      'GRPCRoute/g: spec.rules[0].matches[0].method: service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)',
    ]);
  });

  test('the experimental channel has its own rules', () => {
    const named = (...names: string[]) => ({ ...httpRoute(toWeb), spec: { parentRefs: [{ name: 'gw' }], rules: names.map((name) => ({ name, ...toWeb })) } });
    expect(messages([named('a', 'a')], 'experimental')).toEqual(['HTTPRoute/r: spec.rules: Rule name must be unique within the route']);
    expect(messages([named('a', 'b')], 'experimental')).toEqual([]);
    expect(messages([named('a', 'a')], 'standard')).toEqual([]);
  });

  test('Istio: durations of at least 1ms, JWKS URLs with an http(s) scheme, one kind of server credential', () => {
    const vs = (http: any): Manifest => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'vs' },
      spec: { hosts: ['a.example.com'], http: [{ route: [{ destination: { host: 'web' } }], ...http }] },
    });
    expect(messages([vs({ timeout: '500us', retries: { attempts: 2, perTryTimeout: '0s' } })])).toEqual([
      'VirtualService/vs: spec.http[0].retries.perTryTimeout: must be a valid duration greater than 1ms',
      'VirtualService/vs: spec.http[0].timeout: must be a valid duration greater than 1ms',
    ]);
    expect(messages([vs({ timeout: '1.5s', retries: { attempts: 2, perTryTimeout: '1ms' } })])).toEqual([]);
    const dr = (connectTimeout: string): Manifest => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'dr' },
      spec: { host: 'web', trafficPolicy: { connectionPool: { tcp: { connectTimeout } } } },
    });
    expect(messages([dr('0.5ms')])).toEqual(['DestinationRule/dr: spec.trafficPolicy.connectionPool.tcp.connectTimeout: must be a valid duration greater than 1ms']);
    expect(messages([dr('1h30m')])).toEqual([]);

    const ra = (jwksUri: string): Manifest => ({
      apiVersion: 'security.istio.io/v1',
      kind: 'RequestAuthentication',
      metadata: { name: 'ra' },
      spec: { jwtRules: [{ issuer: 'https://issuer.example.com', jwksUri }] },
    });
    expect(messages([ra('ftp://issuer.example.com/keys')])).toEqual(['RequestAuthentication/ra: spec.jwtRules[0].jwksUri: url must have scheme http:// or https://']);
    expect(messages([ra('HTTPS://issuer.example.com:8443/keys?x=1#k')])).toEqual([]);
    // Not a URL for Kubernetes' url(): an evaluation error rejects the object too.
    expect(messages([ra('issuer.example.com/keys')]))
      .toEqual(['RequestAuthentication/ra: spec.jwtRules[0].jwksUri: rule evaluation error: URL parse error during conversion from string: invalid URI for request']);

    const gw = (tls: any): Manifest => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gw' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*'], tls }] },
    });
    expect(messages([gw({ mode: 'SIMPLE', credentialName: 'a', credentialNames: ['a', 'b'] })]))
      .toEqual(['Gateway/gw: spec.servers[0].tls: only one of credentialName or credentialNames can be set']);
    expect(messages([gw({ mode: 'SIMPLE', credentialName: 'a' })])).toEqual([]);
  });

  test('rules at the root see the whole object (Kong)', () => {
    const plugin = (extra: any): Manifest => ({ apiVersion: 'configuration.konghq.com/v1', kind: 'KongPlugin', metadata: { name: 'p' }, plugin: 'key-auth', ...extra });
    expect(messages([plugin({ config: {}, configFrom: { secretKeyRef: { name: 's', key: 'k' } } })]))
      .toEqual(['KongPlugin/p: <root>: Using both config and configFrom fields is not allowed.']);
    expect(messages([plugin({ config: {} })])).toEqual([]);
  });

  describe('the evaluator, on rules of its own', () => {
    const check = (schema: any, object: any, set = new CelRuleSet()) =>
      celProblems(set.compileSchema({ type: 'object', properties: { spec: schema } }), { spec: object });
    const rule = (r: string, extra: object = {}) => ({ 'x-kubernetes-validations': [{ rule: r, ...extra }] });

    test('messageExpression, else message, else the rule', () => {
      const s = { type: 'object', properties: { n: { type: 'integer' } } };
      expect(check({ ...s, ...rule('self.n < 3', { message: 'm', messageExpression: "'n is ' + string(self.n)" }) }, { n: 5 }))
        .toEqual(['spec: n is 5 (rule: self.n < 3)']);
      // A blank, multi-line or failing messageExpression falls back to message.
      expect(check({ ...s, ...rule('self.n < 3', { message: 'm', messageExpression: "'a\\nb'" }) }, { n: 5 })).toEqual(['spec: m (rule: self.n < 3)']);
      expect(check({ ...s, ...rule('self.n < 3', { message: 'm', messageExpression: 'self.x' }) }, { n: 5 })).toEqual(['spec: m (rule: self.n < 3)']);
      expect(check({ ...s, ...rule('self.n < 3') }, { n: 5 })).toEqual(['spec: failed rule: self.n < 3 (rule: self.n < 3)']);
    });

    test('types follow the schema: integer is int, number double; escaped property names', () => {
      const s = { type: 'object', properties: { 'n': { type: 'integer' }, 'x': { type: 'number' }, 'namespace': { type: 'string' }, 'a-b': { type: 'string' } } };
      expect(check({ ...s, ...rule("self.n + 1 == 3 && self.x + 0.5 == 2.0 && self.__namespace__ == 'ns' && self.a__dash__b == 'v'") },
        { 'n': 2, 'x': 1.5, 'namespace': 'ns', 'a-b': 'v' })).toEqual([]);
      expect(escapeProperty('a.b/c__d')).toBe('a__dot__b__slash__c__underscores__d');
      expect(escapeProperty('1a')).toBeUndefined();
    });

    test('formats: duration, date-time and byte strings are durations, timestamps and bytes', () => {
      const s = {
        type: 'object',
        properties: { d: { type: 'string', format: 'duration' }, t: { type: 'string', format: 'date-time' }, b: { type: 'string', format: 'byte' } },
        ...rule("self.d > duration('1s') && self.t > timestamp('2020-01-01T00:00:00Z') && size(self.b) == 3"),
      };
      expect(check(s, { d: '1m', t: '2021-06-01T10:00:00Z', b: 'AQID' })).toEqual([]);
      expect(check(s, { d: '1m', t: '2019-06-01T10:00:00Z', b: 'AQID' })).toHaveLength(1);
    });

    test("duration() reads Go's syntax, as cel-go does", () => {
      const s = { type: 'string', ...rule("duration(self) >= duration('1ms')", { message: 'short' }) };
      expect(check(s, '1h2m3.5s')).toEqual([]);
      expect(check(s, '900us')).toEqual(["spec: short (rule: duration(self) >= duration('1ms'))"]);
      expect(check(s, '')).toEqual(['spec: rule evaluation error: time: invalid duration "" (rule: duration(self) >= duration(\'1ms\'))']);
      expect(check(s, '1d')).toEqual(['spec: rule evaluation error: time: unknown unit "d" in duration "1d" (rule: duration(self) >= duration(\'1ms\'))']);
    });

    test('transition rules are skipped and counted; a rule it cannot run fails, it is never skipped', () => {
      const set = new CelRuleSet();
      const s = { type: 'object', properties: { a: { type: 'string', ...rule('self == oldSelf') }, b: { type: 'string', ...rule('self.isFoo()') } } };
      expect(check(s, { a: 'x', b: 'y' }, set))
        .toEqual(['spec.b: the harness cannot evaluate this rule: no function <receiver>.isFoo/0 (rule: self.isFoo())']);
      expect(set.stats()).toEqual({ compiled: 0, transitionRules: 1, unsupported: ['self.isFoo(): no function <receiver>.isFoo/0'] });
    });
  });
});

describe('Kong Ingress Controller checks', () => {
  const plugin = (name: string, config: object): Manifest => ({ apiVersion: 'configuration.konghq.com/v1', kind: 'KongPlugin', metadata: { name }, plugin: name, config });
  const consumer = (credentials: string[], annotations: Record<string, string> = { 'kubernetes.io/ingress.class': 'kong' }): Manifest => ({
    apiVersion: 'configuration.konghq.com/v1', kind: 'KongConsumer', metadata: { name: 'c', annotations }, username: 'c', credentials,
  });
  const secret = (name: string, stringData: Record<string, string>, kind?: string): Manifest => ({
    apiVersion: 'v1', kind: 'Secret', metadata: { name, labels: kind === undefined ? undefined : { 'konghq.com/credential': kind } }, stringData,
  });

  test('a KongPlugin\'s config passes the model of Kong\'s bundled plugins that kong.yml is checked with', () => {
    expect(kongIngressControllerProblems([plugin('rate-limiting', { second: 5, policy: 'local', limit_by: 'ip' })])).toEqual([]);
    expect(kongIngressControllerProblems([plugin('rate-limiting', { seconds: 5, policy: 'global' }), plugin('oidc', {})])).toEqual([
      'KongPlugin/rate-limiting (rate-limiting).config: unknown field "seconds"',
      'KongPlugin/rate-limiting (rate-limiting).config: field "policy" is not one of local, cluster, redis: "global"',
      'KongPlugin/oidc: "oidc" is not a bundled plugin the library uses',
    ]);
  });

  test('a KongConsumer has the ingress class, and each credential Secret of the output the label and keys KIC reads', () => {
    const good = [consumer(['keys', 'users', 'issuer', 'group']), secret('keys', { key: 'k' }, 'key-auth'), secret('users', { username: 'u', password: 'p' }, 'basic-auth'),
      secret('issuer', { key: 'https://id.example.com', algorithm: 'RS256', rsa_public_key: 'pem' }, 'jwt'), secret('group', { group: 'g' }, 'acl')];
    expect(kongIngressControllerProblems(good)).toEqual([]);
    // A Secret the output does not declare is the app's to create.
    expect(kongIngressControllerProblems([consumer(['elsewhere'])])).toEqual([]);
    expect(kongIngressControllerProblems([consumer(['a', 'b', 'c', 'd'], {}), secret('a', { alice: 'p' }), secret('b', { alice: 'p' }, 'basic-auth'),
      secret('c', { key: 'k', algorithm: 'HS256' }, 'jwt'), secret('d', { key: 'k', extra: 'x' }, 'key-auth')])).toEqual([
      'KongConsumer/c: no kubernetes.io/ingress.class annotation: KIC ignores it',
      'KongConsumer/c: credential Secret a has no konghq.com/credential label of a kind KIC reads (key-auth, basic-auth, jwt, acl)',
      'KongConsumer/c: basic-auth credential Secret b has no key username, password',
      'KongConsumer/c: basic-auth credential Secret b has keys KIC does not read: alice',
      'KongConsumer/c: jwt credential Secret c has no rsa_public_key (RS256)',
      'KongConsumer/c: key-auth credential Secret d has keys KIC does not read: extra',
    ]);
  });
});

describe('ingress-nginx annotation validation (v1.12+)', () => {
  const A = 'nginx.ingress.kubernetes.io/';
  const annotated = (annotations: Record<string, string>) => ingress({ ingressClassName: 'nginx', defaultBackend: backend }, { annotations });

  test('accepts the values the controller accepts, and ignores other annotations', () => {
    expect(ingressNginxAnnotationProblems([annotated({
      [`${A}permanent-redirect`]: 'https://new.example.com:8443/a/b?x=1&y=2',
      [`${A}rewrite-target`]: '/v2/$1$2',
      [`${A}auth-realm`]: 'Authentication required',
      [`${A}auth-type`]: 'basic',
      [`${A}cors-allow-origin`]: 'https://app.example.com, http://*.example.org:8080',
      [`${A}cors-allow-headers`]: 'authorization, x_trace-id',
      [`${A}cors-allow-methods`]: 'GET, POST',
      [`${A}proxy-next-upstream`]: 'error timeout http_502',
      [`${A}proxy-body-size`]: '8M',
      [`${A}backend-protocol`]: 'GRPC',
      [`${A}mirror-target`]: 'http://shadow.shop.svc:8080$request_uri',
      [`${A}whitelist-source-range`]: '10.0.0.0/8, 2001:db8::/32',
      'cert-manager.io/cluster-issuer': 'letsencrypt',
    })])).toEqual([]);
  });

  test('finds values the controller refuses or replaces, unknown annotations and snippets', () => {
    expect(ingressNginxAnnotationProblems([annotated({
      [`${A}permanent-redirect`]: 'https://new.example.com$request_uri',
      [`${A}auth-realm`]: "Admin's API",
      [`${A}rewrite-target`]: '/a%20b',
      [`${A}cors-allow-origin`]: 'https://app.example.com, https://a_b.example.com',
      [`${A}cors-allow-headers`]: 'x.trace',
      [`${A}canary-weight`]: '1.5',
      [`${A}cors-allow-methods`]: 'GET,\nPOST',
      [`${A}configuration-snippet`]: 'more_set_headers "x: y";',
      [`${A}stream-snippet`]: 'x',
      [`${A}permanent-redirects`]: 'https://new.example.com',
    })])).toEqual([
      'Ingress/web: nginx.ingress.kubernetes.io/permanent-redirect "https://new.example.com$request_uri": value https://new.example.com$request_uri is invalid '
        + '(URLIsValidRegex); ingress-nginx rejects the whole Ingress',
      'Ingress/web: nginx.ingress.kubernetes.io/auth-realm "Admin\'s API": value Admin\'s API is invalid (CharsWithSpace); ingress-nginx rejects the whole Ingress',
      'Ingress/web: nginx.ingress.kubernetes.io/rewrite-target "/a%20b": value /a%20b is invalid (RegexPathWithCapture); ingress-nginx silently uses "" (no rewrite) instead',
      'Ingress/web: nginx.ingress.kubernetes.io/cors-allow-origin "https://app.example.com, https://a_b.example.com": value https://app.example.com,https://a_b.example.com '
        + 'is invalid (corsOriginRegexValidator); ingress-nginx silently uses "*" (every origin) instead',
      'Ingress/web: nginx.ingress.kubernetes.io/cors-allow-headers "x.trace": value x.trace is invalid (HeadersVariable); ingress-nginx silently uses the default headers instead',
      'Ingress/web: nginx.ingress.kubernetes.io/canary-weight "1.5": strconv.Atoi: parsing "1.5": invalid syntax; ingress-nginx silently uses 0 instead',
      'Ingress/web: nginx.ingress.kubernetes.io/cors-allow-methods "GET,\\nPOST": value GET,\nPOST contains malicious string; ingress-nginx silently uses the default methods instead',
      'Ingress/web: nginx.ingress.kubernetes.io/configuration-snippet "more_set_headers \\"x: y\\";": annotation risk Critical is above the default risk level High; '
        + 'ingress-nginx rejects the whole Ingress',
      'Ingress/web: nginx.ingress.kubernetes.io/stream-snippet "x": a snippet annotation is Critical, above the default risk level High; ingress-nginx rejects the whole Ingress',
      'Ingress/web: nginx.ingress.kubernetes.io/permanent-redirects "https://new.example.com": not an annotation the harness knows ingress-nginx\'s validator of; '
        + 'add it to test/support/ingress-nginx-annotations.ts',
    ]);
  });

  test('an origin list that passes the validator can still lose origins the CORS parser skips', () => {
    expect(ingressNginxAnnotationProblems([annotated({ [`${A}cors-allow-origin`]: 'https://app.example.com, app.example.org' })])).toEqual([
      'Ingress/web: nginx.ingress.kubernetes.io/cors-allow-origin "https://app.example.com, app.example.org": origins "app.example.org" fail corsOriginRegex; '
        + 'ingress-nginx silently skips them',
    ]);
  });

  test('goes through the checks every synthesizing test runs', () => {
    expect(manifestProblems(testChart(), [annotated({ [`${A}auth-realm`]: 'a;b' })])).toContain(
      'Ingress/web: nginx.ingress.kubernetes.io/auth-realm "a;b": value a;b is invalid (CharsWithSpace); ingress-nginx rejects the whole Ingress');
  });
});

describe('hygiene check (kube-linter defaults)', () => {
  test('finds what kube-linter would', () => {
    const bad: Manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bad' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'bad' } },
        template: { metadata: { labels: { app: 'bad' } }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'nginx:latest', env: [{ name: 'DB_SECRET', value: 'x' }] }] } },
      },
    };
    expect(hygieneProblems([bad])).toEqual([
      'Deployment/bad: host-network: uses the host network',
      'Deployment/bad: no-anti-affinity: several replicas without pod anti-affinity',
      'Deployment/bad: latest-tag: container c image nginx:latest is not pinned',
      'Deployment/bad: run-as-non-root: container c may run as root',
      'Deployment/bad: no-read-only-root-fs: container c has a writable root filesystem',
      'Deployment/bad: privilege-escalation-container: container c allows privilege escalation',
      'Deployment/bad: drop-net-raw-capability: container c keeps NET_RAW',
      'Deployment/bad: no-liveness-probe: container c',
      'Deployment/bad: no-readiness-probe: container c',
      'Deployment/bad: unset-cpu-requirements: container c',
      'Deployment/bad: unset-memory-requirements: container c',
      'Deployment/bad: env-var-secret: container c has DB_SECRET as a literal value',
    ]);
  });
});

describe('the Kong model: gRPC entities', () => {
  const config = (entity: object) => `_format_version: "3.0"\nservices:\n  - ${JSON.stringify({ name: 's', host: 'u', port: 9090, retries: 0, ...entity })}\n`
    + 'upstreams:\n  - { name: "u", targets: [{ target: "catalog:9090", weight: 1 }] }\n';
  const external = [{ name: 'catalog', namespace: 'shop', port: 9090 }];
  const route = (extra: object) => ({ name: 'r', paths: ['/shop.v1.Catalog'], strip_path: false, preserve_host: true, regex_priority: 1, protocols: ['grpc', 'grpcs'], ...extra });

  test('catches what Kong refuses of a gRPC route or service, and a translating plugin out of place', () => {
    expect(kongConfigProblems(config({ protocol: 'grpc', routes: [route({})] }), [], 'shop', external)).toEqual([]);
    expect(kongConfigProblems(config({ protocol: 'grpc', path: '/x', routes: [route({ strip_path: true, methods: ['POST'] })] }), [], 'shop', external)).toEqual([
      'services[0]: path: value must be null (protocol grpc)',
      'services[0].routes[0]: cannot set \'strip_path\' when \'protocols\' is \'grpc\' or \'grpcs\'',
      'services[0].routes[0]: cannot set \'methods\' when \'protocols\' is \'grpc\' or \'grpcs\'',
    ]);
    expect(kongConfigProblems(config({
      protocol: 'http', routes: [route({ protocols: ['grpc', 'http'] })], plugins: [{ name: 'grpc-gateway', config: {} }, { name: 'grpc-web', config: { proto: 1 } }],
    }), [], 'shop', external)).toEqual([
      'services[0].routes[0]: protocols mix gRPC and others: grpc, http',
      'services[0].routes[0]: a gRPC route of a service of protocol http',
      'services[0]: grpc-gateway on a service of protocol http',
      'services[0]: grpc-gateway without proto',
      'services[0]: grpc-web on a service of protocol http',
      'services[0].plugins[1] (grpc-web).config: field "proto" is not a string: 1',
    ]);
  });
});
