/**
 * Context-free checks shared by the value objects and the intent builder. Each returns the
 * problem as a sentence (quoting the value and saying what would be valid) or undefined.
 */

import type * as Re2js from 're2js';
import { percentEncode } from './percent-encoding';
import { describeValue } from './runtime-types';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
// RFC 7230 token: the characters allowed in an HTTP header name.
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-zA-Z]+$/;

export const HTTP_METHODS = ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'] as const;

/** A hostname as Ingress, Istio and Gateway API accept it: RFC 1123, lowercase, wildcard only as a leading `*.`. */
export function hostnameProblem(host: string): string | undefined {
  if (typeof host !== 'string') return `hostname is ${describeValue(host)}; use a string`;
  if (host.length === 0) return 'hostname is empty';
  if (host !== host.toLowerCase()) return `"${host}" has uppercase letters; hostnames are lowercase: "${host.toLowerCase()}"`;
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  if (bare.includes('*')) return `"${host}" has a wildcard that is not a leading "*."; use e.g. "*.example.com"`;
  if (host.length > 253) return `"${host}" is ${host.length} characters; a hostname has at most 253`;
  if (/^[0-9.]+$/.test(bare)) return `"${host}" is an IP address; use a DNS name`;
  const bad = bare.split('.').find((label) => !DNS1123_LABEL.test(label) || label.length > 63);
  if (bad !== undefined) {
    return `"${host}" is not an RFC 1123 hostname (label "${bad}"); use lowercase letters, digits and "-", labels of 1-63 characters separated by "."`;
  }
  return undefined;
}

/** A DNS-1123 subdomain: Secret and namespace-scoped object names. */
export function dnsSubdomainProblem(name: string, what: string): string | undefined {
  if (typeof name !== 'string') return `${what} is ${describeValue(name)}; use a string`;
  if (name.length === 0) return `${what} is empty`;
  if (name.length > 253) return `${what} "${name}" is ${name.length} characters; at most 253`;
  if (!name.split('.').every((label) => DNS1123_LABEL.test(label))) {
    return `${what} "${name}" is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and "."`;
  }
  return undefined;
}

/** A DNS-1123 label: namespaces. */
export function dnsLabelProblem(name: string, what: string): string | undefined {
  if (typeof name !== 'string') return `${what} is ${describeValue(name)}; use a string`;
  if (name.length > 63) return `${what} "${name}" is ${name.length} characters; at most 63`;
  if (!DNS1123_LABEL.test(name)) return `${what} "${name}" is not a DNS-1123 label; use lowercase letters, digits and "-"`;
  return undefined;
}

/** A DNS-1035 label: Service names (they become DNS names, so they start with a letter). */
export function serviceNameProblem(name: string): string | undefined {
  if (typeof name !== 'string') return `service name is ${describeValue(name)}; use a string`;
  if (name.length > 63) return `service name "${name}" is ${name.length} characters; at most 63`;
  if (!DNS1035_LABEL.test(name)) {
    return `service name "${name}" is not a DNS-1035 label; use lowercase letters, digits and "-", starting with a letter`;
  }
  return undefined;
}

export function portProblem(port: number, what = 'port'): string | undefined {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `${what} ${port} is not a port number; use an integer from 1 to 65535`;
  return undefined;
}

export function percentageProblem(value: number, what: string): string | undefined {
  if (!Number.isFinite(value) || value < 0 || value > 100) return `${what} ${value} is not a percentage; use a number from 0 to 100`;
  return undefined;
}

export function headerNameProblem(name: string): string | undefined {
  if (typeof name !== 'string') return `header name is ${describeValue(name)}; use a string`;
  if (!HTTP_TOKEN.test(name)) return `"${name}" is not an HTTP header name; use letters, digits and "-" (RFC 7230 token)`;
  // Gateway API's limit, the smallest of the targets'.
  if (name.length > 256) return `header name "${name.slice(0, 20)}..." is ${name.length} characters; at most 256`;
  return undefined;
}

export function headerValueProblem(name: string, value: string): string | undefined {
  if (typeof value !== 'string') return `value of "${name}" is ${describeValue(value)}; use a string`;
  // CR/LF would split the header; other control characters are rejected by every proxy.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return `value of "${name}" has control characters`;
  // Every target drops an empty header, and HTTP strips white space around a value (RFC 9110 5.5).
  if (value.length === 0) return `value of "${name}" is empty; proxies do not send empty headers (remove the header instead)`;
  if (/^[ \t]|[ \t]$/.test(value)) return `value of "${name}" starts or ends with white space, which HTTP strips; trim it`;
  // Gateway API's limit, the smallest of the targets'.
  if (value.length > 4096) return `value of "${name}" is ${value.length} characters; at most 4096`;
  return undefined;
}

/**
 * Regexes must compile, and must be RE2 syntax: Envoy (Istio, most Gateway API implementations)
 * uses RE2, which has no lookaround, no backreferences and refuses some Perl escapes (`\Z`,
 * `\k<n>`) and possessive repetition; RE2's own parser (re2js) decides.
 */
export function regexProblem(pattern: string): string | undefined {
  if (typeof pattern !== 'string') return `regex is ${describeValue(pattern)}; use a string`;
  if (pattern.length === 0) return 'regex is empty';
  try {
    // JavaScript has no inline flags; RE2, PCRE (nginx) and Rust (Kong) read a leading "(?i)" alike.
    new RegExp(pattern.replace(/^\(\?i\)/, ''));
  } catch (e) {
    return `regex "${pattern}" does not compile: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`;
  }
  if (/\(\?<?[=!]/.test(pattern)) return `regex "${pattern}" uses lookaround, which RE2 (Envoy) does not support`;
  if (/\\[1-9]/.test(pattern)) return `regex "${pattern}" uses a backreference, which RE2 (Envoy) does not support`;
  try {
    // Loaded on first use: only apps with regexes pay for RE2's parser.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('re2js') as typeof Re2js).RE2JS.compile(pattern);
  } catch (e) {
    return `regex "${pattern}" is not RE2 syntax, which Envoy (Istio, Gateway API) requires: ${(e as Error).message.replace(/^error parsing regexp: /, '')}`;
  }
  return undefined;
}

/**
 * A URL path (match value, rewrite or redirect target) as it travels in a request line: RFC 3986
 * path characters and percent-encodings, the grammar Gateway API's CRDs enforce. Any other
 * character is declared percent-encoded, so every target reads the same bytes.
 */
export function urlPathProblem(path: string): string | undefined {
  if (typeof path !== 'string') return `path is ${describeValue(path)}; use a string`;
  if (!path.startsWith('/')) return `"${path}" does not start with "/"; use "/${path}"`;
  if (/\s/.test(path)) return `"${path}" contains white space; percent-encode it`;
  if (/[?#]/.test(path)) return `"${path}" contains "?" or "#"; a path match covers the path only (use queryParams for the query)`;
  // Gateway API's limit, the smallest of the targets' (nginx refuses longer parameters too).
  if (path.length > 1024) return `path "${path.slice(0, 20)}..." is ${path.length} characters; at most 1024`;
  const other = /(?:[^-A-Za-z0-9/._~!$&'()*+,;=:@%]|%(?![0-9A-Fa-f]{2}))/u.exec(path)?.[0];
  if (other !== undefined) {
    return `"${path}" contains ${JSON.stringify(other)}, which a URL path carries percent-encoded; write it as "${percentEncode(other)}"`;
  }
  // Every proxy rejects a NUL byte in the path.
  if (/%00/.test(path)) return `"${path}" contains %00 (a NUL byte), which no proxy accepts in a path`;
  return undefined;
}

/**
 * A path a route matches exactly or by prefix: a URL path that proxies do not normalize into
 * another one (no empty or dot segment, no encoded "/"), as Gateway API's CRDs require.
 */
export function matchPathProblem(path: string): string | undefined {
  const url = urlPathProblem(path);
  if (url !== undefined) return url;
  // Proxies decode an encoded "." before they resolve dot segments.
  const dots = path.replace(/%2e/gi, '.');
  const unnormalized = ['//', '/./', '/../', '%2f', '%2F'].find((part) => dots.includes(part))
    ?? ['/.', '/..'].find((end) => dots.endsWith(end));
  if (unnormalized !== undefined) {
    return `"${path}" contains "${unnormalized}", which proxies normalize (merge, resolve or decode) before matching, so no request matches it as declared; remove it`;
  }
  return undefined;
}

/** A CORS origin: `*` or `scheme://host[:port]` with nothing after it. */
export function originProblem(origin: string): string | undefined {
  if (typeof origin !== 'string') return `origin is ${describeValue(origin)}; use a string`;
  if (origin === '*') return undefined;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `"${origin}" is not an origin; use "scheme://host[:port]", e.g. "https://app.example.com", or "*"`;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin) {
    return `"${origin}" is not an origin; use "scheme://host[:port]" without path or trailing "/", e.g. "${url.origin === 'null' ? 'https://app.example.com' : url.origin}"`;
  }
  return undefined;
}

export function methodProblem(method: string): string | undefined {
  if (typeof method !== 'string') return `method is ${describeValue(method)}; use one of ${HTTP_METHODS.join(', ')}`;
  if (!(HTTP_METHODS as readonly string[]).includes(method)) return `"${method}" is not an HTTP method; use one of ${HTTP_METHODS.join(', ')}`;
  return undefined;
}

/** Filters out the undefined results of the checks above. */
export function problemsOf(...results: (string | undefined)[]): string[] {
  return results.filter((r): r is string => r !== undefined);
}
