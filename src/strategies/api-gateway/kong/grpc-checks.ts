import { Problem } from '../../../core/errors';
import { RouteIntent, translatesGrpc } from '../../../intent/model';

/**
 * What the Kong engine cannot express of a gRPC route: a service of protocol grpc/grpcs has no
 * path (no path rewrite); Kong's gRPC routes match no method; CORS headers are the grpc-web
 * plugin's (it answers with `Access-Control-Allow-Origin: *`), and native gRPC clients send no
 * preflight. A JSON transcoding route is an HTTP route to its clients: CORS applies.
 */
export function kongGrpcProblems(route: RouteIntent): Problem[] {
  if (route.protocol !== 'grpc') return [];
  const problems: Problem[] = [];
  if (route.rewrite?.path !== undefined) {
    problems.push({ field: `${route.sources.rewrite!}.path`, message: 'a Kong service of protocol grpc has no path, so the call keeps its own (/package.Service/Method); remove the path rewrite' });
  }
  if (route.match.method !== undefined && !translatesGrpc(route)) {
    problems.push({ field: `${route.field}.match.method`, message: 'Kong\'s gRPC routes match no method (every gRPC call is a POST); remove method' });
  }
  if (route.cors !== undefined && route.jsonTranscoding === undefined) {
    problems.push({
      field: route.sources.cors!,
      message: route.grpcWeb
        ? 'Kong\'s grpc-web plugin answers gRPC-Web clients with its own Access-Control-Allow-Origin (*); remove cors'
        : 'gRPC clients send no CORS preflight; browsers call gRPC services through gRPC-Web (grpcWeb: true): remove cors',
    });
  }
  return problems;
}
