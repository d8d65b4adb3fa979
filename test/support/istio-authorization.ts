/**
 * Which issuers' tokens Istio's DENY AuthorizationPolicies require of a request: a small model of
 * the policy's rules, for tests that check the rules against the routes they guard.
 */
import { Manifest } from './schema';

/** A request, by the fields an AuthorizationPolicy's operations read. */
export interface MethodRequest {
  readonly host: string;
  readonly path: string;
  readonly method: string;
}

/**
 * The issuers whose token Istio's DENY AuthorizationPolicies require of a request: each rule
 * with an operation that matches it, `from` the principals not of an issuer (`<iss>/*`).
 * Istio string matches: exact, `prefix*`, `*suffix`, `*` (any).
 */
export function issuersRequiredByIstio(manifests: readonly Manifest[], req: MethodRequest): string[] {
  const matchesString = (pattern: string, value: string) => (pattern === '*' ? true
    : pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : pattern.startsWith('*') ? value.endsWith(pattern.slice(1)) : value === pattern);
  const any = (patterns: string[] | undefined, value: string) => patterns !== undefined && patterns.some((p) => matchesString(p, value));
  const issuers = new Set<string>();
  for (const policy of manifests.filter((m) => m.kind === 'AuthorizationPolicy' && m.spec.action === 'DENY')) {
    for (const rule of policy.spec.rules ?? []) {
      const applies = (rule.to ?? [{ operation: {} }]).some(({ operation: o }: any) =>
        (o.hosts === undefined || o.hosts.some((h: string) => hostMatches(h, req.host)))
        && (o.paths === undefined || any(o.paths, req.path)) && !any(o.notPaths, req.path)
        && (o.methods === undefined || o.methods.includes(req.method)) && !(o.notMethods ?? []).includes(req.method));
      if (!applies) continue;
      for (const from of rule.from ?? []) {
        for (const principal of from.source.notRequestPrincipals ?? []) issuers.add(principal.replace(/\/\*$/, ''));
      }
    }
  }
  return [...issuers].sort();
}

function hostMatches(pattern: string, host: string): boolean {
  return pattern === '*' || pattern === host || (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)));
}

