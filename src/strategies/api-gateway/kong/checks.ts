import { kongGrpcProblems } from './grpc-checks';
import { kongPath } from './kong-paths';
import { Problem } from '../../../core/errors';
import { backendField, describeBackendTls, ExposureIntent, HeaderEditsIntent, HeaderMatchIntent, policyField, RouteIntent } from '../../../intent/model';
import { orderBySpecificity } from '../../../intent/precedence';
import { idleTimeoutConflicts } from '../../shared/idle-timeout';
import { escapeRegex } from '../../shared/regex';
import { podAddressProblems } from '../pod-addresses';

/**
 * What the Kong engine cannot express in an intent: every problem, routes in declaration order.
 * Redirects, mirrors and query matches are refused by its capability row already; the engine
 * says why, should the row change.
 */
export function kongProblems(intent: ExposureIntent): Problem[] {
  const keyIssuers = jwtKeyIssuers(intent.routes);
  return intent.routes.flatMap((route) => [
    ...redirectProblems(route),
    ...mirrorProblems(route),
    ...jwtProblems(route, keyIssuers),
    ...burstProblems(route),
    ...retryProblems(route),
    ...idleTimeoutConflicts(route, 'Kong\'s read_timeout and write_timeout'),
    ...pathProblems(route),
    ...headerMatchProblems(route),
    ...queryParamProblems(route),
    ...headerEditProblems(route.requestHeaders, route.sources.requestHeaders, true),
    ...headerEditProblems(route.responseHeaders, route.sources.responseHeaders, false),
    ...backendTlsProblems(route, intent),
    ...cookieLifetimeProblems(route),
    ...kongGrpcProblems(route),
    ...retiredGrpcProblems(route),
  ]).concat(podAddressProblems(intent, 'kong'));
}

/**
 * A retired route answers 410 from Kong's pre-function; to a gRPC client Kong turns a 410 into
 * INVALID_ARGUMENT (its table of HTTP to gRPC statuses has no 410) and drops the message, where
 * the NGINX engine answers UNIMPLEMENTED "gone".
 */
function retiredGrpcProblems(route: RouteIntent): Problem[] {
  return route.protocol !== 'grpc' || route.deprecation?.retire !== true ? [] : [{
    field: `${policyField(route, 'deprecation')}.retire`,
    message: 'Kong answers a gRPC client\'s 410 as INVALID_ARGUMENT, not as a retired method; retire gRPC routes with apiGateway (nginx) (UNIMPLEMENTED "gone"), or remove retire',
  }];
}

/** Kong's upstream sets its cookie with a path but no lifetime: a session cookie. */
function cookieLifetimeProblems(route: RouteIntent): Problem[] {
  return route.affinity?.kind !== 'cookie' || route.affinity.ttlSeconds === undefined ? []
    : [{ field: `${route.sources.affinity!}.ttl`, message: 'Kong sets its affinity cookie without a lifetime (a session cookie); remove ttl, or use ingress (ingressNginx) or istio' }];
}

/**
 * A Kong service speaks one protocol to its upstream's targets, and sends the upstream's host as
 * the TLS server name: no other name can be declared.
 */
function backendTlsProblems(route: RouteIntent, intent: ExposureIntent): Problem[] {
  if (route.action.kind !== 'forward') return [];
  const backends = route.action.backends.map((b) => b.backend);
  const problems: Problem[] = [];
  const differ = backends.find((b) => describeBackendTls(b.tls) !== describeBackendTls(backends[0].tls));
  if (differ !== undefined) {
    problems.push({
      field: `${route.field}.backends`,
      message: `a Kong service speaks one protocol to its targets; the route's backends are declared with ${describeBackendTls(backends[0].tls)} and ${describeBackendTls(differ.tls)}: `
        + 'declare the same tls, or use istio',
    });
  }
  for (const backend of backends) {
    if (backend.tls?.serverName !== undefined && backend.tls.ca === undefined) {
      problems.push({
        field: backendField(intent, backend),
        message: 'Kong sends its upstream\'s host as the TLS server name; it cannot send serverName: remove it, or use the nginx engine',
      });
    }
  }
  return problems;
}

function redirectProblems(route: RouteIntent): Problem[] {
  return route.action.kind !== 'redirect' ? []
    : [{ field: route.sources.redirect!, message: 'Kong (OSS) has no redirect plugin in this version; use the nginx engine, istio or gatewayApi' }];
}

function mirrorProblems(route: RouteIntent): Problem[] {
  return route.mirror === undefined ? []
    : [{ field: route.sources.mirror!, message: 'Kong (OSS) cannot mirror traffic; use the nginx engine, istio or gatewayApi' }];
}

/**
 * A JWT issuer is a consumer whose credential is the public key in its Secret: each Secret is the
 * key of the issuer of the first route that names it, in Kong's order (most specific first).
 */
function jwtKeyIssuers(routes: readonly RouteIntent[]): ReadonlyMap<string, string> {
  const issuers = new Map<string, string>();
  for (const { auth } of orderBySpecificity(routes)) {
    if (auth?.kind === 'jwt' && auth.publicKeySecret !== undefined && !issuers.has(auth.publicKeySecret)) issuers.set(auth.publicKeySecret, auth.issuer);
  }
  return issuers;
}

/** Kong's jwt plugin verifies the signature with one issuer's public key, and the expiry; nothing else. */
function jwtProblems(route: RouteIntent, keyIssuers: ReadonlyMap<string, string>): Problem[] {
  const auth = route.auth;
  if (auth?.kind !== 'jwt') return [];
  const field = route.sources.auth!;
  const problems: Problem[] = [];
  const issuer = auth.publicKeySecret === undefined ? undefined : keyIssuers.get(auth.publicKeySecret);
  if (issuer !== undefined && issuer !== auth.issuer) {
    problems.push({ field, message: `publicKeySecret "${auth.publicKeySecret}" is already the key of issuer ${issuer}; one Secret per issuer` });
  }
  if (auth.audiences.length > 0) problems.push({ field: `${field}.audiences`, message: 'Kong\'s jwt plugin does not check audiences; remove them, or use istio or the NGINX engine' });
  if (auth.publicKeySecret === undefined) {
    problems.push({ field, message: 'Kong\'s jwt plugin verifies with the issuer\'s public key, not a JWKS URI: set Auth.jwt({ ..., publicKeySecret })' });
  }
  return problems;
}

function burstProblems(route: RouteIntent): Problem[] {
  return (route.rateLimit?.burst ?? 0) === 0 ? []
    : [{ field: `${route.sources.rateLimit!}.burst`, message: 'Kong\'s rate-limiting counts fixed windows and has no burst; set burst to 0' }];
}

/** Kong retries on connection failures only, each try bounded by the service's timeouts. */
function retryProblems(route: RouteIntent): Problem[] {
  const retries = route.retries;
  if (retries === undefined) return [];
  const problems: Problem[] = [];
  if (retries.attempts > 0 && retries.retryOn.some((on) => on !== 'connect-failure' && on !== 'reset')) {
    problems.push({ field: `${route.sources.retries!}.retryOn`, message: 'Kong retries connection failures only; set retryOn to ["connect-failure", "reset"]' });
  }
  if (retries.perTryTimeoutMs !== undefined && route.timeoutMs !== undefined) {
    problems.push({
      field: `${route.sources.retries!}.perTryTimeout`,
      message: 'Kong bounds each try (read_timeout), not the whole request: set either timeout or retries.perTryTimeout',
    });
  }
  return problems;
}

function queryParamProblems(route: RouteIntent): Problem[] {
  return route.match.queryParams.length === 0 ? []
    : [{ field: `${route.field}.match.queryParams`, message: 'Kong routes do not match query parameters; use the nginx engine, istio or gatewayApi' }];
}

/** Literal paths are written as Kong normalizes request paths; some cannot be (see kong-paths). */
function pathProblems(route: RouteIntent): Problem[] {
  const { kind, value } = route.match.path;
  const path = kind === 'regex' ? undefined : kongPath(value);
  return path !== undefined && 'problem' in path ? [{ field: `${route.field}.match.path`, message: path.problem }] : [];
}

function headerMatchProblems(route: RouteIntent): Problem[] {
  return route.match.headers.flatMap((h) => {
    const message = headerMatchProblem(h);
    return message === undefined ? [] : [{ field: `${route.field}.match.headers`, message }];
  });
}

/**
 * Kong's router (traditional_compatible) compares a header value lowercased with the declared one
 * lowercased, and reads a declared value starting with "~*" as a regex, which it lowercases and
 * searches case-insensitively. Values with cased letters would match in any case; a regex keeps
 * its meaning only if it is case-insensitive already and lowercasing leaves its syntax alone.
 */
export function headerMatchProblem(h: HeaderMatchIntent): string | undefined {
  if (h.kind === 'regex') return headerRegexProblem(h.value);
  const anyCase = `HeaderMatch.regex(${JSON.stringify(h.name)}, ${JSON.stringify(`(?i)${escapeRegex(h.value)}${h.kind === 'prefix' ? '.*' : ''}`)})`;
  if (h.kind === 'exact' && h.value.startsWith('~*')) {
    return `Kong reads a header value starting with "~*" as a regex and has no escape for it; match "${h.name}" with ${anyCase}, or use the nginx engine, istio or gatewayApi`;
  }
  if (h.value.toLowerCase() !== h.value.toUpperCase()) {
    return `Kong compares header values case-insensitively: "${h.value}" would match in any case; to accept any case, use ${anyCase}; `
      + 'otherwise use the nginx engine, istio or gatewayApi';
  }
  return undefined;
}

function headerRegexProblem(regex: string): string | undefined {
  if (!regex.startsWith('(?i)')) {
    return 'Kong lowercases header values and regexes before matching, so a regex matches in any case: start it with "(?i)" to say so, '
      + 'or use the nginx engine, istio or gatewayApi';
  }
  // Escapes and group openings are the syntax lowercasing can change (`\D`, `\P{Lu}`, `(?U)`, `(?P<`).
  for (const [token] of regex.matchAll(/\\[\s\S]|\(\?[A-Za-z-]*/g)) {
    if (token !== token.toLowerCase()) {
      return `Kong lowercases header regexes: "${token}" would read as "${token.toLowerCase()}"; write the regex without it, or use the nginx engine, istio or gatewayApi`;
    }
    if (/-[a-z]*i/.test(token)) {
      return `Kong compares header values case-insensitively: "${token}" cannot turn that off; remove it, or use the nginx engine, istio or gatewayApi`;
    }
  }
  return undefined;
}

/**
 * Kong's transformers split each `name:value` entry with `^([^:]+):*(.-)$`: the colons that start
 * a value are dropped (an empty value, which is none, is refused at the intent). request-transformer
 * renders each value as a Penlight template, where `$(...)` is a Lua expression (response-transformer
 * does not).
 */
function headerEditProblems(edits: HeaderEditsIntent | undefined, field: string | undefined, templated: boolean): Problem[] {
  if (edits === undefined) return [];
  return [...edits.set, ...edits.add].flatMap(({ name, value }) => {
    const message = editedValueProblem(name, value, templated);
    return message === undefined ? [] : [{ field: field!, message }];
  });
}

function editedValueProblem(name: string, value: string, templated: boolean): string | undefined {
  if (value.startsWith(':')) {
    return `Kong's transformers drop the ":" that starts a value: "${name}" would be sent as "${value.replace(/^:+/, '')}"; use the nginx engine, istio or gatewayApi`;
  }
  if (templated && value.includes('$(')) {
    return `Kong's request-transformer reads "$(" as a template (Lua): the value of "${name}" cannot be carried literally; use the nginx engine, istio or gatewayApi`;
  }
  return undefined;
}
