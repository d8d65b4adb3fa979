/**
 * An internal error: rendering met what the strategy's check refuses (`checks.ts`), so a check
 * is missing or wrong. Rendering never reports a declaration's problems itself.
 */
export function unexpected(what: string): never {
  throw new Error(`gatewayApi: ${what}: the check let through what rendering cannot express`);
}
