/**
 * A Kong gateway read off the manifests: DB-less (`KONG_DATABASE=off`), its declarative
 * configuration named by `KONG_DECLARATIVE_CONFIG`, its proxy listeners by `KONG_PROXY_LISTEN`.
 * When the file is written at pod start (the engine's init container adds the consumers from
 * their Secrets), the model reads the file of the same name the pod mounts from its ConfigMap:
 * the consumers are credentials, not routing.
 */
import { GatewayPod } from './engine-pod';
import { KongConfig, KongModelError, parseKongConfig } from './kong-model';

export interface KongGateway {
  readonly config: KongConfig;
  /** The scheme of the proxy listener on the pod's port. */
  readonly scheme: 'http' | 'https';
}

/** The configuration of the pod's Kong, or undefined when the pod does not run a DB-less Kong from mounted files. */
export function kongOfPod(pod: GatewayPod): KongGateway | undefined {
  const file = pod.env.KONG_DECLARATIVE_CONFIG;
  if (pod.env.KONG_DATABASE !== 'off' || file === undefined) return undefined;
  const base = file.slice(file.lastIndexOf('/') + 1);
  const text = pod.files.get(file) ?? [...pod.files].find(([path]) => path.endsWith(`/${base}`))?.[1];
  if (text === undefined) return undefined;
  const listeners = (pod.env.KONG_PROXY_LISTEN ?? '0.0.0.0:8000, 0.0.0.0:8443 ssl').split(',').map((l) => l.trim().split(/\s+/));
  const listener = listeners.find(([address]) => Number(/:(\d+)$/.exec(address)?.[1]) === pod.containerPort);
  if (listener === undefined) throw new KongModelError(`no proxy listener of Kong (KONG_PROXY_LISTEN) is on port ${pod.containerPort}`);
  return { config: parseKongConfig(text), scheme: listener.includes('ssl') ? 'https' : 'http' };
}
