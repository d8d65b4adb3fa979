import { BOOLEAN, object, optional, required, STRING, STRING_RECORD } from '../../core/runtime-shape';
import { dnsLabelProblem, problemsOf } from '../../core/validators';
import { optionProblems, requiredOptionsProblem } from '../shared/option-shapes';

/** How the Istio Gateway terminates TLS. */
export type IstioTlsMode = 'SIMPLE';

/** Options for `IstioGateway.create`. */
export interface IstioGatewayCreateOptions {
  /**
   * Labels of the gateway workload (the Envoy pods) that serve this Gateway.
   * @default { istio: 'ingressgateway' } - the shared ingress gateway
   * @example IstioGateway.create({ selector: { istio: 'public-gateway' } })
   */
  readonly selector?: Record<string, string>;
  /**
   * Namespace of the Gateway and of the TLS credential. Istio reads `credentialName` Secrets from
   * the gateway workload's namespace (istio-system for the shared ingress gateway), so the
   * Secret, or cert-manager's Certificate, must live there. The policies of JWT, client IP lists
   * and external authentication go there too, and Istio applies them to the gateway pods of
   * that namespace only: with any of them, this namespace must be declared.
   * @default - the exposure's namespace (JWT, client IP lists and external authentication are then an error)
   * @example IstioGateway.create({ namespace: 'istio-system' })
   */
  readonly namespace?: string;
  /**
   * SIMPLE terminates TLS, the only mode: client certificates are declared on the TLS
   * (`clientCertificates`: MUTUAL or OPTIONAL_MUTUAL), TLS forwarded undecrypted by SNI with the
   * exposure's `passthrough`.
   * @default 'SIMPLE'
   * @example IstioGateway.create({ tlsMode: 'SIMPLE' })
   */
  readonly tlsMode?: IstioTlsMode;
  /**
   * With TLS, answer plain HTTP on :80 with a redirect to HTTPS.
   * @default true
   * @example IstioGateway.create({ httpsRedirect: false })
   */
  readonly httpsRedirect?: boolean;
}

/** Options for `IstioGateway.existing`. */
export interface IstioGatewayExistingOptions {
  /**
   * The Gateway's namespace.
   * @example IstioGateway.existing({ namespace: 'istio-ingress', name: 'public' })
   */
  readonly namespace: string;
  /**
   * The Gateway's name.
   * @example IstioGateway.existing({ namespace: 'istio-ingress', name: 'public' })
   */
  readonly name: string;
  /**
   * Labels of the gateway workload; needed for JWT (RequestAuthentication selects the workload).
   * @default - unknown: Auth.jwt is an error
   * @example IstioGateway.existing({ namespace: 'istio-ingress', name: 'public', selector: { istio: 'ingressgateway' } })
   */
  readonly selector?: Record<string, string>;
  /**
   * The namespace the gateway workload (the pods `selector` selects) runs in, where the JWT, client
   * IP and external authentication policies are written: Istio applies a gateway policy to the pods
   * of the policy's own namespace only. A Gateway may live apart from its workload (Istio's Gateway
   * selects pods in any namespace), e.g. in the app's namespace while the shared ingress gateway
   * runs in istio-system.
   * @default - the Gateway's namespace
   * @example IstioGateway.existing({ namespace: 'shop', name: 'public', selector: { istio: 'ingressgateway' }, workloadNamespace: 'istio-system' })
   */
  readonly workloadNamespace?: string;
}

/** The Gateway in the intent-to-Istio rendering (internal). */
export type IstioGatewayConfig =
  | { readonly kind: 'create'; readonly selector: Readonly<Record<string, string>>; readonly namespace?: string; readonly tlsMode: IstioTlsMode; readonly httpsRedirect: boolean }
  | {
    readonly kind: 'existing';
    readonly namespace: string;
    readonly name: string;
    readonly selector?: Readonly<Record<string, string>>;
    /** Where its workload runs (the policies' namespace). */
    readonly workloadNamespace: string;
  };

/** A Gateway the library creates (internal). */
export type IstioCreatedGatewayConfig = Extract<IstioGatewayConfig, { kind: 'create' }>;

const CREATE_OPTIONS = object('the options of IstioGateway.create', {
  selector: optional(STRING_RECORD), namespace: optional(STRING), tlsMode: optional(STRING), httpsRedirect: optional(BOOLEAN),
});
const EXISTING_OPTIONS = object('the options of IstioGateway.existing', {
  namespace: required(STRING), name: required(STRING), selector: optional(STRING_RECORD), workloadNamespace: optional(STRING),
});

/** The Istio Gateway a VirtualService binds to: one the library creates, or an existing one. */
export class IstioGateway {
  /** A Gateway created for the exposure: HTTP :80 for its hosts, and HTTPS :443 with TLS. */
  public static create(options: IstioGatewayCreateOptions = {}): IstioGateway {
    const types = optionProblems(options, CREATE_OPTIONS, 'gateway options');
    if (types.length > 0) return new IstioGateway({ kind: 'create', selector: {}, tlsMode: 'SIMPLE', httpsRedirect: true }, types);
    const tlsMode = options.tlsMode ?? 'SIMPLE';
    return new IstioGateway({
      kind: 'create',
      selector: { ...(options.selector ?? { istio: 'ingressgateway' }) },
      namespace: options.namespace,
      tlsMode,
      httpsRedirect: options.httpsRedirect ?? true,
    }, problemsOf(
      options.namespace === undefined ? undefined : dnsLabelProblem(options.namespace, 'gateway namespace'),
      tlsModeProblem(tlsMode),
      options.selector !== undefined && Object.keys(options.selector).length === 0 ? 'selector is empty; it would select every gateway workload' : undefined,
    ));
  }

  /** An existing Gateway (`namespace/name`): the library creates none and binds to it. */
  public static existing(options: IstioGatewayExistingOptions): IstioGateway {
    const types = problemsOf(requiredOptionsProblem(options, 'gateway options'));
    if (types.length === 0) types.push(...optionProblems(options, EXISTING_OPTIONS, 'gateway options'));
    if (types.length > 0) return new IstioGateway({ kind: 'existing', namespace: '', name: '', workloadNamespace: '' }, types);
    const workloadNamespace = options.workloadNamespace ?? options.namespace;
    return new IstioGateway({
      kind: 'existing', namespace: options.namespace, name: options.name, selector: options.selector && { ...options.selector }, workloadNamespace,
    }, problemsOf(
      dnsLabelProblem(options.namespace, 'gateway namespace'),
      dnsLabelProblem(options.name, 'gateway name'),
      options.workloadNamespace === undefined ? undefined : dnsLabelProblem(options.workloadNamespace, 'workloadNamespace'),
    ));
  }

  /** @internal */
  public readonly _config: IstioGatewayConfig;

  /** @internal */
  public readonly _problems: readonly string[];

  private constructor(config: IstioGatewayConfig, problems: readonly string[]) {
    this._config = config;
    this._problems = problems;
  }
}

/** SIMPLE; MUTUAL and PASSTHROUGH moved into the declaration, and the errors say how to declare them. */
function tlsModeProblem(mode: string): string | undefined {
  if (mode === 'MUTUAL') {
    return 'tlsMode "MUTUAL" is declared on the TLS now: tls: Tls.fromSecret(secret, { clientCertificates: ClientCertificates.require({ caSecret: secret }) }) '
      + '(the CA from the Secret\'s ca.crt, as MUTUAL read it); remove tlsMode';
  }
  if (mode === 'PASSTHROUGH') {
    return 'tlsMode "PASSTHROUGH" is declared on the exposure now: remove tlsMode and tls, and declare passthrough: [TlsPassthrough.host(host, backend)] for each host';
  }
  return mode === 'SIMPLE' ? undefined : `tlsMode "${mode}" is not a mode; use SIMPLE (client certificates: the TLS's clientCertificates; TLS passthrough: the exposure's passthrough)`;
}
