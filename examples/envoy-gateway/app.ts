// Gateway API on Envoy Gateway: what ingress-nginx did with annotations (basic auth, an IP allow
// list, a body-size limit, a rate limit) rendered as Envoy Gateway's own policies beside the
// standard Gateway and HTTPRoute. Without `implementation`, the same declaration is refused.
import { App, Chart, Size } from 'cdk8s';
import { AccessPolicy, Auth, Backend, ExposedService, ExposureStrategy, GatewayImplementation, PathMatch, RateLimit } from 'cdk8s-expose';

export function build(app: App): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new ExposedService(chart, 'shop', {
    strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway() }),
    hosts: ['shop.example.com'],
    backend: Backend.fromName('storefront', 80),
    maxRequestBody: Size.mebibytes(16),
    routes: [
      // Per route: a rate limit per client address, attached to the rule `routes-0` by sectionName.
      // Envoy Gateway's bucket holds the whole rate: a client may send 20 at once (burst = rate).
      { match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080), rateLimit: RateLimit.perSecond(20, { burst: 20 }) },
      // Basic auth (the Secret's `.htpasswd`) and the office network only.
      { match: { path: PathMatch.prefix('/admin') }, auth: Auth.basic({ secret: 'admins' }), access: AccessPolicy.allowFrom(['10.0.0.0/8']) },
      { match: { path: PathMatch.prefix('/') } },
    ],
  });
  return chart;
}
