import { ClientCertificates, ClientCertificatesSpec } from './client-certificates';
import { SecretRef, secretName, secretRefProblem, secretTypeProblem } from './secret-ref';
import { describeValue, notAnOptionsObject } from '../core/runtime-types';
import { dnsLabelProblem, dnsSubdomainProblem, problemsOf } from '../core/validators';

/** Options for `Tls.certManager`. Exactly one of `issuer` and `clusterIssuer`. */
export interface CertManagerTlsOptions {
  /**
   * A cert-manager `Issuer` in the exposure's namespace.
   * @default - none; then `clusterIssuer` is required
   * @example Tls.certManager({ issuer: 'internal-ca' })
   */
  readonly issuer?: string;

  /**
   * A cert-manager `ClusterIssuer`.
   * @default - none; then `issuer` is required
   * @example Tls.certManager({ clusterIssuer: 'letsencrypt' })
   */
  readonly clusterIssuer?: string;

  /**
   * The Secret cert-manager writes the certificate to.
   * @default - `<exposure name>-tls`
   * @example Tls.certManager({ clusterIssuer: 'letsencrypt', secretName: 'shop-cert' })
   */
  readonly secretName?: string;

  /**
   * Verify client certificates where TLS terminates (mutual TLS at the edge).
   * @default - no client certificate is asked for
   * @example Tls.certManager({ clusterIssuer: 'letsencrypt', clientCertificates: ClientCertificates.require({ caSecret: 'partners-ca' }) })
   */
  readonly clientCertificates?: ClientCertificates;
}

/** Options for `Tls.fromSecret`. */
export interface SecretTlsOptions {
  /**
   * Namespace of the Secret, when it is not the exposure's (Gateway API grants the Gateway access
   * with a ReferenceGrant; Ingress and Istio cannot reach another namespace).
   * @default - the exposure's namespace (Istio: the gateway's namespace)
   * @example Tls.fromSecret('wildcard-tls', { namespace: 'certs' })
   */
  readonly namespace?: string;

  /**
   * Verify client certificates where TLS terminates (mutual TLS at the edge).
   * @default - no client certificate is asked for
   * @example Tls.fromSecret('shop-tls', { clientCertificates: ClientCertificates.require({ caSecret: 'partners-ca' }) })
   */
  readonly clientCertificates?: ClientCertificates;
}

/** Where a Tls takes its certificate from (internal). */
export type TlsSpec = (
  | { readonly kind: 'secret'; readonly secretName: string; readonly secretNamespace?: string }
  | { readonly kind: 'cert-manager'; readonly issuerKind: 'Issuer' | 'ClusterIssuer'; readonly issuerName: string; readonly secretName?: string }
) & { readonly clientCertificates?: ClientCertificatesSpec };

/** Where the certificate for the exposure's hosts comes from. TLS needs `hosts`. */
export abstract class Tls {
  /** A `kubernetes.io/tls` Secret that exists (or that this app declares). */
  public static fromSecret(secret: SecretRef, options: SecretTlsOptions = {}): Tls {
    const types = problemsOf(secretRefProblem(secret), notAnOptionsObject(options, 'options'), secretTypeProblem(secret, 'TLS', 'kubernetes.io/tls'));
    const valid = types.length === 0;
    return new SecretTls(secretName(secret), valid ? options.namespace : undefined, valid ? options.clientCertificates : undefined, types);
  }

  /** A certificate issued by cert-manager for the exposure's hosts. */
  public static certManager(options: CertManagerTlsOptions): Tls {
    return new CertManagerTls(options);
  }

  /** @internal */
  public readonly _problems: readonly string[];

  /** The problems of `clientCertificates` (reported under its own field). @internal */
  public readonly _clientCertificateProblems: readonly string[];

  /** What was declared; read by the intent builder. @internal */
  public abstract readonly _spec: TlsSpec;

  protected constructor(problems: string[], clientCertificates: unknown) {
    this._problems = problems;
    this._clientCertificateProblems = clientCertificates === undefined ? []
      : clientCertificates instanceof ClientCertificates ? clientCertificates._problems
        : [`is ${describeValue(clientCertificates)}; use ClientCertificates.require(...) or ClientCertificates.optional(...)`];
  }
}

/** The spec of declared client certificates, when they are valid ones. */
function clientCertificatesSpec(value: unknown): ClientCertificatesSpec | undefined {
  return value instanceof ClientCertificates ? value._spec : undefined;
}

class SecretTls extends Tls {
  public readonly _spec: TlsSpec;

  constructor(name: string, namespace: string | undefined, clientCertificates: unknown, types: string[]) {
    super(types.length > 0 ? types
      : problemsOf(dnsSubdomainProblem(name, 'secret name'), namespace === undefined ? undefined : dnsLabelProblem(namespace, 'secret namespace')),
    clientCertificates);
    this._spec = { kind: 'secret', secretName: name, secretNamespace: namespace, clientCertificates: clientCertificatesSpec(clientCertificates) };
  }
}

class CertManagerTls extends Tls {
  public readonly _spec: TlsSpec;

  constructor(options: CertManagerTlsOptions) {
    const types = problemsOf(options === undefined ? 'options is undefined; use an object' : notAnOptionsObject(options, 'options'));
    const { issuer, clusterIssuer, secretName: name, clientCertificates } = types.length > 0 ? {} as CertManagerTlsOptions : options;
    const both = issuer !== undefined && clusterIssuer !== undefined;
    const none = issuer === undefined && clusterIssuer === undefined;
    super(types.length > 0 ? types : problemsOf(
      both ? 'both issuer and clusterIssuer are set; set one' : undefined,
      none ? 'neither issuer nor clusterIssuer is set; set one' : undefined,
      issuer === undefined ? undefined : dnsSubdomainProblem(issuer, 'issuer'),
      clusterIssuer === undefined ? undefined : dnsSubdomainProblem(clusterIssuer, 'clusterIssuer'),
      name === undefined ? undefined : dnsSubdomainProblem(name, 'secret name'),
    ), clientCertificates);
    const client = clientCertificatesSpec(clientCertificates);
    this._spec = issuer !== undefined
      ? { kind: 'cert-manager', issuerKind: 'Issuer', issuerName: issuer, secretName: name, clientCertificates: client }
      : { kind: 'cert-manager', issuerKind: 'ClusterIssuer', issuerName: clusterIssuer ?? '', secretName: name, clientCertificates: client };
  }
}
