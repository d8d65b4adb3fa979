import { Problem } from '../../../core/errors';
import { RouteIntent } from '../../../intent/model';

/**
 * What the NGINX engine cannot express of a gRPC route: `grpc_pass` takes no URI (no path
 * rewrite) and has no mirror of its own (`mirror` subrequests are proxied over HTTP/1.1); gRPC
 * clients send no CORS preflight (browsers reach gRPC through gRPC-Web, on Kong) and follow no
 * sign-in redirect.
 */
export function grpcRouteProblems(route: RouteIntent): Problem[] {
  if (route.protocol !== 'grpc') return [];
  const problems: Problem[] = [];
  if (route.rewrite?.path !== undefined) {
    problems.push({ field: `${route.sources.rewrite!}.path`, message: 'the NGINX engine passes a gRPC call with grpc_pass, which keeps its path (/package.Service/Method); remove the path rewrite' });
  }
  if (route.mirror !== undefined) {
    problems.push({ field: route.sources.mirror!, message: 'the NGINX engine mirrors requests over HTTP/1.1, which a gRPC backend does not speak; remove mirror, or use istio' });
  }
  if (route.cors !== undefined) {
    problems.push({
      field: route.sources.cors!,
      message: 'gRPC clients send no CORS preflight; browsers call gRPC services through gRPC-Web, which apiGateway (kong) translates: remove cors',
    });
  }
  if (route.auth?.kind === 'external' && route.auth.signinUrl !== undefined) {
    problems.push({ field: `${route.sources.auth!}.signinUrl`, message: 'gRPC clients do not follow redirects to a sign-in page; remove signinUrl' });
  }
  return problems;
}
