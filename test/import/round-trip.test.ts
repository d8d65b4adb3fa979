import { corpusFiles, roundTrip } from '../support/round-trip';

/**
 * Files whose original no routing model reads as a whole, with the reason (each is also a loss of
 * the import): on them the round trip on the source's strategy is only that loss.
 */
const ORIGINAL_NOT_ROUTABLE: Readonly<Record<string, string>> = {
  'ingress-nginx/customization/configuration-snippets/ingress.yaml': 'raw nginx in a configuration-snippet',
  'ingress-nginx/openpolicyagent/tests/should-allow-ns-except.yaml': 'an ImplementationSpecific path of an Ingress without a class',
};

/**
 * Every file of the import corpus (test/fixtures/import-corpus): imported, synthesized on the
 * strategy it was written for, and routed request by request against the original (route(),
 * requestsFor()); then on every other strategy. What an exposure loses is reported. On the
 * source's strategy every accepted file routes every request as the original does, except where
 * the original cannot be routed at all (listed above). What routes differently on the other
 * strategies is listed in the snapshot for review.
 */
describe.each(corpusFiles())('%s', (file) => {
  test('round trip', () => {
    const r = roundTrip(file);
    for (const p of r.partitions) {
      const why = ORIGINAL_NOT_ROUTABLE[file];
      if (why === undefined) {
        expect(p.source).toEqual([]);
      } else {
        // Each difference is a request the model cannot route on the original: "<request>: route: ... | <import's answer>".
        expect(p.source.length).toBeGreaterThan(0);
        for (const d of p.source) expect(d).toMatch(/^[A-Z]+ \S+( \{.*\})?: route: /);
      }
    }
    expect({ losses: r.losses, partitions: r.partitions }).toMatchSnapshot();
  });
});
