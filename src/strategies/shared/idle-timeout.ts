import type { Problem } from '../../core/errors';
import { RouteIntent } from '../../intent/model';

/**
 * nginx (ingress-nginx and the NGINX engine) and Kong bound a quiet upstream connection with the
 * same settings `timeout` and `retries.perTryTimeout` write (the time between two reads or
 * writes), so a route takes one of them. `settings` names them for the message:
 * `nginx's proxy_read_timeout and proxy_send_timeout`.
 */
export function idleTimeoutConflicts(route: RouteIntent, settings: string): Problem[] {
  if (route.idleTimeoutMs === undefined || route.action.kind !== 'forward') return [];
  const other = route.retries?.perTryTimeoutMs !== undefined ? `${route.sources.retries!}.perTryTimeout` : route.sources.timeout;
  return other === undefined ? [] : [{
    field: route.sources.idleTimeout!,
    message: `${settings} are set by ${other} too; declare one of them for this route (a timeout on the other routes, not the exposure)`,
  }];
}
