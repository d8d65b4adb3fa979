import type { IngressDialect } from './dialect';
import type * as k8s from '../../../imports/k8s';
import { BackendIntent, ExposureIntent, isCatchAll, RouteIntent } from '../../intent/model';

type HttpIngressPath = k8s.HttpIngressPath;

/** One Ingress object in the making: the routes that share an annotation set. */
interface IngressPlan {
  readonly annotations: Readonly<Record<string, string>>;
  readonly paths: HttpIngressPath[];
  /** Set for the Ingress of an exposure that takes every request on every host. */
  defaultBackend?: BackendIntent;
}

/** The canary Ingress of a route split between two backends: its second backend's path. */
interface CanaryPlan {
  /** Of the Ingress name: `canary-<route index>`. */
  readonly suffix: string;
  readonly path: HttpIngressPath;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A route's backends with their weights, primary first. */
type WeightedBackends = readonly { readonly backend: BackendIntent; readonly weight: number }[];

/**
 * The Ingress objects of an exposure whose checks have passed: routes with the same annotations
 * share one Ingress (in the order of their first route), then one canary Ingress per split route.
 */
export function planIngresses(intent: ExposureIntent, dialect: IngressDialect): { ingresses: IngressPlan[]; canaries: CanaryPlan[] } {
  const groups = new Map<string, IngressPlan>();
  const canaries: CanaryPlan[] = [];
  for (const route of intent.routes) {
    const plan = dialect.route(route, intent);
    const backends = routeBackends(route, intent);
    const path: HttpIngressPath = { path: plan.path, pathType: plan.pathType, backend: ingressBackend(backends[0].backend) };
    const key = JSON.stringify(Object.entries(plan.annotations).sort());
    const group = groups.get(key) ?? { annotations: { ...plan.annotations }, paths: [] };
    groups.set(key, group);
    group.paths.push(path);
    if (takesEveryRequest(intent, route, backends, plan.annotations)) group.defaultBackend = backends[0].backend;
    if (backends.length === 2) {
      const [primary, canary] = backends;
      canaries.push({
        suffix: `canary-${route.field === 'routes' ? 0 : route.field.replace(/\D+/g, '')}`,
        path: { ...path, backend: ingressBackend(canary.backend) },
        annotations: dialect.canaryAnnotations(canary.weight, primary.weight + canary.weight),
      });
    }
  }
  return { ingresses: [...groups.values()], canaries };
}

/** The Ingress v1 backend of a Service port. */
export function ingressBackend(backend: BackendIntent): k8s.IngressBackend {
  return { service: { name: backend.name, port: { number: backend.port } } };
}

/** The backends of a route, primary first; a redirect still names a backend (Ingress paths must). */
function routeBackends(route: RouteIntent, intent: ExposureIntent): WeightedBackends {
  if (route.action.kind === 'redirect') {
    if (intent.defaultBackend === undefined) throw new Error('ingress: the check let through a redirect without the exposure\'s backend');
    return [{ backend: intent.defaultBackend, weight: 1 }];
  }
  if (route.action.kind === 'aggregate') throw new Error('ingress: the check let through an aggregate route');
  const backends = route.action.backends;
  if (backends.length > 2) throw new Error(`ingress: the check let through a route split between ${backends.length} backends`);
  return backends;
}

/** Every request on every host goes to one backend: that is what an Ingress default backend is. */
function takesEveryRequest(intent: ExposureIntent, route: RouteIntent, backends: WeightedBackends,
  annotations: Readonly<Record<string, string>>): boolean {
  return intent.hosts.length === 0 && intent.routes.length === 1 && isCatchAll(route.match)
    && backends.length === 1 && Object.keys(annotations).length === 0;
}
