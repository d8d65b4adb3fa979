import * as YAML from 'yaml';
import {
  ApiGatewayEngine, ApiGatewayStrategyOptions, Backend, Deprecation, ExposedService, ExposedServiceProps, ExposureStrategy, GrpcProto, PathMatch, Tls,
} from '../../src';
import { declarationError, find, Manifest, synthChecked, testChart } from '../support/synth';

/**
 * gRPC on the Kong engine. Kong cannot run here: its kong.yml is checked statically, by the model
 * of Kong 3.9's declarative configuration (test/support/kong-schema.ts: entity fields, the gRPC
 * route and service rules, the grpc-web and grpc-gateway plugins) that `synthChecked` applies.
 */
const catalog = () => Backend.fromName('catalog', 9090, { protocol: 'grpc' });
const PROTO = GrpcProto.fromConfigMap('catalog-proto', 'catalog.proto');

function expose(props: Partial<ExposedServiceProps>, options: Partial<ApiGatewayStrategyOptions> = {}): Manifest[] {
  const chart = testChart('shop', 'shop');
  new ExposedService(chart, 'api', {
    strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong(), exposedVia: ExposureStrategy.istio(), ...options }),
    hosts: ['api.example.com'],
    ...props,
  });
  return synthChecked(chart);
}
const kongYml = (manifests: Manifest[]) => YAML.parse(find(manifests, 'ConfigMap').data['kong.yml']);
const container = (manifests: Manifest[]) => find(manifests, 'Deployment', 'shop-api-gateway').spec.template.spec.containers[0];
const env = (manifests: Manifest[], name: string) => container(manifests).env.find((e: { name: string }) => e.name === name)?.value;
const serviceOf = (doc: any, name: string) => doc.services.find((s: any) => s.name === name);

const routes = {
  backend: Backend.fromName('web', 8080),
  routes: [
    { match: { path: PathMatch.prefix('/shop.v1.Catalog') }, backend: catalog() },
    { match: { path: PathMatch.prefix('/web/shop.v1.Catalog') }, backend: catalog(), grpcWeb: true },
    { match: { path: PathMatch.prefix('/v1/items') }, backend: catalog(), jsonTranscoding: PROTO },
    { match: { path: PathMatch.prefix('/') } },
  ],
};

describe('apiGateway strategy, Kong engine, gRPC', () => {
  test('a gRPC route: a service of protocol grpc, a route of protocols grpc and grpcs (no strip_path, no method)', () => {
    const doc = kongYml(expose(routes));
    const native = serviceOf(doc, 'routes-0');
    expect(native).toEqual(expect.objectContaining({ protocol: 'grpc', port: 9090 }));
    expect(native.path).toBeUndefined();
    expect(native.routes).toEqual([expect.objectContaining({ paths: ['/shop.v1.Catalog'], protocols: ['grpc', 'grpcs'], strip_path: false })]);
    expect(native.routes[0].methods).toBeUndefined();
    expect(native.plugins).toBeUndefined();
  });

  test('gRPC-Web: an HTTP route of a grpc service, with the grpc-web plugin', () => {
    const web = serviceOf(kongYml(expose(routes)), 'routes-1');
    expect(web.protocol).toBe('grpc');
    expect(web.routes[0]).toEqual(expect.objectContaining({ paths: ['/web/shop.v1.Catalog'], protocols: ['http', 'https'], strip_path: false }));
    expect(web.plugins).toEqual([{ name: 'grpc-web', config: {} }]);
  });

  test('JSON transcoding: the grpc-gateway plugin reads the .proto mounted read-only from the named ConfigMap', () => {
    const manifests = expose(routes);
    const json = serviceOf(kongYml(manifests), 'routes-2');
    expect(json.protocol).toBe('grpc');
    expect(json.routes[0]).toEqual(expect.objectContaining({ paths: ['/v1/items'], protocols: ['http', 'https'] }));
    expect(json.plugins).toEqual([{ name: 'grpc-gateway', config: { proto: '/kong/protos/catalog-proto/catalog.proto' } }]);
    const pod = find(manifests, 'Deployment', 'shop-api-gateway').spec.template.spec;
    const volume = pod.volumes.find((v: any) => v.configMap?.name === 'catalog-proto');
    expect(volume.configMap).toEqual({ name: 'catalog-proto', items: [{ key: 'catalog.proto', path: 'catalog.proto' }] });
    expect(container(manifests).volumeMounts).toContainEqual({ name: volume.name, mountPath: '/kong/protos/catalog-proto', readOnly: true });
    // The pod stays hardened.
    expect(container(manifests).securityContext).toEqual(expect.objectContaining({ readOnlyRootFilesystem: true, runAsNonRoot: true }));
  });

  test('behind an L7 front: an HTTP/2 cleartext listener for native gRPC clients, its Service port; web and JSON clients on the HTTP port', () => {
    const manifests = expose(routes);
    expect(env(manifests, 'KONG_PROXY_LISTEN')).toBe('0.0.0.0:8000, 0.0.0.0:9080 http2');
    expect(container(manifests).ports).toContainEqual({ containerPort: 9080, name: 'grpc' });
    expect(find(manifests, 'Service', 'shop-api-gateway').spec.ports).toEqual([
      { name: 'http-8000', port: 8000, targetPort: 8000 },
      { name: 'grpc-9080', port: 9080, targetPort: 9080, appProtocol: 'kubernetes.io/h2c' },
    ]);
    // The front sends the native gRPC route to the gRPC port, the rest (gRPC-Web and JSON clients too) to the HTTP port.
    expect(find(manifests, 'VirtualService').spec.http.map((r: any) => [r.match[0].uri.prefix, r.route[0].destination.port.number])).toEqual([
      ['/shop.v1.Catalog', 9080], ['/', 8000],
    ]);
  });

  test('where Kong terminates TLS: HTTP/2 by ALPN on the HTTPS listener; the gRPC route grpcs only, without redirect', () => {
    const manifests = expose({ ...routes, tls: Tls.fromSecret('api-tls') }, { exposedVia: undefined });
    expect(env(manifests, 'KONG_PROXY_LISTEN')).toBe('0.0.0.0:8000, 0.0.0.0:8443 http2 ssl');
    const native = serviceOf(kongYml(manifests), 'routes-0').routes[0];
    expect(native.protocols).toEqual(['grpcs']);
    expect(native.https_redirect_status_code).toBeUndefined();
    expect(serviceOf(kongYml(manifests), 'routes-1').routes[0]).toEqual(expect.objectContaining({ protocols: ['https'], https_redirect_status_code: 301 }));
  });

  test('what Kong cannot express of a gRPC route: a path rewrite, a method, CORS of gRPC and gRPC-Web clients', () => {
    const strategy = ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong(), exposedVia: ExposureStrategy.istio() });
    const cors = { allowOrigins: ['https://app.example.com'] };
    expect(declarationError({
      strategy,
      routes: [
        { match: { path: PathMatch.prefix('/shop.v1.Catalog'), method: 'POST' }, backend: catalog(), rewrite: { path: '/x' }, cors },
        { match: { path: PathMatch.prefix('/web') }, backend: catalog(), grpcWeb: true, cors },
        { match: { path: PathMatch.prefix('/v1') }, backend: catalog(), jsonTranscoding: PROTO, cors },
      ],
    }).message).toBe([
      'ExposedService test/public: routes[0].rewrite.path: a Kong service of protocol grpc has no path, so the call keeps its own (/package.Service/Method); remove the path rewrite',
      'ExposedService test/public: routes[0].match.method: Kong\'s gRPC routes match no method (every gRPC call is a POST); remove method',
      'ExposedService test/public: routes[0].cors: gRPC clients send no CORS preflight; browsers call gRPC services through gRPC-Web (grpcWeb: true): remove cors',
      'ExposedService test/public: routes[1].cors: Kong\'s grpc-web plugin answers gRPC-Web clients with its own Access-Control-Allow-Origin (*); remove cors',
    ].join('\n'));
  });
});

describe('gRPC-Web and JSON transcoding: declaration errors and the strategies that refuse them', () => {
  const nginx = ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: ExposureStrategy.istio() });
  const kong = ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong(), exposedVia: ExposureStrategy.istio() });

  test('the NGINX engine refuses both, naming apiGateway (kong)', () => {
    expect(declarationError({ strategy: nginx, routes: [{ backend: catalog(), grpcWeb: true }, { match: { path: PathMatch.prefix('/v1') }, backend: catalog(), jsonTranscoding: PROTO }] })
      .message).toBe([
      'ExposedService test/public: routes[0].grpcWeb: \'grpc-web\' is not supported by apiGateway (nginx); supported by: apiGateway (kong)',
      'ExposedService test/public: routes[1].jsonTranscoding: \'grpc-json-transcoding\' is not supported by apiGateway (nginx); supported by: apiGateway (kong)',
    ].join('\n'));
  });

  test('every other strategy refuses them (the matrix says why)', () => {
    for (const [strategy, name] of [
      [ExposureStrategy.istio(), 'istio'], [ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }), 'gatewayApi'], [ExposureStrategy.loadBalancer(), 'loadBalancer'],
    ] as const) {
      expect(declarationError({ strategy, routes: [{ backend: catalog(), grpcWeb: true }] }).message)
        .toContain(`routes[0].grpcWeb: 'grpc-web' is not supported by ${name}; supported by: apiGateway (kong)`);
    }
  });

  test('on an HTTP route, both at once, a bad ConfigMap name or file, values of the wrong type', () => {
    expect(declarationError({
      strategy: kong,
      routes: [{ backend: Backend.fromName('web', 8080), grpcWeb: true, jsonTranscoding: GrpcProto.fromConfigMap('Catalog_Proto', 'catalog.json') }],
    }).message).toBe([
      'ExposedService test/public: routes[0].jsonTranscoding: configMap "Catalog_Proto" is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and "."',
      'ExposedService test/public: routes[0].jsonTranscoding: file "catalog.json" is not a .proto file; name the key of the .proto file',
      'ExposedService test/public: routes[0].grpcWeb: translates for a gRPC backend, and the route\'s backends speak HTTP; declare them protocol: \'grpc\'',
      'ExposedService test/public: routes[0].jsonTranscoding: translates for a gRPC backend, and the route\'s backends speak HTTP; declare them protocol: \'grpc\'',
      'ExposedService test/public: routes[0].jsonTranscoding: a route takes gRPC-Web clients or JSON clients, and grpcWeb is set too; declare them on two routes',
    ].join('\n'));
    expect(declarationError({ strategy: kong, routes: [{ backend: catalog(), jsonTranscoding: GrpcProto.fromConfigMap('p', 'dir/a.proto') }] }).message).toBe(
      'ExposedService test/public: routes[0].jsonTranscoding: file "dir/a.proto" is not a ConfigMap key; use letters, digits, "-", "_" and "."');
    expect(declarationError({ strategy: kong, routes: [{ backend: catalog(), grpcWeb: 'yes' as any, jsonTranscoding: 'catalog.proto' as any }] }).message).toBe([
      'ExposedService test/public: routes[0].grpcWeb: is a string ("yes"); use true or false',
      'ExposedService test/public: routes[0].jsonTranscoding: is a string ("catalog.proto"); use GrpcProto.fromConfigMap(configMap, file)',
    ].join('\n'));
  });
});

test('a retired gRPC route is refused on Kong: it would answer INVALID_ARGUMENT', () => {
  const retired = Deprecation.of({ since: new Date('2026-01-01T00:00:00Z'), sunset: new Date('2026-06-01T00:00:00Z'), retire: true });
  expect(declarationError({
    strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong(), exposedVia: ExposureStrategy.istio() }),
    hosts: ['api.example.com'],
    routes: [{ match: { path: PathMatch.prefix('/shop.Catalog/') }, backend: catalog(), deprecation: retired }],
  }).message).toBe('ExposedService test/public: routes[0].deprecation.retire: Kong answers a gRPC client\'s 410 as INVALID_ARGUMENT, not as a retired method; '
    + 'retire gRPC routes with apiGateway (nginx) (UNIMPLEMENTED "gone"), or remove retire');
});
