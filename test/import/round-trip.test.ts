import { corpusFiles, roundTrip } from '../support/round-trip';

/**
 * Every file of the import corpus (test/fixtures/import-corpus): imported, synthesized on the
 * strategy it was written for, and routed request by request against the original (route(),
 * requestsFor()); then on every other strategy. What an exposure loses is reported; what routes
 * differently is listed in the snapshot for review. An exposure that lost nothing routes as the
 * original on its own strategy, request for request.
 */
describe.each(corpusFiles())('%s', (file) => {
  test('round trip', () => {
    const r = roundTrip(file);
    for (const p of r.partitions) {
      const exposures = r.result.exposures.filter((e) => e.namespace === p.namespace);
      if (exposures.every((e) => e.losses.length === 0)) expect(p.source).toEqual([]);
    }
    expect({ losses: r.losses, partitions: r.partitions }).toMatchSnapshot();
  });
});
