/**
 * The one contract between the pipeline (`ExposedService`) and the strategies. A strategy reads
 * the intent and nothing else of the declaration: it says what it cannot express (`check`),
 * what it claims in a shared scope (`claims`) and renders L1 objects (`render`).
 *
 * Strategies implement this interface rather than subclass ExposureStrategy: a subclass in its
 * own file, imported by the base's statics, breaks when the base loads first.
 */
import { Construct } from 'constructs';
import { Problem } from '../core/errors';
import { Capabilities } from '../intent/capabilities';
import { Claims } from '../intent/conflicts';
import { FrontTarget } from '../intent/front';
import { ExposureIntent } from '../intent/model';

export interface StrategyRenderer {
  /** As shown in errors and in the capability table. */
  readonly name: string;
  readonly capabilities: Capabilities;
  /** Problems with the strategy's own options, reported under the field `strategy`. */
  readonly problems: readonly string[];
  /**
   * True when the strategy selects a Deployment backend's pods itself (a Service of its own), so
   * the ClusterIP Service of `Backend.fromDeployment` backends is not created.
   * @default false - the strategy routes to backends by Service name
   */
  readonly selectsPods?: boolean;
  /** Objects the exposure attaches to that it does not create (an existing Gateway). */
  readonly references: readonly ExternalReference[];
  /**
   * What the strategy cannot express in this intent beyond its capability row (a limit of a
   * controller, a combination of features): every problem, not the first. Runs only on an intent
   * without input problems, after the capability check.
   */
  check(intent: ExposureIntent): Problem[];
  /**
   * The hosts and matches the exposure claims where they are served alongside other exposures'
   * (an ingress class, a gateway workload, an existing Gateway): two exposures must not claim the
   * same host and match in one scope. `undefined` when the exposure has a listener of its own.
   */
  claims(intent: ExposureIntent): RouteClaims | undefined;
  /**
   * Registers what the exposure adds to an object it shares with other exposures of the app
   * (the listeners of a shared Gateway) and returns every conflict with what they added; the
   * exposure registers nothing when there is one. Runs after the checks and the claims.
   */
  share?(scope: Construct, intent: ExposureIntent): Problem[];
  /** Renders the intent, and only the intent, into L1 objects under `scope`; checks have passed. */
  render(scope: Construct, intent: ExposureIntent): object;
  /**
   * A strategy that deploys a workload of its own (the API gateway) and is exposed itself by
   * another strategy: that strategy, and the workload it routes to, for this intent.
   */
  front?(scope: Construct, intent: ExposureIntent): Front;
}

/** The strategy in front of a workload the exposure deploys, and what it routes to. */
export interface Front {
  readonly renderer: StrategyRenderer;
  readonly target: FrontTarget;
}

/** What an exposure claims in a shared scope (see StrategyRenderer.claims). */
export type RouteClaims = Claims;

/** An object an exposure references but does not create. */
export interface ExternalReference {
  /** The API group: `''` for core objects. */
  readonly apiGroup: string;
  /** The object's kind: `Service` (a `Backend.fromName` backend) or `Gateway` (an existing Istio or Gateway API Gateway). */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /** `undefined`: the exposure's own namespace. */
  readonly namespace?: string;
  /** For a Service: the port routed to. */
  readonly port?: number;
}

/** Every route of the intent, claimed in `scope`. */
export function claimAllRoutes(scope: string, intent: ExposureIntent): RouteClaims {
  return { scope, routes: intent.routes.map((r) => ({ field: r.field, match: r.match })) };
}
