import { arr, lib, num, obj, str } from '../../src/import/code';
import { ImportedExposure, ImportResult } from '../../src/import/model';
import { commentText, stringLiteral } from '../../src/import/typescript-text';
import { writeTypeScript } from '../../src/import/write-typescript';
import { loadGenerated } from '../support/imported-code';

/** Strings that break naive encoders: quotes, backslashes, line terminators, template and comment syntax, lone surrogates. */
const ADVERSARIAL = [
  "it's", 'a "quote"', 'back\\slash', '\\\'', 'line\nbreak', 'cr\rlf', 'tab\t', '${injected}', '`tick`', '*/ end of comment', '/* start',
  'u2028\u2028u2029\u2029', 'nul\u0000', 'del\u007f', 'lone \ud800 high', 'lone \udc00 low', 'pair \ud83d\ude00', 'é ü ß 中文', '\u0085 next line', '',
];

function exposure(id: string, props: ImportedExposure['props'], extra: Partial<ImportedExposure> = {}): ImportedExposure {
  return {
    id,
    namespace: 'default',
    sources: ['Ingress default/web (in.yaml)'],
    props,
    sourceStrategy: lib('ExposureStrategy.ingress', obj({ className: str('nginx') })),
    losses: [],
    ...extra,
  };
}

/** The calls the generated code makes, recorded by stand-ins for the library. */
function recordingLibrary() {
  const calls: { callee: string; args: unknown[] }[] = [];
  const factory = (name: string) => new Proxy({}, {
    get: (_t, method: string) => (...args: unknown[]) => {
      calls.push({ callee: `${name}.${method}`, args });
      return { callee: `${name}.${method}`, args };
    },
  });
  class ExposedService {
    constructor(public readonly scope: unknown, public readonly id: string, public readonly props: Record<string, unknown>) {
      calls.push({ callee: 'new ExposedService', args: [id, props] });
    }
  }
  const module = new Proxy({ ExposedService } as Record<string, unknown>, { get: (t, name: string) => t[name] ?? factory(name) });
  return { calls, modules: { 'cdk8s-expose': module, 'cdk8s': new Proxy({}, { get: (_t, name: string) => factory(name) }) } };
}

describe('string literals', () => {
  test.each(ADVERSARIAL.map((s) => [JSON.stringify(s), s]))('%s reaches the program literally', (_name, value) => {
    expect(loadGenerated(`export const value = ${stringLiteral(value)};`).value).toBe(value);
  });

  test('the literal is single-quoted, on one line, and pure ASCII where the value has control characters or line terminators', () => {
    expect(stringLiteral("a'b\\c\nd\u2028e")).toBe("'a\\'b\\\\c\\nd\\u2028e'");
    expect(stringLiteral('${x}')).toBe("'${x}'");
  });
});

describe('comment text', () => {
  test.each(ADVERSARIAL.map((s) => [JSON.stringify(s), s]))('%s cannot end a line or block comment', (_name, value) => {
    const code = `// ${commentText(value)}\n/* ${commentText(value)} */\nexport const value = 1;\n`;
    expect(loadGenerated(code).value).toBe(1);
    expect(commentText(value)).not.toMatch(/[\n\r\u2028\u2029]|\*\//);
  });
});

describe('the writer', () => {
  test('every declared string reaches the library as declared: ids, hosts, header names and values', () => {
    const result: ImportResult = {
      exposures: ADVERSARIAL.map((s, i) => exposure(`e${i}`, obj({
        hosts: arr([str(s)]),
        routes: arr([obj({ requestHeaders: obj({ set: obj({ [s]: str(s) }) }), backend: lib('Backend.fromName', str(s), num(80)) })]),
      }), { sources: [s], losses: [{ source: s, field: s, reason: s, kind: 'unsupported' }] })),
      losses: [{ source: ADVERSARIAL.join(''), field: 'f', reason: 'r', kind: 'unsupported' }],
      errors: [],
    };
    const { calls, modules } = recordingLibrary();
    const mod = loadGenerated(writeTypeScript(result), modules);
    mod.exposures({}, 'the strategy');
    const created = calls.filter((c) => c.callee === 'new ExposedService');
    expect(created).toHaveLength(ADVERSARIAL.length);
    created.forEach((c, i) => {
      const s = ADVERSARIAL[i];
      const props = c.args[1] as any;
      expect(props.hosts).toEqual([s]);
      expect(props.routes[0].requestHeaders.set).toEqual({ [s]: s });
      expect(props.routes[0].backend).toEqual({ callee: 'Backend.fromName', args: [s, 80] });
      expect(props.strategy).toBe('the strategy');
    });
  });

  test('a key "__proto__" is an own property of the object written, not its prototype', () => {
    // In an object literal, `__proto__: v` and `'__proto__': v` set the prototype (ECMAScript, __proto__ Property Names in
    // Object Initializers); a computed key defines an own property.
    const result: ImportResult = {
      exposures: [exposure('web', obj({
        routes: arr([obj({ requestHeaders: obj({ set: obj({ ['__proto__']: str('a'), 'x-b': str('b') }) }), backend: lib('Backend.fromName', str('web'), num(80)) })]),
      }))],
      losses: [],
      errors: [],
    };
    const code = writeTypeScript(result);
    expect(code).toContain("requestHeaders: { set: { ['__proto__']: 'a', 'x-b': 'b' } },");
    const { calls, modules } = recordingLibrary();
    loadGenerated(code, modules).exposures({}, 'the strategy');
    const set = (calls.find((c) => c.callee === 'new ExposedService')!.args[1] as any).routes[0].requestHeaders.set;
    expect(Object.getPrototypeOf(set)).toBe(Object.prototype);
    expect(Object.entries(set)).toEqual([['__proto__', 'a'], ['x-b', 'b']]);
  });

  test('imports only what is used; one function per namespace, named after it; sourceStrategy when every exposure shares one', () => {
    const result: ImportResult = {
      exposures: [
        { ...exposure('web', obj({ backend: lib('Backend.fromName', str('web'), num(80)) })), namespace: 'team-b' },
        { ...exposure('api', obj({ timeout: { kind: 'call', module: 'cdk8s', callee: 'Duration.seconds', args: [num(5)] } })), namespace: 'team-a' },
      ],
      losses: [],
      errors: [],
    };
    expect(writeTypeScript(result)).toBe(`// Written by \`cdk8s-expose import\`. Review the \`lost:\` comments: what the declaration could not hold.
import { Chart, Duration } from 'cdk8s';
import { Backend, ExposedService, ExposureStrategy } from 'cdk8s-expose';

/**
 * The exposures of namespace team-a: call it with a chart whose namespace is team-a.
 * @param chart the chart to declare them in
 * @param strategy what to synthesize them as (\`sourceStrategy()\`: what the input was written for)
 */
export function teamAExposures(chart: Chart, strategy: ExposureStrategy): ExposedService[] {
  return [
    // from: Ingress default/web (in.yaml)
    new ExposedService(chart, 'api', {
      timeout: Duration.seconds(5),
      strategy,
    }),
  ];
}

/**
 * The exposures of namespace team-b: call it with a chart whose namespace is team-b.
 * @param chart the chart to declare them in
 * @param strategy what to synthesize them as (\`sourceStrategy()\`: what the input was written for)
 */
export function teamBExposures(chart: Chart, strategy: ExposureStrategy): ExposedService[] {
  return [
    // from: Ingress default/web (in.yaml)
    new ExposedService(chart, 'web', {
      backend: Backend.fromName('web', 80),
      strategy,
    }),
  ];
}

/** The strategy the input was written for: the exposures synthesize on it as they were. */
export function sourceStrategy(): ExposureStrategy {
  return ExposureStrategy.ingress({ className: 'nginx' });
}
`);
  });

  test('exposures written for different strategies: no sourceStrategy, each says what it was written for', () => {
    const other = lib('ExposureStrategy.istio');
    const text = writeTypeScript({ exposures: [exposure('a', obj({})), { ...exposure('b', obj({})), sourceStrategy: other }], losses: [], errors: [] });
    expect(text).not.toContain('sourceStrategy()');
    expect(text).toContain("    // written for: ExposureStrategy.istio()\n    new ExposedService(chart, 'b', {");
  });

  test('long expressions break one entry per line with trailing commas; short ones stay on one line', () => {
    const long = arr(Array.from({ length: 12 }, (_, i) => str(`host-${i}.shop.example.com`)));
    const text = writeTypeScript({ exposures: [exposure('a', obj({ hosts: long, routes: arr([]) }))], losses: [], errors: [] });
    expect(text).toContain("      hosts: [\n        'host-0.shop.example.com',\n");
    expect(text).toContain("        'host-11.shop.example.com',\n      ],\n      routes: [],\n");
    expect(text.split('\n').every((l) => l.length <= 150)).toBe(true);
  });

  test('the output is the same for the same result', () => {
    const result: ImportResult = { exposures: [exposure('a', obj({ hosts: arr([str('a.example.com')]) }))], losses: [], errors: [] };
    expect(writeTypeScript(result)).toBe(writeTypeScript(JSON.parse(JSON.stringify(result))));
  });
});
