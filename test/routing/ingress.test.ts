import { ingress, service } from './manifests';
import { route } from '../../src';

/** The backend a request reaches, or the status the data plane answers. */
function to(manifests: any[], request: string): string | number {
  const r = route(manifests, request);
  return r.kind === 'forward' ? r.backend : r.kind === 'redirect' ? `${r.status} ${r.location}` : r.status;
}

describe('the generic Ingress model (Kubernetes API semantics)', () => {
  // The examples table of https://kubernetes.io/docs/concepts/services-networking/ingress/#examples
  const cases: [string, [string, string][], string, boolean][] = [
    ['Prefix /', [['Prefix', '/']], '/anything', true],
    ['Exact /foo', [['Exact', '/foo']], '/foo', true],
    ['Exact /foo', [['Exact', '/foo']], '/bar', false],
    ['Exact /foo', [['Exact', '/foo']], '/foo/', false],
    ['Exact /foo/', [['Exact', '/foo/']], '/foo', false],
    ['Prefix /foo', [['Prefix', '/foo']], '/foo', true],
    ['Prefix /foo', [['Prefix', '/foo']], '/foo/', true],
    ['Prefix /foo/', [['Prefix', '/foo/']], '/foo', true],
    ['Prefix /foo/', [['Prefix', '/foo/']], '/foo/', true],
    ['Prefix /aaa/bb', [['Prefix', '/aaa/bb']], '/aaa/bbb', false],
    ['Prefix /aaa/bbb', [['Prefix', '/aaa/bbb']], '/aaa/bbb', true],
    ['Prefix /aaa/bbb/ (trailing slash ignored)', [['Prefix', '/aaa/bbb/']], '/aaa/bbb', true],
    ['Prefix /aaa/bbb (matches trailing slash)', [['Prefix', '/aaa/bbb']], '/aaa/bbb/', true],
    ['Prefix /aaa/bbb', [['Prefix', '/aaa/bbb']], '/aaa/bbb/ccc', true],
    ['Prefix /aaa/bbb (string prefix only)', [['Prefix', '/aaa/bbb']], '/aaa/bbbxyz', false],
  ];
  test.each(cases)('%s: %j, request %s matches: %s', (_name, paths, request, matches) => {
    const m = [ingress('a', [['foo.bar.com', paths.map(([pathType, path]) => ({ pathType, path, service: 'matched' }))]])];
    expect(to(m, `GET http://foo.bar.com${request}`)).toBe(matches ? 'matched:80' : 404);
  });

  test('the longest matching path wins; Exact before Prefix on the same path', () => {
    const m = [ingress('a', [['foo.bar.com', [
      { path: '/', service: 'root' }, { path: '/aaa', service: 'aaa' }, { path: '/aaa/bbb', service: 'bbb' },
      { path: '/foo', service: 'foo-prefix' }, { path: '/foo', pathType: 'Exact', service: 'foo-exact' },
    ]]])];
    expect(to(m, 'GET http://foo.bar.com/aaa/ccc')).toBe('aaa:80');
    expect(to(m, 'GET http://foo.bar.com/aaa/bbb')).toBe('bbb:80');
    expect(to(m, 'GET http://foo.bar.com/ccc')).toBe('root:80');
    expect(to(m, 'GET http://foo.bar.com/foo')).toBe('foo-exact:80');
    expect(to(m, 'GET http://foo.bar.com/foo/x')).toBe('foo-prefix:80');
  });

  test('hosts: exact, then a one-label wildcard, then the rules without a host; the default backend last', () => {
    // https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards
    const m = [
      ingress('a', [['foo.bar.com', [{ path: '/', service: 'exact' }]], ['*.bar.com', [{ path: '/', service: 'wild' }]], [undefined, [{ path: '/', service: 'any' }]]]),
    ];
    expect(to(m, 'GET http://foo.bar.com/')).toBe('exact:80');
    expect(to(m, 'GET http://baz.bar.com/')).toBe('wild:80');
    expect(to(m, 'GET http://baz.foo.bar.com/')).toBe('any:80');
    expect(to(m, 'GET http://bar.com/')).toBe('any:80');
    const withDefault = [{ ...ingress('d', [['foo.bar.com', [{ path: '/api' }]]]), spec: { ...ingress('d', [['foo.bar.com', [{ path: '/api' }]]]).spec, defaultBackend: { service: { name: 'fallback', port: { number: 8080 } } } } }];
    expect(to(withDefault, 'GET http://foo.bar.com/other')).toBe('fallback:8080');
  });

  test('the backend sees the host and the path (with the query) unchanged; a named port is read from the Service', () => {
    const m = [ingress('a', [['shop.example.com', [{ path: '/api', service: 'api', port: 'http' }]]]), service('api', [['grpc', 9090], ['http', 8080]])];
    expect(route(m, 'GET http://shop.example.com/api/orders?x=1')).toEqual({
      kind: 'forward', dataPlane: 'ingress', backend: 'api:8080', backends: { 'api:8080': 1 }, host: 'shop.example.com', path: '/api/orders?x=1',
    });
  });

  test('what it does not read throws, naming the object and field', () => {
    const specific = [ingress('a', [['foo.bar.com', [{ path: '/x', pathType: 'ImplementationSpecific' }]]], { className: 'traefik' })];
    expect(() => route(specific, 'GET http://foo.bar.com/x')).toThrow('route: Ingress a: spec.rules[0].http.paths[0].pathType: ImplementationSpecific is controller-specific: '
      + 'the Kubernetes API defines Exact and Prefix only; pass { dataPlane: \'ingress-nginx\' } if ingress-nginx serves it');
    const named = [ingress('a', [['foo.bar.com', [{ path: '/', port: 'http' }]]])];
    expect(() => route(named, 'GET http://foo.bar.com/')).toThrow('route: Ingress a: spec.rules[0].http.paths[0].backend.service.port: the port is named \'http\' '
      + 'and Service web is not in the manifests: pass them with it, or name the port by number');
    expect(() => route([...named, service('web', [['web', 80]])], 'GET http://foo.bar.com/'))
      .toThrow('route: Ingress a: spec.rules[0].http.paths[0].backend.service.port: Service web has no port named \'http\' (it has web)');
  });
});
