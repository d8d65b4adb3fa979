import { PathMatchIntent } from '../../intent/model';

// gRPC paths are /package.Service/Method; GRPCRoute matches the two names (its CEL patterns).
const SERVICE = /^\.?[A-Za-z_][A-Za-z_0-9]*(\.[A-Za-z_][A-Za-z_0-9]*)*$/;
const METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;
const USAGE = 'gRPC routes match /package.Service (PathMatch.prefix) or /package.Service/Method (PathMatch.exact)';

/** What a gRPC route's path matches: every method (no service), a service, or one method of it. */
export interface GrpcPath {
  readonly service?: string;
  readonly method?: string;
}

/**
 * The service and method a gRPC route's path names: a prefix `/pkg.Service` the service, an exact
 * `/pkg.Service/Method` the method, prefix `/` everything. Or why GRPCRoute cannot match the path.
 */
export function parseGrpcPath(path: PathMatchIntent): GrpcPath | { readonly problem: string } {
  const { kind, value } = path;
  if (kind === 'prefix' && value === '/') return {};
  const [service, method, ...rest] = value.slice(1).split('/');
  if (kind === 'regex' || rest.length > 0 || !SERVICE.test(service)) return { problem: `${USAGE}; got ${kind} "${value}"` };
  if (kind === 'prefix') {
    return method !== undefined && method !== '' ? { problem: `${USAGE}; a prefix with a method is an exact match` } : { service };
  }
  return method === undefined || !METHOD.test(method) ? { problem: `${USAGE}; got exact "${value}"` } : { service, method };
}
