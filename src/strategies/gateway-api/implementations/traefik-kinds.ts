import type * as traefik from '../../../../imports/traefik-traefik.io';

/** The Traefik L1 classes the implementation constructs. */
export interface TraefikKinds {
  readonly Middleware: typeof traefik.Middleware;
  readonly MiddlewareSpecRateLimitPeriod: typeof traefik.MiddlewareSpecRateLimitPeriod;
}

/**
 * Loads the Traefik L1 module (`traefik.io`, generated from the Middleware kind only): only
 * exposures that render a Middleware pay for it.
 */
export function loadTraefikKinds(): TraefikKinds {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../../../imports/traefik-traefik.io');
}
