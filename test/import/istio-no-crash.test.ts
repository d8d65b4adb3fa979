import { corpus, mutate, random } from './mesh-expr';
import { importManifests } from '../../src/import/import-manifests';
import { SourceDocument } from '../../src/import/model';
import { writeTypeScript } from '../../src/import/write-typescript';
import { loadGenerated } from '../support/imported-code';

/** Whatever an Istio manifest holds where its schema expects something else, the importer answers and its output parses. */
const SEEDS = corpus(
  'istio/httpbin/httpbin-gateway.yaml', 'istio/bookinfo/networking/bookinfo-gateway.yaml', 'istio/bookinfo/networking/destination-rule-reviews.yaml',
  'ingress2gateway/istio/1-gateway.input.yaml', 'ingress2gateway/istio/2-virtualservice-http.input.yaml', 'ingress2gateway/istio/5-referencegrants.input.yaml',
);

test('mutated Istio manifests: no crash, and the output parses', () => {
  const next = random(20);
  for (let run = 0; run < 300; run++) {
    const documents: SourceDocument[] = SEEDS
      .map((d) => ({ ...d, manifest: mutate(d.manifest, next, 1 + Math.floor(next() * 4)) as Record<string, any> }))
      // A VirtualService bound to the Gateway in every run, so that exposures are made.
      .concat(SEEDS.filter((d) => d.manifest.kind === 'VirtualService').slice(0, 1));
    const result = importManifests(documents);
    const exports = loadGenerated(writeTypeScript(result), { 'cdk8s-expose': {}, 'cdk8s': {} });
    expect(Object.keys(exports).length).toBeGreaterThan(0);
  }
});
