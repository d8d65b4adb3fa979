/**
 * The pod behind an API gateway's Service, read off the manifests: the workload whose pod
 * template the Service selects, the container that listens on the port the Service targets, and
 * the files that container sees from ConfigMap volumes (where the engines' generated
 * configuration lives). Secrets' files are not in the manifests: they are not read.
 */

/** A Service of the gateway and one of its ports, as a front addresses it. */
export interface GatewayServiceRef {
  readonly name: string;
  readonly port: number;
  readonly namespace?: string;
}

/** The gateway's container: how it is run, the port a request arrives on, the files it sees. */
export interface GatewayPod {
  readonly namespace?: string;
  /** The container's command and arguments, joined (`nginx -c /etc/nginx/conf/nginx.conf ...`). */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The container port the Service port targets. */
  readonly containerPort: number;
  /** The files mounted from ConfigMaps, by absolute path. */
  readonly files: ReadonlyMap<string, string>;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** The gateway pod behind `ref`, or undefined when no workload in the manifests serves that Service port. */
export function gatewayPod(manifests: readonly any[], ref: GatewayServiceRef): GatewayPod | undefined {
  const sameNamespace = (m: any) => ref.namespace === undefined || (m.metadata?.namespace ?? undefined) === ref.namespace;
  const service = manifests.find((m) => m?.kind === 'Service' && m.metadata?.name === ref.name && sameNamespace(m));
  const port = (service?.spec?.ports ?? []).find((p: any) => p.port === ref.port);
  const selector: Record<string, string> | undefined = service?.spec?.selector;
  if (port === undefined || selector === undefined || Object.keys(selector).length === 0) return undefined;
  const namespace: string | undefined = service.metadata?.namespace;
  const target = port.targetPort ?? port.port;
  for (const workload of manifests.filter((m) => WORKLOADS.has(m?.kind) && (m.metadata?.namespace ?? undefined) === namespace)) {
    const template = workload.spec?.template;
    const labels = template?.metadata?.labels ?? {};
    if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) continue;
    for (const container of template.spec?.containers ?? []) {
      const declared = (container.ports ?? []).find((p: any) => (typeof target === 'number' ? p.containerPort === target : p.name === target));
      if (declared === undefined) continue;
      return {
        namespace,
        argv: [...(container.command ?? []), ...(container.args ?? [])],
        env: Object.fromEntries((container.env ?? []).filter((e: any) => typeof e.value === 'string').map((e: any) => [e.name, e.value])),
        containerPort: declared.containerPort,
        files: mountedFiles(manifests, namespace, template.spec.volumes ?? [], container.volumeMounts ?? []),
      };
    }
  }
  return undefined;
}

/** The files of ConfigMap volumes at their mount paths (all keys, or the listed items; a subPath mounts one file). */
function mountedFiles(manifests: readonly any[], namespace: string | undefined, volumes: any[], mounts: any[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const mount of mounts) {
    const volume = volumes.find((v) => v.name === mount.name);
    if (volume?.configMap === undefined) continue;
    const configMap = manifests.find((m) => m?.kind === 'ConfigMap' && m.metadata?.name === volume.configMap.name
      && (m.metadata?.namespace ?? undefined) === namespace);
    const data: Record<string, string> = configMap?.data ?? {};
    const entries: [string, string][] = volume.configMap.items === undefined
      ? Object.keys(data).map((k) => [k, k])
      : volume.configMap.items.map((item: any) => [item.key, item.path]);
    const base = String(mount.mountPath).replace(/\/+$/, '');
    for (const [key, path] of entries) {
      if (data[key] === undefined) continue;
      if (mount.subPath !== undefined) {
        if (mount.subPath === path) files.set(base, data[key]);
      } else {
        files.set(`${base}/${path}`, data[key]);
      }
    }
  }
  return files;
}

/** A backend address (`name.namespace.svc.<domain>:port`, or `name:port`) as the routing models name backends: `name:port`. */
export function backendName(host: string, port: number): string {
  const service = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.[a-z0-9-]+\.svc(\.[a-z0-9.-]+)?\.?$/i.exec(host);
  return `${service ? service[1] : host}:${port}`;
}
