// Gateway API on Istio: JWT, a client IP allow list and external authentication rendered as
// Istio's security policies (RequestAuthentication, AuthorizationPolicy) that target the Gateway,
// beside the standard Gateway and HTTPRoute. One exposure creates its Gateway (the policies live
// in its namespace); another attaches to the platform's shared Gateway (the policies live in the
// Gateway's namespace, infra, scoped to the exposure's hosts).
import { App, Chart } from 'cdk8s';
import { AccessPolicy, Auth, Backend, ExposedService, ExposureStrategy, GatewayImplementation, PathMatch } from 'cdk8s-expose';

export function build(app: App): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  // The mesh's extension provider for Auth.external: an envoyExtAuthzHttp entry of meshConfig extensionProviders.
  const implementation = GatewayImplementation.istio({ externalAuthProvider: 'oauth2-proxy' });
  new ExposedService(chart, 'api', {
    strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'istio', implementation }),
    hosts: ['api.example.com'],
    backend: Backend.fromName('api', 8080),
    routes: [
      // Per route: a JWT of the issuer, for /v1 and /v1/* only (not /v1beta).
      { match: { path: PathMatch.prefix('/v1') }, auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys', audiences: ['api'] }) },
      // The office network only, by the client's address (remoteIpBlocks).
      { match: { path: PathMatch.prefix('/admin') }, access: AccessPolicy.allowFrom(['10.0.0.0/8']) },
      { match: { path: PathMatch.exact('/healthz') } },
    ],
  });
  new ExposedService(chart, 'console', {
    strategy: ExposureStrategy.gatewayApi({ gateway: { name: 'public', namespace: 'infra' }, implementation }),
    hosts: ['console.example.com'],
    backend: Backend.fromName('console', 80),
    auth: Auth.external({ service: Backend.fromName('oauth2-proxy', 4180), forwardHeaders: ['cookie'], responseHeaders: ['x-auth-request-user'] }),
  });
  return chart;
}
