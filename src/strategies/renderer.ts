import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Capabilities } from '../capabilities';
import { ExposureIntent } from '../intent/model';

/**
 * The objects a strategy synthesized, as public escape hatches: a user can add what the library
 * does not model (`resources.ingress?.metadata.addAnnotation(...)`). Which fields are set
 * depends on the strategy.
 */
export interface ExposedResources {
  /** nodePort / loadBalancer: the Service. */
  readonly service?: kplus.k8s.KubeService;
  /** ingress: the first Ingress (it holds the hosts' TLS and cert-manager annotations). */
  readonly ingress?: kplus.k8s.KubeIngress;
  /** ingress: every Ingress, the first one included (controllers need one per annotation set, and one per canary). */
  readonly ingresses?: readonly kplus.k8s.KubeIngress[];
  /** Services the library created for `Backend.fromDeployment` backends. */
  readonly backendServices?: readonly kplus.Service[];
}

/**
 * What each strategy implements (internal). Strategies implement this interface rather than
 * subclass ExposureStrategy: a subclass in its own file, imported by the base's statics, breaks
 * when the base loads first.
 */
export interface StrategyRenderer {
  /** As shown in errors and in the capability table. */
  readonly name: string;
  readonly capabilities: Capabilities;
  /** Problems with the strategy's own options, reported under the field `strategy`. */
  readonly problems: readonly string[];
  /** Renders the intent, and only the intent, into L1 objects under `scope`. */
  render(scope: Construct, intent: ExposureIntent): ExposedResources;
}
