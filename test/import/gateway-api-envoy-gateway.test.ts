import { Duration, Size } from 'cdk8s';
import { corpus, documents, evaluate, show } from './mesh-expr';
import {
  AccessPolicy, Auth, Backend, ExposedService, ExposureStrategy, GatewayImplementation, PathMatch, RateLimit, SessionAffinity,
} from '../../src';
import { readGatewayApi } from '../../src/import/gateway-api-reader';
import { importManifests } from '../../src/import/import-manifests';
import { Loss } from '../../src/import/model';
import { synthChecked, testChart } from '../support/synth';

const lossLines = (losses: readonly Loss[]) => losses.map((l) => `${l.source} ${l.field} [${l.kind}] ${l.reason}`);

describe('Gateway API reader: Envoy Gateway policies', () => {
  test('what the envoyGateway implementation renders reads back as the declared features', () => {
    const chart = testChart('app', 'shop');
    new ExposedService(chart, 'web', {
      strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway() }),
      hosts: ['shop.example.com'],
      backend: Backend.fromName('web', 80),
      routes: [
        {
          match: { path: PathMatch.prefix('/api') },
          backend: Backend.fromName('api', 8080),
          rateLimit: RateLimit.perSecond(20, { burst: 20 }),
          maxRequestBody: Size.mebibytes(8),
          access: AccessPolicy.allowFrom(['10.0.0.0/8'], { except: ['10.66.0.0/16'] }),
          auth: Auth.basic({ secret: 'users' }),
          affinity: SessionAffinity.header('x-user'),
        },
        { match: { path: PathMatch.prefix('/') }, retries: { attempts: 2, retryOn: ['5xx', 'reset'] }, timeout: Duration.seconds(5) },
      ],
    });
    const manifests = synthChecked(chart);
    const r = readGatewayApi(manifests.map((manifest) => ({ manifest, file: 'synth.yaml' })));
    expect(r.exposures.map((e) => show(e.props))).toEqual([
      "{ hosts: ['shop.example.com'], routes: [{ match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080), "
      + 'rateLimit: RateLimit.perSecond(20, { burst: 20 }), maxRequestBody: Size.mebibytes(8), '
      + "affinity: SessionAffinity.header('x-user'), access: AccessPolicy.allowFrom(['10.0.0.0/8'], { except: ['10.66.0.0/16'] }), "
      + "auth: Auth.basic({ secret: 'users' }) }, "
      + "{ backend: Backend.fromName('web', 80), timeout: Duration.seconds(5), retries: { attempts: 2, retryOn: ['5xx', 'reset'] } }] }",
    ]);
    expect(show(r.exposures[0].sourceStrategy)).toBe("ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway() })");
    // The rules' names (the policies' sectionNames) are not carried: the declaration names routes after their match.
    expect(lossLines(r.exposures[0].losses).every((l) => l.endsWith('[unsupported] the declaration names routes after their match'))).toBe(true);
    expect(r.losses).toEqual([]);
    // And the import synthesizes again on its source strategy.
    const again = testChart('again', 'shop');
    new ExposedService(again, 'web', { ...evaluate(r.exposures[0].props), strategy: evaluate(r.exposures[0].sourceStrategy) });
    synthChecked(again);
  });

  test('policies the declaration cannot hold, and kinds not read', () => {
    const r = importManifests(documents(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop, namespace: shop }
spec:
  parentRefs: [{ name: public, namespace: infra }]
  rules: [{ backendRefs: [{ name: web, port: 80 }] }]
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: { name: shop, namespace: shop }
spec:
  targetRefs: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: shop }]
  rateLimit: { type: Global, global: { rules: [{ limit: { requests: 10, unit: Hour } }] } }
  faultInjection: { abort: { httpStatus: 503 } }
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata: { name: other, namespace: shop }
spec:
  targetRefs: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: other }]
  basicAuth: { users: { name: users } }
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata: { name: clients, namespace: infra }
spec: {}`));
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'BackendTrafficPolicy shop/shop spec.faultInjection [unsupported] not read by the importer: the declaration has no such field',
      'BackendTrafficPolicy shop/shop spec.rateLimit [unsupported] only a local limit per client address (Distinct 0.0.0.0/0 and ::/0) is a RateLimit of the declaration',
    ]);
    expect(lossLines(r.losses)).toEqual([
      'SecurityPolicy shop/other spec.targetRefs [unsupported] it targets no imported route',
      'ClientTrafficPolicy infra/clients kind ClientTrafficPolicy [unsupported] not read',
    ]);
    expect(show(r.exposures[0].sourceStrategy)).toBe("ExposureStrategy.gatewayApi({ gateway: { name: 'public', namespace: 'infra' }, implementation: GatewayImplementation.envoyGateway() })");
  });

  test('the corpus has no Envoy Gateway policy: its files read as before', () => {
    expect(readGatewayApi(corpus('gateway-api/basic-http.yaml')).exposures.map((e) => show(e.sourceStrategy))).toEqual([
      "ExposureStrategy.gatewayApi({ gatewayClassName: 'example' })",
    ]);
  });
});
