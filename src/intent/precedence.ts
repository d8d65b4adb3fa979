import { RouteIntent } from './model';

/**
 * Routes ordered most specific first: exact paths, then regexes, then longer prefixes; then a
 * method, more headers, more query parameters. This is the precedence of Ingress and Gateway
 * API, which first-match data planes (Istio, nginx) need spelled out. The sort is stable, so
 * declaration order breaks ties.
 */
export function orderBySpecificity(routes: readonly RouteIntent[]): RouteIntent[] {
  const rank = (r: RouteIntent): number[] => {
    const p = r.match.path;
    const kind = p.kind === 'exact' ? 0 : p.kind === 'regex' ? 1 : 2;
    return [kind, -p.value.length, r.match.method ? 0 : 1, -r.match.headers.length, -r.match.queryParams.length];
  };
  return [...routes].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
    return 0;
  });
}
