import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { ApiGatewayEngine, Auth, Backend, ExposedService, ExposureError, ExposureStrategy, HeaderMatch, PathMatch, QueryParamMatch, RouteProps } from '../../src';
import { request, Response, startBackend, TestBackend } from '../support/backends';
import { startNginxInPod } from '../support/nginx';
import { secretManifest, simulatePod } from '../support/pod-simulation';
import { synthChecked, testChart } from '../support/synth';

/**
 * Declared text through the real nginx. Declarations whose every string is drawn from adversarial
 * alphabets (nginx, YAML, shell, Lua/Kong and regex metacharacters, variables, quotes,
 * backslashes, braces, unicode, long runs), shaped only by the library's grammar (a path is URL
 * characters and percent-encodings, a header value has no control characters nor white space
 * around it). Each must be accepted, pass every check of the suite (`nginx -t` included), and on
 * the nginx of the pod simulated from its manifests:
 *  - each set or appended header arrives at the backend, and each response header at the client,
 *    byte for byte;
 *  - each match routes the requests that carry it (the query value in two encodings) and only
 *    those: a request with one byte more in the path, the header or the query value gets 404;
 *  - each rewrite reaches the backend as the declared path, each redirect's Location is the
 *    declared target, each realm is announced as declared.
 *
 * Bounded: the corpus of past failures (nginx-fuzz-corpus.json) is replayed, then FUZZ_RUNS random
 * declarations (30 by default, about 35 s) run. A failure prints the seed (FUZZ_SEED=<seed> replays it) and
 * the declaration as a corpus entry to add.
 */
jest.setTimeout(600_000);

/** One route of a fuzzed declaration: plain data, so failures are kept in the corpus as JSON. */
export interface FuzzRoute {
  readonly kind: 'forward' | 'redirect' | 'challenge';
  readonly pathKind: 'exact' | 'prefix';
  /** The path after `/r<i>` (each route its own, so no two routes overlap). */
  readonly path: string;
  readonly header?: string;
  readonly query?: string;
  /** The query parameter's name (default `q`). */
  readonly queryName?: string;
  readonly setRequest?: string;
  /** Appended to the client's `x-add` (the request sends `x-add: client`). */
  readonly addRequest?: string;
  readonly setResponse?: string;
  readonly rewrite?: string;
  readonly redirectPath?: string;
  readonly realm?: string;
}
export interface FuzzCase {
  readonly routes: readonly FuzzRoute[];
  /** In the corpus: the case is refused, each line of the error with this text. */
  readonly refused?: string;
}

/**
 * The one refusal declared text meets on this engine: encoded, it is longer than a token nginx
 * reads (an exact query value is matched in every encoding). Such a case is refused at synth,
 * not handed to nginx; the unit tests show the limit is nginx's.
 */
const TOO_LONG = 'nginx reads at most 4095 bytes per configuration token';

const HOST = 'fuzz.example.com';
const CORPUS = path.join(__dirname, 'nginx-fuzz-corpus.json');
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const SEED = process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED);

/** Pieces of text that mean something to nginx, YAML, shells, Lua templates, regexes or HTTP. */
const TOKENS = [
  'a', 'Z', '0', '-', '.', '_', '~', '/', ' ', '\t',
  '$', '$1', '$2', '$host', '${host}', '$http_x_evil', '${dollar}', '$$', '$(headers.authorization)', '$(', ')',
  '\\', '\\b', '\\"', '\\n', '\\x41', '"', "'", '`', ';', '{', '}', '#', '# comment', '(', '[', ']', '*', '~*', '^', '|', '?', '+',
  '&', '=', '%', '%20', '%2', ':', '@', ',', '<', '>', '!', '*.', ': ', '- ', '---', '&anchor', '!!str', 'null', 'true', '0x1F',
  'é', 'ß', 'Ω', '中文', '😀', '\u00a0', '\u2028', 'x'.repeat(300),
];
const text = (maxTokens: number) => fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: maxTokens }).map((t) => t.join(''));

/** A header value as the grammar takes it: no white space around it, not empty. */
const headerValue = (raw: string) => raw.replace(/^[ \t]+|[ \t]+$/g, '') || 'v';
/** A realm as the grammar takes it: no quote nor backslash (WWW-Authenticate quotes it). */
const realm = (raw: string) => raw.replace(/["\\\t]/g, '').trim() || 'R';
/**
 * Text as a path segment: URL characters kept, every other character percent-encoded (as a
 * client would send it), no dot segment; at most 300 characters, so paths stay within 1024.
 */
function segment(raw: string): string {
  const encoded = [...raw.replace(/\//g, '')].map((c) => /^[-A-Za-z0-9._~!$&'()*+,;=:@]$/.test(c) ? c
    : [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')).join('');
  const cut = encoded.slice(0, 300).replace(/%[0-9A-F]?$/, '');
  return cut === '' || /^\.+$/.test(cut) ? 's' : cut;
}

const fuzzRoute: fc.Arbitrary<FuzzRoute> = fc.record({
  kind: fc.constantFrom('forward', 'forward', 'redirect', 'challenge'),
  pathKind: fc.constantFrom('exact', 'prefix'),
  path: text(6).map((t) => `/${segment(t)}`),
  header: fc.option(text(8).map(headerValue), { nil: undefined }),
  query: fc.option(text(6).map(headerValue), { nil: undefined }),
  queryName: fc.constantFrom('q', 'api-version', 'a.b~c', 'Page_1'),
  setRequest: fc.option(text(10).map(headerValue), { nil: undefined }),
  addRequest: fc.option(text(6).map(headerValue), { nil: undefined }),
  setResponse: fc.option(text(10).map(headerValue), { nil: undefined }),
  rewrite: fc.option(text(4).map((t) => `/${segment(t)}`), { nil: undefined }),
  redirectPath: text(4).map((t) => `/${segment(t)}`),
  realm: text(6).map(realm),
}).map(({ kind, rewrite, redirectPath, realm: r, setRequest, addRequest, setResponse, ...rest }) => ({
  ...rest,
  kind,
  ...(kind === 'forward' ? { rewrite, setRequest, addRequest, setResponse } : {}),
  ...(kind === 'redirect' ? { redirectPath, setResponse } : {}),
  ...(kind === 'challenge' ? { realm: r } : {}),
}));
const fuzzCase: fc.Arbitrary<FuzzCase> = fc.array(fuzzRoute, { minLength: 1, maxLength: 4 }).map((routes) => ({ routes }));

/** The declared path of route `i`. */
const routePath = (route: FuzzRoute, i: number) => `/r${i}${route.path}`;

function declare(c: FuzzCase): RouteProps[] {
  return c.routes.map((r, i) => ({
    match: {
      path: r.pathKind === 'exact' ? PathMatch.exact(routePath(r, i)) : PathMatch.prefix(routePath(r, i)),
      headers: r.header === undefined ? undefined : [HeaderMatch.exact('x-m', r.header)],
      queryParams: r.query === undefined ? undefined : [QueryParamMatch.exact(r.queryName ?? 'q', r.query)],
    },
    ...(r.setRequest === undefined && r.addRequest === undefined ? {} : {
      requestHeaders: {
        ...(r.setRequest === undefined ? {} : { set: { 'x-set': r.setRequest } }),
        ...(r.addRequest === undefined ? {} : { add: { 'x-add': r.addRequest } }),
      },
    }),
    ...(r.setResponse === undefined ? {} : { responseHeaders: { set: { 'x-resp': r.setResponse } } }),
    ...(r.rewrite === undefined ? {} : { rewrite: { path: r.rewrite } }),
    ...(r.kind === 'redirect' ? { redirect: { path: r.redirectPath!, statusCode: 302 as const } } : {}),
    ...(r.kind === 'challenge' ? { auth: Auth.basic({ secret: 'fuzz-users', realm: r.realm }) } : {}),
  }));
}

/** A header value as Node sends it: each UTF-8 byte as one latin1 character. */
const wire = (value: string) => Buffer.from(value, 'utf8').toString('latin1');
/** A header value as Node received it (latin1), read back as the UTF-8 text it carries. */
const unwire = (value: string | string[] | undefined) => value === undefined ? undefined : Buffer.from(String(value), 'latin1').toString('utf8');
/** Every byte percent-encoded, lower-case hex: another encoding of the same query value. */
const everyByteEncoded = (value: string) => [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/** What must happen on the nginx of the case's pod. Returns the mismatches, empty when all hold. */
async function observe(c: FuzzCase, port: number): Promise<string[]> {
  const problems: string[] = [];
  const expectEqual = (what: string, actual: unknown, expected: unknown) => {
    if (actual !== expected) problems.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  };
  for (const [i, r] of c.routes.entries()) {
    const declared = routePath(r, i);
    const requestPath = r.pathKind === 'exact' ? declared : `${declared}/t`;
    const name = r.queryName ?? 'q';
    const send = (overrides: { path?: string; header?: string; query?: string } = {}): Promise<Response> => {
      const query = overrides.query ?? (r.query === undefined ? '' : `?${name}=${encodeURIComponent(r.query)}`);
      const header = overrides.header ?? r.header;
      return request(port, {
        host: HOST,
        path: `${overrides.path ?? requestPath}${query}`,
        headers: { 'x-add': 'client', ...header === undefined ? {} : { 'x-m': wire(header) } },
      });
    };
    const res = await send();
    const at = `routes[${i}] ${r.kind} ${JSON.stringify(requestPath)}`;
    if (r.kind === 'forward') {
      expectEqual(`${at}: status`, res.status, 200);
      if (res.status === 200) {
        const seen = res.json();
        expectEqual(`${at}: backend`, seen.backend, 'fuzz');
        if (r.setRequest !== undefined) expectEqual(`${at}: x-set at the backend`, unwire(seen.headers['x-set']), r.setRequest);
        expectEqual(`${at}: x-add at the backend`, unwire(seen.headers['x-add']), r.addRequest === undefined ? 'client' : `client, ${r.addRequest}`);
        const query = r.query === undefined ? '' : `?${name}=${encodeURIComponent(r.query)}`;
        const rewritten = r.rewrite === undefined ? `${requestPath}${query}`
          : r.pathKind === 'exact' ? `${r.rewrite}${query}` : `${r.rewrite === '/' ? '' : r.rewrite}/t${query}`;
        expectEqual(`${at}: path at the backend`, seen.path, rewritten);
      }
      if (r.setResponse !== undefined) expectEqual(`${at}: x-resp at the client`, unwire(res.headers['x-resp']), r.setResponse);
    } else if (r.kind === 'redirect') {
      expectEqual(`${at}: status`, res.status, 302);
      expectEqual(`${at}: Location`, res.headers.location, `http://${HOST}${r.redirectPath}`);
      if (r.setResponse !== undefined) expectEqual(`${at}: x-resp at the client`, unwire(res.headers['x-resp']), r.setResponse);
    } else {
      expectEqual(`${at}: status`, res.status, 401);
      expectEqual(`${at}: WWW-Authenticate`, unwire(res.headers['www-authenticate']), `Basic realm="${r.realm}"`);
    }
    // The same match in other encodings of the query value.
    if (r.query !== undefined) {
      expectEqual(`${at}: status with the query value encoded byte by byte`, (await send({ query: `?${name}=${everyByteEncoded(r.query)}` })).status, res.status);
      const plus = `?${name}=${encodeURIComponent(r.query).replace(/%20/g, '+')}`;
      expectEqual(`${at}: status with spaces in the query value as "+"`, (await send({ query: plus })).status, res.status);
      // Names compare exactly (in another case, it is another parameter), and only the first one counts.
      const swapped = [...name].map((ch) => ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase()).join('');
      expectEqual(`${at}: status with the parameter named "${swapped}"`, (await send({ query: `?${swapped}=${encodeURIComponent(r.query)}` })).status, 404);
      const twice = `?${name}=x${encodeURIComponent(r.query)}&${name}=${encodeURIComponent(r.query)}`;
      expectEqual(`${at}: status with another "${name}" first`, (await send({ query: twice })).status, 404);
    }
    // The same path in another encoding (letters percent-encoded, hex in lower case): nginx routes
    // on the decoded path; a prefix rewrite, which works on the URI as sent, refuses it (400).
    const reencoded = requestPath.replace(/%[0-9A-F]{2}|[A-Za-z]/g, (m) => m.length === 3 ? m.toLowerCase() : `%${m.charCodeAt(0).toString(16)}`);
    const prefixRewrite = r.kind === 'forward' && r.pathKind === 'prefix' && r.rewrite !== undefined;
    expectEqual(`${at}: status with the path encoded otherwise (${reencoded})`, (await send({ path: reencoded })).status, prefixRewrite ? 400 : res.status);
    // A dot segment the route is chosen through never carries a prefix rewrite outside its target.
    if (r.kind === 'forward' && r.pathKind === 'prefix' && r.rewrite !== undefined) {
      expectEqual(`${at}: status with a dot segment under a prefix rewrite`, (await send({ path: `${declared}/x/../t` })).status, 400);
    }
    // One byte more anywhere the match looks: no route takes the request.
    expectEqual(`${at}: status with one more byte in the path`, (await send({ path: r.pathKind === 'exact' ? `${declared}x` : `${declared}x/t` })).status, 404);
    if (r.header !== undefined) expectEqual(`${at}: status with one more byte in x-m`, (await send({ header: `${r.header}x` })).status, 404);
    if (r.query !== undefined) expectEqual(`${at}: status with one more byte in ${name}`, (await send({ query: `?${name}=${encodeURIComponent(`${r.query}x`)}` })).status, 404);
  }
  return problems;
}

/** Synthesizes the case (every check of the suite), runs its pod's nginx, and observes it; or the refusal of text too long for nginx. */
async function run(c: FuzzCase, backend: TestBackend): Promise<string[] | { refused: string }> {
  const chart = testChart('fuzz', 'fuzz');
  try {
    new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      hosts: [HOST],
      backend: Backend.fromName('fuzz', 8080),
      routes: declare(c),
    });
  } catch (e) {
    const lines = (e as Error).message.split('\n');
    if (e instanceof ExposureError && lines.every((line) => line.includes(TOO_LONG))) return { refused: (e as Error).message };
    throw e;
  }
  const manifests = synthChecked(chart);
  const pod = await simulatePod({ manifests, secrets: [secretManifest('fuzz-users', { user: 'password' })] });
  try {
    const nginx = await startNginxInPod(pod, { upstreams: { 'fuzz.fuzz.svc.cluster.local:8080': `127.0.0.1:${backend.port}` } });
    try {
      return await observe(c, nginx.ports.http);
    } finally {
      await nginx.stop();
    }
  } finally {
    pod.dispose();
  }
}

describe('declared text through the real nginx', () => {
  let backend: TestBackend;
  beforeAll(async () => { backend = await startBackend('fuzz'); });
  afterAll(async () => { await backend?.close(); });

  const corpus: FuzzCase[] = JSON.parse(fs.readFileSync(CORPUS, 'utf8'));
  test.each(corpus.map((c, i) => [i, c] as const))('corpus case %i', async (_i, c) => {
    const outcome = await run(c, backend);
    if (c.refused === undefined) expect(outcome).toEqual([]);
    else expect(outcome).toEqual({ refused: expect.stringContaining(c.refused) });
  });

  test(`${RUNS} random declarations`, async () => {
    await fc.assert(fc.asyncProperty(fuzzCase, async (c) => {
      const outcome = await run(c, backend).catch((e: Error) => [e.message]);
      const problems = Array.isArray(outcome) ? outcome : [];
      if (problems.length > 0) {
        throw new Error(`${problems.join('\n')}\nadd to ${path.basename(CORPUS)}: ${JSON.stringify(c)}\nreplay: FUZZ_SEED=${SEED}`);
      }
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
  });
});
