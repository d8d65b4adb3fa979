import { SecretRef, secretName, secretRefProblem, secretTypeProblem } from './secret-ref';
import { describeValue, notAnOptionsObject } from '../core/runtime-types';
import { dnsSubdomainProblem, hostnameProblem, problemsOf } from '../core/validators';

/** Options of the `BackendTls` factories that verify the backend's certificate. */
export interface VerifiedBackendTlsOptions {
  /**
   * The name the backend's certificate must carry; also sent as the TLS server name (SNI).
   * @example BackendTls.fromSecret('api-ca', { serverName: 'api.shop.svc' })
   */
  readonly serverName: string;
}

/** Options of `BackendTls.unverified`. */
export interface UnverifiedBackendTlsOptions {
  /**
   * The TLS server name (SNI) sent to the backend.
   * @default - none declared: each proxy's own (nginx and ingress-nginx send none)
   * @example BackendTls.unverified({ serverName: 'api.shop.svc' })
   */
  readonly serverName?: string;
}

/** Where the CA that verifies a backend's certificate comes from (internal). */
export type BackendCaSpec =
  | { readonly kind: 'secret'; readonly name: string }
  | { readonly kind: 'config-map'; readonly name: string }
  | { readonly kind: 'system' };

/** What a BackendTls declares (internal). */
export interface BackendTlsSpec {
  /** Unset: the certificate is not verified. */
  readonly ca?: BackendCaSpec;
  readonly serverName?: string;
}

/**
 * TLS from the proxy to a backend (`https`, or gRPC over TLS): how the backend's certificate is
 * verified. Pass it as a Backend's `tls`; the backend's `protocol` stays `http` or `grpc`.
 */
export abstract class BackendTls {
  /**
   * Verify the certificate against the CA certificate(s) in key `ca.crt` of a Secret in the
   * exposure's namespace (ingress-nginx, the NGINX engine; Istio reads it from the namespace of
   * the gateway proxy, as for `Tls.fromSecret`; Gateway API takes ConfigMaps).
   */
  public static fromSecret(secret: SecretRef, options: VerifiedBackendTlsOptions): BackendTls {
    const problems = problemsOf(secretRefProblem(secret, 'CA secret'), secretTypeProblem(secret, 'a backend TLS CA'));
    const name = secretName(secret);
    return new VerifiedBackendTls({ kind: 'secret', name }, options, problems.length > 0 ? problems : problemsOf(dnsSubdomainProblem(name, 'CA secret name')));
  }

  /**
   * Verify the certificate against the CA certificate(s) in key `ca.crt` of a ConfigMap in the
   * exposure's namespace (Gateway API's BackendTLSPolicy, the NGINX engine).
   */
  public static fromConfigMap(configMapName: string, options: VerifiedBackendTlsOptions): BackendTls {
    const problems = typeof configMapName === 'string' ? problemsOf(dnsSubdomainProblem(configMapName, 'CA config map name'))
      : [`CA config map name is ${describeValue(configMapName)}; use the ConfigMap's name`];
    return new VerifiedBackendTls({ kind: 'config-map', name: String(configMapName) }, options, problems);
  }

  /** Verify the certificate against the proxy's system CA certificates (Gateway API's `System`, Istio's default). */
  public static systemCertificates(options: VerifiedBackendTlsOptions): BackendTls {
    return new VerifiedBackendTls({ kind: 'system' }, options, []);
  }

  /** Encrypt without verifying the certificate (a self-signed backend); Gateway API cannot express it. */
  public static unverified(options: UnverifiedBackendTlsOptions = {}): BackendTls {
    return new UnverifiedBackendTls(options);
  }

  /** @internal */
  public readonly _problems: readonly string[];

  /** What was declared; read by the intent builder. @internal */
  public readonly _spec: BackendTlsSpec;

  protected constructor(spec: BackendTlsSpec, problems: string[]) {
    this._spec = spec;
    this._problems = problems;
  }
}

class VerifiedBackendTls extends BackendTls {
  constructor(ca: BackendCaSpec, options: VerifiedBackendTlsOptions, problems: string[]) {
    const types = notAnOptionsObject(options, 'options') ?? (options === undefined ? 'options is undefined; pass { serverName }' : undefined);
    const serverName = types === undefined ? options.serverName : undefined;
    super({ ca, serverName }, [...problems, ...problemsOf(types, types === undefined ? serverNameProblem(serverName, true) : undefined)]);
  }
}

class UnverifiedBackendTls extends BackendTls {
  constructor(options: UnverifiedBackendTlsOptions) {
    const types = notAnOptionsObject(options, 'options');
    const serverName = types === undefined ? options?.serverName : undefined;
    super({ serverName }, problemsOf(types, serverNameProblem(serverName, false)));
  }
}

/** The name the certificate must carry: one precise hostname (SNI has no wildcards). */
function serverNameProblem(serverName: unknown, required: boolean): string | undefined {
  if (serverName === undefined) return required ? 'serverName is required: the name the backend\'s certificate must carry' : undefined;
  if (typeof serverName !== 'string') return `serverName is ${describeValue(serverName)}; use a hostname`;
  const problem = hostnameProblem(serverName);
  if (problem !== undefined) return `serverName: ${problem}`;
  return serverName.startsWith('*.') ? `serverName "${serverName}" is a wildcard; TLS sends and verifies one name: use e.g. "api.example.com"` : undefined;
}
