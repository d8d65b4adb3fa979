import { crossReferenceProblems } from './cross-references';
import { gatewayApiReferenceProblems } from './gateway-api-references';
import { hygieneProblems } from './hygiene';
import { istioReferenceProblems } from './istio-references';
import { Manifest, schemaProblems } from './schema';

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

  test('finds routes no listener accepts: hostname, sectionName, namespace', () => {
    expect(gatewayApiReferenceProblems([dep, svc, gateway(listener), route(toWeb, { hostnames: ['b.example.com'] })], [], []))
      .toEqual(['HTTPRoute/r: no listener of Gateway gw accepts the route']);
    expect(gatewayApiReferenceProblems([dep, svc, gateway(listener), route(toWeb, { parent: { sectionName: 'https' } })], [], []))
      .toEqual(['HTTPRoute/r: no listener of Gateway gw/https accepts the route']);
    expect(gatewayApiReferenceProblems([dep, svc, gateway(listener, 'infra'), route(toWeb, { parent: { namespace: 'infra' } })], [], []))
      .toEqual(['HTTPRoute/r: no listener of Gateway gw accepts the route']);
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

  test('evaluates the HTTPRoute CEL rules the schema check skips', () => {
    const redirectWithBackend = route({ ...toWeb, filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }] });
    const prefixRewriteOnExact = route({
      ...toWeb,
      matches: [{ path: { type: 'Exact', value: '/a' } }],
      filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
    });
    const slowTry = route({ ...toWeb, timeouts: { request: '1s', backendRequest: '1s500ms' } });
    expect(gatewayApiReferenceProblems([dep, svc, gateway(listener), redirectWithBackend], [], []))
      .toEqual(['HTTPRoute/r: rules[0] RequestRedirect filter must not be used together with backendRefs']);
    expect(gatewayApiReferenceProblems([dep, svc, gateway(listener), prefixRewriteOnExact], [], []))
      .toEqual(['HTTPRoute/r: rules[0] replacePrefixMatch needs exactly one PathPrefix match']);
    expect(gatewayApiReferenceProblems([dep, svc, gateway(listener), slowTry], [], []))
      .toEqual(['HTTPRoute/r: rules[0] backendRequest timeout exceeds request timeout']);
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
