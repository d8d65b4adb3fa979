import { Problem } from '../core/errors';
import { describeValue, didYouMean } from '../core/runtime-types';
import { Auth } from '../declaration/auth';
import { Backend } from '../declaration/backend';
import { HeaderMatch } from '../declaration/header-match';
import { PathMatch } from '../declaration/path-match';
import { QueryParamMatch } from '../declaration/query-param-match';
import { RateLimit } from '../declaration/rate-limit';
import { Tls } from '../declaration/tls';

/**
 * The runtime shape of a declaration: what each field must be, checked before the intent builder
 * reads anything, so that a JavaScript caller (or a cast) gets an error naming the field instead
 * of a TypeError, and a misspelled field is reported instead of silently ignored.
 */
type Shape =
  | { readonly kind: 'string' | 'number' | 'boolean' | 'duration' | 'any' }
  | { readonly kind: 'array'; readonly of: Shape }
  | { readonly kind: 'record'; readonly of: Shape }
  | { readonly kind: 'object'; readonly what: string; readonly fields: Readonly<Record<string, Field>> }
  | { readonly kind: 'instance'; readonly is: (value: unknown) => boolean; readonly use: string };

interface Field {
  readonly shape: Shape;
  readonly required?: boolean;
}

const ANY: Shape = { kind: 'any' };
const STRING: Shape = { kind: 'string' };
const NUMBER: Shape = { kind: 'number' };
const BOOLEAN: Shape = { kind: 'boolean' };
const DURATION: Shape = { kind: 'duration' };
const STRINGS: Shape = { kind: 'array', of: STRING };
const optional = (shape: Shape): Field => ({ shape });
const required = (shape: Shape): Field => ({ shape, required: true });
const object = (what: string, fields: Record<string, Field>): Shape => ({ kind: 'object', what, fields });

const BACKEND: Shape = { kind: 'instance', is: (v) => v instanceof Backend, use: 'Backend.fromName(name, port), Backend.fromService(...) or Backend.fromDeployment(...)' };

const HEADER_EDITS = object('header edits', {
  set: optional({ kind: 'record', of: STRING }),
  add: optional({ kind: 'record', of: STRING }),
  remove: optional(STRINGS),
});

/** The policies a route inherits from the exposure and may override. */
const TRAFFIC_POLICY: Record<string, Field> = {
  timeout: optional(DURATION),
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
  auth: optional({ kind: 'instance', is: (v) => v instanceof Auth, use: 'Auth.apiKey(...), Auth.basic(...) or Auth.jwt(...)' }),
};

const ROUTE = object('a route', {
  ...TRAFFIC_POLICY,
  protocol: optional(STRING),
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
});

/**
 * Every field of `props` whose runtime type is not what the declaration takes, and every field
 * it does not know, each as a problem naming the field (`routes[1].match.path`).
 */
export function shapeProblems(props: unknown): Problem[] {
  const problems: Problem[] = [];
  check(props, DECLARATION, '', problems);
  return problems;
}

function check(value: unknown, shape: Shape, field: string, problems: Problem[]): void {
  const problem = (message: string) => problems.push({ field: field || 'props', message });
  switch (shape.kind) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') problem(`is ${describeValue(value)}; use a string`);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) problem(`is ${describeValue(value)}; use a finite number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problem(`is ${describeValue(value)}; use true or false`);
      return;
    case 'duration':
      if (!isDuration(value)) problem(`is ${describeValue(value)}; use a cdk8s Duration, e.g. Duration.seconds(5)`);
      return;
    case 'instance':
      if (!shape.is(value)) problem(`is ${describeValue(value)}; use ${shape.use}`);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        problem(`is ${describeValue(value)}; use an array`);
        return;
      }
      value.forEach((item, i) => check(item, shape.of, `${field}[${i}]`, problems));
      return;
    case 'record':
      if (!isPlainObject(value)) {
        problem(`is ${describeValue(value)}; use an object of names to values`);
        return;
      }
      for (const [key, item] of Object.entries(value)) check(item, shape.of, member(field, key), problems);
      return;
    case 'object':
      checkObject(value, shape, field, problems);
      return;
  }
}

function checkObject(value: unknown, shape: Extract<Shape, { kind: 'object' }>, field: string, problems: Problem[]): void {
  const at = (name: string) => member(field, name);
  if (!isPlainObject(value)) {
    problems.push({ field: field || 'props', message: `is ${describeValue(value)}; use ${shape.what}` });
    return;
  }
  const known = Object.keys(shape.fields);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const hint = didYouMean(key, known);
      problems.push({ field: at(key), message: `is not a field of ${shape.what}${hint ? `; did you mean ${hint}?` : `; the fields are ${known.join(', ')}`}` });
    }
  }
  for (const [name, f] of Object.entries(shape.fields)) {
    const item = (value as Record<string, unknown>)[name];
    if (item === undefined) {
      if (f.required) problems.push({ field: at(name), message: `is missing; ${shape.what} needs it` });
      continue;
    }
    check(item, f.shape, at(name), problems);
  }
}

/** The field of a member: `routes[0].timeout`, or `cors[" "]` for a key that is not a name. */
function member(field: string, key: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${field || 'props'}[${JSON.stringify(key)}]`;
  return field === '' ? key : `${field}.${key}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A cdk8s Duration (by shape: an app may load its own copy of cdk8s). */
function isDuration(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { toMilliseconds?: unknown }).toMilliseconds === 'function';
}
