// Gateway API on the Kong Ingress Controller (3.x): what ingress-nginx did with annotations (a rate
// limit, basic auth, an IP allow list, a body-size limit) and API keys, rendered as KongPlugins that
// the HTTPRoute's rules reference by ExtensionRef filters, with a KongConsumer per credential Secret.
//
// KIC reads one credential per Secret, labelled with its kind (not the API gateway's one key per
// consumer). Create them beside the app, e.g.:
//   kubectl -n shop create secret generic admins --from-literal=username=admin --from-literal=password=...
//   kubectl -n shop label secret admins konghq.com/credential=basic-auth
//   kubectl -n shop create secret generic partner-key --from-literal=key=...
//   kubectl -n shop label secret partner-key konghq.com/credential=key-auth
import { App, Chart, Size } from 'cdk8s';
import { AccessPolicy, Auth, Backend, ExposedService, ExposureStrategy, GatewayImplementation, PathMatch, RateLimit } from 'cdk8s-expose';

export function build(app: App): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new ExposedService(chart, 'shop', {
    strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'kong', implementation: GatewayImplementation.kong() }),
    hosts: ['shop.example.com'],
    backend: Backend.fromName('storefront', 80),
    // Exposure-wide: one request-size-limiting KongPlugin that every rule references.
    maxRequestBody: Size.mebibytes(16),
    routes: [
      // Per route: a rate limit per client address, counted by each Kong replica; Kong's window admits
      // the whole rate at once, so the burst is the rate (as ingress-nginx's multiplier 1).
      { match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080), rateLimit: RateLimit.perSecond(20, { burst: 20 }) },
      // API keys in a header, and a rate limit per key (the Secret's KongConsumer).
      {
        match: { path: PathMatch.prefix('/partners') },
        backend: Backend.fromName('api', 8080),
        auth: Auth.apiKey({ secret: 'partner-key', header: 'x-api-key' }),
        rateLimit: RateLimit.perMinute(600, { burst: 600, key: 'api-key' }),
      },
      // Basic auth and the office network only.
      { match: { path: PathMatch.prefix('/admin') }, auth: Auth.basic({ secret: 'admins' }), access: AccessPolicy.allowFrom(['10.0.0.0/8']) },
      { match: { path: PathMatch.prefix('/') } },
    ],
  });
  return chart;
}
