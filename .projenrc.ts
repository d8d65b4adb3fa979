import { javascript, JsonFile, TextFile, typescript } from 'projen';
import { renderCapabilityTable } from './src/capability-matrix';

const project = new typescript.TypeScriptProject({
  name: 'cdk8s-expose',
  description: 'One declaration of how a Kubernetes service is exposed; one prop picks Service, Ingress, Istio, Gateway API or an API gateway.',
  license: 'Apache-2.0',
  copyrightOwner: 'The cdk8s-expose authors',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  typescriptVersion: '~5.9.0',

  // The library and the generated L1s in imports/ compile together (rootDir '.'),
  // so the package entry point is lib/src/index.js.
  entrypoint: 'lib/src/index.js',
  entrypointTypes: 'lib/src/index.d.ts',
  tsconfig: {
    include: ['imports/**/*.ts'],
    compilerOptions: { rootDir: '.', skipLibCheck: true },
  },
  tsconfigDev: {
    include: ['../src/**/*.ts'],
    compilerOptions: { skipLibCheck: true },
  },

  peerDeps: ['cdk8s@^2.70.0', 'constructs@^10.8.0', 'cdk8s-plus-27@^2.9.5'],
  // The Kong engine writes its declarative configuration as YAML with js-yaml's maintained 4.x
  // line: its direct serializer is 1.5x faster than 5.x's (which builds a document model first)
  // and five times faster than \`yaml\`'s, for byte-identical output.
  // re2js: RE2's own parser (a port of Go's regexp/syntax), to refuse at synth the regexes that
  // Envoy (Istio, Gateway API implementations) would refuse at apply time.
  deps: ['js-yaml@^4.3.2', 're2js@^2.10.0'],
  // The tests parse YAML with \`yaml\`, which also reads it as YAML 1.1 does (as Kong does).
  devDeps: ['@types/node@^20', 'jest@^30.5', 'ts-jest@^29.4', 'cdk8s-cli@^2.207.0', 'ajv@^8.17.0', 'fast-check@^4.0.0', 'typedoc@^0.28.20',
    'yaml@^2.8.0', '@types/js-yaml@^4.0.9',
    // The layering rules of src/ (.dependency-cruiser.js), checked in the lint step of `npm test`.
    // 17.x is the line that still runs on Node 20.
    'dependency-cruiser@^17.4.3',
    // The schema check evaluates the CRDs' CEL rules with Buf's CEL evaluator (RE2 regexes, a CommonJS
    // build); @bufbuild/protobuf is its peer and gives the Duration and Timestamp messages.
    '@bufbuild/cel@^0.6.1', '@bufbuild/protobuf@^2.6.2'],

  jestOptions: {
    // CI must fail on snapshot drift: new snapshots are written with `npx jest -u`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    // .ci/run reads the counts from this file to print its 'N passed, N failed' line.
    extraCliOptions: ['--json', '--outputFile=.jest-results.json'],
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/examples/.*/dist/'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', '.projenrc.ts'],
    ignorePatterns: ['imports/', 'lib/', 'node_modules/', '*.d.ts', '*.js'],
  },
  gitignore: ['.crd-bundles/', 'examples/**/dist/', '.jest-results.json', 'docs/api/'],
  npmignoreEnabled: true,
  github: false,
  buildWorkflow: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
});

// npm ci on these machines fails with the jest-30 lockfile unless unrs-resolver is pinned
// (the registry lacks the non-linux bindings of 1.13.0).
project.package.addPackageResolutions('unrs-resolver@1.12.2');

// Snapshots are written on purpose (`npx jest -u`) and reviewed; no task rewrites them.
project.tasks.removeTask('test:update');

// The layers of src/ and their one-way arrows (declaration -> intent -> strategies -> L1s; leaves
// import nothing of ours; no cycles; each strategy folder closed), enforced after eslint in `npm test`.
const lintDeps = project.addTask('lint:deps', {
  description: 'Check the dependency rules of src/ (.dependency-cruiser.js)',
  exec: 'depcruise --config .dependency-cruiser.js src',
});
project.testTask.spawn(lintDeps);

// `npx projen import` regenerates imports/*.ts offline from the CRDs vendored in imports/crds/.
// One bundle per vendor, each with a `name:=` prefix, so two API groups never overwrite each other.
const CRDS = 'imports/crds';
const bundles: Record<string, string[]> = {
  'istio': [
    'istio/gateways.networking.istio.io.yaml',
    'istio/virtualservices.networking.istio.io.yaml',
    'istio/destinationrules.networking.istio.io.yaml',
    'istio/requestauthentications.security.istio.io.yaml',
    'istio/authorizationpolicies.security.istio.io.yaml',
  ],
  'gateway-api': [
    'gateway-api/standard/gateway.networking.k8s.io_gatewayclasses.yaml',
    'gateway-api/standard/gateway.networking.k8s.io_gateways.yaml',
    'gateway-api/standard/gateway.networking.k8s.io_httproutes.yaml',
    'gateway-api/standard/gateway.networking.k8s.io_grpcroutes.yaml',
    'gateway-api/standard/gateway.networking.k8s.io_referencegrants.yaml',
  ],
  // The experimental channel (retries, external auth) for `gatewayApi({ experimental: true })`.
  'gateway-api-experimental': [
    'gateway-api/experimental/gateway.networking.k8s.io_gatewayclasses.yaml',
    'gateway-api/experimental/gateway.networking.k8s.io_gateways.yaml',
    'gateway-api/experimental/gateway.networking.k8s.io_httproutes.yaml',
    'gateway-api/experimental/gateway.networking.k8s.io_grpcroutes.yaml',
    'gateway-api/experimental/gateway.networking.k8s.io_referencegrants.yaml',
  ],
  'kong': ['kong/custom-resource-definitions.yaml'],
  'cert-manager': [
    'cert-manager/cert-manager.io_certificates.yaml',
    'cert-manager/cert-manager.io_issuers.yaml',
    'cert-manager/cert-manager.io_clusterissuers.yaml',
  ],
};
const importTask = project.addTask('import', {
  description: 'Regenerate the CRD L1 classes in imports/ from the CRDs vendored in imports/crds/ (offline)',
});
importTask.exec('rm -rf .crd-bundles && mkdir -p .crd-bundles');
for (const [name, files] of Object.entries(bundles)) {
  // awk adds the '---' separator a file may lack, so files concatenate into one multi-document YAML.
  const inputs = files.map((f) => `${CRDS}/${f}`).join(' ');
  importTask.exec(`awk 'FNR==1 && !/^---/ {print "---"} {print}' ${inputs} > .crd-bundles/${name}.yaml`);
  importTask.exec(`cdk8s import ${name}:=.crd-bundles/${name}.yaml -l typescript -o imports --no-save --no-check-upgrade`);
}
importTask.exec('rm -rf .crd-bundles');

// `npm run bench` measures synth time and memory against the baselines and writes BENCHMARKS.md.
project.addTask('bench', {
  description: 'Benchmark synth of N exposures per strategy against hand-built L1s; writes BENCHMARKS.md',
  steps: [{ spawn: 'compile' }, { exec: 'node -r ts-node/register/transpile-only test/bench/bench.ts' }],
});

// `npm run docs` writes the API reference (from the TSDoc of the public API) to docs/api/.
project.addTask('docs', {
  description: 'Generate the API reference from the TSDoc into docs/api',
  exec: 'typedoc --out docs/api --excludeInternal --excludePrivate --readme none --tsconfig tsconfig.json src/index.ts',
});

// The example apps type-check against the library's compiler options, without being part of its
// build; eslint's project service and ts-node both pick this file up for examples/.
new JsonFile(project, 'examples/tsconfig.json', {
  obj: { extends: '../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '..' }, include: ['**/*.ts'] },
  marker: true,
  allowComments: true,
});

// `npm run synth:example` synthesizes the example app (examples/shop) with the cdk8s CLI.
project.addTask('synth:example', {
  description: 'Synthesize the example app in examples/shop to examples/shop/dist',
  cwd: 'examples/shop',
  exec: 'cdk8s synth --no-check-upgrade',
  env: { CDK8S_CHECK_UPGRADE: 'false' },
});

// The capability table is generated from the matrix in src/capability-matrix.ts by `npx projen`;
// test/capabilities.test.ts fails when the committed file is stale.
new TextFile(project, 'docs/capabilities.md', { lines: renderCapabilityTable().split('\n') });

project.synth();
