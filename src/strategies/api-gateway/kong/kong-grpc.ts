import { ExposureIntent, RouteIntent, translatesGrpc } from '../../../intent/model';
import { SecretMount } from '../engine';
import { KongPlugin } from './kong-entities';
import { KONG_PATHS } from './kong-layout';

/*
 * gRPC on the Kong engine. A gRPC route's service speaks `grpc` (`grpcs` with TLS to the backend)
 * to its upstream. Native gRPC clients reach a Kong route of protocols grpc/grpcs (HTTP/2: on the
 * gRPC listener in cleartext, or by ALPN on the HTTPS listener); gRPC-Web and JSON clients reach
 * a Kong route of protocols http/https, and a bundled plugin translates: `grpc-web`, or
 * `grpc-gateway` with the `.proto` file mounted from the ConfigMap the route names.
 */

/** Where a ConfigMap of `.proto` files is mounted (read-only) in the Kong container. */
export const protoDir = (configMap: string) => `${KONG_PATHS.protos}/${configMap}`;

/** The routes of native gRPC clients, which the gRPC listener serves. */
export function nativeGrpcRoutes(intent: ExposureIntent): RouteIntent[] {
  return intent.routes.filter((r) => r.protocol === 'grpc' && !translatesGrpc(r));
}

/** The Kong route's protocols of a native gRPC route: grpcs only where Kong terminates TLS (gRPC clients follow no redirect). */
export function grpcRouteProtocols(tlsAtGateway: boolean): ('grpc' | 'grpcs')[] {
  return tlsAtGateway ? ['grpcs'] : ['grpc', 'grpcs'];
}

/** The plugin that translates a gRPC route's web or JSON clients, if it has them. */
export function grpcTranslationPlugins(route: RouteIntent): KongPlugin[] {
  if (route.grpcWeb) return [{ name: 'grpc-web', config: {} }];
  const proto = route.jsonTranscoding;
  if (proto !== undefined) return [{ name: 'grpc-gateway', config: { proto: `${protoDir(proto.configMap)}/${proto.file}` } }];
  return [];
}

/** The ConfigMaps of `.proto` files the routes name, each mounted once with the files named from it. */
export function protoMounts(intent: ExposureIntent): SecretMount[] {
  const files = new Map<string, Set<string>>();
  for (const route of intent.routes) {
    const proto = route.jsonTranscoding;
    if (proto === undefined) continue;
    files.set(proto.configMap, (files.get(proto.configMap) ?? new Set()).add(proto.file));
  }
  return [...files].sort(([a], [b]) => a.localeCompare(b)).map(([configMap, keys]) => ({
    secretName: configMap,
    mountPath: protoDir(configMap),
    configMap: true,
    keys: [...keys].sort(),
  }));
}
