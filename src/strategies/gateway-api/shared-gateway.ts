import { Construct } from 'constructs';
import { GatewayApiKinds } from './channel';
import { Attachment, GROUP, ParentRef } from './gateway';
import { GatewayApiGatewayConfig } from './gateway-api-gateway';
import { sharedGatewayState } from './shared-gateway-plan';
import { unexpected } from './unexpected';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';
import { ExposureIntent } from '../../intent/model';
import { markShared } from '../shared/shared-objects';

/** The spec of a shared Gateway, filled in as exposures attach: the L1 reads it when synthesized. */
interface GrowingSpec {
  readonly gatewayClassName: string;
  readonly listeners: gatewayApi.GatewaySpecListeners[];
  tls?: gatewayApi.GatewaySpecTls;
}

// Per shared Gateway (its state): the object, created by the first exposure that renders.
const gateways = new WeakMap<object, { readonly gateway: gatewayApi.Gateway; readonly spec: GrowingSpec }>();

/**
 * Attaches the exposure to the shared Gateway: creates it (under the first exposure),
 * adds the listeners the exposure registered, and returns where its routes attach.
 */
export function attachSharedGateway(scope: Construct, kinds: GatewayApiKinds, intent: ExposureIntent, config: GatewayApiGatewayConfig): Attachment {
  const state = sharedGatewayState(scope, config) ?? unexpected('a shared Gateway no exposure registered');
  const plan = state.plans.get(intent.path) ?? unexpected(`no plan of ${intent.path} on the shared Gateway`);
  let created = gateways.get(state);
  if (created === undefined) {
    const spec: GrowingSpec = { gatewayClassName: config.gatewayClassName, listeners: [] };
    // Under the first exposure (in its chart): its object names are checked with the exposure's.
    const gateway = new kinds.Gateway(scope, 'SharedGateway', { metadata: { name: config.name, namespace: state.namespace }, spec });
    markShared(gateway);
    created = { gateway, spec };
    gateways.set(state, created);
  }
  const { gateway, spec } = created;
  spec.listeners.push(...plan.listeners);
  // The same for every exposure that terminates TLS on the Gateway (the registration refused others).
  if (plan.frontendTls !== undefined) spec.tls = plan.frontendTls;
  for (const [key, value] of Object.entries(plan.annotations ?? {})) gateway.metadata.addAnnotation(key, value);
  const parent = (sectionName: string): ParentRef => ({
    group: GROUP, kind: 'Gateway', name: config.name, namespace: state.namespace !== intent.namespace ? state.namespace : undefined, sectionName,
  });
  const streamParents = new Map([...plan.streamSections].map(([field, section]) => [field, parent(section)]));
  const routeParents = plan.routeSections.map(parent);
  return { gateway, routeParents, httpsRedirectParents: plan.redirectSections.map(parent), streamParents, gatewayNamespace: state.namespace };
}
