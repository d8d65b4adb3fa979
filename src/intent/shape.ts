import { Problem } from '../core/errors';
import {
  ANY, BOOLEAN, DURATION, Field, NUMBER, object, optional, required, Shape, shapeProblems as problemsOfShape, SIZE, STRING, STRINGS,
} from '../core/runtime-shape';
import { AccessPolicy } from '../declaration/access-policy';
import { AggregatePart } from '../declaration/aggregate-part';
import { Auth } from '../declaration/auth';
import { Backend } from '../declaration/backend';
import { CircuitBreaker } from '../declaration/circuit-breaker';
import { Deprecation } from '../declaration/deprecation';
import { GrpcProto } from '../declaration/grpc-proto';
import { HeaderMatch } from '../declaration/header-match';
import { PathMatch } from '../declaration/path-match';
import { QueryParamMatch } from '../declaration/query-param-match';
import { RateLimit } from '../declaration/rate-limit';
import { SessionAffinity } from '../declaration/session-affinity';
import { TcpPort } from '../declaration/tcp-port';
import { Tls } from '../declaration/tls';
import { TlsPassthrough } from '../declaration/tls-passthrough';

/*
 * The runtime shape of a declaration (see core/runtime-shape.ts): checked before the intent
 * builder reads anything.
 */


const BACKEND: Shape = { kind: 'instance', is: (v) => v instanceof Backend, use: 'Backend.fromName(name, port), Backend.fromService(...) or Backend.fromDeployment(...)' };

const HEADER_EDITS = object('header edits', {
  set: optional({ kind: 'record', of: STRING }),
  add: optional({ kind: 'record', of: STRING }),
  remove: optional(STRINGS),
});

/** The policies a route inherits from the exposure and may override. */
const TRAFFIC_POLICY: Record<string, Field> = {
  timeout: optional(DURATION),
  idleTimeout: optional(DURATION),
  retries: optional(object('a retry policy', {
    attempts: required(NUMBER),
    perTryTimeout: optional(DURATION),
    retryOn: optional(STRINGS),
  })),
  cors: optional(object('a CORS policy', {
    allowOrigins: required(STRINGS),
    allowMethods: optional(STRINGS),
    allowHeaders: optional(STRINGS),
    exposeHeaders: optional(STRINGS),
    allowCredentials: optional(BOOLEAN),
    maxAge: optional(DURATION),
  })),
  rateLimit: optional({ kind: 'instance', is: (v) => v instanceof RateLimit, use: 'RateLimit.perSecond(n) or RateLimit.perMinute(n)' }),
  auth: optional({ kind: 'instance', is: (v) => v instanceof Auth, use: 'Auth.apiKey(...), Auth.basic(...), Auth.jwt(...) or Auth.external(...)' }),
  access: optional({ kind: 'instance', is: (v) => v instanceof AccessPolicy, use: 'AccessPolicy.allowFrom(ranges) or AccessPolicy.denyFrom(ranges)' }),
  maxRequestBody: optional(SIZE),
  affinity: optional({ kind: 'instance', is: (v) => v instanceof SessionAffinity, use: 'SessionAffinity.cookie({ name }), SessionAffinity.header(name) or SessionAffinity.clientIp()' }),
  deprecation: optional({ kind: 'instance', is: (v) => v instanceof Deprecation, use: 'Deprecation.of({ since, sunset, link, retire })' }),
};

const ROUTE = object('a route', {
  ...TRAFFIC_POLICY,
  protocol: optional(STRING),
  grpcWeb: optional(BOOLEAN),
  jsonTranscoding: optional({ kind: 'instance', is: (v) => v instanceof GrpcProto, use: 'GrpcProto.fromConfigMap(configMap, file)' }),
  match: optional(object('a route match', {
    path: optional({ kind: 'instance', is: (v) => v instanceof PathMatch, use: 'PathMatch.prefix(path), PathMatch.exact(path) or PathMatch.regex(pattern)' }),
    headers: optional({ kind: 'array', of: { kind: 'instance', is: (v) => v instanceof HeaderMatch, use: 'HeaderMatch.exact(name, value), .prefix(...) or .regex(...)' } }),
    queryParams: optional({ kind: 'array', of: { kind: 'instance', is: (v) => v instanceof QueryParamMatch, use: 'QueryParamMatch.exact(name, value) or .regex(...)' } }),
    method: optional(STRING),
  })),
  backend: optional(BACKEND),
  backends: optional({ kind: 'array', of: object('a weighted backend', { backend: required(BACKEND), weight: optional(NUMBER) }) }),
  redirect: optional(object('a redirect', {
    scheme: optional(STRING), host: optional(STRING), port: optional(NUMBER), path: optional(STRING), statusCode: optional(NUMBER),
  })),
  rewrite: optional(object('a rewrite', { path: optional(STRING), host: optional(STRING) })),
  requestHeaders: optional(HEADER_EDITS),
  responseHeaders: optional(HEADER_EDITS),
  mirror: optional(object('a mirror policy', { backend: required(BACKEND), percentage: optional(NUMBER) })),
  aggregate: optional({ kind: 'record', of: { kind: 'instance', is: (v) => v instanceof AggregatePart, use: 'AggregatePart.required(backend, { path }) or AggregatePart.optional(backend, { path })' } }),
  fault: optional(object('a fault policy', {
    abort: optional(object('a fault abort', { httpStatus: required(NUMBER), percentage: required(NUMBER) })),
    delay: optional(object('a fault delay', { fixedDelay: required(DURATION), percentage: required(NUMBER) })),
  })),
});

/** The declaration's fields; `strategy` is the construct's own and checked there. */
const DECLARATION = object('the props of an ExposedService', {
  ...TRAFFIC_POLICY,
  // Checked by the construct, which knows the strategies.
  strategy: optional(ANY),
  hosts: optional(STRINGS),
  backend: optional(BACKEND),
  routes: optional({ kind: 'array', of: ROUTE }),
  tls: optional({ kind: 'instance', is: (v) => v instanceof Tls, use: 'Tls.fromSecret(secret) or Tls.certManager({ clusterIssuer })' }),
  httpsRedirectCode: optional(NUMBER),
  circuitBreaker: optional({ kind: 'instance', is: (v) => v instanceof CircuitBreaker, use: 'CircuitBreaker.of({ ... })' }),
  passthrough: optional({ kind: 'array', of: { kind: 'instance', is: (v) => v instanceof TlsPassthrough, use: 'TlsPassthrough.host(host, backend)' } }),
  tcp: optional({ kind: 'array', of: { kind: 'instance', is: (v) => v instanceof TcpPort, use: 'TcpPort.of(port, backend)' } }),
});

/**
 * Every field of `props` whose runtime type is not what the declaration takes, and every field
 * it does not know, each as a problem naming the field (`routes[1].match.path`).
 */
export function shapeProblems(props: unknown): Problem[] {
  return problemsOfShape(props, DECLARATION);
}
