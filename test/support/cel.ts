/**
 * The CEL rules (`x-kubernetes-validations`) of the vendored CRDs, evaluated as the API server
 * does (https://kubernetes.io/docs/reference/using-api/cel/), with Buf's CEL evaluator
 * (`@bufbuild/cel`: cel-spec conformance tested, RE2 regexes as cel-go has them).
 *
 * - Every rule runs at the schema node that declares it, on every value there: `self` is that
 *   node, after the API server's structural defaulting (`default` of absent properties).
 * - Values are typed by the schema as the API server types them: `integer` -> int, `number` ->
 *   double, `string` with format `duration` / `date` / `date-time` / `byte` -> duration /
 *   timestamp / bytes, int-or-string -> int or string. Properties are escaped as Kubernetes escapes
 *   them (`namespace` -> `__namespace__`, `-` -> `__dash__`, ...); an object that preserves unknown
 *   fields shows only its declared ones; the root shows apiVersion, kind and metadata's name and
 *   generateName only.
 * - The failure message is `messageExpression`'s value when it gives a usable one, else `message`,
 *   else `failed rule: RULE`, as the API server words it. An evaluation error is a failure too.
 * - Transition rules (those that read `oldSelf`) need the stored object: they are skipped and
 *   counted.
 * - Functions beyond standard CEL: only the Kubernetes ones the vendored rules use (`split`,
 *   `substring`, `lowerAscii` and `upperAscii` of the strings extension, `url()` with
 *   `getScheme()`, `isIP()`), plus Go's
 *   duration syntax for `duration()`.
 *   A rule that names any other function, or that the evaluator cannot parse or plan, is listed
 *   as unsupported and fails every value it applies to: the harness never skips a rule it cannot
 *   run.
 * - Not modelled: cost limits, list-type `set`/`map` equality (no vendored non-transition rule
 *   compares lists), and `reason` (it changes the HTTP status, not the message).
 */
import { Module } from 'module';
import type * as Cel from '@bufbuild/cel';
import type * as CelExt from '@bufbuild/cel/ext';
import type * as Protobuf from '@bufbuild/protobuf';
import type * as Wkt from '@bufbuild/protobuf/wkt';

/**
 * The evaluator is loaded by Node's own `require`, not jest's: jest gives every test file a fresh
 * module registry, and loading the evaluator (protobuf runtime and descriptors, RE2) takes about a
 * second; Node's cache loads it once per worker. Under jest, `Module` is jest's stand-in, a
 * subclass of Node's whose createRequire gives jest's require: its parent class has Node's.
 * Elsewhere, or should jest change, the plain createRequire: slower under jest, same results.
 *
 * The evaluator's values then come from another realm than the tests': maps and errors given to it
 * are made with its own `celMap` and `celError`, bytes are Node's Buffers.
 */
function nodeRequire(): NodeRequire {
  const parent = Object.getPrototypeOf(Module);
  const createRequire: typeof Module.createRequire = typeof parent?.createRequire === 'function' ? parent.createRequire : Module.createRequire;
  return createRequire(__filename);
}

interface Evaluator {
  readonly cel: typeof Cel;
  readonly create: typeof Protobuf.create;
  readonly wkt: typeof Wkt;
  readonly env: Cel.CelEnv;
}
let evaluator: Evaluator | undefined;

function lib(): Evaluator {
  if (evaluator !== undefined) return evaluator;
  const load = nodeRequire();
  const cel: typeof Cel = load('@bufbuild/cel');
  const ext: typeof CelExt = load('@bufbuild/cel/ext');
  const { create }: typeof Protobuf = load('@bufbuild/protobuf');
  const wkt: typeof Wkt = load('@bufbuild/protobuf/wkt');
  /** A function of ours, its errors as the evaluator's (an Error of this realm would read "Error: ..."). */
  const own = <A extends unknown[], R>(f: (...args: A) => R) => (...args: A): R => {
    try {
      return f(...args);
    } catch (e) {
      throw cel.celError((e as Error).message);
    }
  };
  const { CelScalar, mapType } = cel;
  const url = mapType(CelScalar.DYN, CelScalar.DYN);
  const env = cel.celEnv({
    variables: { self: CelScalar.DYN },
    funcs: [
      ...ext.strings.filter((f) => ['split', 'substring', 'lowerAscii', 'upperAscii'].includes(f.name)),
      cel.celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, own(k8sIsIp)),
      cel.celFunc('duration', [CelScalar.STRING], cel.objectType(wkt.DurationSchema), own(goDuration)),
      cel.celFunc('url', [CelScalar.STRING], url, own((s: string) => cel.celMap(new Map([['scheme', k8sUrl(s)]])))),
      cel.celMethod('getScheme', url, [], CelScalar.STRING, function (this: Cel.CelMap) {
        return this.get('scheme') as string;
      }),
    ],
  });
  evaluator = { cel, create, wkt, env };
  return evaluator;
}

/** One `x-kubernetes-validations` entry. */
export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
}

type Expr = ReturnType<typeof Cel.parse>['expr'];
type Program = (bindings: { self: Cel.CelInput }) => Cel.CelResult;

interface CompiledRule {
  readonly rule: string;
  /** Undefined when the evaluator cannot run the rule: then every value there fails with `unsupported`. */
  readonly program?: Program;
  readonly unsupported?: string;
  readonly message?: string;
  readonly messageProgram?: Program;
  readonly fieldPath?: string;
}

type Kind = 'object' | 'map' | 'list' | 'int' | 'double' | 'bool' | 'string' | 'intOrString' | 'native';

/** A schema node, ready to convert values to CEL and to run the rules declared there. */
export interface CelNode {
  readonly kind: Kind;
  readonly format?: string;
  readonly nullable: boolean;
  readonly rules: readonly CompiledRule[];
  /** Object properties: the JSON name, the CEL name (undefined when CEL cannot name it), the default. */
  readonly props: readonly { readonly name: string; readonly cel?: string; readonly node: CelNode; readonly default?: unknown }[];
  /** List items or map values. */
  readonly values?: CelNode;
  /** Rules here or below. */
  readonly hasRules: boolean;
}

// ---------------------------------------------------------------------------------------------
// The Kubernetes functions the vendored rules use.

/**
 * Kubernetes' `isIP(string)`: an IPv4 or IPv6 address as `netip.ParseAddr` reads it, without a
 * zone (`fe80::1%eth0`); IPv4 octets with leading zeros are not addresses.
 */
function k8sIsIp(s: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const net: typeof import('net') = require('net');
  if (s.includes('%')) return false;
  if (net.isIPv4(s)) return s.split('.').every((o) => /^(0|[1-9][0-9]{0,2})$/.test(o));
  return net.isIPv6(s);
}

/** Go's `time.ParseDuration`, which cel-go's `duration(string)` uses ("" and a lone sign are errors). */
function goDuration(orig: string) {
  const invalid = () => new Error(`time: invalid duration "${orig}"`);
  const units: Record<string, bigint> = {
    ns: 1n, us: 1000n, µs: 1000n, μs: 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
  };
  let s = orig;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  let total = 0n;
  if (s !== '0') {
    if (s === '') throw invalid();
    while (s !== '') {
      const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
      const [whole, int, frac] = m;
      if (int === '' && (frac ?? '') === '') throw invalid();
      s = s.slice(whole.length);
      const unit = /^[^.0-9]*/.exec(s)![0];
      if (unit === '') throw new Error(`time: missing unit in duration "${orig}"`);
      if (units[unit] === undefined) throw new Error(`time: unknown unit "${unit}" in duration "${orig}"`);
      s = s.slice(unit.length);
      const scale = units[unit];
      total += BigInt(int || '0') * scale;
      if (frac) total += (BigInt(frac) * scale) / 10n ** BigInt(frac.length);
      if (total > 9_223_372_036_854_775_807n) throw invalid();
    }
  }
  if (negative) total = -total;
  return lib().create(lib().wkt.DurationSchema, { seconds: total / 1_000_000_000n, nanos: Number(total % 1_000_000_000n) });
}

/** True when the string has an ASCII control character (Go's `stringContainsCTLByte`). */
const hasControl = (s: string) => /[\x00-\x1f\x7f]/.test(s);

/** Go's `unescape`: every `%` starts two hex digits; in a host, only non-ASCII bytes (and `%25`) may be escaped. */
function checkEscapes(s: string, host: boolean): void {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '%') {
      if (!/^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) throw new Error(`invalid URL escape "${s.slice(i, i + 3)}"`);
      if (host && parseInt(s[i + 1], 16) < 8 && s.slice(i, i + 3) !== '%25') throw new Error(`invalid URL escape "${s.slice(i, i + 3)}"`);
      i += 2;
    } else if (host && c.charCodeAt(0) < 0x80 && !/[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]/.test(c)) {
      throw new Error(`invalid character "${c}" in host name`);
    }
  }
}

/** Go's `url.parse` (the checks it makes; the fields `getScheme()` and friends read). */
function goParseUrl(raw: string, viaRequest: boolean): { scheme: string } {
  if (hasControl(raw)) throw new Error('net/url: invalid control character in URL');
  if (raw === '' && viaRequest) throw new Error('empty url');
  if (raw === '*') return { scheme: '' };
  let scheme = '';
  let rest = raw;
  const m = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(raw);
  if (raw.startsWith(':')) throw new Error('missing protocol scheme');
  if (m) {
    scheme = m[1].toLowerCase();
    rest = raw.slice(m[0].length);
  }
  if (rest.endsWith('?') && rest.split('?').length === 2) rest = rest.slice(0, -1);
  else rest = rest.split('?')[0];
  if (!rest.startsWith('/')) {
    if (scheme !== '') return { scheme }; // opaque
    if (viaRequest) throw new Error('invalid URI for request');
    if (rest.split('/')[0].includes(':')) throw new Error('first path segment in URL cannot contain colon');
  }
  if ((scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    const slash = authority.indexOf('/');
    rest = slash >= 0 ? authority.slice(slash) : '';
    authority = slash >= 0 ? authority.slice(0, slash) : authority;
    const at = authority.lastIndexOf('@');
    let host = authority.slice(at + 1);
    if (at >= 0) {
      const user = authority.slice(0, at);
      if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(user)) throw new Error('net/url: invalid userinfo');
      checkEscapes(user, false);
    }
    const validPort = (p: string) => p === '' || /^:[0-9]*$/.test(p);
    if (host.startsWith('[')) {
      const close = host.lastIndexOf(']');
      if (close < 0) throw new Error("missing ']' in host");
      if (!validPort(host.slice(close + 1))) throw new Error(`invalid port "${host.slice(close + 1)}" after host`);
      const zone = host.slice(0, close).indexOf('%25');
      if (zone >= 0) {
        checkEscapes(host.slice(0, zone), true);
        checkEscapes(host.slice(zone, close), false);
        host = host.slice(close);
      }
    } else if (host.lastIndexOf(':') >= 0 && !validPort(host.slice(host.lastIndexOf(':')))) {
      throw new Error(`invalid port "${host.slice(host.lastIndexOf(':'))}" after host`);
    }
    checkEscapes(host, true);
  }
  checkEscapes(rest, false);
  return { scheme };
}

/**
 * Kubernetes' `url(string)`: `url.ParseRequestURI` must accept the string (an absolute URI or an
 * absolute path), then `url.Parse` gives the URL. The URL is a map here; only `getScheme()` is
 * defined on it, the one accessor the vendored rules call. Returns the scheme.
 */
function k8sUrl(s: string): string {
  try {
    goParseUrl(s, true);
    const hash = s.indexOf('#');
    const u = goParseUrl(hash >= 0 ? s.slice(0, hash) : s, false);
    if (hash >= 0) checkEscapes(s.slice(hash + 1), false);
    return u.scheme;
  } catch (e) {
    throw new Error(`URL parse error during conversion from string: ${(e as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Compiling rules: once per distinct expression, for every CRD that declares it.

/** Calls the planner evaluates itself rather than through a function of the environment. */
const PLANNER_CALLS = new Set(['_[_]', '_[?_]', '_?._', '_?_:_', '_&&_', '_||_', '@not_strictly_false', '__not_strictly_false__']);

/** Every node of an expression, with its kind (`callExpr`, `identExpr`, ...). */
function walkExpr(node: unknown, visit: (kind: string, value: any) => void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach((n) => walkExpr(n, visit));
    return;
  }
  const o = node as Record<string, unknown>;
  if (typeof o.case === 'string') visit(o.case, o.value);
  for (const v of Object.values(o)) walkExpr(v, visit);
}

function qualifiedName(target: any): string | undefined {
  if (target?.exprKind?.case === 'identExpr') return target.exprKind.value.name;
  if (target?.exprKind?.case === 'selectExpr') {
    const operand = qualifiedName(target.exprKind.value.operand);
    return operand === undefined ? undefined : `${operand}.${target.exprKind.value.field}`;
  }
  return undefined;
}

/** The functions an expression calls that the environment lacks (with this receiver and arity). */
function unboundCalls(expr: Expr): string[] {
  const missing: string[] = [];
  walkExpr(expr, (kind, call) => {
    if (kind !== 'callExpr' || PLANNER_CALLS.has(call.function)) return;
    const qualified = call.target ? qualifiedName(call.target) : undefined;
    if (qualified !== undefined && lib().env.funcs.find(`${qualified}.${call.function}`) !== undefined) return;
    const overloads = [...(lib().env.funcs.find(call.function) ?? [])];
    const method = call.target !== undefined;
    if (!overloads.some((f) => (f.target !== undefined) === method && f.arguments.length === call.args.length)) {
      missing.push(`${method ? '<receiver>.' : ''}${call.function}/${call.args.length}`);
    }
  });
  return missing;
}

function readsOldSelf(expr: Expr): boolean {
  let found = false;
  walkExpr(expr, (kind, value) => {
    if (kind === 'identExpr' && value.name === 'oldSelf') found = true;
  });
  return found;
}

interface Compiled {
  readonly expr?: Expr;
  readonly program?: Program;
  /** Why the evaluator cannot run the expression. */
  readonly error?: string;
}

/** Every expression, parsed and planned once (parsing is the costly part: ~3 ms a rule). */
const compiled = new Map<string, Compiled>();

function compileExpression(expression: string): Compiled {
  let c = compiled.get(expression);
  if (c === undefined) {
    try {
      // The expanded expression only: sourceInfo keeps the macro calls (has, all, ...) as written.
      const { cel, env } = lib();
      const expr = cel.parse(expression).expr;
      const missing = unboundCalls(expr);
      c = missing.length > 0 ? { expr, error: `no function ${missing.join(', ')}` } : { expr, program: cel.plan(env, expr) as Program };
    } catch (e) {
      c = { error: (e as Error).message };
    }
    compiled.set(expression, c);
  }
  return c;
}

function compileRule(v: ValidationRule, set: CelRuleSet): CompiledRule | undefined {
  const rule = compileExpression(v.rule);
  if (rule.expr !== undefined && readsOldSelf(rule.expr)) {
    set.transitionRules.add(v.rule);
    return undefined;
  }
  const message = v.messageExpression === undefined ? undefined : compileExpression(v.messageExpression);
  const error = rule.error ?? (message?.error === undefined ? undefined : `messageExpression: ${message.error}`);
  if (error !== undefined) {
    set.unsupported.set(v.rule, error);
    return { rule: v.rule, unsupported: error };
  }
  set.compiledRules.add(v.rule);
  return { rule: v.rule, program: rule.program, message: v.message, messageProgram: message?.program, fieldPath: v.fieldPath };
}

/** Kubernetes' escaping of property names in CEL (undefined: CEL cannot name the property). */
const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);
export function escapeProperty(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  let ok = true;
  const escaped = name.replace(/__|[-./]|[^a-zA-Z0-9\-./_]/g, (s) => {
    switch (s) {
      case '__': return '__underscores__';
      case '.': return '__dot__';
      case '-': return '__dash__';
      case '/': return '__slash__';
      default:
        ok = false;
        return '';
    }
  });
  return ok ? escaped : undefined;
}

function kindOf(s: any): Kind {
  if (s['x-kubernetes-int-or-string']) return 'intOrString';
  switch (s.type) {
    case 'object':
      if (s.properties) return 'object';
      if (s.additionalProperties && typeof s.additionalProperties === 'object') return 'map';
      return s['x-kubernetes-preserve-unknown-fields'] ? 'object' : 'native';
    case 'array': return 'list';
    case 'integer': return 'int';
    case 'number': return 'double';
    case 'boolean': return 'bool';
    case 'string': return 'string';
    default: return 'native';
  }
}

const STRING_NODE: CelNode = { kind: 'string', nullable: false, rules: [], props: [], hasRules: false };

/** The rules of a set of CRDs: their schemas' CEL views and what compiling their rules gave. */
export class CelRuleSet {
  /** Distinct rules compiled. */
  public readonly compiledRules = new Set<string>();
  /** Distinct transition rules (they read `oldSelf`), skipped. */
  public readonly transitionRules = new Set<string>();
  /** The rules the evaluator cannot run, and why. */
  public readonly unsupported = new Map<string, string>();

  /** The CEL view of one CRD version's `openAPIV3Schema`, its rules compiled. */
  public compileSchema(openAPIV3Schema: any): CelNode {
    const root = compileNode(openAPIV3Schema, this);
    // At the root, the API server shows apiVersion, kind and metadata's name and generateName only.
    const metadata: CelNode = {
      kind: 'object',
      nullable: false,
      rules: [],
      hasRules: false,
      props: [{ name: 'name', cel: 'name', node: STRING_NODE }, { name: 'generateName', cel: 'generateName', node: STRING_NODE }],
    };
    const props = root.props.filter((p) => !['apiVersion', 'kind', 'metadata'].includes(p.name));
    return {
      ...root,
      kind: 'object',
      props: [{ name: 'apiVersion', cel: 'apiVersion', node: STRING_NODE }, { name: 'kind', cel: 'kind', node: STRING_NODE },
        { name: 'metadata', cel: 'metadata', node: metadata }, ...props],
    };
  }

  /** Distinct rules compiled, transition rules skipped, and the rules the evaluator cannot run (`rule: why`). */
  public stats(): { compiled: number; transitionRules: number; unsupported: string[] } {
    return {
      compiled: this.compiledRules.size,
      transitionRules: this.transitionRules.size,
      unsupported: [...this.unsupported].map(([rule, why]) => `${rule}: ${why}`),
    };
  }
}

function compileNode(s: any, set: CelRuleSet): CelNode {
  const rules = ((s['x-kubernetes-validations'] ?? []) as ValidationRule[]).map((v) => compileRule(v, set))
    .filter((r): r is CompiledRule => r !== undefined);
  const props = Object.entries<any>(s.properties ?? {})
    .map(([name, p]) => ({ name, cel: escapeProperty(name), node: compileNode(p, set), default: p.default }));
  const valueSchema = s.type === 'array' ? s.items : (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
  const values = valueSchema ? compileNode(valueSchema, set) : undefined;
  return {
    kind: kindOf(s),
    format: s.format,
    nullable: s.nullable === true,
    rules,
    props,
    values,
    hasRules: rules.length > 0 || props.some((p) => p.node.hasRules) || (values?.hasRules ?? false),
  };
}

// ---------------------------------------------------------------------------------------------
// Evaluating: one pass over the value, converting it bottom-up and running each node's rules.

/** JSON without a schema type, as the API server decodes it: integral numbers are ints. */
function nativeToCel(v: unknown): Cel.CelInput {
  if (Array.isArray(v)) return lib().cel.celList(v.map(nativeToCel));
  if (v !== null && typeof v === 'object') return lib().cel.celMap(new Map(Object.entries(v).map(([k, x]) => [k, nativeToCel(x)])));
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v as Cel.CelInput;
}

function stringToCel(v: string, format: string | undefined): Cel.CelInput {
  switch (format) {
    case 'duration':
      try {
        return goDuration(v);
      } catch {
        return v; // not a duration: the rules that read it fail on a string
      }
    case 'date':
    case 'date-time': {
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? v : lib().wkt.timestampFromDate(d); // likewise
    }
    case 'byte': return Buffer.from(v, 'base64'); // Node's Buffer: a Uint8Array of the evaluator's realm
    default: return v;
  }
}

function toCel(node: CelNode, v: unknown, path: string, problems: string[]): Cel.CelInput {
  const { celList, celMap } = lib().cel;
  let cel: Cel.CelInput;
  if (v === null) {
    cel = null;
  } else {
    switch (node.kind) {
      case 'object': {
        const o = v as Record<string, unknown>;
        const entries: [string, Cel.CelInput][] = [];
        for (const p of node.props) {
          let x = o[p.name];
          if ((x === undefined || (x === null && !p.node.nullable)) && p.default !== undefined) x = p.default;
          if (x === undefined || (x === null && !p.node.nullable) || p.cel === undefined) continue;
          entries.push([p.cel, toCel(p.node, x, `${path}${path ? '.' : ''}${p.name}`, problems)]);
        }
        cel = celMap(new Map(entries));
        break;
      }
      case 'map':
        cel = celMap(new Map(Object.entries(v as object).map(([k, x]) => [k, toCel(node.values!, x, `${path}[${k}]`, problems)])));
        break;
      case 'list':
        cel = celList((v as unknown[]).map((x, i) => toCel(node.values!, x, `${path}[${i}]`, problems)));
        break;
      case 'int':
      case 'intOrString':
        cel = typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v as Cel.CelInput;
        break;
      case 'string':
        cel = typeof v === 'string' ? stringToCel(v, node.format) : v as Cel.CelInput;
        break;
      case 'native':
        cel = nativeToCel(v);
        break;
      default:
        cel = v as Cel.CelInput;
    }
    for (const rule of node.rules) evaluateRule(rule, cel, path, problems);
  }
  return cel;
}

function evaluateRule(r: CompiledRule, self: Cel.CelInput, path: string, problems: string[]): void {
  const where = `${path || '<root>'}${r.fieldPath ?? ''}`;
  if (r.program === undefined) {
    problems.push(`${where}: the harness cannot evaluate this rule: ${r.unsupported} (rule: ${r.rule})`);
    return;
  }
  const result = r.program({ self });
  if (result === true) return;
  if (lib().cel.isCelError(result)) {
    problems.push(`${where}: rule evaluation error: ${result.message} (rule: ${r.rule})`);
  } else if (result !== false) {
    problems.push(`${where}: rule gave ${String(result)}, not a bool (rule: ${r.rule})`);
  } else {
    problems.push(`${where}: ${failureMessage(r, self)} (rule: ${r.rule})`);
  }
}

/** The API server's message: messageExpression's when it is a non-blank single line, else message, else the rule. */
function failureMessage(r: CompiledRule, self: Cel.CelInput): string {
  if (r.messageProgram) {
    const m = r.messageProgram({ self });
    if (typeof m === 'string' && m.trim() !== '' && !/[\r\n]/.test(m)) return m;
  }
  return r.message ?? `failed rule: ${r.rule}`;
}

/** The rule failures of one object (the root of a CRD version's schema), as `path: message (rule: ...)`. */
export function celProblems(root: CelNode, object: unknown): string[] {
  const problems: string[] = [];
  if (root.hasRules) toCel(root, object, '', problems);
  return problems;
}
