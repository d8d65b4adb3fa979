/** Values of ingress-nginx annotations as the controller parses them: seconds and nginx sizes. */
import { cdk8s, Expr, num } from './code';

/** A whole number of seconds (`proxy-read-timeout: "120"`). */
export function ingressNginxDuration(value: string): number | undefined {
  return /^[0-9]+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/**
 * An nginx size (`client_max_body_size`): bytes, or `k`/`m`/`g` (binary units) as a cdk8s Size;
 * `unlimited` for "0" (no check); undefined when it is not a size, or not whole kibibytes.
 */
export function ingressNginxSize(value: string): Expr | 'unlimited' | undefined {
  const m = /^([0-9]+)([kKmMgG]?)$/.exec(value.trim());
  if (!m) return undefined;
  const amount = Number(m[1]);
  if (amount === 0) return 'unlimited';
  switch (m[2].toLowerCase()) {
    case 'k': return cdk8s('Size.kibibytes', num(amount));
    case 'm': return cdk8s('Size.mebibytes', num(amount));
    case 'g': return cdk8s('Size.gibibytes', num(amount));
    default: return amount % 1024 === 0 ? cdk8s('Size.kibibytes', num(amount / 1024)) : undefined;
  }
}
