/**
 * An Istio Gateway as the istio strategy's gateway: `IstioGateway.create(...)` when the strategy
 * would create the same servers (HTTP :80 and, with TLS, HTTPS :443 SIMPLE with a credential, for
 * the exposure's hosts), else `IstioGateway.existing(...)` bound by name, with the reason.
 */
import { bool, Expr, lib, obj, str } from './code';
import { describe, namespaceOf, unknownFields } from './mesh-values';
import { Loss } from './model';

/** What the declaration makes of the Gateway a VirtualService binds to. */
export interface IstioGatewayRead {
  /** `IstioGateway.create(...)` or `IstioGateway.existing(...)`. */
  readonly gateway: Expr;
  /** `Tls.fromSecret(credentialName)` when the created Gateway terminates TLS. */
  readonly tls?: Expr;
  /** The gateway workload's labels, when known (RequestAuthentication selects by them). */
  readonly selector?: Readonly<Record<string, string>>;
  /** Where the gateway's policies are read (the Gateway's namespace). */
  readonly namespace: string;
  /** The Gateway of the input, when it is there (a source of the exposure). */
  readonly manifest?: Readonly<Record<string, any>>;
  readonly losses: Loss[];
}

const labels = (r: Readonly<Record<string, string>>): Expr => obj(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, str(v)])));

/** A server host without its namespace part (`ns/host`, `./host`, `*\/host`). */
const bareHost = (h: unknown): string => (typeof h === 'string' && h.includes('/') ? h.slice(h.indexOf('/') + 1) : String(h));

/** A Gateway named by a VirtualService (`name` in its namespace, or `ns/name`), as found in the input or not. */
export function readIstioGateway(reference: string, vsNamespace: string, documents: readonly Readonly<Record<string, any>>[],
  vsHosts: readonly string[]): IstioGatewayRead {
  const [namespace, name] = reference.includes('/') ? reference.split('/', 2) : [vsNamespace, reference];
  const manifest = documents.find((d) => d.kind === 'Gateway' && String(d.apiVersion).startsWith('networking.istio.io/')
    && namespaceOf(d) === namespace && d.metadata?.name === name);
  if (manifest === undefined) {
    return { gateway: lib('IstioGateway.existing', obj({ namespace: str(namespace), name: str(name) })), namespace, losses: [] };
  }
  const source = describe(manifest);
  const selector: Record<string, string> | undefined = typeof manifest.spec?.selector === 'object' && manifest.spec.selector !== null
    ? Object.fromEntries(Object.entries(manifest.spec.selector).map(([k, v]) => [k, String(v)])) : undefined;
  const servers: any[] = Array.isArray(manifest.spec?.servers) ? manifest.spec.servers : [];
  const http = servers.filter((s) => s?.port?.protocol === 'HTTP' && s?.port?.number === 80);
  const https = servers.filter((s) => s?.port?.protocol === 'HTTPS' && s?.port?.number === 443);
  const hosts = new Set(vsHosts.length === 0 ? ['*'] : vsHosts);
  const sameHosts = (s: any) => Array.isArray(s.hosts) && s.hosts.length === hosts.size && s.hosts.every((h: unknown) => hosts.has(bareHost(h)));
  const why = [
    ...unknownFields(manifest.spec, ['selector', 'servers'], source, 'spec').map((l) => `${l.field} is set`),
    ...(selector === undefined ? ['it has no selector'] : []),
    ...(http.length === 1 ? [] : ['it has no single HTTP server on port 80']),
    ...(https.length > 1 ? ['it has more than one HTTPS server on port 443'] : []),
    ...(servers.length > http.length + https.length ? ['it has servers on other ports or protocols'] : []),
    ...(servers.every(sameHosts) ? [] : ['its servers\' hosts are not the VirtualService\'s hosts']),
    ...(http.length === 1 && unknownFields(http[0], ['port', 'hosts', 'tls', 'name'], source, '').length > 0 ? ['its HTTP server has fields beyond port and hosts'] : []),
    ...(http.length === 1 && http[0].tls !== undefined && Object.keys(http[0].tls).some((k) => k !== 'httpsRedirect') ? ['its HTTP server has TLS settings'] : []),
    ...https.flatMap((s) => (s.tls?.mode === 'SIMPLE' && typeof s.tls?.credentialName === 'string'
      && unknownFields(s.tls, ['mode', 'credentialName'], source, '').length === 0 && unknownFields(s, ['port', 'hosts', 'tls', 'name'], source, '').length === 0
      ? [] : ['its HTTPS server is not SIMPLE TLS with a credentialName alone'])),
  ];
  if (why.length > 0) {
    return {
      gateway: lib('IstioGateway.existing', obj({ namespace: str(namespace), name: str(name), selector: selector && labels(selector) })),
      selector,
      namespace,
      manifest,
      losses: [{
        source,
        field: 'spec',
        kind: 'not-portable',
        reason: `not what IstioGateway.create makes (${why.join('; ')}): the exposure binds to it as IstioGateway.existing, so keep applying it; `
          + 'other strategies do not get its servers',
      }],
    };
  }
  const redirect = http[0].tls?.httpsRedirect === true;
  const tls = https.length === 1 ? lib('Tls.fromSecret', str(https[0].tls.credentialName)) : undefined;
  const isDefault = Object.keys(selector!).length === 1 && selector!.istio === 'ingressgateway';
  const losses: Loss[] = tls === undefined && redirect
    ? [{ source, field: 'spec.servers[0].tls.httpsRedirect', kind: 'unsupported', reason: 'a redirect to HTTPS without an HTTPS server: the declaration redirects only with TLS' }]
    : [];
  const options = obj({
    selector: isDefault ? undefined : labels(selector!),
    namespace: namespace === vsNamespace ? undefined : str(namespace),
    httpsRedirect: tls !== undefined && !redirect ? bool(false) : undefined,
  });
  return {
    gateway: options.kind === 'object' && options.entries.length === 0 ? lib('IstioGateway.create') : lib('IstioGateway.create', options),
    tls,
    selector,
    namespace,
    manifest,
    losses,
  };
}
