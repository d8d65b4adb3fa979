import { Construct } from 'constructs';
import { GatewayApiKinds } from './channel';
import { enumValue } from './enum-value';
import { ParentRef } from './gateway';
import { renderGrpcRouteRules } from './grpc-route-rules';
import { renderHttpRouteRules } from './http-route-rules';
import { BackendRefOf, ByImplementation, ExtensionRefsOf } from './rule-parts';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';
import { resourceName } from '../../core/naming';
import { ExposureIntent } from '../../intent/model';

/** The routes of an exposure: gRPC routes in a GRPCRoute, the others in an HTTPRoute, on the same listeners. */
export interface Routes {
  readonly httpRoute?: gatewayApi.HttpRoute;
  readonly grpcRoute?: gatewayApi.GrpcRoute;
}

/**
 * The HTTPRoute and the GRPCRoute of the exposure's routes, each only when it has rules (both named
 * after the exposure); `extensionRefs` are the implementation's filter objects of each rule, and
 * `byImplementation` what the implementation carries instead of the rules.
 */
export function renderRoutes(
  scope: Construct, kinds: GatewayApiKinds, intent: ExposureIntent, parentRefs: ParentRef[], experimental: boolean, retriesByPolicy = false,
  extensionRefs: ExtensionRefsOf = () => [], byImplementation: ByImplementation = {}): Routes {
  const hostnames = hostnamesOf(intent);
  // Backends in the routes' namespace are referenced without one.
  const backendRef: BackendRefOf = (b) => ({ name: b.name, namespace: b.namespace !== intent.namespace ? b.namespace : undefined, port: b.port });
  const httpRoutes = intent.routes.filter((r) => r.protocol === 'http');
  const grpcRoutes = intent.routes.filter((r) => r.protocol === 'grpc');
  const httpRoute = httpRoutes.length === 0 ? undefined : new kinds.HttpRoute(scope, 'HTTPRoute', {
    metadata: { name: intent.name },
    spec: {
      parentRefs,
      hostnames,
      rules: renderHttpRouteRules(httpRoutes, backendRef, experimental, retriesByPolicy, extensionRefs, byImplementation),
    },
  });
  const grpcRoute = grpcRoutes.length === 0 ? undefined : new kinds.GrpcRoute(scope, 'GRPCRoute', {
    metadata: { name: intent.name },
    spec: { parentRefs, hostnames, rules: renderGrpcRouteRules(grpcRoutes, backendRef, extensionRefs, byImplementation.externalAuthByPolicy) },
  });
  return { httpRoute, grpcRoute };
}

/** With TLS, plain HTTP only redirects to HTTPS: the Gateway API idiom is a route of its own on the :80 listeners. */
export function renderHttpsRedirectRoute(
  scope: Construct, kinds: GatewayApiKinds, intent: ExposureIntent, parentRefs: ParentRef[]): gatewayApi.HttpRoute {
  return new kinds.HttpRoute(scope, 'HTTPRoute-https-redirect', {
    metadata: { name: resourceName(scope, 'https-redirect') },
    spec: {
      parentRefs,
      hostnames: hostnamesOf(intent),
      rules: [{ name: 'https-redirect', filters: [{ type: enumValue('RequestRedirect'), requestRedirect: { scheme: enumValue('https'), statusCode: intent.tls?.redirectCode ?? 301 } }] }],
    },
  });
}

/** The exposure's hosts; none: every host the listeners accept. */
function hostnamesOf(intent: ExposureIntent): string[] | undefined {
  return intent.hosts.length > 0 ? [...intent.hosts] : undefined;
}
