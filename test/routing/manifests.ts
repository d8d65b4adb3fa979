/** Hand-written manifests for the routing models' tests (what the upstream docs show, in short). */

export type Path = { path: string; pathType?: string; service?: string; port?: number | string };

/** An Ingress with one rule per host (undefined: no host), each path to its service. */
export function ingress(
  name: string, rules: [string | undefined, Path[]][], extra: { annotations?: Record<string, string>; className?: string; tls?: string[] } = {},
) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      ...(extra.className ? { ingressClassName: extra.className } : {}),
      rules: rules.map(([host, paths]) => ({
        ...(host === undefined ? {} : { host }),
        http: {
          paths: paths.map((p) => ({
            path: p.path,
            pathType: p.pathType ?? 'Prefix',
            backend: { service: { name: p.service ?? 'web', port: typeof p.port === 'string' ? { name: p.port } : { number: p.port ?? 80 } } },
          })),
        },
      })),
      ...(extra.tls ? { tls: [{ hosts: extra.tls, secretName: 'tls' }] } : {}),
    },
  };
}

/** A Service with named ports. */
export function service(name: string, ports: [string, number][], type?: string) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { ...(type ? { type } : {}), selector: { app: name }, ports: ports.map(([n, port]) => ({ name: n, port, targetPort: port })) },
  };
}
