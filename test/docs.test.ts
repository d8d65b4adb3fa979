import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The public API documents itself: every prop of an interface the package entry point exports
 * has a TSDoc comment with an `@example`, and every optional one its `@default` (the API
 * reference is generated from them). Read from what `src/index.ts` exports, not from every file:
 * internal interfaces are not the API.
 */
const ENTRY = path.join(__dirname, '..', 'src', 'index.ts');

// What the library gives back rather than takes (escape hatches and descriptions), and the shapes
// of the cdk8s-plus objects it reads (`IDeploymentLike` ...), and the routing models' answers: not options a user writes.
const OUTPUTS = /Resources$|^ExternalReference$|^StrategyCapabilities$|^I[A-Z]\w*Like$|^(RouteRequest|Forwarded|Redirected|Responded|InjectedFault)$/;

export interface PropDoc { readonly iface: string; readonly prop: string; readonly optional: boolean; readonly doc: string }

export function publicProps(): PropDoc[] {
  const program = ts.createProgram([ENTRY], { skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(ENTRY)!)!;
  const props: PropDoc[] = [];
  for (const exported of checker.getExportsOfModule(entry)) {
    // Symbol flags are a bit set: the compiler API has no other way to ask.
    // eslint-disable-next-line no-bitwise
    const symbol = (exported.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(exported) : exported;
    // eslint-disable-next-line no-bitwise
    if ((symbol.flags & ts.SymbolFlags.Interface) === 0 || OUTPUTS.test(symbol.name)) continue;
    for (const decl of symbol.declarations ?? []) {
      if (!ts.isInterfaceDeclaration(decl)) continue;
      for (const member of decl.members) {
        if (!ts.isPropertySignature(member)) continue;
        const docs = ts.getJSDocCommentsAndTags(member).map((d) => d.getText()).join('\n');
        props.push({ iface: symbol.name, prop: member.name.getText(), optional: member.questionToken !== undefined, doc: docs });
      }
    }
  }
  return props;
}

describe('public API documentation', () => {
  const props = publicProps();
  test('covers the public interfaces', () => {
    expect(props.length).toBeGreaterThan(80);
  });
  test('every public prop has an @example, and every optional one its @default', () => {
    const missing = props.flatMap((p) => [
      ...(p.doc.includes('@example') ? [] : [`${p.iface}.${p.prop}: no @example`]),
      ...(p.optional && !p.doc.includes('@default') ? [`${p.iface}.${p.prop}: no @default`] : []),
    ]);
    expect(missing).toEqual([]);
  });
});

describe('the Kubernetes version the README states', () => {
  const ROOT = path.join(__dirname, '..');
  const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

  test('is the one the core L1s are generated from and the output is validated against', () => {
    const claimed = /writes\s+Kubernetes (\d+\.\d+) API objects/.exec(read('README.md'))?.[1];
    expect(claimed).toBeDefined();
    // The one vendored schema: the import task generates imports/k8s.ts from it, the suite validates with it.
    expect(fs.readdirSync(path.join(ROOT, 'imports', 'crds', 'kubernetes'))).toEqual([`v${claimed}.0`]);
    const importTask = JSON.parse(read('.projen/tasks.json')).tasks.import.steps.map((s: { exec?: string }) => s.exec ?? '').join('\n');
    expect(importTask).toContain(`imports/crds/kubernetes/v${claimed}.0/_definitions.json imports `);
    expect(read('test/support/schema.ts')).toContain(`'kubernetes', 'v${claimed}.0', '_definitions.json'`);
  });
});
