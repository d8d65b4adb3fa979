import type { Construct } from 'constructs';
import { GatewayApiImplementation, GatewayImplementationResources } from './implementation';
import { GATEWAY_API_TRAEFIK_EXPERIMENTAL_ROW, GATEWAY_API_TRAEFIK_ROW } from './traefik-capabilities';
import { traefikProblems } from './traefik-checks';
import { loadTraefikKinds } from './traefik-kinds';
import { middlewareRefs, planMiddlewares, renderMiddlewares } from './traefik-middlewares';
import { ExposureIntent } from '../../../intent/model';

/**
 * Traefik (`traefik.io/v1alpha1`): a Middleware per feature, referenced from the route rules by
 * `ExtensionRef` filters, for what standard Gateway API has no field for.
 */
export const TRAEFIK: GatewayApiImplementation = {
  name: 'traefik',
  row: (experimental) => experimental ? GATEWAY_API_TRAEFIK_EXPERIMENTAL_ROW : GATEWAY_API_TRAEFIK_ROW,
  // Traefik implements no rule `retry` (experimental channel): its retry Middleware carries them on both channels.
  retriesByPolicy: true,
  retriesByPolicyOnExperimental: true,
  check: (intent: ExposureIntent) => traefikProblems(intent),
  extensionRefs: (intent, route) => middlewareRefs(intent, route),
  render(scope: Construct, intent: ExposureIntent): GatewayImplementationResources {
    const plan = planMiddlewares(intent);
    // Loaded only when a Middleware is rendered: only those exposures pay for the Traefik L1 module.
    return plan.length === 0 ? {} : { middlewares: renderMiddlewares(scope, loadTraefikKinds(), plan) };
  },
};
