/**
 * How an Ingress path matches, as the declaration says it. Prefix and Exact are the Ingress
 * spec's. ingress-nginx reads ImplementationSpecific as a string prefix (`location /a`: `/ab`
 * too) and, where use-regex or rewrite-target is set on the host, every path as a regex anchored
 * at the start only and matched case-insensitively (`location ~* "^/a"`): written here as the
 * regex that matches the same whole paths. rewrite-target's usual capture-group form (the prefix
 * and the rest) becomes a prefix with a path rewrite.
 */
import { Expr, lib, str } from './code';
import { IngressPath } from './ingress-model';
import { matchPathProblem, regexProblem } from '../core/validators';

/** A route's match and rewrite, or why the path cannot be matched as the controller does. */
export type PathReading =
  | {
    readonly ok: true;
    readonly match: Expr;
    readonly rewritePath?: string;
    /** The path itself (`/a`) is rewritten to this (a route of its own, exact). */
    readonly exactRewrite?: string;
    /** What of the path's matching or rewrite the declaration does not hold. */
    readonly lost?: string;
  }
  | { readonly ok: false; readonly reason: string };

/** `Prefix` and `Exact` as written; `ImplementationSpecific` as a generic controller: unknown. */
export function genericPath(p: IngressPath): PathReading {
  const problem = matchPathProblem(p.path);
  if (problem !== undefined) return { ok: false, reason: problem };
  return { ok: true, match: lib(p.match === 'exact' ? 'PathMatch.exact' : 'PathMatch.prefix', str(p.path)) };
}

/** A path of ingress-nginx outside regex mode. */
export function nginxPath(p: IngressPath): PathReading {
  if (!p.implementationSpecific || p.path === '/') return genericPath(p);
  // `location /a`: every path that starts with the string.
  return regexMatch(`${escapeRegex(p.path)}.*`);
}

/**
 * A path of ingress-nginx in regex mode (`~* "^<path>"`), with rewrite-target when set. The
 * prefix-and-rest form `/a(/|$)(.*)` with target `/$2` or `/b$1$2` is a prefix `/a` rewritten to
 * `/` or `/b` (element-wise, as the regex requires `/` or the end after `/a`); with `/b/$2`, the
 * path `/a` itself becomes `/b/`, which an exact route says.
 */
export function nginxRegexPath(p: IngressPath, rewriteTarget: string | undefined): PathReading {
  // ingress-nginx writes a Prefix path /a/ as the locations /a and /a/: ^/a covers both.
  const source = p.match === 'prefix' && !p.implementationSpecific && p.path !== '/' ? p.path.replace(/\/+$/, '') : p.path;
  if (rewriteTarget !== undefined && rewriteTarget.includes('$')) {
    const m = /^((?:\/[A-Za-z0-9._~-]+)+)\(\/\|\$\)\(\.\*\)$/.exec(source);
    const prefix = m?.[1];
    if (prefix !== undefined) {
      if (rewriteTarget === '/$2') return { ok: true, match: lib('PathMatch.prefix', str(prefix)), rewritePath: '/', lost: caseNote(source) };
      const t = /^((?:\/[A-Za-z0-9._~-]+)+)(\$1\$2|\/\$2)$/.exec(rewriteTarget);
      if (t && t[2] === '$1$2') return { ok: true, match: lib('PathMatch.prefix', str(prefix)), rewritePath: t[1], lost: caseNote(source) };
      if (t && t[2] === '/$2') {
        return { ok: true, match: lib('PathMatch.prefix', str(prefix)), rewritePath: t[1], exactRewrite: `${t[1]}/`, lost: caseNote(source) };
      }
    }
  }
  if (hasTopLevelAlternation(source)) {
    return { ok: false, reason: `regex path ${JSON.stringify(p.path)}: ingress-nginx anchors only the first alternative (^a|b); not read` };
  }
  const reading = regexMatch(`(?i)(?:${source}).*`);
  if (reading.ok && rewriteTarget !== undefined && rewriteTarget.includes('$')) {
    return {
      ...reading,
      lost: `rewrite-target ${JSON.stringify(rewriteTarget)} with path ${JSON.stringify(p.path)}: the declaration rewrites a prefix or the whole path; `
        + 'of capture groups it reads only "<prefix>(/|$)(.*)" with "/$2", "<path>$1$2" or "<path>/$2" (requests reach the backend unrewritten)',
    };
  }
  if (!reading.ok || rewriteTarget === undefined) return reading;
  // A target without capture groups replaces the whole path.
  return { ...reading, rewritePath: rewriteTarget };
}

function caseNote(source: string): string {
  return `ingress-nginx matches ${JSON.stringify(source)} case-insensitively; the declaration's prefix is case-sensitive`;
}

function regexMatch(pattern: string): PathReading {
  const problem = regexProblem(pattern);
  if (problem !== undefined) return { ok: false, reason: problem };
  return { ok: true, match: lib('PathMatch.regex', str(pattern)) };
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a regex has `|` outside groups and classes. */
function hasTopLevelAlternation(pattern: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}
