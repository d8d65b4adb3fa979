import * as fc from 'fast-check';
import * as YAML from 'yaml';
import {
  ApiGatewayEngine, Backend, Deprecation, DeprecationOptions, ExposedService, ExposedServiceProps, ExposureStrategy, HeaderMatch, IngressController,
  PathMatch, RouteProps,
} from '../src';
import { declarationError, find, Manifest, synthChecked, testChart } from './support/synth';
import { HTTP_DATE_END_SECONDS, imfFixdate, structuredFieldDate } from '../src/core/http-dates';
import { atLeastRegex } from '../src/strategies/api-gateway/nginx/nginx-clock';

/**
 * API lifecycle: a deprecated route (RFC 9745) and its sunset (RFC 8594) as response headers on
 * every strategy that edits response headers; 410 Gone after the sunset on the NGINX engine.
 */
const SINCE = new Date('2026-01-01T00:00:00Z');
const SUNSET = new Date('2026-07-01T00:00:00Z');
const LINK = 'https://developer.example.com/migrate-to-v2';
const deprecated = (options: Partial<DeprecationOptions> = {}) => Deprecation.of({ since: SINCE, sunset: SUNSET, link: LINK, ...options });
// The values RFC 9745 and RFC 8594 define, for the dates above.
const HEADERS = { deprecation: '@1767225600', sunset: 'Wed, 01 Jul 2026 00:00:00 GMT', link: `<${LINK}>; rel="deprecation"` };

const v1 = () => Backend.fromName('api-v1', 8080);
const v2 = () => Backend.fromName('api-v2', 8080);
const versioned = (d: Deprecation): Partial<ExposedServiceProps> => ({
  hosts: ['api.example.com'],
  routes: [
    { match: { path: PathMatch.prefix('/v1') }, backend: v1(), deprecation: d },
    { match: { path: PathMatch.prefix('/v2') }, backend: v2() },
  ],
});

function expose(strategy: ExposureStrategy, props: Partial<ExposedServiceProps>): Manifest[] {
  const chart = testChart('shop', 'shop');
  new ExposedService(chart, 'api', { strategy, ...props });
  return synthChecked(chart);
}
const nginx = () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() });
const kong = () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() });
const istio = () => ExposureStrategy.istio();
const gatewayApi = () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' });
const error = (props: Partial<ExposedServiceProps>, strategy = istio()) => declarationError({ strategy, ...props } as ExposedServiceProps).message;

describe('the header values, as the RFCs write them', () => {
  test('Sunset is an IMF-fixdate (RFC 9110 5.6.7), Deprecation an sf-date (RFC 9651 3.3.7)', () => {
    expect(imfFixdate(0)).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    // RFC 9110's example.
    expect(imfFixdate(784111777)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(imfFixdate(HTTP_DATE_END_SECONDS - 1)).toBe('Fri, 31 Dec 9999 23:59:59 GMT');
    // RFC 9651's example of a Date.
    expect(structuredFieldDate(1659578233)).toBe('@1659578233');
    expect(() => imfFixdate(HTTP_DATE_END_SECONDS)).toThrow();
    expect(() => imfFixdate(1.5)).toThrow();
  });

  test('every whole second from 1970 to 9999 is written in the IMF-fixdate grammar, and reads back as that second', () => {
    const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-2][0-9]:[0-5][0-9]:[0-6][0-9] GMT$/;
    fc.assert(fc.property(fc.integer({ min: 0, max: HTTP_DATE_END_SECONDS - 1 }), (s) => {
      const text = imfFixdate(s);
      expect(text).toMatch(IMF_FIXDATE);
      expect(Date.parse(text)).toBe(s * 1000);
    }), { numRuns: 2000 });
  });
});

describe('the NGINX engine\'s clock regex: exactly the whole numbers at least n', () => {
  const matches = (n: number, m: string) => new RegExp(`^${atLeastRegex(n)}$`).test(m);

  test('boundaries: n - 1, n, n + 1, the powers of ten and the numbers of nines around them', () => {
    const ns = [0, 1, 9, 10, 99, 100, 101, 1767225600, 1782864000, 1999999999, 2000000000, 9999999999, 10000000000, 4102444800];
    for (const n of ns) {
      const around = [n - 1, n, n + 1, 10 ** String(n).length - 1, 10 ** String(n).length, 10 ** (String(n).length - 1)].filter((m) => m >= 0);
      for (const m of around) expect([n, m, matches(n, String(m))]).toEqual([n, m, m >= n]);
    }
  });

  test('random numbers and dates: the regex agrees with >=', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 0, max: 10 ** 12 }), (n, m) => {
      expect(matches(n, String(m))).toBe(m >= n);
    }), { numRuns: 5000 });
    // Numbers close to each other: the digits differ late.
    fc.assert(fc.property(fc.integer({ min: 0, max: HTTP_DATE_END_SECONDS }), fc.integer({ min: -1000, max: 1000 }), (n, d) => {
      fc.pre(n + d >= 0);
      expect(matches(n, String(n + d))).toBe(d >= 0);
    }), { numRuns: 5000 });
  });

  test('no other text: a sign, leading zeros, a fraction or nothing', () => {
    for (const text of ['', '-1', '+1782864000', '01782864000', '1782864000.5', ' 1782864000', 'x']) expect(matches(0, text)).toBe(false);
  });
});

describe('Deprecation values', () => {
  test.each<[string, unknown, string[]]>([
    ['since that is not a Date (JavaScript)', { since: '2026-01-01', sunset: SUNSET },
      ['since is a string ("2026-01-01"); use a Date, e.g. new Date(\'2026-07-01T00:00:00Z\')']],
    ['an invalid Date', { since: SINCE, sunset: new Date('first of July') },
      ['sunset is an invalid Date; use a Date of a real time, e.g. new Date(\'2026-07-01T00:00:00Z\')']],
    ['milliseconds', { since: new Date('2026-01-01T00:00:00.250Z'), sunset: SUNSET },
      ['since 2026-01-01T00:00:00.250Z is not a whole second; the HTTP date headers are exact to the second: drop the milliseconds']],
    ['before 1970', { since: new Date('1969-12-31T23:59:59Z'), sunset: SUNSET },
      ['since 1969-12-31T23:59:59.000Z is not from 1970 to 9999, the years an HTTP date writes']],
    ['after 9999', { since: SINCE, sunset: new Date(Date.UTC(10000, 0, 1)) },
      ['sunset +010000-01-01T00:00:00.000Z is not from 1970 to 9999, the years an HTTP date writes']],
    ['a sunset before the deprecation', { since: SUNSET, sunset: SINCE },
      ['sunset 2026-01-01T00:00:00.000Z is before since 2026-07-01T00:00:00.000Z; a route is deprecated before its sunset (RFC 9745): declare a later sunset']],
    ['a relative link', { since: SINCE, sunset: SUNSET, link: '/docs/v2' },
      ['link "/docs/v2" is not an absolute https:// or http:// URL; use e.g. "https://developer.example.com/deprecation"']],
    ['a link of another scheme', { since: SINCE, sunset: SUNSET, link: 'mailto:api@example.com' },
      ['link "mailto:api@example.com" is not an absolute https:// or http:// URL; use e.g. "https://developer.example.com/deprecation"']],
    ['a link with a space and a ">"', { since: SINCE, sunset: SUNSET, link: 'https://example.com/a b>' },
      ['link "https://example.com/a b>" has characters a URI does not (white space, quotes, "<", ">", non-ASCII, a "%" not followed by two hex digits); percent-encode them (RFC 3986)']],
    ['a link with a stray "%"', { since: SINCE, sunset: SUNSET, link: 'https://example.com/100%' },
      ['link "https://example.com/100%" has characters a URI does not (white space, quotes, "<", ">", non-ASCII, a "%" not followed by two hex digits); percent-encode them (RFC 3986)']],
    ['a link that is not a string (JavaScript)', { since: SINCE, sunset: SUNSET, link: 42 },
      ['link is a number (42); use an absolute URL such as "https://developer.example.com/deprecation"']],
    ['a very long link', { since: SINCE, sunset: SUNSET, link: `https://example.com/${'a'.repeat(2100)}` }, ['link is 2120 characters; at most 2048']],
    ['retire that is not a boolean (JavaScript)', { since: SINCE, sunset: SUNSET, retire: 'yes' }, ['retire is a string ("yes"); use true or false']],
    ['an unknown option', { since: SINCE, sunset: SUNSET, deprecated: true },
      ['deprecated is not an option of Deprecation.of; use since, sunset, link, retire']],
    ['no dates at all (JavaScript)', {}, [
      'since is undefined; use a Date, e.g. new Date(\'2026-07-01T00:00:00Z\')',
      'sunset is undefined; use a Date, e.g. new Date(\'2026-07-01T00:00:00Z\')',
    ]],
    ['options that are not an object (JavaScript)', SUNSET,
      ['options is a Date; use an object such as { since: new Date(\'2026-01-01T00:00:00Z\'), sunset: new Date(\'2026-07-01T00:00:00Z\') }']],
  ])('%s', (_name, options, messages) => {
    expect(error({ backend: v1(), deprecation: Deprecation.of(options as never) })).toBe(messages.map((m) => `ExposedService test/public: deprecation: ${m}`).join('\n'));
  });

  test('a route\'s deprecation is reported under its field', () => {
    expect(error({ backend: v1(), routes: [{ match: { path: PathMatch.prefix('/v1') }, deprecation: Deprecation.of({ since: SUNSET, sunset: SINCE }) }] }))
      .toBe('ExposedService test/public: routes[0].deprecation: sunset 2026-01-01T00:00:00.000Z is before since 2026-07-01T00:00:00.000Z; '
        + 'a route is deprecated before its sunset (RFC 9745): declare a later sunset');
  });

  test('the same day for both is a deprecation that takes effect at its sunset', () => {
    const manifests = expose(istio(), { backend: v1(), deprecation: Deprecation.of({ since: SUNSET, sunset: SUNSET }) });
    expect(find(manifests, 'VirtualService').spec.http[0].headers.response.set).toEqual({ deprecation: '@1782864000', sunset: HEADERS.sunset });
  });

  test('deprecation that is not a Deprecation (JavaScript) is a runtime type error', () => {
    expect(error({ backend: v1(), deprecation: { since: SINCE, sunset: SUNSET } as never }))
      .toBe('ExposedService test/public: deprecation: is an object; use Deprecation.of({ since, sunset, link, retire })');
  });

  test('the route\'s response header edits cannot also write Deprecation, Sunset or Link', () => {
    expect(error({
      backend: v1(),
      deprecation: deprecated(),
      routes: [{ responseHeaders: { set: { 'Sunset': 'tomorrow', 'x-served-by': 'gw' }, add: { link: '<https://example.com>; rel="help"' }, remove: ['deprecation'] } }],
    })).toBe([
      'ExposedService test/public: routes[0].responseHeaders.set: "sunset" is a header of deprecation (Deprecation, Sunset and its Link); remove it from the edits, or the deprecation',
      'ExposedService test/public: routes[0].responseHeaders.add: "link" is a header of deprecation (Deprecation, Sunset and its Link); remove it from the edits, or the deprecation',
      'ExposedService test/public: routes[0].responseHeaders.remove: "deprecation" is a header of deprecation (Deprecation, Sunset and its Link); remove it from the edits, or the deprecation',
    ].join('\n'));
  });
});

describe('Deprecation: the strategies that cannot express it', () => {
  test.each<[string, ExposureStrategy]>([
    ['nodePort', ExposureStrategy.nodePort()],
    ['loadBalancer', ExposureStrategy.loadBalancer()],
    ['ingress', ExposureStrategy.ingress({ className: 'nginx' })],
    // No annotation edits response headers (configuration-snippet is off by default since ingress-nginx v1.9).
    ['ingress (ingressNginx)', ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() })],
  ])('%s cannot edit response headers: an error naming the strategies that can', (name, strategy) => {
    expect(error({ backend: v1(), deprecation: deprecated() }, strategy).split('\n'))
      .toContain(`ExposedService test/public: deprecation: 'deprecation' is not supported by ${name}; supported by: istio, gatewayApi, apiGateway (nginx), apiGateway (kong)`);
  });

  test.each<[string, ExposureStrategy]>([
    ['istio', istio()],
    ['gatewayApi', gatewayApi()],
  ])('%s cannot answer by the date: retire is an error naming the engines that can', (name, strategy) => {
    expect(error({ ...versioned(deprecated({ retire: true })) }, strategy))
      .toBe(`ExposedService test/public: routes[0].deprecation.retire: 'deprecation-retire' is not supported by ${name}; supported by: apiGateway (nginx), apiGateway (kong)`);
  });
});

describe('Deprecation: the headers on each strategy, on the deprecated route only', () => {
  test('Istio: the VirtualService route\'s response headers', () => {
    const http = find(expose(istio(), versioned(deprecated())), 'VirtualService').spec.http;
    const v1Route = http.find((h: any) => h.match[0].uri.prefix === '/v1');
    expect(v1Route.headers).toEqual({ response: { set: { deprecation: HEADERS.deprecation, sunset: HEADERS.sunset }, add: { link: HEADERS.link } } });
    expect(http.find((h: any) => h.match[0].uri.prefix === '/v2').headers).toBeUndefined();
  });

  test('Gateway API: a ResponseHeaderModifier filter', () => {
    const rules = find(expose(gatewayApi(), versioned(deprecated())), 'HTTPRoute').spec.rules;
    const rule = (prefix: string) => rules.find((r: any) => r.matches[0].path.value === prefix);
    expect(rule('/v1').filters).toEqual([{
      type: 'ResponseHeaderModifier',
      responseHeaderModifier: {
        set: [{ name: 'deprecation', value: HEADERS.deprecation }, { name: 'sunset', value: HEADERS.sunset }],
        add: [{ name: 'link', value: HEADERS.link }],
      },
    }]);
    expect(rule('/v2').filters).toBeUndefined();
  });

  test('the Kong engine: a response-transformer replacing Deprecation and Sunset, appending the Link', () => {
    const config = YAML.parse(find(expose(kong(), versioned(deprecated())), 'ConfigMap').data['kong.yml'], { version: '1.1' });
    const pluginsOf = (name: string) => config.services.find((s: any) => s.name === name).plugins;
    expect(pluginsOf('routes-0')).toEqual([{
      name: 'response-transformer',
      config: {
        remove: { headers: [] },
        replace: { headers: [`deprecation:${HEADERS.deprecation}`, `sunset:${HEADERS.sunset}`] },
        add: { headers: [`deprecation:${HEADERS.deprecation}`, `sunset:${HEADERS.sunset}`] },
        append: { headers: [`link:${HEADERS.link}`] },
      },
    }]);
    expect(pluginsOf('routes-1')).toBeUndefined();
  });

  test('the NGINX engine: the backend\'s Deprecation and Sunset hidden, the three added on every response; no clock without retire', () => {
    const config: string = find(expose(nginx(), versioned(deprecated())), 'ConfigMap').data['nginx.conf'];
    const location = (i: number) => config.slice(config.indexOf(`location = /__route/${i} {`), config.indexOf('}\n', config.indexOf(`location = /__route/${i} {`)));
    expect(location(0)).toContain([
      'proxy_hide_header deprecation;',
      '      proxy_hide_header sunset;',
      '      add_header deprecation "@1767225600" always;',
      '      add_header sunset "Wed, 01 Jul 2026 00:00:00 GMT" always;',
      `      add_header link "<${LINK}>; rel=\\"deprecation\\"" always;`,
    ].join('\n'));
    expect(location(1)).not.toMatch(/deprecation|sunset|link/);
    expect(config).not.toContain('$msec');
  });

  test('the Kong engine retires after the sunset: a pre-function comparing Kong\'s clock, Kong\'s JSON error, the sandbox written in the environment', () => {
    const manifests = expose(kong(), versioned(deprecated({ retire: true })));
    const config = YAML.parse(find(manifests, 'ConfigMap').data['kong.yml'], { version: '1.1' });
    const plugins = config.services.find((s: any) => s.name === 'routes-0').plugins;
    expect(plugins[0]).toEqual({
      name: 'pre-function',
      config: { access: ['return function() if ngx.time() >= 1782864000 then return kong.response.error(410, "Gone") end end'] },
    });
    expect(plugins.map((p: any) => p.name)).toEqual(['pre-function', 'response-transformer']);
    expect(config.services.find((s: any) => s.name === 'routes-1').plugins).toBeUndefined();
    const env = find(manifests, 'Deployment').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'KONG_UNTRUSTED_LUA', value: 'sandbox' });
    // Without retire, no Lua and the environment as before.
    const plain = expose(kong(), versioned(deprecated()));
    expect(find(plain, 'Deployment').spec.template.spec.containers[0].env.map((e: any) => e.name)).not.toContain('KONG_UNTRUSTED_LUA');
  });

  test('on the exposure, every route is deprecated; a route\'s own deprecation wins; declared response headers stay beside it', () => {
    const later = Deprecation.of({ since: SINCE, sunset: new Date('2027-01-01T00:00:00Z') });
    const http = find(expose(istio(), {
      backend: v1(),
      deprecation: deprecated(),
      routes: [
        { match: { path: PathMatch.prefix('/v1/orders') }, deprecation: later },
        { match: { path: PathMatch.prefix('/v1') }, responseHeaders: { set: { 'x-api-version': '1' } } },
      ],
    }), 'VirtualService').spec.http;
    expect(http.map((h: any) => h.headers.response)).toEqual([
      { set: { deprecation: HEADERS.deprecation, sunset: 'Fri, 01 Jan 2027 00:00:00 GMT' } },
      { set: { 'deprecation': HEADERS.deprecation, 'sunset': HEADERS.sunset, 'x-api-version': '1' }, add: { link: HEADERS.link } },
    ]);
  });

  test('the NGINX engine retires after the sunset: a map of its clock ($msec) per sunset date, 410 before any other check but the client address and CORS', () => {
    const config: string = find(expose(nginx(), {
      hosts: ['api.example.com'],
      routes: [
        { match: { path: PathMatch.prefix('/v1') }, backend: v1(), deprecation: deprecated({ retire: true }) },
        { match: { path: PathMatch.prefix('/v0') }, backend: v1(), deprecation: deprecated({ retire: true }) },
        { match: { path: PathMatch.prefix('/v2') }, backend: v2() },
      ],
    }), 'ConfigMap').data['nginx.conf'];
    // One map for the two routes of one sunset, matching $msec ("<seconds>.<milliseconds>") from 1782864000.000 on.
    expect(config.match(/map \$msec /g)).toHaveLength(1);
    expect(config).toContain(`  map $msec $sunset_passed_0 {\n    default 0;\n    "~^${atLeastRegex(1782864000).replace(/\\/g, '\\\\')}\\\\.[0-9]{3}\\\\z" 1;\n  }`);
    expect(config.match(/if \(\$sunset_passed_0\) \{\n\s+return 410;\n\s+\}/g)).toHaveLength(2);
    expect(config).toContain('error_page 410 @error_410;');
    expect(config).toContain('return 410 \'{"error":"gone","status":410,"request_id":"$request_id"}\\n\';');
  });
});

describe('README: versioned APIs', () => {
  // The README's example, retire aside (the NGINX engine's only).
  const routes = (retire: boolean): RouteProps[] => [
    {
      match: { path: PathMatch.prefix('/v1') },
      backend: Backend.fromName('api-v1', 8080),
      rewrite: { path: '/' },
      deprecation: Deprecation.of({ since: SINCE, sunset: SUNSET, link: LINK, retire }),
    },
    { match: { path: PathMatch.prefix('/v2') }, backend: Backend.fromName('api-v2', 8080), rewrite: { path: '/' } },
    {
      match: { path: PathMatch.prefix('/orders'), headers: [HeaderMatch.exact('api-version', '1')] },
      backend: Backend.fromName('api-v1', 8080),
      deprecation: Deprecation.of({ since: SINCE, sunset: SUNSET }),
    },
    { match: { path: PathMatch.prefix('/orders') }, backend: Backend.fromName('api-v2', 8080) },
  ];

  test('on Istio: the version header\'s route before the path\'s, each deprecated route with its headers', () => {
    const http = find(expose(istio(), { hosts: ['api.example.com'], routes: routes(false) }), 'VirtualService').spec.http;
    // A rewritten prefix is two Istio routes (the prefix itself, and below it, each with its rewrite).
    const summary = (h: any) => [
      h.match.map((m: any) => m.uri), h.match[0].headers ?? {}, h.route[0].destination.host, h.headers?.response.set.sunset,
    ];
    expect(http.map(summary))
      .toEqual([
        [[{ prefix: '/orders' }], { 'api-version': { exact: '1' } }, 'api-v1.shop.svc.cluster.local', HEADERS.sunset],
        [[{ prefix: '/orders' }], {}, 'api-v2.shop.svc.cluster.local', undefined],
        [[{ exact: '/v1' }], {}, 'api-v1.shop.svc.cluster.local', HEADERS.sunset],
        [[{ prefix: '/v1/' }], {}, 'api-v1.shop.svc.cluster.local', HEADERS.sunset],
        [[{ exact: '/v2' }], {}, 'api-v2.shop.svc.cluster.local', undefined],
        [[{ prefix: '/v2/' }], {}, 'api-v2.shop.svc.cluster.local', undefined],
      ]);
  });

  test('on the NGINX engine, with /v1 retired after its sunset', () => {
    const config: string = find(expose(nginx(), { hosts: ['api.example.com'], routes: routes(true) }), 'ConfigMap').data['nginx.conf'];
    expect(config.match(/return 410;/g)).toHaveLength(1);
  });
});
