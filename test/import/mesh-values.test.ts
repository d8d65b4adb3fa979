import { bySpecificity, durationMs, RouteDraft } from '../../src/import/mesh-values';
import { orderBySpecificity } from '../../src/intent/precedence';

const draft = (field: string, path?: RouteDraft['path'], extra: Partial<RouteDraft> = {}): RouteDraft =>
  ({ field, path, headers: [], queryParams: [], props: {}, ...extra });

describe('the readers\' precedence is the declaration\'s', () => {
  test('bySpecificity orders as orderBySpecificity (src/intent/precedence.ts) does', () => {
    const drafts = [
      draft('catch-all'),
      draft('prefix /api', { kind: 'prefix', value: '/api' }),
      draft('prefix /api/', { kind: 'prefix', value: '/api/' }),
      draft('prefix /api/v2', { kind: 'prefix', value: '/api/v2' }),
      draft('regex', { kind: 'regex', value: '/api/v[0-9]+' }),
      draft('exact', { kind: 'exact', value: '/healthz' }),
      draft('prefix /api GET', { kind: 'prefix', value: '/api' }, { method: 'GET' }),
      draft('prefix /api header', { kind: 'prefix', value: '/api' }, { headers: [{ name: 'x', kind: 'exact', value: '1' }] }),
      draft('prefix /api query', { kind: 'prefix', value: '/api' }, { queryParams: [{ name: 'q', kind: 'exact', value: '1' }] }),
      draft('exact long', { kind: 'exact', value: '/healthz/ready' }),
    ];
    const asIntent = (d: RouteDraft) => ({
      field: d.field,
      match: {
        path: d.path === undefined ? { kind: 'prefix', value: '/' } : d.path.kind === 'prefix' && d.path.value.length > 1
          ? { kind: 'prefix', value: d.path.value.replace(/\/+$/, '') } : d.path,
        method: d.method,
        headers: d.headers,
        queryParams: d.queryParams,
      },
    });
    const expected = orderBySpecificity(drafts.map(asIntent) as any).map((r: any) => r.field);
    expect(bySpecificity(drafts).map((d) => d.field)).toEqual(expected);
  });

  test('durations', () => {
    expect(['5s', '1.5s', '100ms', '1m', '1h30m', '0s', '5', 's', '-1s'].map(durationMs)).toEqual([5000, 1500, 100, 60000, 5400000, 0, undefined, undefined, undefined]);
  });
});
