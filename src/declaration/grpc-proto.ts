import { describeValue } from '../core/runtime-types';
import { dnsSubdomainProblem } from '../core/validators';

/** What a GrpcProto declares (internal). */
export interface GrpcProtoSpec {
  readonly configMap: string;
  readonly file: string;
}

/** A ConfigMap key: letters, digits, "-", "_" and "." (Kubernetes' rule). */
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * A `.proto` file describing a gRPC service, read by the gateway from a ConfigMap the user
 * creates (the library references it, never inlines it). The API gateway mounts the ConfigMap
 * read-only; JSON-to-gRPC transcoding reads the file's `google.api.http` annotations.
 */
export class GrpcProto {
  /**
   * The file `file` (a key of the ConfigMap) of ConfigMap `configMap`, in the exposure's namespace.
   * @example GrpcProto.fromConfigMap('catalog-proto', 'catalog.proto')
   */
  public static fromConfigMap(configMap: string, file: string): GrpcProto {
    const problems: string[] = [];
    const name = dnsSubdomainProblem(configMap, 'configMap');
    if (name !== undefined) problems.push(name);
    if (typeof file !== 'string') problems.push(`file is ${describeValue(file)}; use the key of the .proto file in the ConfigMap`);
    else if (!CONFIG_MAP_KEY.test(file) || file === '.' || file === '..') problems.push(`file "${file}" is not a ConfigMap key; use letters, digits, "-", "_" and "."`);
    else if (!file.endsWith('.proto')) problems.push(`file "${file}" is not a .proto file; name the key of the .proto file`);
    return new GrpcProto({ configMap, file }, problems);
  }

  /** @internal */
  public readonly _spec: GrpcProtoSpec;
  /** Value problems, reported by the intent builder at the field that declared it. @internal */
  public readonly _problems: readonly string[];

  private constructor(spec: GrpcProtoSpec, problems: string[]) {
    this._spec = spec;
    this._problems = problems;
  }
}
