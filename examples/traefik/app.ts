// Gateway API on Traefik: what ingress-nginx did with annotations (a rate limit, basic auth, an IP
// allow list, a body-size limit) rendered as Traefik Middlewares that the HTTPRoute's rules
// reference by ExtensionRef filters. Without `implementation`, the same declaration is refused.
import { App, Chart, Size } from 'cdk8s';
import { AccessPolicy, Auth, Backend, ExposedService, ExposureStrategy, GatewayImplementation, PathMatch, RateLimit } from 'cdk8s-expose';

export function build(app: App): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new ExposedService(chart, 'shop', {
    strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'traefik', implementation: GatewayImplementation.traefik() }),
    hosts: ['shop.example.com'],
    backend: Backend.fromName('storefront', 80),
    // Every rule: one Middleware for the whole HTTPRoute (`shop-shop-body-size`).
    maxRequestBody: Size.mebibytes(16),
    routes: [
      // 20 requests a second per client address, 10 more at once: Traefik's bucket holds 11.
      { match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080), rateLimit: RateLimit.perSecond(20, { burst: 10 }) },
      // Basic auth (htpasswd lines, the Secret's only key) and the office network only.
      { match: { path: PathMatch.prefix('/admin') }, auth: Auth.basic({ secret: 'admins' }), access: AccessPolicy.allowFrom(['10.0.0.0/8']) },
      { match: { path: PathMatch.prefix('/') } },
    ],
  });
  return chart;
}
