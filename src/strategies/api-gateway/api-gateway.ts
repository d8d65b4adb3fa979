import { Construct } from 'constructs';
import { GatewayEngine } from './engine';
import { GatewayWorkloadOptions, renderGatewayWorkload, workloadProblems } from './workload';
import { BackendIntent, backendKey } from '../../backend';
import { checkCapabilities } from '../../intent/check-capabilities';
import { fail as failAt } from '../../intent/errors';
import { ExposureIntent } from '../../intent/model';
import { provisionBackendServices } from '../backend-services';
import { certificate as certificateFor } from '../cert-manager';
import { ExposedResources, RouteClaims, StrategyRenderer } from '../renderer';
import { ServiceRenderer } from '../service';

/**
 * apiGateway: deploys an API gateway (the engine's proxy, configured for the intent) and exposes
 * it with another strategy (`exposedVia`). The front renders a derived intent: one route to the
 * gateway, with the exposure's hosts and TLS when the front can express them (ingress, istio,
 * gatewayApi). Behind an L4 front (a Service) the gateway serves the hosts and terminates TLS.
 */
export class ApiGatewayRenderer implements StrategyRenderer {
  public readonly name: string;
  public readonly capabilities;
  public readonly problems: readonly string[];

  constructor(
    private readonly engine: GatewayEngine,
    private readonly front: StrategyRenderer | undefined,
    private readonly workload: GatewayWorkloadOptions,
  ) {
    this.name = `apiGateway (${engine.name})`;
    this.capabilities = engine.capabilities;
    this.problems = [
      ...engine.problems,
      ...workloadProblems(workload),
      ...(front instanceof ApiGatewayRenderer ? ['exposedVia is an API gateway; expose the gateway with loadBalancer, nodePort, ingress, istio or gatewayApi'] : []),
      ...(front?.problems ?? []).map((p) => `exposedVia: ${p}`),
    ];
  }

  /** The gateway serves this exposure only; its front may be shared, and takes every path of the hosts. */
  public claims(intent: ExposureIntent): RouteClaims | undefined {
    const front = this.front?.claims(intent);
    return front && { scope: front.scope, routes: [{ field: 'hosts', match: { path: { kind: 'prefix', value: '/' }, headers: [], queryParams: [] } }] };
  }

  public render(scope: Construct, intent: ExposureIntent): ExposedResources {
    const fail = (field: string, message: string): never => failAt(scope, field, message);
    // An L4 front (a Service) has no hosts and no TLS: the gateway does both, TLS on its HTTPS port.
    const l4Front = this.front === undefined || this.front.capabilities.tls === 'none';
    const tlsAtGateway = intent.tls !== undefined && l4Front;
    const front = this.front ?? ServiceRenderer.loadBalancer({ port: tlsAtGateway ? 443 : 80 });
    const config = this.engine.configure({ intent, tls: tlsAtGateway ? { secretName: intent.tls!.secretName } : undefined, fail });
    const backendServices = provisionBackendServices(intent.backends);
    // cert-manager issues the certificate the gateway serves, into the Secret it mounts.
    const certificate = tlsAtGateway && intent.tls!.certManager ? certificateFor(scope, intent) : undefined;
    const port = tlsAtGateway ? config.httpsPort : config.httpPort;
    // An L7 front routes to the gateway by Service name; an L4 front is itself the gateway's Service.
    const workload = renderGatewayWorkload(scope, intent, config, this.workload, l4Front ? undefined : port);
    const gatewayBackend: BackendIntent = {
      key: backendKey(workload.name, intent.namespace, port),
      name: workload.name,
      namespace: intent.namespace,
      port,
      targetPort: port,
      origin: 'deployment',
      podLabels: () => ({ ...workload.podLabels }),
      protocol: 'http',
    };
    const frontIntent: ExposureIntent = {
      path: intent.path,
      name: intent.name,
      namespace: intent.namespace,
      hosts: l4Front ? [] : intent.hosts,
      tls: l4Front ? undefined : intent.tls,
      routes: [{
        field: 'routes',
        isDefault: true,
        protocol: 'http',
        match: { path: { kind: 'prefix', value: '/' }, headers: [], queryParams: [] },
        action: { kind: 'forward', backends: [{ backend: gatewayBackend, weight: 1 }] },
        sources: {},
      }],
      backends: [gatewayBackend],
      backendFields: new Map([[gatewayBackend.key, 'exposedVia']]),
    };
    // What the front cannot express is reported like any other capability error.
    checkCapabilities(scope, frontIntent, `${front.name} (exposedVia)`, front.capabilities);
    const frontResources = front.render(new Construct(scope, 'Front'), frontIntent);
    return {
      ...frontResources,
      certificate: certificate ?? frontResources.certificate,
      backendServices: [...backendServices, ...(frontResources.backendServices ?? [])],
      gatewayDeployment: workload.deployment,
      gatewayService: workload.service,
      gatewayConfig: workload.configMap,
      gatewayDisruptionBudget: workload.podDisruptionBudget,
      gatewayAutoscaler: workload.autoscaler,
      networkPolicies: workload.networkPolicies,
    };
  }
}
