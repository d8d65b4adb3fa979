import type { Problem } from '../../core/errors';
import type { StrategyCapabilities } from '../../intent/capabilities';
import type { ExposureIntent, RouteIntent } from '../../intent/model';

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
 *
 * A dialect is one file of this folder (`<controller>.ts`) holding the controller's capability
 * row and this object; registering it takes its row in `src/capability-matrix.ts` and the
 * `IngressController` factory that selects it. Dialect files stay plain data and functions at
 * module level (`.projenrc.ts` loads their rows): no cdk8s or constructs import but `import type`.
 */
export interface IngressDialect {
  /** The controller's row in the capability matrix. */
  readonly row: StrategyCapabilities;
  /**
   * The annotations of the Ingress that passes one host's TLS through to its backend (one per
   * `passthrough` entry); undefined: the controller cannot (its row says `none`).
   */
  readonly passthroughAnnotations?: Readonly<Record<string, string>>;
  /**
   * What the controller cannot express in one route beyond its row, every problem in the order
   * of the route's fields. Runs on routes whose features the row allows.
   */
  check(route: RouteIntent, intent: ExposureIntent): Problem[];
  /** What the controller cannot express of the exposure as a whole (its TLS), before the routes' problems. */
  exposureProblems(intent: ExposureIntent): Problem[];
  /** The path, path type and annotations of one route that passed `check`. */
  route(route: RouteIntent, intent: ExposureIntent): IngressPathPlan;
  /** Annotations on every Ingress of the exposure (e.g. HTTPS redirect with TLS). */
  exposureAnnotations(intent: ExposureIntent): Record<string, string>;
  /**
   * The annotations of a canary Ingress that takes `canaryWeight` of `totalWeight` of the
   * route's requests.
   */
  canaryAnnotations(canaryWeight: number, totalWeight: number): Record<string, string>;
}
