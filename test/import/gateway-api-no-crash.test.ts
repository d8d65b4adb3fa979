import { corpus, mutate, random } from './mesh-expr';
import { importManifests } from '../../src/import/import-manifests';
import { SourceDocument } from '../../src/import/model';
import { writeTypeScript } from '../../src/import/write-typescript';
import { loadGenerated } from '../support/imported-code';

/** Whatever a Gateway API manifest holds where its schema expects something else, the importer answers and its output parses. */
const SEEDS = corpus(
  'gateway-api/basic-http.yaml', 'gateway-api/http-redirect.yaml', 'gateway-api/http-cors/httproute-credentials-true.yaml',
  'gateway-api/http-redirect-rewrite/httproute-rewrite.yaml', 'gateway-api/traffic-splitting/simple-split.yaml', 'gateway-api/reference-grant.yaml',
  'ingress2gateway/nginx-org/nginx-grpc-services.output.yaml', 'ingress2gateway/nginx-org/nginx-proxy-set-headers.output.yaml',
);

test('mutated Gateway API manifests: no crash, and the output parses', () => {
  const next = random(21);
  for (let run = 0; run < 300; run++) {
    const documents: SourceDocument[] = SEEDS
      .map((d) => ({ ...d, manifest: mutate(d.manifest, next, 1 + Math.floor(next() * 4)) as Record<string, any> }));
    const result = importManifests(documents);
    const exports = loadGenerated(writeTypeScript(result), { 'cdk8s-expose': {}, 'cdk8s': {} });
    expect(Object.keys(exports).length).toBeGreaterThan(0);
  }
});
