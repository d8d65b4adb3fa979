import { Construct } from 'constructs';
import { atMostTwoBackends, found, redirectHasABackend } from './checks';
import { IngressDialect } from './dialect';
import { ingressBackend, planIngresses } from './ingress-plan';
import type * as k8s from '../../../imports/k8s';
import { distinctProblems, Problem } from '../../core/errors';
import { resourceName } from '../../core/naming';
import { dnsSubdomainProblem, problemsOf } from '../../core/validators';
import { BackendIntent, ExposureIntent, passthroughStreams } from '../../intent/model';
import { claimAllRoutes, RouteClaims, StrategyRenderer } from '../contract';
import { provisionBackendServices } from '../shared/backend-services';
import { certManagerAnnotations } from '../shared/cert-manager';
import { kube } from '../shared/kube';

/** The labels of Istio's shared ingress gateway, which serves Ingresses of class `istio`. */
const ISTIO_INGRESS_GATEWAY = { istio: 'ingressgateway' };

/** What ingress synthesizes (escape hatches). */
export interface IngressResources {
  /** ingress: the first Ingress (it holds the hosts' TLS and cert-manager annotations). */
  readonly ingress?: k8s.KubeIngress;
  /** ingress: every Ingress, the first one included (controllers need one per annotation set, and one per canary). */
  readonly ingresses?: readonly k8s.KubeIngress[];
  /** Services the library created for `Backend.fromDeployment` backends. */
  readonly backendServices?: readonly k8s.KubeService[];
}

/**
 * ingress: Ingress `networking.k8s.io/v1` with `ingressClassName`. Routes become paths under one
 * rule per host (or one host-less rule). Routes needing different controller annotations go to
 * separate Ingress objects, and each weighted route gets a canary Ingress (ingress-nginx).
 */
export class IngressRenderer implements StrategyRenderer {
  public readonly name: string;
  public readonly capabilities;
  public readonly problems: readonly string[];
  public readonly references = [];

  constructor(private readonly className: string, private readonly dialect: IngressDialect) {
    const row = dialect.row;
    this.name = row.strategy;
    this.capabilities = row.capabilities;
    this.problems = problemsOf(dnsSubdomainProblem(className, 'className'));
  }

  /** Every Ingress of a class is served by the same controller. */
  public claims(intent: ExposureIntent): RouteClaims {
    // Istio serves Ingresses of its class on the shared ingress gateway, where istio() exposures
    // on the default gateway claim their hosts too: one scope for both.
    return claimAllRoutes(this.className === 'istio' ? `Istio gateway workload ${JSON.stringify(ISTIO_INGRESS_GATEWAY)}` : `ingress class ${this.className}`, intent);
  }

  /** Route by route, the controller's problems, then what no Ingress can express. */
  public check(intent: ExposureIntent): Problem[] {
    return distinctProblems([...this.dialect.exposureProblems(intent), ...intent.routes.flatMap((route) => [
      ...this.dialect.check(route, intent),
      ...found(redirectHasABackend(route, intent), atMostTwoBackends(route, this.name)),
    ])]);
  }

  public render(scope: Construct, intent: ExposureIntent): IngressResources {
    const backendServices = provisionBackendServices(intent.backends);
    const { ingresses: plans, canaries } = planIngresses(intent, this.dialect);
    const exposureAnnotations = this.dialect.exposureAnnotations(intent);
    const ingresses = [
      ...plans.map((plan, i) => this.ingress(scope, intent, i === 0 ? undefined : String(i), {
        ...exposureAnnotations,
        ...plan.annotations,
        // cert-manager on the first Ingress only: one Certificate per Secret.
        ...(i === 0 ? certManagerAnnotations(intent) : {}),
      }, plan.paths, plan.defaultBackend)),
      ...canaries.map((canary) => this.ingress(scope, intent, canary.suffix, canary.annotations, [canary.path])),
      ...this.passthroughIngresses(scope, intent),
    ];
    return { ingress: ingresses[0], ingresses, backendServices };
  }

  /** One Ingress per passthrough host, its one path to the backend (the controller passes the whole host through). */
  private passthroughIngresses(scope: Construct, intent: ExposureIntent): k8s.KubeIngress[] {
    const annotations = this.dialect.passthroughAnnotations;
    const streams = passthroughStreams(intent);
    if (streams.length > 0 && annotations === undefined) throw new Error(`${this.name}: the capability check let passthrough through`);
    return streams.map((s) => new (kube().KubeIngress)(scope, `Ingress-${s.field}`, {
      metadata: { name: resourceName(scope, s.field.replace(/\[(\d+)\]/, '-$1')), annotations: { ...annotations } },
      spec: {
        ingressClassName: this.className,
        rules: [{ host: s.host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: ingressBackend(s.backend) }] } }],
      },
    }));
  }

  /** One Ingress: `suffix` names the ones after the first (`<name>-1`, `<name>-canary-2`). */
  private ingress(scope: Construct, intent: ExposureIntent, suffix: string | undefined, annotations: Readonly<Record<string, string>>,
    paths: k8s.HttpIngressPath[], defaultBackend?: BackendIntent): k8s.KubeIngress {
    const name = suffix === undefined ? intent.name : resourceName(scope, suffix);
    const sorted = Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => a.localeCompare(b)));
    return new (kube().KubeIngress)(scope, suffix === undefined ? 'Ingress' : `Ingress-${suffix}`, {
      metadata: { name, annotations: Object.keys(sorted).length > 0 ? sorted : undefined },
      spec: {
        ingressClassName: this.className,
        defaultBackend: defaultBackend && ingressBackend(defaultBackend),
        tls: intent.tls && [{ hosts: [...intent.hosts], secretName: intent.tls.secretName }],
        rules: defaultBackend === undefined ? ingressRules(intent, paths) : undefined,
      },
    });
  }
}

/** One rule per host, or one host-less rule, all with the same paths. */
function ingressRules(intent: ExposureIntent, paths: k8s.HttpIngressPath[]): k8s.IngressRule[] {
  return intent.hosts.length === 0 ? [{ http: { paths } }] : intent.hosts.map((host) => ({ host, http: { paths } }));
}
