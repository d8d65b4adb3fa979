import type { IConstruct } from 'constructs';
import { Problem } from '../../../core/errors';
import { backendField, describeAffinity, ExposureIntent, policyField } from '../../../intent/model';
import { perApp } from '../../shared/per-app';

/*
 * NGINX Gateway Fabric sets an affinity by hash on the backend Service (UpstreamSettingsPolicy),
 * so it holds for every route any Gateway of NGINX Gateway Fabric sends to that Service, whichever
 * exposure declared the route. The exposures of an app that reach one Service must then agree on
 * its affinity; one UpstreamSettingsPolicy per Service, created by the first of them (two would
 * conflict, and NGF applies the older one only).
 */

/** The exposure (and its field) that first reached a Service, and the affinity it declared there. */
interface Registered {
  readonly owner: string;
  readonly field: string;
  readonly affinity: string;
}

const affinitiesOf = perApp<Registered>();

/** An affinity that NGF renders on the Service: by a header or the client address (a cookie is the rule's own). */
function onService(affinity: string): boolean {
  return affinity.startsWith('header ') || affinity === 'client IP';
}

/** Each Service (namespace and name) the exposure's forward routes and streams reach, with the affinity and field of the first that reaches it. */
function servicesReached(intent: ExposureIntent): Map<string, Omit<Registered, 'owner'> & { readonly service: string }> {
  const reached = new Map<string, Omit<Registered, 'owner'> & { readonly service: string }>();
  const add = (b: { readonly name: string; readonly namespace?: string }, field: string, affinity: string) => {
    const namespace = b.namespace ?? intent.namespace;
    const key = `${namespace ?? ''}\n${b.name}`;
    if (!reached.has(key)) reached.set(key, { service: namespace === undefined ? b.name : `${namespace}/${b.name}`, field, affinity });
  };
  for (const route of intent.routes) {
    if (route.action.kind !== 'forward') continue;
    for (const { backend } of route.action.backends) {
      add(backend, route.affinity === undefined ? backendField(intent, backend) : policyField(route, 'affinity'), describeAffinity(route.affinity));
    }
  }
  for (const s of intent.streams) add(s.backend, s.field, 'none');
  return reached;
}

/**
 * Registers the affinity on each Service the exposure reaches; returns every Service another
 * exposure of the app reaches with another affinity, when either is one NGF sets on the Service.
 * (Within one exposure the checks compare its routes.)
 */
export function registerNginxGatewayFabricServices(scope: IConstruct, intent: ExposureIntent): Problem[] {
  const registry = affinitiesOf(scope);
  const problems: Problem[] = [];
  const added: [string, Registered][] = [];
  for (const [key, { service, field, affinity }] of servicesReached(intent)) {
    const first = registry.get(key);
    if (first === undefined) {
      added.push([key, { owner: intent.path, field, affinity }]);
    } else if (first.owner !== intent.path && first.affinity !== affinity && (onService(first.affinity) || onService(affinity))) {
      problems.push({
        field,
        message: `NGINX Gateway Fabric sets the affinity on the whole Service (UpstreamSettingsPolicy), and ExposedService ${first.owner} reaches Service ${service} `
          + `${withAffinity(first.affinity)} (${first.field}), ${withAffinity(affinity)} here: give every route to it the same affinity`,
      });
    }
  }
  if (problems.length === 0) added.forEach(([key, value]) => registry.set(key, value));
  return problems;
}

function withAffinity(affinity: string): string {
  return affinity === 'none' ? 'without an affinity' : `with affinity ${affinity}`;
}

/** True when the exposure creates the UpstreamSettingsPolicy of the Service: it reached it first in the app, or nothing was registered. */
export function createsUpstreamSettings(
  scope: IConstruct, intent: ExposureIntent, backend: { readonly name: string; readonly namespace?: string }): boolean {
  const owner = affinitiesOf(scope).get(`${backend.namespace ?? intent.namespace ?? ''}\n${backend.name}`)?.owner;
  return owner === undefined || owner === intent.path;
}
