import { INGRESS_GENERIC_ROW } from './capabilities';
import { StrategyCapabilities } from '../../intent/capabilities';
import { ExposureIntent, RouteIntent } from '../../intent/model';

/** Reports a route the controller cannot express, as `ExposedService <path>: <field>: <message>`. */
export type Fail = (field: string, message: string) => never;

/** How one route becomes an Ingress path, and the annotations it needs. */
export interface IngressPathPlan {
  readonly path: string;
  readonly pathType: 'Prefix' | 'Exact' | 'ImplementationSpecific';
  /** Annotations the route needs on its Ingress; routes with the same set share one Ingress. */
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * What an Ingress controller adds to the Ingress v1 spec (internal). The generic dialect adds
 * nothing; ingress-nginx maps the intent's policies to its annotations.
 */
export interface IngressDialect {
  /** The controller's row in the capability matrix. */
  readonly row: StrategyCapabilities;
  /** The path, path type and annotations of one route. */
  route(route: RouteIntent, intent: ExposureIntent, fail: Fail): IngressPathPlan;
  /** Annotations on every Ingress of the exposure (e.g. HTTPS redirect with TLS). */
  exposureAnnotations(intent: ExposureIntent): Record<string, string>;
  /**
   * The annotations of a canary Ingress that takes `canaryWeight` of `totalWeight` of the
   * route's requests.
   */
  canaryAnnotations(canaryWeight: number, totalWeight: number): Record<string, string>;
}

/** The generic dialect: the Ingress v1 spec only, which every controller reads. */
export const GENERIC_DIALECT: IngressDialect = {
  row: INGRESS_GENERIC_ROW,
  route(route, _intent, fail) {
    const { kind, value } = route.match.path;
    // The capability check already rejected regex paths for this controller.
    if (kind === 'regex') fail(`${route.field}.match.path`, 'regex paths need a controller that supports them');
    return { path: value, pathType: kind === 'exact' ? 'Exact' : 'Prefix', annotations: {} };
  },
  exposureAnnotations: () => ({}),
  canaryAnnotations() {
    throw new Error('the capability check lets no weighted backends through to the generic Ingress controller');
  },
};
