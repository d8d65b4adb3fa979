/**
 * The API gateway engines' data planes: a request that reaches the gateway's Service goes where
 * the gateway's generated configuration (in its ConfigMap) sends it. The NGINX engine's
 * nginx.conf is read by a model of nginx (nginx-model.ts), checked against the real nginx in the
 * test suite; Kong's declarative configuration by a model of Kong's router (kong-model.ts),
 * which cannot be checked against a running Kong here.
 */
import { gatewayPod } from './engine-pod';
import { kongOfPod } from './kong-gateway';
import { routeThroughKong } from './kong-model';
import { RouteRequest, RouteResult } from './model';
import { nginxOfPod } from './nginx-gateway';
import { routeThroughNginx } from './nginx-model';

/**
 * Where the API gateway behind `service` (a Service by name and port, in `namespace` when given)
 * sends `request`; undefined when that Service is not an API gateway the models read (no pod
 * in the manifests runs nginx or Kong from a configuration in a ConfigMap).
 *
 * The models answer for a request that passes the gateway's checks (credentials, client
 * addresses, rate limits, tokens: not routing). Where the configuration does something the
 * models do not know, they throw an error naming it rather than answer wrongly.
 */
export function routeThroughApiGateway(
  manifests: readonly any[],
  service: { name: string; port: number; namespace?: string },
  request: RouteRequest,
): RouteResult | undefined {
  const pod = gatewayPod(manifests, service);
  if (pod === undefined) return undefined;
  const nginx = nginxOfPod(pod);
  if (nginx !== undefined) return routeThroughNginx(nginx, pod.containerPort, request);
  const kong = kongOfPod(pod);
  if (kong !== undefined) return routeThroughKong(kong.config, kong.scheme, request);
  return undefined;
}
