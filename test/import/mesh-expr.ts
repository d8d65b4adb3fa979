/**
 * The importer's code trees, for the Istio and Gateway API reader tests: printed compactly (to
 * compare with an expected text) and evaluated against the library itself (to synthesize what
 * the generated code would declare).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import * as library from '../../src';
import { Expr } from '../../src/import/code';
import { SourceDocument } from '../../src/import/model';

/** One line of TypeScript-like text of an expression. */
export function show(e: Expr): string {
  switch (e.kind) {
    case 'string': return `'${e.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    case 'number': case 'boolean': return String(e.value);
    case 'array': return `[${e.items.map(show).join(', ')}]`;
    case 'object': return `{ ${e.entries.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${show(v)}`).join(', ')} }`;
    case 'call': return `${e.callee}(${e.args.map(show).join(', ')})`;
    case 'identifier': return e.name;
  }
}

/** The value an expression builds, with `identifiers` for the names in scope of the generated function. */
export function evaluate(e: Expr, identifiers: Readonly<Record<string, unknown>> = {}): any {
  switch (e.kind) {
    case 'string': case 'number': case 'boolean': return e.value;
    case 'array': return e.items.map((i) => evaluate(i, identifiers));
    case 'object': return Object.fromEntries(e.entries.map(([k, v]) => [k, evaluate(v, identifiers)]));
    case 'identifier':
      if (!(e.name in identifiers)) throw new Error(`no ${e.name} in scope`);
      return identifiers[e.name];
    case 'call': {
      const [owner, method] = e.callee.split('.');
      const scope: any = e.module === 'cdk8s' ? cdk8s : library;
      if (typeof scope[owner]?.[method] !== 'function') throw new Error(`no ${e.callee} in ${e.module}`);
      return scope[owner][method](...e.args.map((a) => evaluate(a, identifiers)));
    }
  }
}

/** The manifests of corpus files (paths under test/fixtures/import-corpus/), as the importer reads them. */
export function corpus(...files: string[]): SourceDocument[] {
  return files.flatMap((f) => {
    // ingress2gateway's printed outputs may start with a box-drawn WARN block, not YAML (the corpus README).
    const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'import-corpus', f), 'utf8').split('\n').filter((l) => !/^(┌─|│|└─)/.test(l)).join('\n');
    return parseAllDocuments(text).map((d) => d.toJSON()).filter((m) => m !== null).map((manifest) => ({ manifest, file: f }));
  });
}

/** Manifests written in a test (YAML text, `---` separated). */
export function documents(yaml: string, file = 'test.yaml'): SourceDocument[] {
  return parseAllDocuments(yaml).map((d) => d.toJSON()).filter((m) => m !== null).map((manifest) => ({ manifest, file }));
}

/** A deterministic pseudo-random generator (a linear congruential one), for the mutation tests. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
}

const JUNK: unknown[] = [null, 0, -1, 1.5, '', ' ', 'a b', '*', '/', '/x/', '.*', '(', true, [], {}, ['x'], { x: 1 }, 'GET', 'Exact', 'PathPrefix', 70000];

/** A copy of `value` with `count` values somewhere in it replaced by junk (or deleted). */
export function mutate(value: unknown, next: () => number, count = 3): unknown {
  const copy = JSON.parse(JSON.stringify(value));
  for (let i = 0; i < count; i++) {
    const paths: (string | number)[][] = [];
    const walk = (v: any, p: (string | number)[]) => {
      if (p.length > 0) paths.push(p);
      if (Array.isArray(v)) v.forEach((x, j) => walk(x, [...p, j]));
      else if (v !== null && typeof v === 'object') Object.keys(v).forEach((k) => walk(v[k], [...p, k]));
    };
    walk(copy, []);
    if (paths.length === 0) break;
    const p = paths[Math.floor(next() * paths.length)];
    let parent: any = copy;
    for (const k of p.slice(0, -1)) parent = parent[k];
    const key = p[p.length - 1];
    if (next() < 0.2 && !Array.isArray(parent)) delete parent[key];
    else parent[key] = JSON.parse(JSON.stringify(JUNK[Math.floor(next() * JUNK.length)]));
  }
  return copy;
}
