/** A regex (RE2 or PCRE) that matches exactly `literal`. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
