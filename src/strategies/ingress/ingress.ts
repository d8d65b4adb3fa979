import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IngressDialect } from './dialect';
import { fail as failAt, Problem } from '../../core/errors';
import { resourceName } from '../../core/naming';
import { dnsSubdomainProblem, problemsOf } from '../../core/validators';
import { BackendIntent, ExposureIntent, isCatchAll, RouteIntent } from '../../intent/model';
import { claimAllRoutes, RouteClaims, StrategyRenderer } from '../contract';
import { provisionBackendServices } from '../shared/backend-services';
import { certManagerAnnotations } from '../shared/cert-manager';

const k8s = kplus.k8s;

/** One Ingress object in the making: the routes that share an annotation set. */
interface IngressPlan {
  readonly annotations: Record<string, string>;
  readonly paths: kplus.k8s.HttpIngressPath[];
  /** Set for the Ingress of an exposure that takes every request on every host. */
  defaultBackend?: BackendIntent;
}

/** What ingress synthesizes (escape hatches). */
export interface IngressResources {
  /** ingress: the first Ingress (it holds the hosts' TLS and cert-manager annotations). */
  readonly ingress?: kplus.k8s.KubeIngress;
  /** ingress: every Ingress, the first one included (controllers need one per annotation set, and one per canary). */
  readonly ingresses?: readonly kplus.k8s.KubeIngress[];
  /** Services the library created for `Backend.fromDeployment` backends. */
  readonly backendServices?: readonly kplus.Service[];
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
    return claimAllRoutes(`ingress class ${this.className}`, intent);
  }

  public check(): Problem[] {
    return [];
  }

  public render(scope: Construct, intent: ExposureIntent): IngressResources {
    const fail = (field: string, message: string): never => failAt(scope, field, message);
    const backendServices = provisionBackendServices(intent.backends);
    const plans = new Map<string, IngressPlan>();
    const canaries: { route: RouteIntent; path: kplus.k8s.HttpIngressPath; annotations: Record<string, string> }[] = [];

    for (const route of intent.routes) {
      const plan = this.dialect.route(route, intent, fail);
      const backends = this.backendsOf(route, intent, fail);
      const path: kplus.k8s.HttpIngressPath = { path: plan.path, pathType: plan.pathType, backend: ingressBackend(backends[0].backend) };
      const key = JSON.stringify(Object.entries(plan.annotations).sort());
      const group = plans.get(key) ?? { annotations: { ...plan.annotations }, paths: [] };
      plans.set(key, group);
      group.paths.push(path);
      if (intent.hosts.length === 0 && intent.routes.length === 1 && isCatchAll(route.match)
        && backends.length === 1 && Object.keys(plan.annotations).length === 0) {
        // Every request on every host goes to one backend: that is what an Ingress default backend is.
        group.defaultBackend = backends[0].backend;
      }
      if (backends.length === 2) {
        const [primary, canary] = backends;
        canaries.push({
          route,
          path: { ...path, backend: ingressBackend(canary.backend) },
          annotations: this.dialect.canaryAnnotations(canary.weight, primary.weight + canary.weight),
        });
      }
    }

    const exposureAnnotations = this.dialect.exposureAnnotations(intent);
    const ingresses: kplus.k8s.KubeIngress[] = [];
    [...plans.values()].forEach((plan, i) => {
      // cert-manager on the first Ingress only: one Certificate per Secret.
      const annotations = { ...exposureAnnotations, ...plan.annotations, ...(i === 0 ? certManagerAnnotations(intent) : {}) };
      ingresses.push(this.ingress(scope, intent, i === 0 ? undefined : String(i), annotations, plan.paths, plan.defaultBackend));
    });
    for (const canary of canaries) {
      const suffix = `canary-${canary.route.field === 'routes' ? 0 : canary.route.field.replace(/\D+/g, '')}`;
      ingresses.push(this.ingress(scope, intent, suffix, canary.annotations, [canary.path]));
    }
    return { ingress: ingresses[0], ingresses, backendServices };
  }

  /** The backends of a route, primary first; a redirect still names a backend (Ingress paths must). */
  private backendsOf(route: RouteIntent, intent: ExposureIntent, fail: (f: string, m: string) => never) {
    if (route.action.kind === 'redirect') {
      if (intent.defaultBackend === undefined) {
        fail(route.sources.redirect!, 'an Ingress path always names a backend, even when the controller redirects; set the ExposedService\'s backend');
      }
      return [{ backend: intent.defaultBackend, weight: 1 }];
    }
    const backends = route.action.backends;
    if (backends.length > 2) {
      fail(`${route.field}.backends`, `${this.name} splits a route between two backends (a main and a canary Ingress); ${backends.length} are listed: use gatewayApi or istio for more`);
    }
    return backends;
  }

  private ingress(scope: Construct, intent: ExposureIntent, suffix: string | undefined, annotations: Record<string, string>,
    paths: kplus.k8s.HttpIngressPath[], defaultBackend?: BackendIntent): kplus.k8s.KubeIngress {
    const name = suffix === undefined ? intent.name : resourceName(scope, suffix);
    const sorted = Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => a.localeCompare(b)));
    const rules = defaultBackend !== undefined ? undefined
      : intent.hosts.length === 0 ? [{ http: { paths } }]
        : intent.hosts.map((host) => ({ host, http: { paths } }));
    return new k8s.KubeIngress(scope, suffix === undefined ? 'Ingress' : `Ingress-${suffix}`, {
      metadata: { name, annotations: Object.keys(sorted).length > 0 ? sorted : undefined },
      spec: {
        ingressClassName: this.className,
        defaultBackend: defaultBackend && ingressBackend(defaultBackend),
        tls: intent.tls && [{ hosts: [...intent.hosts], secretName: intent.tls.secretName }],
        rules,
      },
    });
  }
}

function ingressBackend(backend: BackendIntent): kplus.k8s.IngressBackend {
  return { service: { name: backend.name, port: { number: backend.port } } };
}
