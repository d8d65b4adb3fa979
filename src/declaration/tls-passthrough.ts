import { Backend } from './backend';
import { describeValue, isPlainObject } from '../core/runtime-types';

/** Options for `TlsPassthrough.host`. */
export interface TlsPassthroughOptions {
  /**
   * The port clients connect to with TLS.
   * @default 443
   * @example TlsPassthrough.host('db.example.com', Backend.fromName('db', 5432), { port: 8443 })
   */
  readonly port?: number;
}

/** What a TlsPassthrough declares (internal). */
export interface TlsPassthroughSpec {
  readonly host: string;
  readonly port: number;
  readonly backend: Backend;
}

/**
 * A TLS stream forwarded by its SNI hostname to a backend without being decrypted: the backend
 * holds the certificate and terminates TLS, so the exposure sees no HTTP (no path routing, no
 * L7 policy). Declared in `passthrough`; HTTP `routes` of the same exposure may coexist where
 * the strategy can serve both.
 */
export class TlsPassthrough {
  /**
   * Connections whose TLS ClientHello names `host` (SNI; a wildcard only as a leading `*.`) go to
   * `backend`, still encrypted.
   * @example TlsPassthrough.host('db.example.com', Backend.fromName('db', 5432))
   */
  public static host(host: string, backend: Backend, options: TlsPassthroughOptions = {}): TlsPassthrough {
    if (!isPlainObject(options)) return new TlsPassthrough({ host, port: 443, backend }, [`options is ${describeValue(options)}; use an object`]);
    const port = (options as TlsPassthroughOptions).port ?? 443;
    const problems: string[] = [];
    if (typeof host !== 'string') problems.push(`host is ${describeValue(host)}; use a hostname such as "db.example.com"`);
    if (!(backend instanceof Backend)) problems.push(`backend is ${describeValue(backend)}; use Backend.fromName(name, port), Backend.fromService(...) or Backend.fromDeployment(...)`);
    if (typeof port !== 'number') problems.push(`port is ${describeValue(port)}; use a port number`);
    return new TlsPassthrough({ host, port, backend }, problems);
  }

  /** @internal */
  public readonly _spec: TlsPassthroughSpec;
  /** Runtime type problems; the intent builder checks the values. @internal */
  public readonly _problems: readonly string[];

  private constructor(spec: TlsPassthroughSpec, problems: string[]) {
    this._spec = spec;
    this._problems = problems;
  }
}
