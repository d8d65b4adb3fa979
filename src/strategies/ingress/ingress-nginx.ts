import { INGRESS_NGINX_ROW } from './capabilities';
import { Fail, IngressDialect, IngressPathPlan } from './dialect';
import { BackendIntent, ExposureIntent, RetryIntent, RouteIntent } from '../../intent/model';
import { nextUpstreamConditions } from '../shared/nginx-retries';
import { escapeRegex } from '../shared/regex';

const A = 'nginx.ingress.kubernetes.io/';


/**
 * ingress-nginx: the intent's policies as `nginx.ingress.kubernetes.io/*` annotations.
 *
 * Annotations apply to a whole Ingress, so routes with different policies end up in different
 * Ingress objects for the same host, which ingress-nginx merges. Header edits are not mapped:
 * they need configuration snippets, which ingress-nginx disables by default for security.
 */
export const INGRESS_NGINX_DIALECT: IngressDialect = {
  row: INGRESS_NGINX_ROW,

  route(route: RouteIntent, intent: ExposureIntent, fail: Fail): IngressPathPlan {
    const annotations: Record<string, string> = {};
    const { path, pathType, usesRegex } = pathOf(route, annotations);
    if (usesRegex) annotations[`${A}use-regex`] = 'true';
    if (route.protocol === 'grpc') annotations[`${A}backend-protocol`] = 'GRPC';

    if (route.timeoutMs !== undefined) {
      const seconds = wholeSeconds(route.timeoutMs, route.sources.timeout!, fail);
      annotations[`${A}proxy-read-timeout`] = seconds;
      annotations[`${A}proxy-send-timeout`] = seconds;
    }
    if (route.retries !== undefined) Object.assign(annotations, retries(route.retries, route.sources.retries!, fail));
    if (route.rewrite?.host !== undefined) annotations[`${A}upstream-vhost`] = route.rewrite.host;
    if (route.action.kind === 'redirect') {
      const r = route.action;
      if (r.scheme === undefined || r.host === undefined) {
        fail(route.sources.redirect!, 'ingress-nginx redirects to a full URL (permanent-redirect annotation); set redirect.scheme and redirect.host');
      }
      annotations[`${A}permanent-redirect`] = `${r.scheme}://${r.host}${r.port === undefined ? '' : `:${r.port}`}${r.path ?? '$request_uri'}`;
      annotations[`${A}permanent-redirect-code`] = String(r.statusCode);
    }
    if (route.mirror !== undefined) {
      if (route.mirror.percentage !== 100) {
        fail(`${route.sources.mirror!}.percentage`, `ingress-nginx mirrors every request (mirror-target annotation); percentage ${route.mirror.percentage} needs istio, or set 100`);
      }
      annotations[`${A}mirror-target`] = `http://${serviceHost(route.mirror.backend, intent, `${route.sources.mirror!}.backend`, fail)}:${route.mirror.backend.port}$request_uri`;
    }
    if (route.cors !== undefined) {
      const c = route.cors;
      annotations[`${A}enable-cors`] = 'true';
      annotations[`${A}cors-allow-origin`] = c.allowOrigins.join(', ');
      annotations[`${A}cors-allow-methods`] = c.allowMethods.join(', ');
      if (c.allowHeaders.length > 0) annotations[`${A}cors-allow-headers`] = c.allowHeaders.join(', ');
      if (c.exposeHeaders.length > 0) annotations[`${A}cors-expose-headers`] = c.exposeHeaders.join(', ');
      // ingress-nginx allows credentials unless told not to: always say it.
      annotations[`${A}cors-allow-credentials`] = String(c.allowCredentials);
      if (c.maxAgeSeconds !== undefined) annotations[`${A}cors-max-age`] = String(c.maxAgeSeconds);
    }
    if (route.rateLimit !== undefined) {
      const r = route.rateLimit;
      const field = route.sources.rateLimit!;
      if (r.key !== 'client-ip') fail(`${field}.key`, 'ingress-nginx limits per client address only; use key "client-ip", or apiGateway for per-key limits');
      // ingress-nginx's burst is the rate times a whole multiplier of at least 1.
      if (r.burst === 0 || r.burst % r.requests !== 0) {
        fail(`${field}.burst`, `ingress-nginx bursts are a whole multiple (at least 1) of the rate (limit-burst-multiplier); set burst to ${r.requests}, ${2 * r.requests}, ...`);
      }
      annotations[`${A}${r.per === 'second' ? 'limit-rps' : 'limit-rpm'}`] = String(r.requests);
      annotations[`${A}limit-burst-multiplier`] = String(r.burst / r.requests);
    }
    if (route.auth?.kind === 'basic') {
      annotations[`${A}auth-type`] = 'basic';
      annotations[`${A}auth-secret`] = route.auth.secretName;
      annotations[`${A}auth-secret-type`] = 'auth-file';
      annotations[`${A}auth-realm`] = route.auth.realm;
    }
    return { path, pathType, annotations };
  },

  exposureAnnotations(intent: ExposureIntent): Record<string, string> {
    // ingress-nginx redirects to HTTPS when an Ingress has TLS; said explicitly, so it shows in review.
    return intent.tls ? { [`${A}ssl-redirect`]: 'true' } : {};
  },

  canaryAnnotations(canaryWeight: number, totalWeight: number): Record<string, string> {
    return {
      [`${A}canary`]: 'true',
      [`${A}canary-weight`]: String(canaryWeight),
      [`${A}canary-weight-total`]: String(totalWeight),
    };
  },
};

/**
 * The Ingress path of a route. ingress-nginx rewrites with `rewrite-target` and regex capture
 * groups, so a prefix route with a path rewrite becomes a regex path; regex paths are anchored
 * at both ends because the intent's regexes match the whole path (ingress-nginx anchors only the
 * start, and matches case-insensitively).
 */
function pathOf(route: RouteIntent, annotations: Record<string, string>): { path: string; pathType: IngressPathPlan['pathType']; usesRegex: boolean } {
  const { kind, value } = route.match.path;
  const rewrite = route.rewrite?.path;
  if (kind === 'regex') {
    if (rewrite !== undefined) annotations[`${A}rewrite-target`] = rewrite;
    // Grouped, so an alternation (a|b) is anchored as a whole.
    return { path: `(?:${value})$`, pathType: 'ImplementationSpecific', usesRegex: true };
  }
  if (kind === 'exact') {
    if (rewrite !== undefined) annotations[`${A}rewrite-target`] = rewrite;
    return { path: value, pathType: 'Exact', usesRegex: false };
  }
  if (rewrite === undefined) return { path: value, pathType: 'Prefix', usesRegex: false };
  // Element-wise prefix replacement: /api(/|$)(.*) with target /v2$1$2 turns /api/x into /v2/x
  // and /api into /v2; a target ending in "/" takes only the rest ($2).
  if (value === '/') {
    annotations[`${A}rewrite-target`] = rewrite.endsWith('/') ? `${rewrite}$1` : `${rewrite}/$1`;
    return { path: '/(.*)', pathType: 'ImplementationSpecific', usesRegex: true };
  }
  annotations[`${A}rewrite-target`] = rewrite.endsWith('/') ? `${rewrite}$2` : `${rewrite}$1$2`;
  return { path: `${escapeRegex(value)}(/|$)(.*)`, pathType: 'ImplementationSpecific', usesRegex: true };
}

function retries(r: RetryIntent, field: string, fail: Fail): Record<string, string> {
  if (r.perTryTimeoutMs !== undefined) {
    fail(`${field}.perTryTimeout`, 'ingress-nginx has no per-try timeout; remove it (each try is bounded by the timeout) or use istio');
  }
  if (r.attempts === 0) return { [`${A}proxy-next-upstream`]: 'off' };
  return {
    [`${A}proxy-next-upstream`]: nextUpstreamConditions(r, field, 'ingress-nginx', fail),
    // tries count the first one.
    [`${A}proxy-next-upstream-tries`]: String(r.attempts + 1),
  };
}

function wholeSeconds(ms: number, field: string, fail: Fail): string {
  if (ms % 1000 !== 0) fail(field, `ingress-nginx timeouts are whole seconds; ${ms}ms is not`);
  return String(ms / 1000);
}

/** The mirror target is resolved by the controller, in its own namespace: it must be qualified. */
function serviceHost(backend: BackendIntent, intent: ExposureIntent, field: string, fail: Fail): string {
  const namespace = backend.namespace ?? intent.namespace;
  if (namespace === undefined) {
    fail(field, 'ingress-nginx resolves the mirror target from its own namespace; give the chart a namespace or the backend one (Backend.fromName(name, port, { namespace }))');
  }
  return `${backend.name}.${namespace}.svc`;
}
