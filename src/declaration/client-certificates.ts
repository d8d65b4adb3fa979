import { IConfigMapLike } from './cdk8s-plus-objects';
import { SecretRef, secretName, secretRefProblem } from './secret-ref';
import { describeValue, isPlainObject } from '../core/runtime-types';
import { dnsSubdomainProblem, problemsOf } from '../core/validators';

/** A ConfigMap the library refers to by name: its name, or a cdk8s-plus ConfigMap. */
export type ConfigMapRef = IConfigMapLike | string;

/**
 * Options of `ClientCertificates.require` and `.optional`: where the CA bundle is (exactly one of
 * `caSecret` and `caConfigMap`, in the exposure's namespace, the PEM bundle under the key `ca.crt`)
 * and how deep a chain may be.
 */
export interface ClientCertificateOptions {
  /**
   * A Secret with the CA bundle that signs client certificates under `ca.crt` (ingress-nginx,
   * Istio, the NGINX engine). On Istio it is the TLS Secret itself or the Secret named
   * `<TLS Secret>-cacert`, as Istio reads them.
   * @default - none; then `caConfigMap` is required
   * @example ClientCertificates.require({ caSecret: 'partners-ca' })
   */
  readonly caSecret?: SecretRef;

  /**
   * A ConfigMap with the CA bundle under `ca.crt` (Gateway API, the NGINX engine).
   * @default - none; then `caSecret` is required
   * @example ClientCertificates.require({ caConfigMap: 'partners-ca' })
   */
  readonly caConfigMap?: ConfigMapRef;

  /**
   * How many CA certificates may lie between the client certificate and a CA of the bundle, plus
   * one: 1 when the bundle's CA signs client certificates itself, 2 with one intermediate CA.
   * nginx's `ssl_verify_depth` (ingress-nginx, the NGINX engine); Istio and Gateway API have no
   * such setting and refuse it.
   * @default - the proxy's own: 1 on nginx, no limit of its own on Envoy (Istio)
   * @example ClientCertificates.require({ caSecret: 'partners-ca', verifyDepth: 2 })
   */
  readonly verifyDepth?: number;
}

/** What a ClientCertificates declares (internal). */
export interface ClientCertificatesSpec {
  readonly mode: 'require' | 'optional';
  readonly ca: { readonly kind: 'secret' | 'config-map'; readonly name: string };
  readonly verifyDepth?: number;
}

/** The largest chain depth OpenSSL takes (an int). */
const MAX_VERIFY_DEPTH = 2147483647;

/**
 * Client certificates at the edge (mutual TLS): where TLS terminates, the client's certificate is
 * verified against a CA bundle. `require` refuses every connection without a valid certificate;
 * `optional` admits clients without one (an invalid one is still refused). Where the strategy
 * can, the backend learns who the client is from request headers (see the README).
 */
export abstract class ClientCertificates {
  /**
   * Every client presents a certificate signed by a CA of the bundle; others are refused.
   * @example Tls.fromSecret('shop-tls', { clientCertificates: ClientCertificates.require({ caSecret: 'partners-ca' }) })
   */
  public static require(options: ClientCertificateOptions): ClientCertificates {
    return new DeclaredClientCertificates('require', options);
  }

  /**
   * A client may present a certificate (it is then verified; an invalid one is refused) or none.
   * @example Tls.fromSecret('shop-tls', { clientCertificates: ClientCertificates.optional({ caSecret: 'partners-ca' }) })
   */
  public static optional(options: ClientCertificateOptions): ClientCertificates {
    return new DeclaredClientCertificates('optional', options);
  }

  /** @internal */
  public readonly _problems: readonly string[];

  /** What was declared; read by the intent builder. @internal */
  public abstract readonly _spec: ClientCertificatesSpec;

  protected constructor(problems: string[]) {
    this._problems = problems;
  }
}

class DeclaredClientCertificates extends ClientCertificates {
  public readonly _spec: ClientCertificatesSpec;

  constructor(mode: 'require' | 'optional', options: ClientCertificateOptions) {
    const valid = isPlainObject(options);
    const { caSecret, caConfigMap, verifyDepth } = valid ? options : {} as ClientCertificateOptions;
    const both = caSecret !== undefined && caConfigMap !== undefined;
    const none = caSecret === undefined && caConfigMap === undefined;
    const configMapName = configMapNameOf(caConfigMap);
    super(!valid ? [`options is ${describeValue(options)}; use an object with caSecret or caConfigMap`] : problemsOf(
      both ? 'both caSecret and caConfigMap are set; set one' : undefined,
      none ? 'neither caSecret nor caConfigMap is set; set the Secret or the ConfigMap with the CA bundle (ca.crt)' : undefined,
      caSecret === undefined ? undefined : secretRefProblem(caSecret, 'caSecret') ?? dnsSubdomainProblem(secretName(caSecret as SecretRef), 'caSecret'),
      caConfigMap === undefined ? undefined : configMapName === undefined
        ? `caConfigMap is ${describeValue(caConfigMap)}; use the ConfigMap's name or a cdk8s-plus ConfigMap`
        : dnsSubdomainProblem(configMapName, 'caConfigMap'),
      verifyDepth === undefined ? undefined : verifyDepthProblem(verifyDepth),
    ));
    this._spec = {
      mode,
      ca: caSecret !== undefined ? { kind: 'secret', name: secretName(caSecret as SecretRef) } : { kind: 'config-map', name: configMapName ?? '' },
      verifyDepth: typeof verifyDepth === 'number' ? verifyDepth : undefined,
    };
  }
}

/** The name of a ConfigMapRef; undefined when it is neither a name nor an object with one. */
export function configMapNameOf(ref: unknown): string | undefined {
  if (typeof ref === 'string') return ref;
  const name = (ref as { name?: unknown } | null | undefined)?.name;
  return typeof ref === 'object' && typeof name === 'string' ? name : undefined;
}

function verifyDepthProblem(depth: unknown): string | undefined {
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1 || depth > MAX_VERIFY_DEPTH) {
    return `verifyDepth is ${describeValue(depth)}; use a whole number from 1 to ${MAX_VERIFY_DEPTH}`;
  }
  return undefined;
}
