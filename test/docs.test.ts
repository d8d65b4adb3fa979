import * as path from 'path';
import * as ts from 'typescript';

/**
 * The public API documents itself: every prop of an interface the package entry point exports
 * has a TSDoc comment with an `@example`, and every optional one its `@default` (the API
 * reference is generated from them). Read from what `src/index.ts` exports, not from every file:
 * internal interfaces are not the API.
 */
const ENTRY = path.join(__dirname, '..', 'src', 'index.ts');

// What the library gives back rather than takes: escape hatches and descriptions, not options.
const OUTPUTS = /Resources$|^ExternalReference$|^StrategyCapabilities$/;

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
