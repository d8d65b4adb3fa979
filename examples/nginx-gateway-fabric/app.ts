// Gateway API on NGINX Gateway Fabric: what ingress-nginx did with annotations (a rate limit,
// basic auth, a body-size limit) rendered as NGINX Gateway Fabric's own objects beside the
// standard Gateway and HTTPRoute, and affinity by client address on the cart's Service. An IP
// allow list has no NGINX Gateway Fabric object: declared here, synth would fail naming what can.
import { App, Chart, Size } from 'cdk8s';
import { Auth, Backend, ExposedService, ExposureStrategy, GatewayImplementation, PathMatch, RateLimit, SessionAffinity } from 'cdk8s-expose';

export function build(app: App): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new ExposedService(chart, 'shop', {
    strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'nginx', implementation: GatewayImplementation.nginxGatewayFabric() }),
    hosts: ['shop.example.com'],
    backend: Backend.fromName('storefront', 80),
    // Exposure-wide, as a RateLimitPolicy and a ClientSettingsPolicy on the whole HTTPRoute:
    // nginx's limit_req per client address (10 r/s, 20 more at once), 16 MiB bodies.
    rateLimit: RateLimit.perSecond(10, { burst: 20 }),
    maxRequestBody: Size.mebibytes(16),
    routes: [
      // Basic auth on this rule only: an AuthenticationFilter it references (the Secret: type nginx.org/htpasswd, key `auth`).
      { match: { path: PathMatch.prefix('/admin') }, auth: Auth.basic({ secret: 'admins', realm: 'Shop admin' }) },
      // A client keeps its cart pod: an UpstreamSettingsPolicy hashing the client address on the Service.
      { match: { path: PathMatch.prefix('/cart') }, backend: Backend.fromName('cart', 8080), affinity: SessionAffinity.clientIp() },
      { match: { path: PathMatch.prefix('/') } },
    ],
  });
  return chart;
}
