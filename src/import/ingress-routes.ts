/** A route of an Ingress as the declaration's route object: match, backends, rewrite and the annotations of every route. */
import { arr, Expr, lib, num, obj, str } from './code';
import { RouteDraft, ServicePort } from './ingress-model';
import { NginxReading } from './ingress-nginx-annotations';

function weighted(backend: Expr, weight: number | undefined): Expr {
  return obj({ backend, weight: weight === undefined ? undefined : num(weight) });
}

export function routeExpr(draft: RouteDraft, reading: NginxReading | undefined): Expr {
  const backend = (b: ServicePort) => {
    const options = reading !== undefined && Object.keys(reading.backendOptions).length > 0 ? [obj(reading.backendOptions)] : [];
    return lib('Backend.fromName', str(b.name), num(b.port), ...options);
  };
  const rewrite = draft.rewritePath !== undefined || reading?.rewriteHost !== undefined
    ? obj({
      path: draft.rewritePath !== undefined ? str(draft.rewritePath) : undefined,
      host: reading?.rewriteHost !== undefined ? str(reading.rewriteHost) : undefined,
    })
    : undefined;
  const target: Record<string, Expr | undefined> = reading?.redirect !== undefined
    ? { redirect: reading.redirect }
    : draft.backends.length === 1
      ? { backend: backend(draft.backends[0].backend) }
      : { backends: arr(draft.backends.map((b) => weighted(backend(b.backend), b.weight))) };
  return obj({
    match: obj({ path: draft.match, headers: draft.headers !== undefined && draft.headers.length > 0 ? arr(draft.headers) : undefined }),
    protocol: reading?.grpc && reading.redirect === undefined ? str('grpc') : undefined,
    ...target,
    rewrite: reading?.redirect === undefined ? rewrite : undefined,
    requestHeaders: reading?.redirect === undefined ? reading?.requestHeaders : undefined,
    mirror: reading?.redirect === undefined ? reading?.mirror : undefined,
  });
}
