import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  AggregatePart,
  ApiGatewayEngine, Auth, Backend, ExposedServiceProps, ExposureStrategy, HeaderMatch, PathMatch, QueryParamMatch, RateLimit, SessionAffinity, Tls,
} from '../src';
import { testChart } from './support/synth';
import { buildIntent } from '../src/intent/build';

/**
 * V8 gives each distinct set of object keys a hidden class of its own. An intent object keyed by
 * an exposure's names (backends, hosts, Secrets, headers) makes one per exposure, and thousands
 * of them slow every object cdk8s builds during synth until a full garbage collection
 * (BENCHMARKS.md, change 6). The intent keeps such data in arrays and Maps.
 */
describe('the intent', () => {
  test('has no object keyed by the names the exposure declares', () => {
    const chart = testChart('zq-chart', 'zq-namespace');
    const deployment = new kplus.Deployment(chart, 'zq-deployment', { containers: [{ image: 'zq-image:1', ports: [{ number: 8080 }] }] });
    const service = new kplus.Service(chart, 'zq-service', { ports: [{ port: 80, targetPort: 8080 }] });
    service.selectLabel('app', 'zq-app');
    const props: ExposedServiceProps = {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: ['zq-host.example.com'],
      tls: Tls.certManager({ clusterIssuer: 'zq-issuer' }),
      backend: Backend.fromDeployment(deployment),
      timeout: Duration.seconds(5),
      cors: { allowOrigins: ['https://zq-origin.example.com'], allowHeaders: ['x-zq-allowed'] },
      routes: [
        {
          match: { path: PathMatch.prefix('/zq-api'), headers: [HeaderMatch.exact('x-zq-header', 'zq-value')], queryParams: [QueryParamMatch.exact('zq_param', 'zq')] },
          backends: [{ backend: Backend.fromService(service), weight: 90 }, { backend: Backend.fromName('zq-canary', 80, { namespace: 'zq-other' }), weight: 10 }],
          requestHeaders: { set: { 'x-zq-set': 'zq' }, add: { 'x-zq-add': 'zq' }, remove: ['x-zq-remove'] },
          responseHeaders: { set: { 'x-zq-response': 'zq' } },
          mirror: { backend: Backend.fromName('zq-mirror', 8080), percentage: 5 },
          retries: { attempts: 2 },
          auth: Auth.jwt({ issuer: 'https://zq-issuer.example.com', jwksUri: 'https://zq-issuer.example.com/jwks' }),
        },
        {
          match: { path: PathMatch.exact('/zq-keys') },
          auth: Auth.apiKey({ secret: 'zq-keys' }),
          rateLimit: RateLimit.perSecond(10, { key: 'api-key' }),
          affinity: SessionAffinity.cookie({ name: 'zq-cookie', ttl: Duration.hours(1), path: '/zq-path' }),
        },
        { match: { path: PathMatch.prefix('/zq-old') }, redirect: { path: '/zq-new' } },
        { match: { path: PathMatch.exact('/zq-dashboard') }, aggregate: { 'zq-part': AggregatePart.optional(Backend.fromName('zq-part', 8080), { path: '/zq/{query.zq_q}/{header.x-zq-h}' }) } },
      ],
    };
    // Every policy in one intent: the intent is strategy-neutral (what a strategy can express is checked after).
    const { intent, problems } = buildIntent(new Construct(chart, 'zq-exposure'), props);
    expect(problems).toEqual([]);

    const keys = objectKeys(intent);
    expect(keys.size).toBeGreaterThan(40);
    expect([...keys].filter((k) => k.includes('zq'))).toEqual([]);
    // The backends are there, and their fields are found by key.
    expect(intent.backends.map((b) => b.name).sort()).toEqual(['zq-canary', 'zq-chart-zq-deployment-c8fb9474', 'zq-chart-zq-service-c8cd84c5', 'zq-mirror', 'zq-part']);
    expect(intent.backendFields.get(intent.backends.find((b) => b.name === 'zq-mirror')!.key)).toBe('routes[0].mirror.backend');
  });
});

/** Every key of every plain object reachable from `value` through plain objects, arrays and Maps (whose keys are not collected). */
function objectKeys(value: unknown, seen = new Set<unknown>(), keys = new Set<string>()): Set<string> {
  if (value === null || typeof value !== 'object' || seen.has(value)) return keys;
  seen.add(value);
  if (value instanceof Map) {
    value.forEach((v) => objectKeys(v, seen, keys));
  } else if (Array.isArray(value)) {
    value.forEach((v) => objectKeys(v, seen, keys));
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    // Plain objects only: constructs the intent refers to (a backend's Deployment) are the app's.
    for (const [k, v] of Object.entries(value)) {
      keys.add(k);
      objectKeys(v, seen, keys);
    }
  }
  return keys;
}
