import { found } from './checks';
import { acceptedAnnotationValue, ANNOTATION_PREFIX, corsOriginKept, refusalEffect } from './ingress-nginx-annotation-values';
import { backendProtocolAnnotations, backendTlsProblems } from './ingress-nginx-backend-tls';
import { externalAuthAnnotations, externalAuthProblems } from './ingress-nginx-external-auth';
import type { Problem } from '../../core/errors';
import { AffinityIntent, ExposureIntent, RouteIntent } from '../../intent/model';
import { idleTimeoutConflicts } from '../shared/idle-timeout';
import { proxyNextUpstream, retryOnProblems } from '../shared/nginx-retries';
import { nginxSize } from '../shared/nginx-size';

/*
 * The policies of a route (protocol, timeout, idle timeout, retries, host rewrite, redirect, mirror, CORS, rate
 * limit, basic auth, external auth, client IP lists, body size limit, session affinity) as ingress-nginx annotations, and what those annotations cannot carry.
 */

/** The prefix of ingress-nginx's annotations. */
export const A = ANNOTATION_PREFIX;

/**
 * What ingress-nginx's annotations cannot carry of a route's policies: every problem, in the
 * order of the route's fields.
 */
export function policyProblems(route: RouteIntent, intent: ExposureIntent): Problem[] {
  return [
    ...found(wholeSecondsTimeout(route), wholeSecondsIdleTimeout(route)),
    ...idleTimeoutConflicts(route, 'ingress-nginx\'s proxy-read-timeout and proxy-send-timeout'),
    ...retryProblems(route),
    ...found(rewriteTargetProblem(route)),
    ...found(fullUrlRedirect(route), redirectTargetProblem(route)),
    ...found(mirrorOfEveryRequest(route), qualifiedMirrorTarget(route, intent)),
    ...corsValueProblems(route),
    ...found(perClientRateLimit(route), wholeBurstMultiplier(route)),
    ...found(realmProblem(route)),
    ...externalAuthProblems(route, intent),
    ...backendTlsProblems(route, intent),
  ];
}

/** The annotations of a route's policies; the route passed `policyProblems`. */
export function policyAnnotations(route: RouteIntent, intent: ExposureIntent): Record<string, string> {
  return {
    ...backendProtocolAnnotations(route, intent),
    ...timeoutAnnotations(route),
    ...retryAnnotations(route),
    ...(route.rewrite?.host !== undefined ? { [`${A}upstream-vhost`]: route.rewrite.host } : {}),
    ...redirectAnnotations(route),
    ...mirrorAnnotations(route, intent),
    ...corsAnnotations(route),
    ...rateLimitAnnotations(route),
    ...basicAuthAnnotations(route),
    ...externalAuthAnnotations(route, intent),
    ...accessAnnotations(route),
    // client_max_body_size of the route's locations: in bytes, or k/m/g when whole. In front of an
    // API gateway, the gateway's largest limit: the controller's default (1m) would refuse first.
    ...bodySizeAnnotation(route.maxRequestBodyBytes ?? intent.passBodiesUpToBytes),
    ...affinityAnnotations(route.affinity),
  };
}

/**
 * Session affinity. A cookie: the controller's sticky balancer sets it on the first response
 * (its value names the endpoint) and sends requests carrying it to that endpoint while it exists;
 * `persistent`, so scaling up moves no session (`balanced`, the default, would move some).
 * Max-Age and Expires both, as ingress-nginx documents for older browsers. A header or the
 * client address: a consistent hash (upstream-hash-by) of `$http_<name>` or `$remote_addr`.
 */
function affinityAnnotations(a: AffinityIntent | undefined): Record<string, string> {
  if (a === undefined) return {};
  if (a.kind === 'header') return { [`${A}upstream-hash-by`]: `$http_${a.name.replace(/-/g, '_')}` };
  if (a.kind === 'client-ip') return { [`${A}upstream-hash-by`]: '$remote_addr' };
  return {
    [`${A}affinity`]: 'cookie',
    [`${A}affinity-mode`]: 'persistent',
    [`${A}session-cookie-name`]: a.name,
    ...(a.ttlSeconds === undefined ? {} : { [`${A}session-cookie-max-age`]: String(a.ttlSeconds), [`${A}session-cookie-expires`]: String(a.ttlSeconds) }),
    ...(a.path === undefined ? {} : { [`${A}session-cookie-path`]: a.path }),
  };
}

function bodySizeAnnotation(bytes: number | undefined): Record<string, string> {
  return bytes === undefined ? {} : { [`${A}proxy-body-size`]: nginxSize(bytes) };
}

/**
 * Client IP lists, for the route's locations: ingress-nginx writes the deny list's `deny`s
 * first, then the allow list's `allow`s and `deny all`, so a denied range wins, as declared.
 */
function accessAnnotations(route: RouteIntent): Record<string, string> {
  const a = route.access;
  if (a === undefined) return {};
  return {
    ...(a.allow !== undefined ? { [`${A}whitelist-source-range`]: a.allow.join(',') } : {}),
    ...(a.deny.length > 0 ? { [`${A}denylist-source-range`]: a.deny.join(',') } : {}),
  };
}

function wholeSecondsTimeout(route: RouteIntent): Problem | undefined {
  const ms = route.timeoutMs;
  if (ms === undefined || ms % 1000 === 0) return undefined;
  return { field: route.sources.timeout!, message: `ingress-nginx timeouts are whole seconds; ${ms}ms is not` };
}

function wholeSecondsIdleTimeout(route: RouteIntent): Problem | undefined {
  const ms = route.idleTimeoutMs;
  if (ms === undefined || ms % 1000 === 0) return undefined;
  return { field: route.sources.idleTimeout!, message: `ingress-nginx timeouts are whole seconds; ${ms}ms is not` };
}

/**
 * The time nginx waits between two reads from, or writes to, the backend: `timeout` or
 * `idleTimeout` (how long a WebSocket may stay silent), one per route (`policyProblems`).
 */
function timeoutAnnotations(route: RouteIntent): Record<string, string> {
  const ms = route.idleTimeoutMs ?? route.timeoutMs;
  if (ms === undefined) return {};
  const seconds = String(ms / 1000);
  return { [`${A}proxy-read-timeout`]: seconds, [`${A}proxy-send-timeout`]: seconds };
}

/** No per-try timeout; the retry conditions nginx has, unless retries are off. */
function retryProblems(route: RouteIntent): Problem[] {
  const r = route.retries;
  if (r === undefined) return [];
  const field = route.sources.retries!;
  return [
    ...(r.perTryTimeoutMs === undefined ? [] : [{
      field: `${field}.perTryTimeout`,
      message: 'ingress-nginx has no per-try timeout; remove it (each try is bounded by the timeout) or use istio',
    }]),
    ...(r.attempts === 0 ? [] : retryOnProblems(r, field, 'ingress-nginx')),
  ];
}

function retryAnnotations(route: RouteIntent): Record<string, string> {
  const r = route.retries;
  if (r === undefined) return {};
  if (r.attempts === 0) return { [`${A}proxy-next-upstream`]: 'off' };
  return {
    [`${A}proxy-next-upstream`]: proxyNextUpstream(r),
    // tries count the first one.
    [`${A}proxy-next-upstream-tries`]: String(r.attempts + 1),
  };
}

/*
 * Since v1.12 ingress-nginx validates every annotation value (see ingress-nginx-annotation-values.ts):
 * a declared value it refuses either rejects the whole Ingress or is silently replaced. Declared
 * text that reaches an annotation is checked here, and the message says what the controller
 * accepts and which strategies carry the value instead.
 */

/** A declared value ingress-nginx refuses in `annotation`: what it would do, and what it accepts. */
function refused(field: string, annotation: string, value: string, accepted: string, alternatives: string): Problem {
  return {
    field,
    message: `ingress-nginx (v1.12+ validates annotations) refuses ${annotation} ${JSON.stringify(value)} and ${refusalEffect(annotation)}; `
      + `use ${accepted}, or use ${alternatives}`,
  };
}

/** The strategies that carry rewrites and CORS lists as declared. */
const L7_STRATEGIES = 'gatewayApi, istio or apiGateway';

/**
 * rewrite-target is the declared path, with capture references (`$1`, `$2`) when the renderer
 * adds them: a declared "$" would be expanded by nginx, any other character outside
 * RegexPathWithCapture makes the controller drop the rewrite.
 */
function rewriteTargetProblem(route: RouteIntent): Problem | undefined {
  const path = route.rewrite?.path;
  if (path === undefined) return undefined;
  const field = `${route.sources.rewrite!}.path`;
  if (path.includes('$')) {
    return { field, message: `ingress-nginx expands "$" in rewrite-target as a capture group or variable, so "${path}" would not arrive as declared; remove the "$", or use ${L7_STRATEGIES}` };
  }
  if (acceptedAnnotationValue('rewrite-target', path)) return undefined;
  return refused(field, 'rewrite-target', path, 'a path of letters, digits and any of "-._~/:"', L7_STRATEGIES);
}

/**
 * permanent-redirect is the full URL. Keeping the request's path would take `$request_uri`,
 * which URLIsValidRegex refuses: the path must be declared, and within that regex.
 */
function redirectTargetProblem(route: RouteIntent): Problem | undefined {
  const r = route.action;
  if (r.kind !== 'redirect' || r.scheme === undefined || r.host === undefined) return undefined;
  const field = route.sources.redirect!;
  if (r.path === undefined) {
    return {
      field,
      message: 'ingress-nginx (v1.12+ validates annotations) refuses "$request_uri" in permanent-redirect, so it cannot keep the request\'s path; '
        + 'set redirect.path (every request of the route goes to that one URL), or use gatewayApi, istio or apiGateway (nginx)',
    };
  }
  const url = redirectUrl(r.scheme, r.host, r.port, r.path);
  if (acceptedAnnotationValue('permanent-redirect', url)) return undefined;
  return refused(`${field}.path`, 'permanent-redirect', url, 'a redirect.path of letters, digits and any of "-._~/:,&="', 'gatewayApi, istio or apiGateway (nginx)');
}

function redirectUrl(scheme: string, host: string, port: number | undefined, path: string): string {
  return `${scheme}://${host}${port === undefined ? '' : `:${port}`}${path}`;
}

/**
 * CORS lists: a refused header list is replaced by the default one (allow) or by none (expose);
 * a refused origin list by "*", every origin. Methods are HTTP method names, always accepted.
 */
function corsValueProblems(route: RouteIntent): Problem[] {
  const c = route.cors;
  if (c === undefined) return [];
  const field = route.sources.cors!;
  const headers = (list: 'allowHeaders' | 'exposeHeaders', annotation: string) => c[list].flatMap((name, i) =>
    (acceptedAnnotationValue(annotation, name) ? [] : [refused(`${field}.${list}[${i}]`, annotation, name, 'header names of letters, digits, "-" and "_"', L7_STRATEGIES)]));
  return [
    ...c.allowOrigins.flatMap((origin, i) => (origin === '*' || (corsOriginKept(origin) && acceptedAnnotationValue('cors-allow-origin', origin)) ? []
      : [refused(`${field}.allowOrigins[${i}]`, 'cors-allow-origin', origin, 'origins whose host is letters, digits, "-" and "."', L7_STRATEGIES)])),
    ...headers('allowHeaders', 'cors-allow-headers'),
    ...headers('exposeHeaders', 'cors-expose-headers'),
  ];
}

/** auth_basic's realm: CharsWithSpace. */
function realmProblem(route: RouteIntent): Problem | undefined {
  if (route.auth?.kind !== 'basic' || acceptedAnnotationValue('auth-realm', route.auth.realm)) return undefined;
  return refused(route.sources.auth!, 'auth-realm', route.auth.realm, 'a realm of letters, digits, spaces and any of "-._~/:"', 'apiGateway');
}

function fullUrlRedirect(route: RouteIntent): Problem | undefined {
  const r = route.action;
  if (r.kind !== 'redirect' || (r.scheme !== undefined && r.host !== undefined)) return undefined;
  return {
    field: route.sources.redirect!,
    message: 'ingress-nginx redirects to a full URL (permanent-redirect annotation); set redirect.scheme and redirect.host',
  };
}

function redirectAnnotations(route: RouteIntent): Record<string, string> {
  const r = route.action;
  if (r.kind !== 'redirect') return {};
  if (r.scheme === undefined || r.host === undefined || r.path === undefined) {
    throw new Error('ingress-nginx: the check let through a redirect without scheme, host and path');
  }
  return {
    [`${A}permanent-redirect`]: redirectUrl(r.scheme, r.host, r.port, r.path),
    [`${A}permanent-redirect-code`]: String(r.statusCode),
  };
}

function mirrorOfEveryRequest(route: RouteIntent): Problem | undefined {
  const m = route.mirror;
  if (m === undefined || m.percentage === 100) return undefined;
  return {
    field: `${route.sources.mirror!}.percentage`,
    message: `ingress-nginx mirrors every request (mirror-target annotation); percentage ${m.percentage} needs istio, or set 100`,
  };
}

/** The mirror target is resolved by the controller, in its own namespace: it must be qualified. */
function qualifiedMirrorTarget(route: RouteIntent, intent: ExposureIntent): Problem | undefined {
  if (route.mirror === undefined || mirrorNamespace(route, intent) !== undefined) return undefined;
  return {
    field: `${route.sources.mirror!}.backend`,
    message: 'ingress-nginx resolves the mirror target from its own namespace; give the chart a namespace or the backend one (Backend.fromName(name, port, { namespace }))',
  };
}

function mirrorNamespace(route: RouteIntent, intent: ExposureIntent): string | undefined {
  return route.mirror?.backend.namespace ?? intent.namespace;
}

function mirrorAnnotations(route: RouteIntent, intent: ExposureIntent): Record<string, string> {
  const m = route.mirror;
  if (m === undefined) return {};
  const namespace = mirrorNamespace(route, intent);
  if (namespace === undefined) throw new Error('ingress-nginx: the check let through a mirror target without a namespace');
  return { [`${A}mirror-target`]: `http://${m.backend.name}.${namespace}.svc:${m.backend.port}$request_uri` };
}

function corsAnnotations(route: RouteIntent): Record<string, string> {
  const c = route.cors;
  if (c === undefined) return {};
  return {
    [`${A}enable-cors`]: 'true',
    // "*" among other origins fails the controller's list regex (which then allows every origin):
    // alone it says the same and passes.
    [`${A}cors-allow-origin`]: c.allowOrigins.includes('*') ? '*' : c.allowOrigins.join(', '),
    [`${A}cors-allow-methods`]: c.allowMethods.join(', '),
    ...(c.allowHeaders.length > 0 ? { [`${A}cors-allow-headers`]: c.allowHeaders.join(', ') } : {}),
    ...(c.exposeHeaders.length > 0 ? { [`${A}cors-expose-headers`]: c.exposeHeaders.join(', ') } : {}),
    // ingress-nginx allows credentials unless told not to: always say it.
    [`${A}cors-allow-credentials`]: String(c.allowCredentials),
    ...(c.maxAgeSeconds !== undefined ? { [`${A}cors-max-age`]: String(c.maxAgeSeconds) } : {}),
  };
}

function perClientRateLimit(route: RouteIntent): Problem | undefined {
  const r = route.rateLimit;
  if (r === undefined || r.key === 'client-ip') return undefined;
  return {
    field: `${route.sources.rateLimit!}.key`,
    message: 'ingress-nginx limits per client address only; use key "client-ip", or apiGateway for per-key limits',
  };
}

/** ingress-nginx's burst is the rate times a whole multiplier of at least 1. */
function wholeBurstMultiplier(route: RouteIntent): Problem | undefined {
  const r = route.rateLimit;
  if (r === undefined || (r.burst !== 0 && r.burst % r.requests === 0)) return undefined;
  return {
    field: `${route.sources.rateLimit!}.burst`,
    message: `ingress-nginx bursts are a whole multiple (at least 1) of the rate (limit-burst-multiplier); set burst to ${r.requests}, ${2 * r.requests}, ...`,
  };
}

function rateLimitAnnotations(route: RouteIntent): Record<string, string> {
  const r = route.rateLimit;
  if (r === undefined) return {};
  return {
    [`${A}${r.per === 'second' ? 'limit-rps' : 'limit-rpm'}`]: String(r.requests),
    [`${A}limit-burst-multiplier`]: String(r.burst / r.requests),
  };
}

function basicAuthAnnotations(route: RouteIntent): Record<string, string> {
  if (route.auth?.kind !== 'basic') return {};
  return {
    [`${A}auth-type`]: 'basic',
    [`${A}auth-secret`]: route.auth.secretName,
    [`${A}auth-secret-type`]: 'auth-file',
    [`${A}auth-realm`]: route.auth.realm,
  };
}
