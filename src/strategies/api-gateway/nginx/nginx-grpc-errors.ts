import { HSTS_HEADER } from './nginx-layout';
import { ConfigLines } from './nginx-text';

/**
 * The errors the gateway itself answers on a gRPC route, as the gRPC status a client reads
 * (https://grpc.github.io/grpc/core/md_doc_statuscodes.html), with the message: a gRPC client
 * reads no JSON body. Errors of the backends pass through unchanged.
 */
export const GRPC_ERRORS: Record<number, { readonly status: number; readonly name: string; readonly message: string }> = {
  400: { status: 3, name: 'INVALID_ARGUMENT', message: 'bad request' },
  401: { status: 16, name: 'UNAUTHENTICATED', message: 'unauthorized' },
  403: { status: 7, name: 'PERMISSION_DENIED', message: 'forbidden' },
  404: { status: 12, name: 'UNIMPLEMENTED', message: 'not found' },
  405: { status: 12, name: 'UNIMPLEMENTED', message: 'method not allowed' },
  // A route retired after its sunset (Deprecation's retire): the method is no longer served.
  410: { status: 12, name: 'UNIMPLEMENTED', message: 'gone' },
  413: { status: 8, name: 'RESOURCE_EXHAUSTED', message: 'request body too large' },
  429: { status: 8, name: 'RESOURCE_EXHAUSTED', message: 'too many requests' },
  500: { status: 13, name: 'INTERNAL', message: 'internal error' },
  502: { status: 14, name: 'UNAVAILABLE', message: 'bad gateway' },
  503: { status: 14, name: 'UNAVAILABLE', message: 'service unavailable' },
  504: { status: 4, name: 'DEADLINE_EXCEEDED', message: 'gateway timeout' },
};

/**
 * The named locations that answer the gateway's errors on gRPC routes, indented for `server`'s
 * body: a "trailers-only" gRPC response, HTTP 200 with `content-type: application/grpc` and the
 * status in `grpc-status` and `grpc-message`, and no message. (A gRPC client maps a non-200 HTTP
 * status to a status of its own, 429 to UNAVAILABLE: the gateway says what happened.)
 */
export function grpcErrorPages(hsts: boolean, server: ConfigLines): readonly string[] {
  const pages = server.detached();
  for (const [code, e] of Object.entries(GRPC_ERRORS)) {
    pages.block(`location @grpc_error_${code}`, (page) => page.add(
      'default_type application/grpc;',
      ...(hsts ? [HSTS_HEADER] : []),
      `add_header grpc-status ${e.status} always;`,
      `add_header grpc-message "${e.message}" always;`,
      'return 200 "";',
    ));
  }
  return pages.lines;
}
