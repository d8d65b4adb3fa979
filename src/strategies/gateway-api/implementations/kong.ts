import type { Construct } from 'constructs';
import { GatewayApiImplementation, GatewayImplementationResources } from './implementation';
import { GATEWAY_API_KONG_EXPERIMENTAL_ROW, GATEWAY_API_KONG_ROW } from './kong-capabilities';
import { kongProblems } from './kong-checks';
import { registerKongCredentials } from './kong-consumers';
import { loadKongKinds } from './kong-kinds';
import { renderKongObjects } from './kong-objects';
import { kongExtensionRefs } from './kong-plugins';
import { ExposureIntent } from '../../../intent/model';

/**
 * The Kong Ingress Controller 3.x (Kong Gateway 3.x OSS): KongPlugins that the HTTPRoute's rules
 * reference by `ExtensionRef` filters, and KongConsumers for the credentials their Secrets hold.
 */
export const KONG: GatewayApiImplementation = {
  name: 'kong',
  row: (experimental) => experimental ? GATEWAY_API_KONG_EXPERIMENTAL_ROW : GATEWAY_API_KONG_ROW,
  retriesByPolicy: false,
  corsByImplementation: true,
  check: (intent: ExposureIntent) => kongProblems(intent),
  extensionRefs: (intent, route) => kongExtensionRefs(intent, route),
  share: (scope, intent) => registerKongCredentials(scope, intent),
  render(scope: Construct, intent: ExposureIntent): GatewayImplementationResources {
    const plugins = intent.routes.some((r) => r.access !== undefined || r.auth !== undefined || r.rateLimit !== undefined
      || r.cors !== undefined || r.maxRequestBodyBytes !== undefined);
    // Loaded only when a KongPlugin is rendered.
    return plugins ? renderKongObjects(scope, loadKongKinds(), intent) : {};
  },
};
