import * as fs from 'fs';
import * as path from 'path';

/**
 * The public API documents itself: every prop of an exported interface has a TSDoc comment with
 * an `@example`, and every optional one its `@default` (the API reference is generated from them).
 */
const SRC = path.join(__dirname, '..', 'src');

export interface PropDoc { readonly file: string; readonly iface: string; readonly prop: string; readonly optional: boolean; readonly doc: string }

export function publicProps(): PropDoc[] {
  const files = fs.readdirSync(SRC, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
  const props: PropDoc[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(SRC, file), 'utf8');
    for (const m of text.matchAll(/export interface (\w+)(?: extends [^{]+)? \{([\s\S]*?)\n\}/g)) {
      const [, iface, body] = m;
      if (/Intent$|^Problem$|^Resolved|^Engine|^Gateway(Engine|Tls|Workload)$|^SecretMount$|^RouteClaims$|^StrategyRenderer$|^IngressDialect$|^IngressPathPlan$|Config$|Context$|^NginxPorts$|^Kong|^Nginx(Config|Route)|^JwtRender|^StrategyCapabilities$|^NormalizedRoute$|^DeclaredFeature$|Resources$|^ExternalReference$|^Claims$|^Front(Target)?$|^BuiltIntent$|^IstioNaming$|^JwtResources$/.test(iface) && !/^(KongEngineOptions|NginxEngineOptions)$/.test(iface)) continue;
      for (const p of body.matchAll(/(\/\*\*[\s\S]*?\*\/)?\s*readonly (\w+)(\?)?:/g)) {
        props.push({ file, iface, prop: p[2], optional: p[3] === '?', doc: p[1] ?? '' });
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
