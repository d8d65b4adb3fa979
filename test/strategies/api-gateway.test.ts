import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AccessPolicy, ApiGatewayEngine, ApiGatewayStrategyOptions, Auth, Backend, CircuitBreaker, ExposedService, ExposedServiceProps, ExposureStrategy,
  HeaderMatch, IngressController, PathMatch, QueryParamMatch, RateLimit, Tls,
} from '../../src';
import { hygieneProblems } from '../support/hygiene';
import { declarationError, find, Manifest, synthChecked, testChart } from '../support/synth';

const api = () => Backend.fromName('api', 8080);

function expose(props: Partial<ExposedServiceProps>, options: Partial<ApiGatewayStrategyOptions> = {}): Manifest[] {
  const chart = testChart('shop', 'shop');
  new ExposedService(chart, 'api', { strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), ...options }), ...props });
  return synthChecked(chart);
}

const gatewayOf = (manifests: Manifest[]) => find(manifests, 'Deployment', 'shop-api-gateway');
const containerOf = (manifests: Manifest[]) => gatewayOf(manifests).spec.template.spec.containers[0];
const configOf = (manifests: Manifest[]): string => find(manifests, 'ConfigMap').data['nginx.conf'];

describe('apiGateway strategy, NGINX engine', () => {
  test('a hardened gateway Deployment, its config, a PDB, and a LoadBalancer in front', () => {
    const manifests = expose({ hosts: ['api.example.com'], backend: api(), auth: Auth.apiKey({ secret: 'api-keys' }) });
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ConfigMap/shop-api-gateway-config', 'Deployment/shop-api-gateway', 'PodDisruptionBudget/shop-api-gateway', 'Service/shop-api',
    ]);
    const deployment = gatewayOf(manifests);
    expect(deployment.spec.replicas).toBe(2);
    const pod = deployment.spec.template;
    expect(pod.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: 'RuntimeDefault' } }));
    expect(pod.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]).toEqual(expect.objectContaining({
      weight: 100, podAffinityTerm: expect.objectContaining({ topologyKey: 'kubernetes.io/hostname' }),
    }));
    const container = containerOf(manifests);
    expect(container.image).toBe('nginxinc/nginx-unprivileged:1.28.0-alpine');
    expect(container.args).toEqual(['nginx', '-c', '/etc/nginx/conf/nginx.conf', '-g', 'daemon off;']);
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 101,
      runAsGroup: 101,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources).toEqual({ limits: { cpu: '1', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8081, scheme: 'HTTP' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8081, scheme: 'HTTP' });
    expect(container.ports).toEqual([{ containerPort: 8080, name: 'http' }, { containerPort: 8443, name: 'https' }, { containerPort: 8081, name: 'status' }]);
    expect(container.volumeMounts.map((m: any) => [m.mountPath, m.readOnly ?? false])).toEqual([
      ['/etc/nginx/conf', true], ['/tmp', false], ['/var/cache/nginx', false], ['/etc/nginx/secrets/api-keys', true], ['/etc/nginx/generated', true],
    ]);
    expect(pod.spec.volumes.find((v: any) => v.secret)).toEqual(expect.objectContaining({ secret: { secretName: 'api-keys' } }));
    expect(pod.spec.volumes.find((v: any) => v.emptyDir?.medium)).toEqual(expect.objectContaining({ emptyDir: { medium: 'Memory' } }));
    // The init container renders the consumers' keys from the Secret into memory.
    const init = pod.spec.initContainers[0];
    expect(init.name).toBe('credentials');
    expect(init.image).toBe(container.image);
    expect(init.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(init.command[2]).toContain('for file in /etc/nginx/secrets/api-keys/*; do');
    expect(init.command[2]).toContain('> /etc/nginx/generated/api-keys.keys.map');
    expect(init.securityContext).toEqual(container.securityContext);
    expect(init.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/etc/nginx/generated', '/etc/nginx/secrets/api-keys']);

    expect(find(manifests, 'PodDisruptionBudget').spec).toEqual({ minAvailable: 1, selector: { matchLabels: deployment.spec.selector.matchLabels } });
    const service = find(manifests, 'Service');
    expect(service.spec).toEqual(expect.objectContaining({
      type: 'LoadBalancer', selector: deployment.spec.selector.matchLabels, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
    }));
    expect(configOf(manifests)).toContain('server_name api.example.com;');
    expect(manifests).toMatchSnapshot();
  });

  test.each([
    ['the defaults', {}, {}],
    ['TLS at the gateway', { hosts: ['api.example.com'], tls: Tls.fromSecret('api-tls') }, {}],
    ['autoscaling, fronted by Gateway API', {}, { autoscaling: { minReplicas: 2, maxReplicas: 5 }, exposedVia: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }) }],
  ] as [string, Partial<ExposedServiceProps>, Partial<ApiGatewayStrategyOptions>][])('the gateway workload passes the kube-linter default checks: %s', (_name, props, options) => {
    expect(hygieneProblems(expose({ backend: api(), ...props }, options))).toEqual([]);
  });

  test('the config checksum changes with the config, so pods roll', () => {
    const a = gatewayOf(expose({ backend: api(), timeout: Duration.seconds(5) })).spec.template.metadata.annotations['checksum/config'];
    const b = gatewayOf(expose({ backend: api(), timeout: Duration.seconds(6) })).spec.template.metadata.annotations['checksum/config'];
    const again = gatewayOf(expose({ backend: api(), timeout: Duration.seconds(5) })).spec.template.metadata.annotations['checksum/config'];
    expect(a).not.toBe(b);
    expect(a).toBe(again);
  });

  test('TLS behind a LoadBalancer: the gateway terminates it on 8443, with the Secret mounted and a Certificate', () => {
    const manifests = expose({ hosts: ['api.example.com'], backend: api(), tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }) });
    expect(find(manifests, 'Service').spec.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 443, targetPort: 8443 }]);
    expect(containerOf(manifests).volumeMounts).toContainEqual(expect.objectContaining({ mountPath: '/etc/nginx/tls', readOnly: true }));
    expect(find(manifests, 'Certificate').spec).toEqual({
      secretName: 'shop-api-tls', dnsNames: ['api.example.com'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' },
    });
    const config = configOf(manifests);
    expect(config).toContain('listen 8443 ssl;');
    expect(config).toContain('return 301 https://$host$request_uri;');
    expect(config).toContain('add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;');
  });

  test.each([
    ['ingress', () => ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }), 'Ingress'],
    ['istio', () => ExposureStrategy.istio(), 'VirtualService'],
    ['gatewayApi', () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }), 'HTTPRoute'],
  ] as [string, () => ExposureStrategy, string][])('exposed via %s: the front carries hosts and TLS, and routes to the gateway Service', (_name, front, kind) => {
    const manifests = expose({ hosts: ['api.example.com'], backend: api(), tls: Tls.fromSecret('api-tls') }, { exposedVia: front() });
    const gatewayService = find(manifests, 'Service', 'shop-api-gateway');
    expect(gatewayService.spec.ports).toEqual([{ name: 'http-8080', port: 8080, targetPort: 8080 }]);
    expect(JSON.stringify(find(manifests, kind, 'shop-api').spec)).toContain('shop-api-gateway');
    expect(JSON.stringify(manifests)).toContain('api-tls');
    // The front terminates TLS: the gateway speaks HTTP, and still sends HSTS.
    const config = configOf(manifests);
    expect(config).not.toContain('ssl');
    expect(config).toContain('Strict-Transport-Security');
  });

  test('autoscaling, resources, replicas and backend isolation', () => {
    const chart = testChart('shop', 'shop');
    const dep = new kplus.Deployment(chart, 'orders', { containers: [{ image: 'ghcr.io/acme/orders:3.1.0', portNumber: 8080 }] });
    new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({
        engine: ApiGatewayEngine.nginx(),
        autoscaling: { minReplicas: 3, maxReplicas: 10, cpuUtilization: 60 },
        isolateBackends: true,
      }),
      backend: Backend.fromDeployment(dep),
    });
    const manifests = synthChecked(chart);
    expect(gatewayOf(manifests).spec.replicas).toBeUndefined();
    expect(find(manifests, 'HorizontalPodAutoscaler').spec).toEqual(expect.objectContaining({
      minReplicas: 3, maxReplicas: 10, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop-api-gateway' },
    }));
    const policy = find(manifests, 'NetworkPolicy');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: find(manifests, 'Deployment', dep.name).spec.selector.matchLabels },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: gatewayOf(manifests).spec.selector.matchLabels } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });

  test('resources: the workload objects; the pod selector is the address label, so it never changes between versions', () => {
    const chart = testChart('shop', 'shop');
    const front = new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({
        engine: ApiGatewayEngine.nginx(),
        exposedVia: ExposureStrategy.ingress({ className: 'nginx' }),
        autoscaling: { minReplicas: 2, maxReplicas: 4 },
        resources: {
          cpu: { request: kplus.Cpu.millis(250) },
          memory: { limit: Size.gibibytes(1) },
          ephemeralStorage: { request: Size.gibibytes(2) },
        },
      }),
      hosts: ['api.example.com'],
      backend: api(),
    });
    const lb = new ExposedService(chart, 'lb', { strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }), backend: api() });
    const manifests = synthChecked(chart);
    const r = front.resources;
    expect([r.gatewayConfig, r.gatewayDeployment, r.gatewayService, r.gatewayDisruptionBudget, r.gatewayAutoscaler].map((o) => o?.name)).toEqual([
      'shop-api-gateway-config', 'shop-api-gateway', 'shop-api-gateway', 'shop-api-gateway', 'shop-api-gateway',
    ]);
    // The gateway's own Service is the workload's, not a backend Service of the app.
    expect(r.backendServices).toEqual([]);
    expect(lb.resources.gatewayService).toBeUndefined();

    const labels = { 'cdk8s.io/metadata.addr': 'shop-api-Gateway-c8e567da' };
    expect(gatewayOf(manifests).spec.selector).toEqual({ matchLabels: labels });
    expect(gatewayOf(manifests).spec.template.metadata.labels).toEqual(labels);
    expect(find(manifests, 'Service', 'shop-api-gateway').spec).toEqual({
      externalIPs: [], ports: [{ name: 'http-8080', port: 8080, targetPort: 8080 }], selector: labels, type: 'ClusterIP',
    });
    expect(containerOf(manifests).resources).toEqual({ limits: { memory: '1024Mi' }, requests: { 'cpu': '250m', 'ephemeral-storage': '2Gi' } });
    expect(find(manifests, 'HorizontalPodAutoscaler').spec.behavior).toEqual({
      scaleUp: {
        selectPolicy: 'Max',
        stabilizationWindowSeconds: 0,
        policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 200, periodSeconds: 60 }],
      },
      scaleDown: { selectPolicy: 'Max', stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 2, periodSeconds: 300 }] },
    });
  });

  test('resources as any cdk8s-plus writes them or as literals; sizes in the largest unit they are whole in, never rounded', () => {
    const chart = testChart('shop', 'shop');
    new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({
        engine: ApiGatewayEngine.nginx(),
        resources: {
          cpu: { request: { amount: '250m' }, limit: { amount: '1.5' } },
          memory: { request: Size.kibibytes(100), limit: Size.gibibytes(1) },
          ephemeralStorage: { request: Size.mebibytes(500), limit: Size.gibibytes(2) },
        },
      }),
      backend: api(),
    });
    expect(containerOf(synthChecked(chart)).resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '100Ki', 'ephemeral-storage': '500Mi' },
      limits: { 'cpu': '1.5', 'memory': '1024Mi', 'ephemeral-storage': '2Gi' },
    });
  });

  test('API key material stays in the Secret: the config includes the mounted file', () => {
    const config = configOf(expose({ backend: api(), auth: Auth.apiKey({ secret: 'api-keys', header: 'X-Key' }), rateLimit: RateLimit.perMinute(100, { key: 'api-key' }) }));
    expect(config).toContain('map $http_x_key $api_consumer_0 {');
    expect(config).toContain('include /etc/nginx/generated/api-keys.keys.map;');
    expect(config).toContain('limit_req_zone $api_consumer_0 zone=rate_0:10m rate=100r/m;');
  });

  test.each([
    ['a JWT without a JWKS Secret or ConfigMap', { auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/k' }) }, {},
      'ExposedService shop/api: auth: the NGINX engine verifies tokens with the issuer\'s JWKS mounted from a Secret or ConfigMap, not fetched from jwksUri: '
      + 'set Auth.jwt({ ..., jwksSecret }) or jwksConfigMap'],
    ['a JWT route editing the consumer header', {
      auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/k', jwksSecret: 'jwks' }), routes: [{ requestHeaders: { set: { 'X-Consumer-Username': 'x' } } }],
    }, {}, 'ExposedService shop/api: routes[0].requestHeaders: the NGINX engine sets "x-consumer-username" to the token\'s subject on routes with Auth.jwt; remove it from the edits'],
    ['fault injection', { routes: [{ fault: { abort: { httpStatus: 503, percentage: 5 } } }] }, {},
      "ExposedService shop/api: routes[0].fault: 'fault' is not supported by apiGateway (nginx); supported by: istio"],
    ['an API gateway in front of an API gateway', {}, { exposedVia: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }) },
      'ExposedService shop/api: strategy: exposedVia is an API gateway; expose the gateway with loadBalancer, nodePort, ingress, istio or gatewayApi'],
    ['an unpinned image', {}, { engine: ApiGatewayEngine.nginx({ image: 'nginx:latest' }) },
      'ExposedService shop/api: strategy: image "nginx:latest" is not pinned; use a version tag or a digest'],
    ['a body limit below 1 KiB', {}, { engine: ApiGatewayEngine.nginx({ maxBodySize: Size.kibibytes(0.5) }) },
      'ExposedService shop/api: strategy: maxBodySize is below 1 KiB'],
    ['a cache below 1 MiB', {}, { engine: ApiGatewayEngine.nginx({ cacheTtl: Duration.seconds(30), cacheSize: Size.kibibytes(512) }) },
      'ExposedService shop/api: strategy: cacheSize is below 1 MiB'],
    ['a cache size without a cache', {}, { engine: ApiGatewayEngine.nginx({ cacheSize: Size.gibibytes(1) }) },
      'ExposedService shop/api: strategy: cacheSize sizes the response cache, which only cacheTtl turns on; set cacheTtl'],
    ['replicas and autoscaling', {}, { replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 4 } },
      'ExposedService shop/api: strategy: set replicas or autoscaling, not both'],
    ['removing the Server header', { routes: [{ responseHeaders: { remove: ['Server'] } }] }, {},
      'ExposedService shop/api: routes[0].responseHeaders: nginx always sends its own "server" header (server_tokens off hides the version); it cannot be set or removed'],
    ['a non-ASCII regex, which nginx runs on bytes', { routes: [{ match: { path: PathMatch.regex('/caf.') } }, { match: { path: PathMatch.regex('/é+') } }] }, {},
      'ExposedService shop/api: routes[1].match: nginx matches regexes byte by byte, not by UTF-8 character: "/é+" has a non-ASCII character, \\x{...} or \\p; '
      + 'write it in ASCII, or use istio or gatewayApi'],
    ['a named group, which nginx makes a variable', { routes: [{ match: { path: PathMatch.regex('/(?<consumer>[a-z]+)') } }] }, {},
      'ExposedService shop/api: routes[0].match: nginx turns the named group "consumer" of "(?:/(?<consumer>[a-z]+))" into a variable; use (?:...)'],
    ['a front that cannot carry the hosts', { hosts: ['api.example.com'] }, { exposedVia: ExposureStrategy.ingress({ className: 'nginx' }) }, undefined],
  ] as [string, Partial<ExposedServiceProps>, Partial<ApiGatewayStrategyOptions>, string | undefined][])('%s', (_name, props, options, message) => {
    const strategy = ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), ...options });
    const declare = () => declarationError({ strategy, backend: api(), ...props });
    if (message === undefined) {
      // A generic Ingress front can carry hosts: no error.
      expect(() => expose({ backend: api(), ...props }, options)).not.toThrow();
    } else {
      expect(declare().message).toBe(message.replace('shop/api', 'test/public'));
    }
  });

  test('a redirect and routes to several backends, in the config', () => {
    const config = configOf(expose({
      hosts: ['api.example.com'],
      backend: api(),
      routes: [
        { match: { path: PathMatch.exact('/old') }, redirect: { scheme: 'https', host: 'new.example.com', statusCode: 308 } },
        { match: { path: PathMatch.prefix('/v2') }, backend: Backend.fromName('api-v2', 8080, { namespace: 'v2' }) },
      ],
    }));
    expect(config).toContain('return 308 "https://new.example.com${request_uri}";');
    expect(config).toContain('server api-v2.v2.svc.cluster.local:8080 weight=1 max_fails=0;');
  });

  test('every problem nginx cannot express, at once: routes in declaration order, an inherited policy told once', () => {
    const strategy = ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() });
    const error = declarationError({
      strategy,
      backend: api(),
      // Inherited by both forwarding routes: one problem.
      retries: { attempts: 2, retryOn: ['5xx', 'retriable-4xx'] },
      routes: [
        {
          match: { path: PathMatch.prefix('/a'), queryParams: [QueryParamMatch.exact('api-version', '1'), QueryParamMatch.regex('v', '[0-9]+')] },
          responseHeaders: { set: { 'server': 'edge', 'x-cost': '$price' }, remove: ['date'] },
          requestHeaders: { set: { 'x-a': '$a' }, add: { 'x-b': '${b}' } },
        },
        { match: { path: PathMatch.prefix('/b'), headers: [HeaderMatch.regex('x-tenant', '(?<tenant>a.*)')] } },
      ],
    });
    expect(error.message).toBe([
      'ExposedService test/public: routes[0].match.queryParams: nginx holds the query value of "v" percent-encoded as sent, so a regex would not see the value declared; '
        + 'match it exactly, or use istio or gatewayApi',
      'ExposedService test/public: routes[0].responseHeaders: nginx always sends its own "server" header (server_tokens off hides the version); it cannot be set or removed',
      'ExposedService test/public: routes[0].responseHeaders: nginx always sends its own "date" header (server_tokens off hides the version); it cannot be set or removed',
      'ExposedService test/public: retries.retryOn: nginx cannot retry on "retriable-4xx"; use 5xx, gateway-error, connect-failure, reset',
      'ExposedService test/public: routes[1].match: nginx turns the named group "tenant" of "(?:(?<tenant>a.*))" into a variable; use (?:...)',
    ].join('\n'));
  });

  test('a redirect route forwards nothing: the retries it inherits are not checked, its response headers are', () => {
    const strategy = ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() });
    const redirect = { match: { path: PathMatch.exact('/old') }, redirect: { path: '/new' } };
    expect(() => expose({ retries: { attempts: 2, retryOn: ['retriable-4xx'] }, routes: [redirect] })).not.toThrow();
    expect(declarationError({ strategy, routes: [{ ...redirect, responseHeaders: { set: { server: 'edge' } } }] }).message).toBe(
      'ExposedService test/public: routes[0].responseHeaders: nginx always sends its own "server" header (server_tokens off hides the version); it cannot be set or removed');
  });

  test('declared text reaches nginx literally: "$" as ${dollar}, backslashes and quotes escaped, matches anchored with \\z', () => {
    const config = configOf(expose({
      backend: api(),
      routes: [{
        match: { path: PathMatch.exact('/a$1%20b'), headers: [HeaderMatch.exact('x-user', 'DOM\\user "x"')] },
        requestHeaders: { set: { 'x-a': '$host ${b} \\ "q"' } },
        responseHeaders: { add: { 'x-b': '$1' } },
      }],
    }));
    expect(config).toContain('geo $dollar {\n    default "$";\n  }');
    expect(config).toContain('"~^/a\\\\$1\\\\x20b\\\\z" 1;');
    expect(config).toContain('"~^DOM\\\\\\\\user \\"x\\"\\\\z" 1;');
    expect(config).toContain('proxy_set_header x-a "${dollar}host ${dollar}{b} \\\\ \\"q\\"";');
    expect(config).toContain('add_header x-b "${dollar}1" always;');
  });
});

describe('apiGateway strategy, NGINX engine, client IP access lists', () => {
  const allowInternal = AccessPolicy.allowFrom(['10.0.0.0/8', '2001:db8::/32'], { except: ['10.66.0.0/16'] });

  test('a geo of the client address per declared policy, checked first in each route that has one', () => {
    const manifests = expose({
      hosts: ['api.example.com'],
      backend: api(),
      access: AccessPolicy.denyFrom(['203.0.113.0/24']),
      cors: { allowOrigins: ['https://app.example.com'] },
      routes: [
        { match: { path: PathMatch.prefix('/admin') }, access: allowInternal },
        { match: { path: PathMatch.prefix('/v1') } },
        { match: { path: PathMatch.prefix('/v2') } },
      ],
    });
    const config = configOf(manifests);
    // One geo per declaration: the routes inheriting the exposure's list share it.
    expect(config).toContain('  geo $access_0 {\n    0.0.0.0/0 0;\n    ::/0 0;\n    10.0.0.0/8 1;\n    2001:db8::/32 1;\n    10.66.0.0/16 0;\n  }\n');
    expect(config).toContain('  geo $access_1 {\n    0.0.0.0/0 1;\n    ::/0 1;\n    203.0.113.0/24 0;\n  }\n');
    expect(config.match(/geo \$access_/g)).toHaveLength(2);
    const location = (i: number) => config.split(`location = /__route/${i} {`)[1].split('\n    }')[0];
    // Routes in specificity order: /admin, /v1, /v2 (all prefixes of one length class), each refusing before CORS answers.
    expect(location(0)).toMatch(/set \$route_name "routes\[0\]";\n\s+if \(\$access_0 != 1\) \{\n\s+return 403;\n\s+\}\n\s+set \$cors_preflight_0/);
    expect(location(1)).toContain('if ($access_1 != 1) {');
    expect(location(2)).toContain('if ($access_1 != 1) {');
    // No proxy is trusted by default: the address of the connection is the client's.
    expect(config).not.toContain('real_ip');
    // The LoadBalancer in front keeps the client's address.
    expect(find(manifests, 'Service', 'shop-api').spec.externalTrafficPolicy).toBe('Local');
  });

  test('without access lists the front keeps its default traffic policy', () => {
    expect(find(expose({ backend: api() }), 'Service', 'shop-api').spec.externalTrafficPolicy).toBeUndefined();
  });

  test('trustedProxies: the client address from X-Forwarded-For as the front sends it', () => {
    const manifests = expose({ hosts: ['api.example.com'], backend: api(), access: allowInternal }, {
      engine: ApiGatewayEngine.nginx({ trustedProxies: ['10.244.0.0/16', 'fd00:10:244::/56'] }),
      exposedVia: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }),
    });
    expect(configOf(manifests)).toMatch(/server_name api\.example\.com;\n\s+set_real_ip_from 10\.244\.0\.0\/16;\n\s+set_real_ip_from fd00:10:244::\/56;\n\s+real_ip_header X-Forwarded-For;\n\s+real_ip_recursive on;\n/);
    expect(manifests.map((m) => m.kind)).toContain('HTTPRoute');
  });

  test('behind an L7 front without trustedProxies: an error naming the field', () => {
    expect(declarationError({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: ExposureStrategy.istio() }),
      hosts: ['api.example.com'],
      backend: api(),
      access: allowInternal,
      routes: [{ match: { path: PathMatch.prefix('/admin') }, access: AccessPolicy.denyFrom(['203.0.113.0/24']) }, { match: { path: PathMatch.prefix('/') } }],
    }).message).toBe([
      'ExposedService test/public: routes[0].access: behind istio the gateway sees the front\'s address, not the client\'s; set the engine\'s trustedProxies to '
        + 'the addresses the front connects from (its pods\' network), so that the client address comes from X-Forwarded-For',
      'ExposedService test/public: access: behind istio the gateway sees the front\'s address, not the client\'s; set the engine\'s trustedProxies to '
        + 'the addresses the front connects from (its pods\' network), so that the client address comes from X-Forwarded-For',
    ].join('\n'));
  });

  test('behind a LoadBalancer that lets nodes replace the client address: an error', () => {
    expect(declarationError({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: ExposureStrategy.loadBalancer({ externalTrafficPolicy: 'Cluster' }) }),
      backend: api(),
      access: allowInternal,
    }).message).toBe('ExposedService test/public: exposedVia: externalTrafficPolicy "Cluster" lets nodes replace the client\'s address with their own, '
      + 'and the access lists behind it compare it; use "Local" or leave it unset');
  });

  test('trustedProxies are IP ranges', () => {
    expect(declarationError({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx({ trustedProxies: ['10.244.0.1/16', 'pods', '10.244.0.0/16', '10.244.0.0/16'] }) }),
      backend: api(),
    }).message).toBe([
      'ExposedService test/public: strategy: trustedProxies[0]: "10.244.0.1/16" has host bits set; the range is "10.244.0.0/16" (or write the address alone for one client)',
      'ExposedService test/public: strategy: trustedProxies[1]: "pods" is not an IP address or range; use an IPv4 or IPv6 address with an optional prefix length, '
        + 'e.g. "10.0.0.0/8" or "2001:db8::/32"',
      'ExposedService test/public: strategy: trustedProxies[3] "10.244.0.0/16" is listed twice; list it once',
    ].join('\n'));
  });
});

describe('apiGateway strategy, NGINX engine, the status of the HTTPS redirect', () => {
  const TLS = { hosts: ['api.example.com'], backend: api(), tls: Tls.fromSecret('api-tls') };
  const redirectServer = (config: string) => config.slice(config.indexOf('# Plain HTTP only redirects to HTTPS.'), config.indexOf('# Requests for other hosts.'));

  test('301 unless declared', () => {
    expect(redirectServer(configOf(expose(TLS)))).toBe(
      '# Plain HTTP only redirects to HTTPS.\n  server {\n    listen 8080;\n    server_name api.example.com;\n    return 301 https://$host$request_uri;\n  }\n\n  ');
  });

  test.each([301, 302, 307, 308])('httpsRedirectCode %d is the code nginx returns', (code) => {
    expect(redirectServer(configOf(expose({ ...TLS, httpsRedirectCode: code })))).toContain(`    return ${code} https://$host$request_uri;\n`);
  });

  test('behind an L7 front the front redirects: Gateway API renders the code, Istio refuses 308', () => {
    const manifests = expose({ ...TLS, httpsRedirectCode: 308 }, { exposedVia: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }) });
    expect(find(manifests, 'HTTPRoute', 'shop-api-front-https-redirect').spec.rules[0].filters[0].requestRedirect).toEqual({ scheme: 'https', statusCode: 308 });
    expect(configOf(manifests)).not.toContain('https://$host$request_uri');
    expect(declarationError({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: ExposureStrategy.istio() }),
      ...TLS,
      httpsRedirectCode: 308,
    }).message).toBe('ExposedService test/public: httpsRedirectCode: Istio\'s Gateway redirects plain HTTP to HTTPS with 301 only '
      + '(tls.httpsRedirect); use 301, or gatewayApi or apiGateway for 308');
  });
});

describe('apiGateway strategy, NGINX engine, WebSockets and idleTimeout', () => {
  test('every proxied route passes an Upgrade on, and sends other requests with no Connection header (keep-alive)', () => {
    const config = configOf(expose({ backend: api() }));
    expect(config).toContain('\n  map $http_upgrade $connection_upgrade {\n    default upgrade;\n    "" "";\n  }\n');
    expect(config).toContain('      proxy_http_version 1.1;\n      proxy_set_header Upgrade $http_upgrade;\n      proxy_set_header Connection $connection_upgrade;\n');
    expect(config).not.toContain('proxy_set_header Connection "";');
  });

  test('idleTimeout is the read and send timeouts of its routes, nothing else', () => {
    const config = configOf(expose({ backend: api(), routes: [{ match: { path: PathMatch.prefix('/ws') }, idleTimeout: Duration.hours(1) }, {}] }));
    expect(config.match(/proxy_(read|send|connect)_timeout \S+;/g)).toEqual(['proxy_send_timeout 3600000ms;', 'proxy_read_timeout 3600000ms;']);
  });

  test('idleTimeout with timeout or retries.perTryTimeout on one route, and Connection or Upgrade edits, are errors', () => {
    expect(declarationError({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      backend: api(),
      timeout: Duration.seconds(5),
      routes: [
        { match: { path: PathMatch.prefix('/ws') }, idleTimeout: Duration.hours(1) },
        { match: { path: PathMatch.prefix('/sse') }, idleTimeout: Duration.minutes(5), retries: { attempts: 2, perTryTimeout: Duration.seconds(1) } },
        { match: { path: PathMatch.prefix('/h') }, requestHeaders: { set: { Connection: 'close' }, remove: ['upgrade'] } },
        { match: { path: PathMatch.prefix('/old') }, redirect: { path: '/new' } },
      ],
      idleTimeout: Duration.minutes(1),
    }).message).toBe([
      'ExposedService test/public: routes[0].idleTimeout: nginx\'s proxy_read_timeout and proxy_send_timeout are set by timeout too; '
        + 'declare one of them for this route (a timeout on the other routes, not the exposure)',
      'ExposedService test/public: routes[1].idleTimeout: nginx\'s proxy_read_timeout and proxy_send_timeout are set by routes[1].retries.perTryTimeout too; '
        + 'declare one of them for this route (a timeout on the other routes, not the exposure)',
      'ExposedService test/public: routes[2].requestHeaders: the NGINX engine sets "connection" itself (WebSocket upgrades and keep-alive to the backends); remove it from the edits',
      'ExposedService test/public: routes[2].requestHeaders: the NGINX engine sets "upgrade" itself (WebSocket upgrades and keep-alive to the backends); remove it from the edits',
      'ExposedService test/public: idleTimeout: nginx\'s proxy_read_timeout and proxy_send_timeout are set by timeout too; '
        + 'declare one of them for this route (a timeout on the other routes, not the exposure)',
    ].join('\n'));
  });

  test('a redirect route may not declare idleTimeout: it forwards nothing', () => {
    expect(declarationError({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      backend: api(),
      routes: [{ match: { path: PathMatch.prefix('/old') }, redirect: { path: '/new' }, idleTimeout: Duration.minutes(1) }, {}],
    }).message).toBe('ExposedService test/public: routes[0].idleTimeout: a redirect route forwards nothing; remove it or the redirect');
  });

  test.each([
    ['istio', ExposureStrategy.istio()],
    ['gatewayApi (experimental)', ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', experimental: true })],
    ['ingress', ExposureStrategy.ingress({ className: 'traefik' })],
  ])('%s refuses idleTimeout, naming the strategies that set it', (name, strategy) => {
    expect(declarationError({ strategy, backend: api(), routes: [{ match: { path: PathMatch.prefix('/ws') }, idleTimeout: Duration.hours(1) }] }).message).toBe(
      `ExposedService test/public: routes[0].idleTimeout: 'idle-timeout' is not supported by ${name}; `
        + 'supported by: ingress (ingressNginx), apiGateway (nginx), apiGateway (kong)');
  });
});

describe('apiGateway strategy, NGINX engine, request body size limit', () => {
  test('client_max_body_size in each route that declares one; the route selection lets through the largest; the engine option stays the default', () => {
    const manifests = expose({
      hosts: ['api.example.com'],
      backend: api(),
      routes: [
        { match: { path: PathMatch.prefix('/upload') }, maxRequestBody: Size.mebibytes(64) },
        { match: { path: PathMatch.prefix('/tiny') }, maxRequestBody: Size.kibibytes(0.5) },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }, { engine: ApiGatewayEngine.nginx({ maxBodySize: Size.mebibytes(2) }) });
    const config = configOf(manifests);
    expect(config).toContain('\n  client_max_body_size 2048k;\n');
    // nginx checks the limit of every location a request enters: the selection's is the largest of all.
    expect(config.split('location / {')[1].split('\n    }')[0]).toContain('client_max_body_size 64m;');
    const location = (i: number) => config.split(`location = /__route/${i} {`)[1].split('\n    }')[0];
    // Specificity order: /upload, /tiny, then the catch-all, which keeps the engine's limit (http level).
    expect(location(0)).toContain('client_max_body_size 64m;');
    expect(location(1)).toContain('client_max_body_size 512;');
    expect(location(2)).not.toContain('client_max_body_size');
    expect(config.match(/client_max_body_size/g)).toHaveLength(4);
  });

  test('an ingress-nginx front lets through the gateway\'s largest body (the controller\'s default, 1m, would refuse first); other fronts are left as they are', () => {
    const front = (controller: IngressController, routeLimit?: Size) => {
      const chart = testChart('shop', 'shop');
      new ExposedService(chart, 'api', {
        strategy: ExposureStrategy.apiGateway({
          engine: ApiGatewayEngine.nginx({ maxBodySize: Size.mebibytes(8) }),
          exposedVia: ExposureStrategy.ingress({ className: 'nginx', controller }),
        }),
        hosts: ['api.example.com'],
        backend: api(),
        routes: [{ match: { path: PathMatch.prefix('/upload') }, maxRequestBody: routeLimit }, {}],
      });
      return find(synthChecked(chart), 'Ingress').metadata.annotations ?? {};
    };
    expect(front(IngressController.ingressNginx())['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('8m');
    expect(front(IngressController.ingressNginx(), Size.gibibytes(1))['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('1g');
    expect(front(IngressController.generic())['nginx.ingress.kubernetes.io/proxy-body-size']).toBeUndefined();
  });

  test('without a declared limit the configuration has the engine\'s only', () => {
    expect(configOf(expose({ hosts: ['api.example.com'], backend: api() })).match(/client_max_body_size [^;]+;/g)).toEqual(['client_max_body_size 1024k;']);
  });
});

describe('apiGateway strategy, NGINX engine, declared text nginx can read', () => {
  const NGINX_MAX_TOKEN = 4095;
  const longestToken = (config: string) => Math.max(...config.split('\n').flatMap((line) => line.match(/"(?:[^"\\]|\\.)*"/g) ?? []).map((t) => Buffer.byteLength(t)));
  const queryRoute = (value: string) => ({ match: { path: PathMatch.prefix('/a'), queryParams: [QueryParamMatch.exact('q', value)] } });

  test('an exact query value is written as a regex of every encoding: the longest accepted passes nginx -t, one byte more is refused', () => {
    const props = (n: number): ExposedServiceProps => ({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }), backend: api(), routes: [queryRoute('x'.repeat(n))],
    });
    const accepted = (n: number) => { try { new ExposedService(testChart('test'), 'public', props(n)); return true; } catch { return false; } };
    // The longest value accepted, by bisection: each "x" is "(?:x|%78)" (9 bytes) in the regex.
    let [low, high] = [1, 1024];
    while (high - low > 1) { const mid = Math.floor((low + high) / 2); if (accepted(mid)) low = mid; else high = mid; }
    const config = configOf(expose({ backend: api(), routes: [queryRoute('x'.repeat(low))] }));
    const longest = longestToken(config);
    expect(longest).toBeLessThanOrEqual(NGINX_MAX_TOKEN);
    expect(longest + 9).toBeGreaterThan(NGINX_MAX_TOKEN);
    expect(declarationError(props(low + 1)).message).toBe('ExposedService test/public: routes[0].match: nginx reads at most 4095 bytes per configuration token, '
      + `and the match on query parameter "q" is written as one of ${longest + 9} bytes; shorten it, or use the Kong engine`);
  });

  test('every declared text that would be too long is reported at once, where it was declared', () => {
    const dollars = '$'.repeat(500); // each "$" is written "${dollar}" in a string nginx expands
    const error = declarationError({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      backend: api(),
      routes: [
        { match: { path: PathMatch.prefix('/a'), headers: [HeaderMatch.exact('x-m', 'a'.repeat(4090))] } },
        { match: { path: PathMatch.prefix('/b') }, requestHeaders: { set: { 'x-set': dollars }, add: { 'x-add': dollars } }, responseHeaders: { add: { 'x-resp': dollars } } },
        { match: { path: PathMatch.prefix('/c') }, auth: Auth.basic({ secret: 'users', realm: dollars }) },
        { match: { path: PathMatch.prefix('/d') }, redirect: { path: `/${'$'.repeat(460)}` } },
      ],
    });
    const line = (field: string, subject: string, bytes: number) =>
      `ExposedService test/public: ${field}: nginx reads at most 4095 bytes per configuration token, and ${subject} is written as one of ${bytes} bytes; `
      + 'shorten it, or use the Kong engine';
    expect(error.message).toBe([
      line('routes[0].match', 'the match on header "x-m"', 4097),
      line('routes[1].requestHeaders', 'the value of "x-set"', 4502),
      line('routes[1].requestHeaders', 'the value of "x-add"', 4517),
      line('routes[1].responseHeaders', 'the value of "x-resp"', 4502),
      line('routes[2].auth', 'the realm', 4502),
      line('routes[3].redirect', 'the redirect target', 4162),
    ].join('\n'));
  });
});

describe('apiGateway strategy, NGINX engine, external authentication', () => {
  test('auth_request to an internal location proxying a bodiless copy to the auth service; the answer\'s declared headers set upstream; a sign-in redirect for 401', () => {
    const config = configOf(expose({
      hosts: ['api.example.com'],
      backend: api(),
      routes: [
        {
          match: { path: PathMatch.prefix('/app') },
          auth: Auth.external({
            service: Backend.fromName('authz', 8080), path: '/check', forwardHeaders: ['Cookie'], responseHeaders: ['x-user'], signinUrl: 'https://sso.example.com/$start',
          }),
        },
        {},
      ],
    }));
    expect(config).toMatch(/upstream auth_0 \{\n\s*server authz\.shop\.svc\.cluster\.local:8080 max_fails=0;\n\s*keepalive 16;\n\s*\}/);
    const start = config.indexOf('location = /__auth/0 {');
    const authLocation = config.slice(start, config.indexOf('\n', config.indexOf('proxy_pass "', start)));
    expect(authLocation.split('\n').map((l) => l.trim()).filter((l) => l !== '')).toEqual([
      'location = /__auth/0 {',
      'internal;',
      'set $route_name "routes[0]";',
      'proxy_pass_request_body off;',
      'proxy_set_header Content-Length "";',
      'proxy_pass_request_headers off;',
      'proxy_http_version 1.1;',
      'proxy_method $request_method;',
      'proxy_set_header Connection "";',
      'proxy_set_header Host $host;',
      'proxy_set_header authorization $http_authorization;',
      'proxy_set_header cookie $http_cookie;',
      'proxy_set_header X-Original-URI $request_uri;',
      'proxy_set_header X-Original-Method $request_method;',
      'proxy_set_header X-Forwarded-Host $host;',
      'proxy_set_header X-Forwarded-Proto $scheme;',
      'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      'proxy_pass "http://auth_0/check${request_uri}";',
    ]);
    const route = config.slice(config.indexOf('location = /__route/0 {'));
    expect(route).toContain('auth_request /__auth/0;\n');
    expect(route).toContain('auth_request_set $auth_0_0 $upstream_http_x_user;\n');
    expect(route).toContain('proxy_set_header x-user $auth_0_0;\n');
    // The sign-in URL literally ("$" as ${dollar}); the server's other error pages repeated.
    expect(route).toContain('error_page 401 "https://sso.example.com/${dollar}start";\n');
    expect(route).toContain('error_page 403 @error_403;\n');
    // The other route has no auth.
    expect(config.slice(config.indexOf('location = /__route/1 {'))).not.toContain('auth_request');
  });

  test.each<[string, Partial<ExposedServiceProps>, string]>([
    ['an answer header also edited by the route', {
      backend: api(),
      routes: [{ auth: Auth.external({ service: Backend.fromName('authz', 8080), responseHeaders: ['x-user'] }), requestHeaders: { remove: ['X-User'] } }],
    }, 'routes[0].auth.responseHeaders: "x-user" is copied from the auth service\'s answer and edited by routes[0].requestHeaders too; keep one'],
    ['a header name nginx cannot carry', { backend: api(), auth: Auth.external({ service: Backend.fromName('authz', 8080), forwardHeaders: ['x_token'] }) },
      'auth: nginx carries header "x_token" only if its name is letters, digits and "-" ("_" reads as "-", "." and "$" as other variables); '
      + 'rename it, or use istio or gatewayApi (experimental)'],
  ])('refused: %s', (_name, props, message) => {
    expect(declarationError({ strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }), ...props }).message).toBe(`ExposedService test/public: ${message}`);
  });

  test('the Kong engine has no external authentication (no bundled plugin of Kong OSS): an error naming the strategies that can', () => {
    expect(declarationError({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }), backend: api(), auth: Auth.external({ service: Backend.fromName('authz', 8080) }),
    }).message).toBe("ExposedService test/public: auth: 'auth-external' is not supported by apiGateway (kong); "
      + 'supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), gatewayApi (istio), apiGateway (nginx)');
  });

  test.each([['nodePort', ExposureStrategy.nodePort()], ['loadBalancer', ExposureStrategy.loadBalancer()]])('%s cannot authenticate: an error naming the strategies that can', (name, strategy) => {
    const chart = testChart('test');
    const deployment = (id: string, port: number) => new kplus.Deployment(chart, id, { containers: [{ image: 'ghcr.io/acme/x:1', portNumber: port }] });
    const auth = Auth.external({ service: Backend.fromDeployment(deployment('authz', 4180)) });
    expect(() => new ExposedService(chart, 'public', { strategy, backend: Backend.fromDeployment(deployment('api', 8080)), auth }))
      .toThrow(`ExposedService test/public: auth: 'auth-external' is not supported by ${name}; supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), gatewayApi (istio), apiGateway (nginx)`);
  });
});

describe('apiGateway strategy, NGINX engine, circuit breaking', () => {
  const limit = (n: number) => CircuitBreaker.of({ maxConnections: n });
  const upstreams = (config: string) => config.match(/upstream \w+ \{[^}]*\}/g) ?? [];

  test('max_conns on each server line, counted across the workers in the upstream\'s zone; routes to the same servers share the upstream', () => {
    const config = configOf(expose({
      hosts: ['api.example.com'],
      backend: api(),
      routes: [
        { match: { path: PathMatch.prefix('/v1') } },
        { match: { path: PathMatch.prefix('/v2') }, backends: [{ backend: Backend.fromName('v2', 8080), weight: 90 }, { backend: Backend.fromName('v3', 8080), weight: 10 }] },
        { match: { path: PathMatch.prefix('/') }, mirror: { backend: Backend.fromName('shadow', 8080) } },
      ],
      circuitBreaker: limit(100),
    }));
    expect(upstreams(config)).toEqual([
      'upstream route_0 {\n    zone route_0 64k;\n    server api.shop.svc.cluster.local:8080 weight=1 max_fails=0 max_conns=100;\n    keepalive 16;\n  }',
      'upstream route_1 {\n    zone route_1 64k;\n    server v2.shop.svc.cluster.local:8080 weight=90 max_fails=0 max_conns=100;\n'
        + '    server v3.shop.svc.cluster.local:8080 weight=10 max_fails=0 max_conns=100;\n    keepalive 16;\n  }',
      'upstream mirror_2 {\n    zone mirror_2 64k;\n    server shadow.shop.svc.cluster.local:8080 weight=1 max_fails=0 max_conns=100;\n    keepalive 16;\n  }',
    ]);
    // The catch-all route (the third, selected last) proxies to the first route's upstream: one count for the Service.
    expect(config.match(/proxy_pass "http:\/\/\w+/g)).toEqual(['proxy_pass "http://route_0', 'proxy_pass "http://route_1', 'proxy_pass "http://route_0']);
    expect(config).toContain('proxy_pass http://mirror_2$request_uri;');
  });

  test('maxRequests limits too (one request per upstream connection): the smaller of the two is written', () => {
    const config = (cb: CircuitBreaker) => upstreams(configOf(expose({ backend: api(), circuitBreaker: cb })))[0];
    expect(config(CircuitBreaker.of({ maxRequests: 7 }))).toContain('max_conns=7;');
    expect(config(CircuitBreaker.of({ maxConnections: 50, maxRequests: 7 }))).toContain('max_conns=7;');
    expect(config(CircuitBreaker.of({ maxConnections: 5, maxRequests: 7 }))).toContain('max_conns=5;');
  });

  test('without a circuit breaker the upstreams are as before: no zone, no max_conns, one per route', () => {
    const config = configOf(expose({ backend: api(), routes: [{ match: { path: PathMatch.prefix('/a') } }, {}] }));
    expect(upstreams(config)).toHaveLength(2);
    expect(config).not.toMatch(/max_conns|zone route/);
  });

  test.each<[string, Partial<ExposedServiceProps>, string]>([
    ['pending requests (no queue in NGINX open source)', { backend: api(), circuitBreaker: CircuitBreaker.of({ maxConnections: 10, maxPendingRequests: 5 }) },
      'circuitBreaker: NGINX open source has no queue of requests waiting for a connection (queue is NGINX Plus\'s): over the limit a request gets 502 at once; '
        + 'remove maxPendingRequests, or use istio'],
    ['a limit with retries (the Service is listed once per try)',
      { backend: api(), circuitBreaker: limit(10), routes: [{ match: { path: PathMatch.prefix('/a') }, retries: { attempts: 2 } }] },
      'routes[0].retries: the NGINX engine lists each backend Service once per try (nginx retries only on another server line) and max_conns counts per line, '
        + 'so with 2 retries circuitBreaker\'s limit would let through 3 times as many connections; remove the retries or the limit, or use istio'],
    ['a Service alone on one route and weighted on another', {
      circuitBreaker: limit(10),
      routes: [{ match: { path: PathMatch.prefix('/a') }, backend: api() },
        { backends: [{ backend: api(), weight: 50 }, { backend: Backend.fromName('b', 8080), weight: 50 }] }],
    }, 'circuitBreaker: nginx counts max_conns per upstream, and the Service "api" is in 2 different ones (routes[0], routes[1]: '
      + 'alone, weighted, or mirrored), so each would get the whole limit; send it the same way from every route, or use istio'],
  ])('refuses %s', (_, props, message) => {
    expect(declarationError({ strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }), ...props } as ExposedServiceProps).message)
      .toBe(`ExposedService test/public: ${message}`);
  });

  test('refuses ejection of failing endpoints: the engine proxies to the Service\'s one address, which it must not take out', () => {
    expect(declarationError({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      backend: api(),
      circuitBreaker: CircuitBreaker.of({ consecutiveErrors: 5 }),
    }).message).toBe("ExposedService test/public: circuitBreaker: 'outlier-detection' is not supported by apiGateway (nginx); supported by: istio, gatewayApi (envoyGateway)");
  });
});
