/**
 * ingress-nginx's annotation validation, as the controller runs it (v1.12+: validation on by
 * default, `annotations-risk-level: High`), for every `nginx.ingress.kubernetes.io/` annotation
 * of every synthesized Ingress.
 *
 * A separate transcription from the renderer's table (src/strategies/ingress/
 * ingress-nginx-annotation-values.ts), on purpose: the regexes below are upstream's Go source,
 * copied as written from kubernetes/ingress-nginx internal/ingress/annotations/parser/validators.go
 * and the annotation parsers (cors, proxy, auth, ...), and run by re2js, a port of Go's RE2
 * engine: the same syntax and semantics (`(?i)`, `\s`, unanchored `MatchString`), in linear time.
 */
import { isIP } from 'net';
import { RE2JS } from 're2js';
import { Manifest } from './schema';

const PREFIX = 'nginx.ingress.kubernetes.io/';

/** Go's regexp.QuoteMeta. */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** Go's regexp.MustCompile; `.test` is Go's MatchString. */
const MustCompile = (source: string): RE2JS => RE2JS.compile(source);

// parser/validators.go
const alphaNumericChars = String.raw`\-\.\_\~a-zA-Z0-9\/:`;
const regexEnabledChars = quoteMeta('^$[](){}*+?|&=\\');
const urlEnabledChars = quoteMeta(',:?&=');
const IsValidRegex = MustCompile('^[/' + alphaNumericChars + regexEnabledChars + ']*$');
const SizeRegex = MustCompile(String.raw`^(?i)\d+[bkmg]?$`);
const URLIsValidRegex = MustCompile('^[' + alphaNumericChars + urlEnabledChars + ']*$');
const BasicCharsRegex = MustCompile('^[/' + alphaNumericChars + ']*$');
const CharsWithSpace = MustCompile('^[/' + alphaNumericChars + ' ]*$');
const RegexPathWithCapture = MustCompile(String.raw`^/?[` + alphaNumericChars + String.raw`\/\$]*$`);
const HeadersVariable = MustCompile(String.raw`^[A-Za-z0-9-_, ]*$`);
const extendedAlphaNumeric = alphaNumericChars + ', ';
const URLWithNginxVariableRegex = MustCompile('^[' + extendedAlphaNumeric + urlEnabledChars + '$]*$');
// sessionaffinity/main.go
const affinityCookieExpiresRegex = MustCompile(String.raw`(^0|-?[1-9]\d*$)`);
// upstreamhashby/main.go: specialChars = regexp.QuoteMeta("_${}")
const hashByRegex = MustCompile(String.raw`^[A-Za-z0-9\-` + quoteMeta('_${}') + ']*$');
const MaliciousRegex = MustCompile(String.raw`\r|\n`);
// cors/main.go
const corsOriginRegexValidator = MustCompile(String.raw`^((((([a-z]+://)?(\*\.)?[A-Za-z0-9\-.]*(:\d+)?,?)|null)+)|\*)?$`);
const corsOriginRegex = MustCompile(String.raw`^([a-z]+://(\*\.)?[A-Za-z0-9\-.]*(:\d+)?|\*|null)?$`);
const corsMethodsRegex = MustCompile(String.raw`^([A-Za-z]+,?\s?)+$`);
const corsExposeHeadersRegex = MustCompile(String.raw`^(([A-Za-z0-9\-\_]+|\*),?\s?)+$`);
// proxy/main.go
const validUpstreamAnnotation = MustCompile(String.raw`^((error|timeout|invalid_header|http_500|http_502|http_503|http_504|http_403|http_404|http_429|non_idempotent|off)\s?)+$`);
// proxyssl/main.go
const proxySSLOnOffRegex = MustCompile('^(on|off)$');
// auth/main.go (unanchored, as upstream)
const authTypeRegex = MustCompile('basic|digest');
const authSecretTypeRegex = MustCompile('auth-file|auth-map');
// authtls/main.go
const authVerifyClientRegex = MustCompile(String.raw`^(on|off|optional|optional_no_ca)$`);

/** An AnnotationValidator: the error, or undefined when the value passes. */
type Validator = (value: string) => string | undefined;

function ValidateRegex(regex: RE2JS, removeSpace: boolean, name: string): Validator {
  return (s) => {
    if (removeSpace) s = s.replace(/ /g, '');
    if (!regex.test(s)) return `value ${s} is invalid (${name})`;
    if (MaliciousRegex.test(s)) return `value ${s} contains malicious string`;
    return undefined;
  };
}
const ValidateServerName: Validator = (value) => (IsValidRegex.test(value.trim()) ? undefined : `value ${value.trim()} is invalid server name (IsValidRegex)`);
function ValidateOptions(options: string[], caseSensitive: boolean, trimSpace: boolean): Validator {
  return (s) => {
    if (trimSpace) s = s.trim();
    if (!caseSensitive) s = s.toLowerCase();
    return options.includes(s) ? undefined : `value does not match any valid option (${options.join(', ')})`;
  };
}
/** strconv.ParseBool */
const ValidateBool: Validator = (v) => (['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v) ? undefined
  : `strconv.ParseBool: parsing "${v}": invalid syntax`);
/** strconv.Atoi: an optional sign and decimal digits, within int64. */
const ValidateInt: Validator = (v) => {
  if (!/^[+-]?[0-9]+$/.test(v)) return `strconv.Atoi: parsing "${v}": invalid syntax`;
  const n = BigInt(v);
  return n > 2n ** 63n - 1n || n < -(2n ** 63n) ? `strconv.Atoi: parsing "${v}": value out of range` : undefined;
};
/** net.ParseCIDRs: comma-separated IPs and CIDRs. */
const ValidateCIDRs: Validator = (v) => v.split(',').map((s) => s.trim()).map((entry) => {
  const [ip, bits, extra] = entry.split('/');
  const version = isIP(ip);
  const ok = version !== 0 && extra === undefined && (bits === undefined || (/^[0-9]+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128)));
  return ok ? undefined : `invalid CIDR address: ${entry}`;
}).find((e) => e !== undefined);

type Risk = 'Low' | 'Medium' | 'High' | 'Critical';
interface AnnotationConfig {
  readonly validator: Validator;
  readonly risk: Risk;
  /** What the controller does with a value its validator refuses. */
  readonly onFailure: string;
}

const REJECTED = 'ingress-nginx rejects the whole Ingress';
const fallsBack = (to: string) => `ingress-nginx silently uses ${to} instead`;
const config = (validator: Validator, risk: Risk, onFailure: string): AnnotationConfig => ({ validator, risk, onFailure });

/** Each annotation's AnnotationConfig (Validator, Risk) in its parser, and what Parse does on a validation error. */
const ANNOTATIONS: Readonly<Record<string, AnnotationConfig>> = {
  // backendprotocol
  'backend-protocol': config(ValidateOptions(['auto_http', 'http', 'https', 'grpc', 'grpcs', 'fcgi'], false, true), 'Low', fallsBack('HTTP')),
  // proxy
  'proxy-read-timeout': config(ValidateInt, 'Low', fallsBack('the default timeout')),
  'proxy-send-timeout': config(ValidateInt, 'Low', fallsBack('the default timeout')),
  'proxy-next-upstream': config(ValidateRegex(validUpstreamAnnotation, false, 'validUpstreamAnnotation'), 'Medium', fallsBack('the default conditions')),
  'proxy-next-upstream-tries': config(ValidateInt, 'Low', fallsBack('the default tries')),
  'proxy-body-size': config(ValidateRegex(SizeRegex, true, 'SizeRegex'), 'Medium', fallsBack('the default size')),
  // upstreamvhost
  'upstream-vhost': config(ValidateServerName, 'Low', REJECTED),
  // redirect
  'permanent-redirect': config(ValidateRegex(URLIsValidRegex, false, 'URLIsValidRegex'), 'Medium', REJECTED),
  'permanent-redirect-code': config(ValidateInt, 'Low', REJECTED),
  // mirror
  'mirror-target': config(ValidateServerName, 'High', fallsBack('no mirror')),
  // cors
  'enable-cors': config(ValidateBool, 'Low', fallsBack('false (no CORS)')),
  'cors-allow-origin': config(ValidateRegex(corsOriginRegexValidator, true, 'corsOriginRegexValidator'), 'Medium', fallsBack('"*" (every origin)')),
  'cors-allow-methods': config(ValidateRegex(corsMethodsRegex, true, 'corsMethodsRegex'), 'Medium', fallsBack('the default methods')),
  'cors-allow-headers': config(ValidateRegex(HeadersVariable, true, 'HeadersVariable'), 'Medium', fallsBack('the default headers')),
  'cors-expose-headers': config(ValidateRegex(corsExposeHeadersRegex, true, 'corsExposeHeadersRegex'), 'Medium', fallsBack('"" (no header exposed)')),
  'cors-allow-credentials': config(ValidateBool, 'Low', fallsBack('true (credentials allowed)')),
  'cors-max-age': config(ValidateInt, 'Low', fallsBack('1728000')),
  // ratelimit
  'limit-rps': config(ValidateInt, 'Low', REJECTED),
  'limit-rpm': config(ValidateInt, 'Low', REJECTED),
  'limit-burst-multiplier': config(ValidateInt, 'Low', fallsBack('the default multiplier')),
  // auth
  'auth-type': config(ValidateRegex(authTypeRegex, true, 'authTypeRegex'), 'Low', REJECTED),
  'auth-secret': config(ValidateRegex(BasicCharsRegex, true, 'BasicCharsRegex'), 'Medium', 'ingress-nginx denies the location (503)'),
  'auth-secret-type': config(ValidateRegex(authSecretTypeRegex, true, 'authSecretTypeRegex'), 'Low', REJECTED),
  'auth-realm': config(ValidateRegex(CharsWithSpace, false, 'CharsWithSpace'), 'Medium', REJECTED),
  // authreq
  'auth-url': config(ValidateRegex(URLWithNginxVariableRegex, true, 'URLWithNginxVariableRegex'), 'High', REJECTED),
  'auth-signin': config(ValidateRegex(URLWithNginxVariableRegex, true, 'URLWithNginxVariableRegex'), 'High', REJECTED),
  'auth-response-headers': config(ValidateRegex(HeadersVariable, true, 'HeadersVariable'), 'Medium', REJECTED),
  // authtls (k8s.ParseNameNS: a value without exactly one "/" denies the location)
  'auth-tls-secret': config((v) => ValidateRegex(BasicCharsRegex, true, 'BasicCharsRegex')(v)
    ?? (v.split('/').length === 2 ? undefined : `invalid format (namespace/name) found in '${v}'`), 'Medium', 'ingress-nginx denies the location (503)'),
  'auth-tls-verify-client': config(ValidateRegex(authVerifyClientRegex, true, 'authVerifyClientRegex'), 'Medium', fallsBack('"on" (certificates required)')),
  'auth-tls-verify-depth': config(ValidateInt, 'Low', fallsBack('1')),
  'auth-tls-pass-certificate-to-upstream': config(ValidateBool, 'Low', fallsBack('false (no ssl-client-cert header)')),
  // rewrite
  'rewrite-target': config(ValidateRegex(RegexPathWithCapture, false, 'RegexPathWithCapture'), 'Medium', fallsBack('"" (no rewrite)')),
  'use-regex': config(ValidateBool, 'Low', fallsBack('false')),
  'ssl-redirect': config(ValidateBool, 'Low', fallsBack('the default')),
  // sslpassthrough
  'ssl-passthrough': config(ValidateBool, 'Low', fallsBack('false (TLS terminated by the controller)')),
  'force-ssl-redirect': config(ValidateBool, 'Medium', fallsBack('the default')),
  'app-root': config(ValidateRegex(RegexPathWithCapture, false, 'RegexPathWithCapture'), 'Medium', fallsBack('no app root')),
  // xforwardedprefix
  'x-forwarded-prefix': config(ValidateRegex(RegexPathWithCapture, false, 'RegexPathWithCapture'), 'Medium', fallsBack('no prefix')),
  // canary
  'canary': config(ValidateBool, 'Low', fallsBack('false (no canary)')),
  'canary-weight': config(ValidateInt, 'Low', fallsBack('0')),
  'canary-weight-total': config(ValidateInt, 'Low', fallsBack('100')),
  'canary-by-header': config(ValidateRegex(BasicCharsRegex, true, 'BasicCharsRegex'), 'Medium', fallsBack('"" (no routing by header)')),
  'canary-by-header-value': config(ValidateRegex(BasicCharsRegex, true, 'BasicCharsRegex'), 'Medium', fallsBack('"" (no routing by header value)')),
  'canary-by-header-pattern': config(ValidateRegex(IsValidRegex, false, 'IsValidRegex'), 'Medium', fallsBack('"" (no routing by header pattern)')),
  // ipallowlist (whitelist-source-range is its alias)
  'whitelist-source-range': config(ValidateCIDRs, 'Medium', REJECTED),
  // proxyssl (Parse reads the others only when proxy-ssl-secret is set and resolves)
  'proxy-ssl-secret': config(ValidateRegex(BasicCharsRegex, true, 'BasicCharsRegex'), 'Medium', 'ingress-nginx ignores every proxy-ssl annotation'),
  'proxy-ssl-verify': config(ValidateRegex(proxySSLOnOffRegex, true, 'proxySSLOnOffRegex'), 'Low', fallsBack('off (no verification)')),
  'proxy-ssl-name': config(ValidateServerName, 'High', fallsBack('"" (the upstream name)')),
  'proxy-ssl-verify-depth': config(ValidateInt, 'Low', fallsBack('1 (no intermediate CA)')),
  'proxy-ssl-server-name': config(ValidateRegex(proxySSLOnOffRegex, true, 'proxySSLOnOffRegex'), 'Low', fallsBack('off (no SNI)')),
  // ipdenylist
  'denylist-source-range': config(ValidateCIDRs, 'Medium', REJECTED),
  // sessionaffinity (Parse falls back to its defaults on a refused value)
  'affinity': config(ValidateOptions(['cookie'], true, true), 'Low', fallsBack('no affinity')),
  'affinity-mode': config(ValidateOptions(['balanced', 'persistent'], true, true), 'Medium', fallsBack('balanced')),
  'session-cookie-name': config(ValidateRegex(BasicCharsRegex, true, 'BasicCharsRegex'), 'Medium', fallsBack('INGRESSCOOKIE')),
  'session-cookie-expires': config(ValidateRegex(affinityCookieExpiresRegex, true, 'affinityCookieExpiresRegex'), 'Medium', fallsBack('no Expires')),
  'session-cookie-max-age': config(ValidateRegex(affinityCookieExpiresRegex, false, 'affinityCookieExpiresRegex'), 'Medium', fallsBack('no Max-Age')),
  'session-cookie-path': config(ValidateRegex(URLIsValidRegex, true, 'URLIsValidRegex'), 'Medium', fallsBack('the location path')),
  // upstreamhashby (Parse returns the validation error)
  'upstream-hash-by': config(ValidateRegex(hashByRegex, true, 'hashByRegex'), 'High', REJECTED),
  // snippets: ValidateNull, but Critical, above the default risk level High.
  'configuration-snippet': config(() => undefined, 'Critical', REJECTED),
  'server-snippet': config(() => undefined, 'Critical', REJECTED),
};

/** The default `annotations-risk-level`: annotations above it make the controller reject the Ingress. */
const MAX_RISK: Risk = 'High';
const RISKS: Risk[] = ['Low', 'Medium', 'High', 'Critical'];

/** The problems ingress-nginx (v1.12+) would find in one annotation (full name) of an Ingress. */
export function ingressNginxAnnotationProblem(name: string, value: unknown): string | undefined {
  const short = name.slice(PREFIX.length);
  const shown = `${name} ${JSON.stringify(value)}`;
  if (short.endsWith('-snippet') && ANNOTATIONS[short] === undefined) {
    return `${shown}: a snippet annotation is Critical, above the default risk level ${MAX_RISK}; ${REJECTED}`;
  }
  const cfg = ANNOTATIONS[short];
  if (cfg === undefined) return `${shown}: not an annotation the harness knows ingress-nginx's validator of; add it to test/support/ingress-nginx-annotations.ts`;
  if (RISKS.indexOf(cfg.risk) > RISKS.indexOf(MAX_RISK)) {
    return `${shown}: annotation risk ${cfg.risk} is above the default risk level ${MAX_RISK}; ${REJECTED}`;
  }
  if (typeof value !== 'string') return `${shown}: annotation values are strings`;
  // checkAnnotation: "We don't run validation against empty values".
  const error = value === '' ? undefined : cfg.validator(value);
  if (error !== undefined) return `${shown}: ${error}; ${cfg.onFailure}`;
  if (short === 'cors-allow-origin') {
    // cors Parse: each origin of the list passing the validator is checked again, and skipped when it fails.
    const skipped = value.split(',').map((o) => o.trim()).filter((o) => o !== '*' && !corsOriginRegex.test(o));
    if (skipped.length > 0) return `${shown}: origins ${skipped.map((o) => JSON.stringify(o)).join(', ')} fail corsOriginRegex; ingress-nginx silently skips them`;
  }
  return undefined;
}

/** Every ingress-nginx annotation of every Ingress that the controller would refuse, replace or drop. */
export function ingressNginxAnnotationProblems(manifests: readonly Manifest[]): string[] {
  return manifests.filter((m) => m.kind === 'Ingress').flatMap((ing) => [
    ...Object.entries(ing.metadata.annotations ?? {})
      .filter(([name]) => name.startsWith(PREFIX))
      .map(([name, value]) => ingressNginxAnnotationProblem(name, value)),
    proxySslProblem(ing.metadata.annotations ?? {}, ing.metadata.namespace),
  ].filter((p): p is string => p !== undefined).map((p) => `Ingress/${ing.metadata.name}: ${p}`));
}

/**
 * proxyssl Parse: without proxy-ssl-secret every other proxy-ssl annotation is ignored; the
 * Secret is `namespace/name` (ParseNameNS) in the Ingress's own namespace, or the location is denied.
 */
function proxySslProblem(annotations: Record<string, string>, namespace: string | undefined): string | undefined {
  const secret = annotations[`${PREFIX}proxy-ssl-secret`];
  const others = Object.keys(annotations).filter((a) => a.startsWith(`${PREFIX}proxy-ssl-`) && a !== `${PREFIX}proxy-ssl-secret`);
  if (secret === undefined) return others.length > 0 ? `${others.join(', ')} without proxy-ssl-secret: ingress-nginx ignores them` : undefined;
  const [ns, name, extra] = secret.split('/');
  if (name === undefined || extra !== undefined || ns === '' || name === '') return `proxy-ssl-secret ${JSON.stringify(secret)} is not namespace/name: ingress-nginx denies the location`;
  return ns === (namespace ?? 'default') ? undefined : `proxy-ssl-secret ${secret} is in another namespace than the Ingress: ingress-nginx denies the location`;
}
