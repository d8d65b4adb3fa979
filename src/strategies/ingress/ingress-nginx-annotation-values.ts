import type * as Re2js from 're2js';
import { parseCidr } from '../../core/cidr';

/*
 * What ingress-nginx accepts in the value of each annotation this library writes, and what it does
 * with a value it refuses.
 *
 * Provenance: kubernetes/ingress-nginx, internal/ingress/annotations/parser/validators.go (the
 * shared validators) and each annotation's parser (internal/ingress/annotations/<group>/main.go:
 * its validator, whether spaces are removed before matching, its risk, and what Parse does on a
 * validation error), as of v1.12, where annotation validation is on by default
 * (`enable-annotation-validation`) and `annotations-risk-level` defaults to High. Every regex
 * validator also refuses "\r" and "\n". A refused value either fails the Ingress's admission
 * (the parser returns the validation error: the whole Ingress is rejected) or is replaced by the
 * parser's default, silently. The failure modes of the integer and boolean annotations are read
 * off their parsers less closely than the string ones: the values this library writes to them
 * (digits, true/false) always pass.
 *
 * The test harness checks the synthesized annotations against its own transcription
 * (test/support/ingress-nginx-annotations.ts); this table is the renderer's.
 */

/** The risk ingress-nginx assigns an annotation; above `annotations-risk-level` (High) it is refused. */
export type AnnotationRisk = 'Low' | 'Medium' | 'High' | 'Critical';

/** What ingress-nginx does with a value its validator refuses. */
export type Refusal =
  | { readonly rejects: 'the Ingress' }
  /** The parser's LocationDenied: nginx answers every request of the path with 503. */
  | { readonly denies: 'the location' }
  | { readonly fallsBackTo: string; readonly meaning: string };

export interface AnnotationValueRule {
  /** The validator, by its name in validators.go (or the parser's own regex). */
  readonly validator: string;
  /** True when the controller accepts `value` (spaces already removed when `stripSpaces`). */
  readonly accepts: (value: string) => boolean;
  /** ValidateRegex's `removeSpace`: spaces are removed before matching. */
  readonly stripSpaces: boolean;
  readonly risk: AnnotationRisk;
  readonly onRefusal: Refusal;
}

// The regexes in Go's syntax (RE2), as upstream writes them. validators.go, v1.12:
const ALPHA_NUMERIC = String.raw`\-\.\_\~a-zA-Z0-9\/:`;
/** URLIsValidRegex: permanent-redirect. No "$", "%", "!", "'", "(", ")", "*", "+", ";", "@". */
const URL_IS_VALID = String.raw`^[${ALPHA_NUMERIC},:\?&=]*$`;
/** CharsWithSpace: auth-realm. */
const CHARS_WITH_SPACE = String.raw`^[/${ALPHA_NUMERIC} ]*$`;
/** RegexPathWithCapture: rewrite-target ("$" for captures, which nginx expands). */
const REGEX_PATH_WITH_CAPTURE = String.raw`^/?[${ALPHA_NUMERIC}\/\$]*$`;
/** BasicCharsRegex: auth-secret. */
const BASIC_CHARS = String.raw`^[/${ALPHA_NUMERIC}]*$`;
/** IsValidRegex (ValidateServerName trims the value first): upstream-vhost, mirror-target. */
const IS_VALID_REGEX = String.raw`^[/${ALPHA_NUMERIC}\^\$\[\]\(\)\{\}\*\+\?\|&=\\]*$`;
/** URLWithNginxVariableRegex (extendedAlphaNumeric: with "," and " "): auth-url, auth-signin. No "%", "!", "'", "(", ")", "*", "+", ";", "@". */
const URL_WITH_NGINX_VARIABLE = String.raw`^[${ALPHA_NUMERIC}, ,:\?&=$]*$`;
/** HeadersVariable: cors-allow-headers, auth-response-headers. */
const HEADERS_VARIABLE = String.raw`^[A-Za-z0-9-_, ]*$`;
// The CORS parser's own (cors/main.go).
const CORS_EXPOSE_HEADERS = String.raw`^(([A-Za-z0-9\-\_]+|\*),?\s?)+$`;
const CORS_ALLOW_ORIGIN_LIST = String.raw`^((((([a-z]+://)?(\*\.)?[A-Za-z0-9\-.]*(:\d+)?,?)|null)+)|\*)?$`;
/** Each origin of a list that passed the validator is checked again; those failing are skipped. */
const CORS_ALLOW_ORIGIN = String.raw`^([a-z]+://(\*\.)?[A-Za-z0-9\-.]*(:\d+)?|\*|null)?$`;
const CORS_ALLOW_METHODS = String.raw`^([A-Za-z]+,?\s?)+$`;
/** The session affinity parser's own (sessionaffinity/main.go): session-cookie-max-age, -expires. Unanchored at the start, as upstream. */
const AFFINITY_COOKIE_EXPIRES = String.raw`(^0|-?[1-9]\d*$)`;
/** upstreamhashby/main.go: an nginx variable, text, or both. */
const HASH_BY = String.raw`^[A-Za-z0-9\-_\$\{\}]*$`;
/** SizeRegex: proxy-body-size. */
const SIZE = String.raw`^(?i)\d+[bkmg]?$`;
// authtls/main.go.
const AUTH_TLS_VERIFY_CLIENT = String.raw`^(on|off|optional|optional_no_ca)$`;
// proxy/main.go.
const PROXY_NEXT_UPSTREAM = String.raw`^((error|timeout|invalid_header|http_500|http_502|http_503|http_504|http_403|http_404|http_429|non_idempotent|off)\s?)+$`;

const compiled = new Map<string, Re2js.RE2JS>();
/**
 * Go's `regexp.MatchString` for a Go regex: RE2 semantics, in linear time (several of these
 * regexes nest quantifiers, which backtrack exponentially in JavaScript's engine). re2js is
 * loaded on first use, as in `regexProblem`.
 */
function goMatch(source: string, value: string): boolean {
  let re = compiled.get(source);
  if (re === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    re = (require('re2js') as typeof Re2js).RE2JS.compile(source);
    compiled.set(source, re);
  }
  return re.test(value);
}

/** True when `origin`, one origin of cors-allow-origin, survives the CORS parser's second check. */
export function corsOriginKept(origin: string): boolean {
  return goMatch(CORS_ALLOW_ORIGIN, origin);
}

const matches = (source: string) => (value: string) => goMatch(source, value);
/** Go's strconv.Atoi: an optional sign and decimal digits, within int64. */
const isInt = (value: string) => /^[+-]?[0-9]+$/.test(value) && Math.abs(Number(value)) <= Number.MAX_SAFE_INTEGER;
/**
 * ValidateCIDRs (net.ParseCIDRs: comma-separated addresses and ranges), read strictly: each entry
 * a range in the library's normal form, which Go's parser accepts.
 */
const isCidrList = (value: string) => value.split(',').every((entry) => parseCidr(entry.trim()).cidr !== undefined);
/** Go's strconv.ParseBool. */
const isBool = (value: string) => ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value);

const REJECTS: Refusal = { rejects: 'the Ingress' };
const rule = (validator: string, accepts: (value: string) => boolean, stripSpaces: boolean, risk: AnnotationRisk,
  onRefusal: Refusal): AnnotationValueRule => ({ validator, accepts, stripSpaces, risk, onRefusal });
const int = (risk: AnnotationRisk, onRefusal: Refusal) => rule('ValidateInt', isInt, false, risk, onRefusal);
const bool = (risk: AnnotationRisk, onRefusal: Refusal) => rule('ValidateBool', isBool, false, risk, onRefusal);

/** The annotations this library writes (without the `nginx.ingress.kubernetes.io/` prefix), and their rules. */
export const INGRESS_NGINX_ANNOTATION_VALUES: Readonly<Record<string, AnnotationValueRule>> = {
  'backend-protocol': rule('ValidateOptions(auto_http, http, https, grpc, grpcs, fcgi; case-insensitive)',
    (v) => ['auto_http', 'http', 'https', 'grpc', 'grpcs', 'fcgi'].includes(v.trim().toLowerCase()), false, 'Low', { fallsBackTo: 'HTTP', meaning: 'plain HTTP to the backend' }),
  'proxy-read-timeout': int('Low', { fallsBackTo: 'the configured proxy-read-timeout', meaning: 'the controller default' }),
  'proxy-send-timeout': int('Low', { fallsBackTo: 'the configured proxy-send-timeout', meaning: 'the controller default' }),
  'proxy-next-upstream': rule('proxy-next-upstream regex', matches(PROXY_NEXT_UPSTREAM), false, 'Medium', { fallsBackTo: 'the configured proxy-next-upstream', meaning: 'the controller default' }),
  'proxy-next-upstream-tries': int('Low', { fallsBackTo: 'the configured proxy-next-upstream-tries', meaning: 'the controller default' }),
  'proxy-body-size': rule('SizeRegex', matches(SIZE), true, 'Medium', { fallsBackTo: 'the configured proxy-body-size', meaning: 'the controller default' }),
  'upstream-vhost': rule('ValidateServerName (IsValidRegex)', (v) => goMatch(IS_VALID_REGEX, v.trim()), false, 'Low', REJECTS),
  'permanent-redirect': rule('URLIsValidRegex', matches(URL_IS_VALID), false, 'Medium', REJECTS),
  'permanent-redirect-code': int('Low', REJECTS),
  'mirror-target': rule('ValidateServerName (IsValidRegex)', (v) => goMatch(IS_VALID_REGEX, v.trim()), false, 'High', { fallsBackTo: '', meaning: 'no mirroring' }),
  'enable-cors': bool('Low', { fallsBackTo: 'false', meaning: 'no CORS' }),
  'cors-allow-origin': rule('cors-allow-origin regex', matches(CORS_ALLOW_ORIGIN_LIST), true, 'Medium', { fallsBackTo: '*', meaning: 'every origin allowed' }),
  'cors-allow-methods': rule('cors-allow-methods regex', matches(CORS_ALLOW_METHODS), true, 'Medium', { fallsBackTo: 'GET, PUT, POST, DELETE, PATCH, OPTIONS', meaning: 'the default methods' }),
  'cors-allow-headers': rule('HeadersVariable', matches(HEADERS_VARIABLE), true, 'Medium', { fallsBackTo: 'DNT,Keep-Alive,User-Agent,...', meaning: 'the default headers' }),
  'cors-expose-headers': rule('cors-expose-headers regex', matches(CORS_EXPOSE_HEADERS), true, 'Medium', { fallsBackTo: '', meaning: 'no header exposed' }),
  'cors-allow-credentials': bool('Low', { fallsBackTo: 'true', meaning: 'credentials allowed' }),
  'cors-max-age': int('Low', { fallsBackTo: '1728000', meaning: '20 days' }),
  'limit-rps': int('Low', REJECTS),
  'limit-rpm': int('Low', REJECTS),
  'limit-burst-multiplier': int('Low', { fallsBackTo: '5', meaning: 'the default multiplier' }),
  'auth-type': rule('basic|digest (unanchored)', matches('basic|digest'), true, 'Low', REJECTS),
  'auth-secret': rule('BasicCharsRegex', matches(BASIC_CHARS), true, 'Medium', { denies: 'the location' }),
  'auth-secret-type': rule('auth-file|auth-map (unanchored)', matches('auth-file|auth-map'), true, 'Low', REJECTS),
  'auth-realm': rule('CharsWithSpace', matches(CHARS_WITH_SPACE), false, 'Medium', REJECTS),
  // authreq: a refused value fails the Ingress.
  'auth-url': rule('URLWithNginxVariableRegex', matches(URL_WITH_NGINX_VARIABLE), true, 'High', REJECTS),
  'auth-signin': rule('URLWithNginxVariableRegex', matches(URL_WITH_NGINX_VARIABLE), true, 'High', REJECTS),
  'auth-response-headers': rule('HeadersVariable', matches(HEADERS_VARIABLE), true, 'Medium', REJECTS),
  'rewrite-target': rule('RegexPathWithCapture', matches(REGEX_PATH_WITH_CAPTURE), false, 'Medium', { fallsBackTo: '', meaning: 'no rewrite' }),
  'use-regex': bool('Low', { fallsBackTo: 'false', meaning: 'paths read as prefixes' }),
  'ssl-redirect': bool('Low', { fallsBackTo: 'the configured ssl-redirect', meaning: 'the controller default' }),
  'ssl-passthrough': bool('Low', { fallsBackTo: 'false', meaning: 'TLS terminated by the controller' }),
  'canary': bool('Low', { fallsBackTo: 'false', meaning: 'no canary' }),
  'canary-weight': int('Low', { fallsBackTo: '0', meaning: 'no request to the canary' }),
  'canary-weight-total': int('Low', { fallsBackTo: '100', meaning: 'weights read as percentages' }),
  // authtls: a secret not of the form namespace/name denies every location of the Ingress.
  'auth-tls-secret': rule('BasicCharsRegex', matches(BASIC_CHARS), true, 'Medium', { denies: 'the location' }),
  'auth-tls-verify-client': rule('auth-tls-verify-client regex', matches(AUTH_TLS_VERIFY_CLIENT), true, 'Medium', { fallsBackTo: 'on', meaning: 'client certificates required' }),
  'auth-tls-verify-depth': int('Low', { fallsBackTo: '1', meaning: 'the client certificate signed by a CA of the bundle' }),
  'auth-tls-pass-certificate-to-upstream': bool('Low', { fallsBackTo: 'false', meaning: 'no ssl-client-cert header' }),
  // ipallowlist (`allowlist-source-range`, with the alias every release reads) and ipdenylist.
  'whitelist-source-range': rule('ValidateCIDRs', isCidrList, false, 'Medium', REJECTS),
  'denylist-source-range': rule('ValidateCIDRs', isCidrList, false, 'Medium', REJECTS),
  // sessionaffinity: a refused value makes the controller use its default, silently.
  'affinity': rule('ValidateOptions(cookie)', (v) => v.trim().toLowerCase() === 'cookie', false, 'Low', { fallsBackTo: '', meaning: 'no affinity' }),
  'affinity-mode': rule('ValidateOptions(balanced, persistent)', (v) => ['balanced', 'persistent'].includes(v.trim().toLowerCase()), false, 'Medium',
    { fallsBackTo: 'balanced', meaning: 'some sessions move when the backend scales up' }),
  'session-cookie-name': rule('BasicCharsRegex', matches(BASIC_CHARS), true, 'Medium', { fallsBackTo: 'INGRESSCOOKIE', meaning: 'the default cookie name' }),
  'session-cookie-max-age': rule('affinityCookieExpiresRegex', matches(AFFINITY_COOKIE_EXPIRES), false, 'Medium', { fallsBackTo: '', meaning: 'a session cookie' }),
  'session-cookie-expires': rule('affinityCookieExpiresRegex', matches(AFFINITY_COOKIE_EXPIRES), true, 'Medium', { fallsBackTo: '', meaning: 'a session cookie' }),
  'session-cookie-path': rule('URLIsValidRegex', matches(URL_IS_VALID), true, 'Medium', { fallsBackTo: '', meaning: 'the location path' }),
  // upstreamhashby: High (it reads nginx variables), within the default risk level.
  'upstream-hash-by': rule('hashByRegex', matches(HASH_BY), true, 'High', REJECTS),
  // proxyssl: read only with proxy-ssl-secret (`namespace/name`, the Ingress's own namespace).
  'proxy-ssl-secret': rule('BasicCharsRegex', matches(BASIC_CHARS), true, 'Medium', { fallsBackTo: '', meaning: 'no verification of the backend' }),
  'proxy-ssl-verify': rule('proxySSLOnOffRegex', matches('^(on|off)$'), true, 'Low', { fallsBackTo: 'off', meaning: 'no verification of the backend' }),
  'proxy-ssl-name': rule('ValidateServerName (IsValidRegex)', (v) => goMatch(IS_VALID_REGEX, v.trim()), false, 'High', { fallsBackTo: '', meaning: 'the upstream name' }),
  'proxy-ssl-verify-depth': int('Low', { fallsBackTo: '1', meaning: 'no intermediate CA' }),
  'proxy-ssl-server-name': rule('proxySSLOnOffRegex', matches('^(on|off)$'), true, 'Low', { fallsBackTo: 'off', meaning: 'no SNI' }),
};

/** The prefix of ingress-nginx's annotations. */
export const ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io/';

/** True when ingress-nginx (v1.12+) takes `value` of annotation `name` (without prefix) as written. */
export function acceptedAnnotationValue(name: string, value: string): boolean {
  const r = INGRESS_NGINX_ANNOTATION_VALUES[name];
  if (r === undefined || r.risk === 'Critical') return false;
  const v = r.stripSpaces ? value.replace(/ /g, '') : value;
  return !/[\r\n]/.test(v) && r.accepts(v);
}

/** What ingress-nginx does with a refused value of annotation `name`, for messages: "would reject the whole Ingress". */
export function refusalEffect(name: string): string {
  const r = INGRESS_NGINX_ANNOTATION_VALUES[name]?.onRefusal;
  if (r === undefined) throw new Error(`ingress-nginx: no rule for annotation ${name}`);
  if ('rejects' in r) return 'would reject the whole Ingress';
  if ('denies' in r) return 'would answer every request of the path with 503 (location denied)';
  return `would use ${JSON.stringify(r.fallsBackTo)} instead (${r.meaning})`;
}

/**
 * The annotations of `annotations` (full names) that ingress-nginx would not take as written:
 * unknown to this table, too risky, or refused by their validator. The renderer asserts there
 * are none; the checks must have refused the declaration first.
 */
export function refusedAnnotations(annotations: Readonly<Record<string, string>>): string[] {
  return Object.entries(annotations).filter(([name]) => name.startsWith(ANNOTATION_PREFIX))
    .filter(([name, value]) => !acceptedAnnotationValue(name.slice(ANNOTATION_PREFIX.length), value))
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`);
}
