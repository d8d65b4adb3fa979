/**
 * The one writer of the importer's code tree (`code.ts`): TypeScript an app can paste, one
 * exported function per namespace that declares that namespace's exposures on a chart, plus
 * `sourceStrategy()` when every exposure was written for the same strategy.
 */
import { Expr } from './code';
import { ImportedExposure, ImportResult, Loss } from './model';
import { commentText, propertyKey, stringLiteral } from './typescript-text';

/** Lines longer than this are broken (the project's eslint max-len is 150). */
const WIDTH = 120;
const INDENT = '  ';

/** The generated program for an import: deterministic for the same result. */
export function writeTypeScript(result: ImportResult): string {
  const groups = byNamespace(result.exposures);
  const names = functionNames([...groups.keys()]);
  const strategies = new Set(result.exposures.map((e) => flat(e.sourceStrategy)));
  const shared = strategies.size === 1 ? result.exposures[0].sourceStrategy : undefined;

  const used = { 'cdk8s-expose': new Set(['ExposedService', 'ExposureStrategy']), 'cdk8s': new Set(['Chart']) };
  for (const e of result.exposures) collectImports(e.props, used);
  if (shared) collectImports(shared, used);

  const out: string[] = [];
  out.push('// Written by `cdk8s-expose import`. Review the `lost:` comments: what the declaration could not hold.');
  out.push(`import { ${[...used.cdk8s].sort().join(', ')} } from 'cdk8s';`);
  out.push(`import { ${[...used['cdk8s-expose']].sort().join(', ')} } from 'cdk8s-expose';`);
  if (result.losses.length > 0) {
    out.push('');
    out.push('// Not tied to one exposure:');
    for (const loss of result.losses) out.push(`// lost: ${commentText(`${loss.source}: ${loss.field}: ${loss.reason}`)}`);
  }
  const several = groups.size > 1;
  for (const [namespace, exposures] of groups) {
    out.push('');
    out.push('/**');
    out.push(several
      ? ` * The exposures of namespace ${commentText(namespace)}: call it with a chart whose namespace is ${commentText(namespace)}.`
      : ` * The exposures read from the input (namespace ${commentText(namespace)}): the chart's namespace is theirs.`);
    out.push(' * @param chart the chart to declare them in');
    out.push(shared
      ? ' * @param strategy what to synthesize them as (`sourceStrategy()`: what the input was written for)'
      : ' * @param strategy what to synthesize them as');
    out.push(' */');
    out.push(`export function ${names.get(namespace)}(chart: Chart, strategy: ExposureStrategy): ExposedService[] {`);
    if (exposures.length === 0) {
      out.push(`${INDENT}return [];`);
    } else {
      out.push(`${INDENT}return [`);
      for (const exposure of exposures) out.push(...exposureLines(exposure, INDENT.repeat(2), !shared));
      out.push(`${INDENT}];`);
    }
    out.push('}');
  }
  if (groups.size === 0) {
    out.push('');
    out.push('/** The input declared no exposure. */');
    out.push('export function exposures(_chart: Chart, _strategy: ExposureStrategy): ExposedService[] {');
    out.push(`${INDENT}return [];`);
    out.push('}');
  }
  if (shared) {
    out.push('');
    out.push('/** The strategy the input was written for: the exposures synthesize on it as they were. */');
    out.push('export function sourceStrategy(): ExposureStrategy {');
    out.push(...statement(`${INDENT}return `, shared, ';', INDENT));
    out.push('}');
  }
  return out.join('\n') + '\n';
}

function exposureLines(exposure: ImportedExposure, indent: string, ownStrategy: boolean): string[] {
  const lines: string[] = [];
  for (const source of exposure.sources) lines.push(`${indent}// from: ${commentText(source)}`);
  if (ownStrategy) lines.push(`${indent}// written for: ${commentText(flat(exposure.sourceStrategy))}`);
  for (const loss of exposure.losses) lines.push(`${indent}// lost: ${commentText(lossText(loss, exposure.sources.length > 1))}`);
  if (exposure.props.kind !== 'object') throw new Error(`internal: the props of ${exposure.id} are not an object`);
  const props: Expr = { kind: 'object', entries: [...exposure.props.entries, ['strategy', { kind: 'identifier', name: 'strategy' }]] };
  // The props one per line, whatever their length: an exposure reads as a list of its fields.
  lines.push(...statement(`${indent}new ExposedService(chart, ${stringLiteral(exposure.id)}, `, props, '),', indent, true));
  return lines;
}

function lossText(loss: Loss, withSource: boolean): string {
  return withSource ? `${loss.source}: ${loss.field}: ${loss.reason}` : `${loss.field}: ${loss.reason}`;
}

/** `prefix` + the expression + `suffix`, broken over lines when it does not fit. */
function statement(prefix: string, expr: Expr, suffix: string, indent: string, broken = false): string[] {
  const text = render(expr, indent, prefix.length, suffix.length, broken);
  const lines = (prefix + text + suffix).split('\n');
  return lines;
}

/**
 * The expression at `column`, followed by `tail` characters on its last line: on one line when
 * it fits, else objects, arrays and calls break one entry per line (trailing commas).
 */
function render(expr: Expr, indent: string, column: number, tail: number, broken = false): string {
  const one = flat(expr);
  if (!broken && column + one.length + tail <= WIDTH) return one;
  const inner = indent + INDENT;
  switch (expr.kind) {
    case 'object': {
      if (expr.entries.length === 0) return '{}';
      const entries = expr.entries.map(([k, v]) => {
        if (v.kind === 'identifier' && v.name === k) return `${inner}${k},`;
        const key = `${propertyKey(k)}: `;
        return `${inner}${key}${render(v, inner, inner.length + key.length, 1)},`;
      });
      return `{\n${entries.join('\n')}\n${indent}}`;
    }
    case 'array': {
      if (expr.items.length === 0) return '[]';
      return `[\n${expr.items.map((i) => `${inner}${render(i, inner, inner.length, 1)},`).join('\n')}\n${indent}]`;
    }
    case 'call': {
      const head = `${expr.callee}(`;
      const last = expr.args[expr.args.length - 1];
      const before = expr.args.slice(0, -1).map(flat);
      const start = head + before.map((b) => `${b}, `).join('');
      // The last argument an object or array: hug it, as prettier does (`Auth.basic({` ... `})`).
      if (last && (last.kind === 'object' || last.kind === 'array') && column + start.length <= WIDTH) {
        return start + render(last, indent, column + start.length, tail + 1) + ')';
      }
      return `${head}\n${expr.args.map((a) => `${inner}${render(a, inner, inner.length, 1)},`).join('\n')}\n${indent})`;
    }
    default:
      return one;
  }
}

/** The expression on one line. */
export function expressionText(expr: Expr): string {
  return flat(expr);
}

function flat(expr: Expr): string {
  switch (expr.kind) {
    case 'string': return stringLiteral(expr.value);
    case 'number':
      if (!Number.isFinite(expr.value)) throw new Error(`internal: the number ${expr.value} has no literal`);
      return Object.is(expr.value, -0) ? '0' : String(expr.value);
    case 'boolean': return String(expr.value);
    case 'identifier': return expr.name;
    case 'array': return `[${expr.items.map(flat).join(', ')}]`;
    case 'object':
      if (expr.entries.length === 0) return '{}';
      return `{ ${expr.entries.map(([k, v]) => (v.kind === 'identifier' && v.name === k ? k : `${propertyKey(k)}: ${flat(v)}`)).join(', ')} }`;
    case 'call': return `${expr.callee}(${expr.args.map(flat).join(', ')})`;
  }
}

function collectImports(expr: Expr, used: Record<'cdk8s-expose' | 'cdk8s', Set<string>>): void {
  switch (expr.kind) {
    case 'array': expr.items.forEach((i) => collectImports(i, used)); break;
    case 'object': expr.entries.forEach(([, v]) => collectImports(v, used)); break;
    case 'call':
      used[expr.module].add(expr.callee.split('.')[0]);
      expr.args.forEach((a) => collectImports(a, used));
      break;
    default: break;
  }
}

/** Exposures by namespace, namespaces in order of their names, exposures in input order. */
function byNamespace(exposures: readonly ImportedExposure[]): Map<string, ImportedExposure[]> {
  const groups = new Map<string, ImportedExposure[]>();
  for (const namespace of [...new Set(exposures.map((e) => e.namespace))].sort()) {
    groups.set(namespace, exposures.filter((e) => e.namespace === namespace));
  }
  return groups;
}

/**
 * The function of each namespace: `exposures` when there is one, else the namespace in camel case
 * followed by `Exposures` (`team-a` -> `teamAExposures`), made unique by a number if two collide.
 */
function functionNames(namespaces: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  if (namespaces.length === 1) {
    names.set(namespaces[0], 'exposures');
    return names;
  }
  const taken = new Set<string>(['sourceStrategy']);
  for (const namespace of namespaces) {
    const words = namespace.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
    let base = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('') + 'Exposures';
    if (!/^[A-Za-z_$]/.test(base)) base = `ns${base[0].toUpperCase()}${base.slice(1)}`;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    names.set(namespace, name);
  }
  return names;
}
