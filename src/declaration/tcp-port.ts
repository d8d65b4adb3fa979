import { Backend } from './backend';
import { describeValue } from '../core/runtime-types';

/** What a TcpPort declares (internal). */
export interface TcpPortSpec {
  readonly port: number;
  readonly backend: Backend;
}

/**
 * A raw TCP port: every connection to it goes to one backend, byte for byte (a database, a
 * message broker, or TLS the backend terminates on a port of its own). Declared in `tcp`.
 */
export class TcpPort {
  /**
   * Connections to `port` go to `backend`.
   * @example TcpPort.of(5432, Backend.fromName('postgres', 5432))
   */
  public static of(port: number, backend: Backend): TcpPort {
    const problems: string[] = [];
    if (typeof port !== 'number') problems.push(`port is ${describeValue(port)}; use a port number`);
    if (!(backend instanceof Backend)) problems.push(`backend is ${describeValue(backend)}; use Backend.fromName(name, port), Backend.fromService(...) or Backend.fromDeployment(...)`);
    return new TcpPort({ port, backend }, problems);
  }

  /** @internal */
  public readonly _spec: TcpPortSpec;
  /** Runtime type problems; the intent builder checks the values. @internal */
  public readonly _problems: readonly string[];

  private constructor(spec: TcpPortSpec, problems: string[]) {
    this._spec = spec;
    this._problems = problems;
  }
}
