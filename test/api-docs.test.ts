import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The API reference in docs/api/ is TypeDoc's markdown, generated from the TSDoc of the public
 * API (src/index.ts, with the L1 namespaces it re-exports) with the options of typedoc.json, the
 * ones `npm run docs` uses. The reference is regenerated here into a temporary directory: TypeDoc
 * must report no warning and no error, the committed docs/api/ must be what it writes, and every
 * public declaration must say what it is in a sentence (TypeDoc's notDocumented check takes a
 * comment with only `@default` or `@example` for documented).
 */
const ROOT = path.join(__dirname, '..');
const COMMITTED = path.join(ROOT, 'docs', 'api');
const TYPEDOC = path.join(path.dirname(require.resolve('typedoc/package.json')), 'bin', 'typedoc');

// TypeDoc takes about 30 s here (it type-checks the library and the generated L1s).
const GENERATION_TIMEOUT = 180_000;

interface Generated {
  readonly status: number | null;
  readonly log: string;
  readonly dir: string;
  readonly json: Reflection;
}

/** The parts of TypeDoc's JSON output (its reflection tree) the checks read. */
interface Reflection {
  readonly name: string;
  readonly kind: number;
  readonly flags: { readonly isExternal?: boolean; readonly isPrivate?: boolean };
  readonly comment?: { readonly summary: readonly { readonly kind: string; readonly text: string }[] };
  readonly children?: readonly Reflection[];
  readonly signatures?: readonly Reflection[];
  readonly getSignature?: Reflection;
  readonly type?: { readonly type: string; readonly declaration?: Reflection };
}

// TypeDoc's ReflectionKind values.
const KIND = {
  Namespace: 4,
  Enum: 8,
  EnumMember: 16,
  Variable: 32,
  Function: 64,
  Class: 128,
  Interface: 256,
  Property: 1024,
  Method: 2048,
  Accessor: 262144,
  TypeAlias: 2097152,
};
const DESCRIBED = [KIND.Enum, KIND.EnumMember, KIND.Variable, KIND.Class, KIND.Interface, KIND.Property, KIND.TypeAlias];

let generated: Generated;

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-docs-'));
  // --out replaces typedoc.json's docs/api; every other option is typedoc.json's.
  const run = spawnSync(process.execPath, [TYPEDOC, '--out', path.join(dir, 'md'), '--json', path.join(dir, 'api.json')], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: GENERATION_TIMEOUT,
  });
  const jsonFile = path.join(dir, 'api.json');
  generated = {
    status: run.status,
    log: `${run.stdout}${run.stderr}${run.error ? String(run.error) : ''}`,
    dir: path.join(dir, 'md'),
    json: fs.existsSync(jsonFile) ? JSON.parse(fs.readFileSync(jsonFile, 'utf8')) : { name: '', kind: 0, flags: {} },
  };
}, GENERATION_TIMEOUT + 10_000);

afterAll(() => {
  if (generated) fs.rmSync(path.dirname(generated.dir), { recursive: true, force: true });
});

/** Every file under `dir`, by its path relative to `dir` (with `/`), in order. */
function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

describe('API reference', () => {
  test('typedoc.json keeps the checks on', () => {
    const options = JSON.parse(fs.readFileSync(path.join(ROOT, 'typedoc.json'), 'utf8'));
    expect(options).toMatchObject({
      entryPoints: ['src/index.ts'],
      out: 'docs/api',
      excludeInternal: true,
      excludePrivate: true,
      treatWarningsAsErrors: true,
      validation: { notExported: true, invalidLink: true, notDocumented: true },
    });
    expect([...options.requiredToBeDocumented].sort()).toEqual(
      ['Accessor', 'Class', 'Enum', 'EnumMember', 'Function', 'Interface', 'Method', 'Property', 'TypeAlias', 'Variable']);
    expect(options.intentionallyNotDocumented ?? []).toEqual([]);
    expect(options.intentionallyNotExported ?? []).toEqual([]);
  });

  test('generates without a warning or an error', () => {
    const problems = generated.log.split('\n').filter((line) => /\[(warning|error)\]/.test(line));
    expect({ status: generated.status, problems }).toEqual({ status: 0, problems: [] });
  });

  test('the committed docs/api/ is what the generator writes (run `npm run docs` when this fails)', () => {
    const committed = files(COMMITTED);
    const fresh = files(generated.dir);
    expect(fresh.length).toBeGreaterThan(0);
    const stale = [...new Set([...committed, ...fresh])].sort().filter((f) => !committed.includes(f) || !fresh.includes(f)
      || fs.readFileSync(path.join(COMMITTED, f), 'utf8') !== fs.readFileSync(path.join(generated.dir, f), 'utf8'));
    expect(stale).toEqual([]);
  });

  test('documents the L1 namespaces the escape hatches hand out', () => {
    const namespaces = (generated.json.children ?? []).filter((c) => c.kind === KIND.Namespace).map((c) => c.name).sort();
    expect(namespaces).toEqual(expect.arrayContaining(['certManager', 'gatewayApi', 'gatewayApiExperimental', 'istioNetworking', 'istioSecurity']));
    const reference = fs.readFileSync(path.join(COMMITTED, 'interfaces', 'ExposedResources.md'), 'utf8');
    expect(reference).toContain('[`VirtualService`](../cdk8s-expose/namespaces/istioNetworking/classes/VirtualService.md)');
  });

  test('every public declaration, property, method, factory and accessor has a description', () => {
    const empty = (r: Reflection | undefined) => !r?.comment || r.comment.summary.every((p) => p.kind === 'text' && p.text.trim() === '');
    const undescribed: string[] = [];
    const internal: string[] = [];
    const visit = (r: Reflection, parent: string) => {
      const name = parent ? `${parent}.${r.name}` : r.name;
      // Members inherited from another package (Error's, Construct's) carry that package's docs.
      if (r.flags.isExternal) return;
      if (r.name.startsWith('_')) internal.push(name);
      if (DESCRIBED.includes(r.kind) && empty(r)) undescribed.push(name);
      if ((r.kind === KIND.Method || r.kind === KIND.Function) && empty(r) && (r.signatures ?? []).some((s) => empty(s))) undescribed.push(`${name}()`);
      if (r.kind === KIND.Accessor && empty(r) && empty(r.getSignature)) undescribed.push(name);
      for (const child of r.children ?? []) visit(child, name);
      for (const child of r.type?.type === 'reflection' ? r.type.declaration?.children ?? [] : []) visit(child, name);
    };
    // The library's own API; the generated L1 namespaces carry the CRDs' descriptions, where
    // their authors wrote some.
    const own = (generated.json.children ?? []).filter((c) => c.kind !== KIND.Namespace);
    expect(own.length).toBeGreaterThan(60);
    own.forEach((c) => visit(c, ''));
    expect({ undescribed, internal }).toEqual({ undescribed: [], internal: [] });
  });
});
