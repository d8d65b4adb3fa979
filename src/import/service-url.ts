/** In-cluster Service URLs (`http://auth.shop.svc.cluster.local:8080/verify`), as annotations name them. */

export interface ServiceUrl {
  readonly scheme: 'http' | 'https';
  readonly service: string;
  readonly namespace: string;
  readonly port: number;
  /** The path, `''` when there is none. */
  readonly path: string;
}

/**
 * The Service of a URL whose host is `<service>.<namespace>.svc` (optionally followed by
 * `.cluster.local`), with an explicit port; undefined for any other URL.
 */
export function parseServiceUrl(url: string): ServiceUrl | undefined {
  const m = /^(https?):\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?:([0-9]{1,5})(\/[^?#$]*)?$/.exec(url);
  if (!m) return undefined;
  const port = Number(m[7]);
  if (port < 1 || port > 65535) return undefined;
  return { scheme: m[1] as 'http' | 'https', service: m[2], namespace: m[4], port, path: m[8] ?? '' };
}
