import { javascript, JsonFile, TextFile, typescript } from 'projen';
import { renderCapabilityTable } from './src/capability-matrix';

const project = new typescript.TypeScriptProject({
  name: 'cdk8s-expose',
  description: 'One declaration of how a Kubernetes service is exposed; one prop picks Service, Ingress, Istio, Gateway API or an API gateway.',
  license: 'Apache-2.0',
  repository: 'git+https://github.com/cdk8s-expose/cdk8s-expose.git',
  homepage: 'https://github.com/cdk8s-expose/cdk8s-expose#readme',
  keywords: ['cdk8s', 'kubernetes', 'k8s', 'ingress', 'istio', 'gateway-api', 'api-gateway', 'nginx', 'kong', 'cert-manager', 'constructs'],
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
    // No source maps in lib/: the package ships no TypeScript sources for them to point at (the
    // tests run on the sources with ts-jest, which makes its own).
    compilerOptions: { rootDir: '.', skipLibCheck: true, inlineSourceMap: false, inlineSources: false },
  },
  tsconfigDev: {
    include: ['../src/**/*.ts'],
    // Tests import the examples, which import the library by its name (see examples/tsconfig.json).
    compilerOptions: { skipLibCheck: true, paths: { 'cdk8s-expose': ['../src/index.ts'] } },
  },

  // The library needs only cdk8s and constructs: it writes core Kubernetes objects with its own L1s
  // (imports/k8s.ts) and takes an app's cdk8s-plus objects (any of cdk8s-plus-27 to -33) by shape.
  peerDeps: ['cdk8s@^2.70.0', 'constructs@^10.8.0'],
  // The Kong engine writes its declarative configuration as YAML with js-yaml's maintained 4.x
  // line: its direct serializer is 1.5x faster than 5.x's (which builds a document model first)
  // and five times faster than \`yaml\`'s, for byte-identical output.
  // re2js: RE2's own parser (a port of Go's regexp/syntax), to refuse at synth the regexes that
  // Envoy (Istio, Gateway API implementations) would refuse at apply time.
  deps: ['js-yaml@^4.3.2', 're2js@^2.10.0'],
  // The command line (`npx cdk8s-expose import ...`): runtime dependencies only.
  bin: { 'cdk8s-expose': 'lib/src/cli/main.js' },
  // The tests parse YAML with \`yaml\`, which also reads it as YAML 1.1 does (as Kong does).
  devDeps: ['@types/node@^20',
    // The tests and examples declare their Deployments with cdk8s-plus (any version works; see README).
    'cdk8s-plus-27@^2.9.5', 'jest@^30.5', 'ts-jest@^29.4', 'cdk8s-cli@^2.207.0', 'ajv@^8.17.0', 'fast-check@^4.0.0', 'typedoc@^0.28.20',
    'yaml@^2.8.0', '@types/js-yaml@^4.0.9',
    // The layering rules of src/ (.dependency-cruiser.js), checked in the lint step of `npm test`.
    // 17.x is the line that still runs on Node 20.
    'dependency-cruiser@^17.4.3',
    // The schema check evaluates the CRDs' CEL rules with Buf's CEL evaluator (RE2 regexes, a CommonJS
    // build); @bufbuild/protobuf is its peer and gives the Duration and Timestamp messages.
    '@bufbuild/cel@^0.6.1', '@bufbuild/protobuf@^2.6.2',
    // The examples import 'cdk8s-expose' by name; under ts-node (`cdk8s synth` in examples/*) this
    // maps it to src/ from examples/tsconfig.json's `paths`.
    'tsconfig-paths@^4.2.0',
    // The live gRPC test through the NGINX engine: a loopback gRPC server and client (pure JS).
    '@grpc/grpc-js@^1.14.0', '@grpc/proto-loader@^0.8.0'],

  jestOptions: {
    // CI must fail on snapshot drift: new snapshots are written with `npx jest -u`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    // .ci/run reads the counts from this file to print its 'N passed, N failed' line.
    extraCliOptions: ['--json', '--outputFile=.jest-results.json'],
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/examples/.*/dist/'],
      // The examples the tests import name the library as an app does; here it is src/, the same
      // module instance the tests import as '../src'.
      moduleNameMapper: { '^cdk8s-expose$': '<rootDir>/src/index.ts' },
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', '.projenrc.ts'],
    ignorePatterns: ['imports/', 'lib/', 'node_modules/', '*.d.ts', '*.js'],
  },
  // node_modules as a file too: a worktree links the main checkout's.
  gitignore: ['.crd-bundles/', 'examples/**/dist/', '.jest-results.json', '/node_modules'],
  // What the package ships is the `files` allow-list below, not an ignore list.
  npmignoreEnabled: false,
  github: false,
  buildWorkflow: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
});

// npm ci on these machines fails with the jest-30 lockfile unless unrs-resolver is pinned
// (the registry lacks the non-linux bindings of 1.13.0).
project.package.addPackageResolutions('unrs-resolver@1.12.2');

// The package: the compiled library (lib/src, and the L1s of lib/imports it loads), its README and
// changelog, and nothing else. test/package/package.test.ts checks what `npm pack` publishes.
project.package.addField('files', [
  'lib/**/*.js',
  'lib/**/*.d.ts',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  // The API reference (docs/api/, 0.2 MB of markdown) stays in the repository, where the README's
  // links lead (npm resolves them there too): its text ships as the TSDoc of lib/**/*.d.ts.
  // The typings of the command line and its importer (lib/src/cli, lib/src/import) are no public
  // API: nothing an app type-checks reads them; their JavaScript ships (the `cdk8s-expose` bin).
  '!lib/src/cli/**/*.d.ts',
  '!lib/src/import/**/*.d.ts',
  // The Gateway API implementations' L1 typings (1.5 MB): their objects are typed ApiObject in the
  // public API, so no app's type check reads them; their JavaScript ships (loaded lazily).
  '!lib/imports/envoy-gateway-gateway.envoyproxy.io.d.ts',
  '!lib/imports/traefik-traefik.io.d.ts',
  '!lib/imports/nginx-gateway-fabric-gateway.nginx.org.d.ts',
  '!lib/imports/kong-configuration.konghq.com.d.ts',
]);
project.package.addField('exports', {
  '.': { types: './lib/src/index.d.ts', default: './lib/src/index.js' },
  './package.json': './package.json',
});
project.package.addEngine('node', '>=20');

// Snapshots are written on purpose (`npx jest -u`) and reviewed; no task rewrites them.
project.tasks.removeTask('test:update');

// The layers of src/ and their one-way arrows (declaration -> intent -> strategies -> L1s; leaves
// import nothing of ours; no cycles; each strategy folder closed), enforced after eslint in `npm test`.
const lintDeps = project.addTask('lint:deps', {
  description: 'Check the dependency rules of src/ (.dependency-cruiser.js)',
  exec: 'depcruise --config .dependency-cruiser.js src',
});
project.testTask.spawn(lintDeps);

// `npx projen import` regenerates imports/*.ts offline from the schemas vendored in imports/crds/:
// only the kinds and API versions the library renders, since the compiled L1s ship in the package.
// One bundle per vendor, each with a `name:=` prefix, so two API groups never overwrite each other;
// projenrc/crd-bundle.ts cuts each CRD down to the versions listed (the first keeps the bare class
// name). Core Kubernetes kinds come from the vendored `_definitions.json` (projenrc/import-k8s.ts),
// so the library needs no cdk8s-plus at run time.
const CRDS = 'imports/crds';
const bundles: Record<string, string[]> = {
  'istio': [
    'istio/gateways.networking.istio.io.yaml@v1,v1beta1',
    'istio/virtualservices.networking.istio.io.yaml@v1,v1beta1',
    'istio/destinationrules.networking.istio.io.yaml@v1,v1beta1',
    'istio/requestauthentications.security.istio.io.yaml@v1,v1beta1',
    'istio/authorizationpolicies.security.istio.io.yaml@v1,v1beta1',
  ],
  'gateway-api': [
    'gateway-api/standard/gateway.networking.k8s.io_gateways.yaml@v1',
    'gateway-api/standard/gateway.networking.k8s.io_httproutes.yaml@v1',
    'gateway-api/standard/gateway.networking.k8s.io_grpcroutes.yaml@v1',
    'gateway-api/standard/gateway.networking.k8s.io_tlsroutes.yaml@v1',
    'gateway-api/standard/gateway.networking.k8s.io_tcproutes.yaml@v1',
    // ReferenceGrant is written as v1beta1, which every Gateway API release serves.
    'gateway-api/standard/gateway.networking.k8s.io_referencegrants.yaml@v1,v1beta1',
    // TLS to backends; standard since v1.4.
    'gateway-api/standard/gateway.networking.k8s.io_backendtlspolicies.yaml@v1',
  ],
  // The experimental channel (retries) for `gatewayApi({ experimental: true })`.
  'gateway-api-experimental': [
    'gateway-api/experimental/gateway.networking.k8s.io_gateways.yaml@v1',
    'gateway-api/experimental/gateway.networking.k8s.io_httproutes.yaml@v1',
    'gateway-api/experimental/gateway.networking.k8s.io_grpcroutes.yaml@v1',
    'gateway-api/experimental/gateway.networking.k8s.io_tlsroutes.yaml@v1',
    'gateway-api/experimental/gateway.networking.k8s.io_tcproutes.yaml@v1',
    'gateway-api/experimental/gateway.networking.k8s.io_referencegrants.yaml@v1,v1beta1',
    'gateway-api/experimental/gateway.networking.k8s.io_backendtlspolicies.yaml@v1',
  ],
  'cert-manager': ['cert-manager/cert-manager.io_certificates.yaml@v1'],
  // The policies `GatewayImplementation.envoyGateway()` renders beside the HTTPRoute.
  'envoy-gateway': [
    'envoy-gateway/gateway.envoyproxy.io_backendtrafficpolicies.yaml@v1alpha1',
    'envoy-gateway/gateway.envoyproxy.io_securitypolicies.yaml@v1alpha1',
  ],
  // The policies and the filter `GatewayImplementation.nginxGatewayFabric()` renders.
  'nginx-gateway-fabric': [
    'nginx-gateway-fabric/gateway.nginx.org_ratelimitpolicies.yaml@v1alpha1',
    'nginx-gateway-fabric/gateway.nginx.org_clientsettingspolicies.yaml@v1alpha1',
    'nginx-gateway-fabric/gateway.nginx.org_authenticationfilters.yaml@v1alpha1',
    'nginx-gateway-fabric/gateway.nginx.org_upstreamsettingspolicies.yaml@v1alpha1',
    'nginx-gateway-fabric/gateway.nginx.org_proxysettingspolicies.yaml@v1alpha1',
  ],
  // The Middleware `GatewayImplementation.traefik()` references from HTTPRoute rules (ExtensionRef).
  'traefik': ['traefik/kubernetes-crd-definition-v1.yml@v1alpha1#Middleware'],
  // The plugins and consumers `GatewayImplementation.kong()` renders (Kong Ingress Controller).
  'kong': ['kong/custom-resource-definitions.yaml@v1#KongPlugin,KongConsumer'],
  // The scrape configuration and alerts of an API gateway's `monitoring` (prometheus-operator).
  'prometheus-operator': [
    'prometheus-operator/monitoring.coreos.com_servicemonitors.yaml@v1',
    'prometheus-operator/monitoring.coreos.com_prometheusrules.yaml@v1',
  ],
};
/** The core kinds the strategies write (GROUP/VERSION/KIND). */
const K8S_KINDS = [
  'v1/Service', 'v1/ConfigMap', 'apps/v1/Deployment', 'networking.k8s.io/v1/Ingress', 'networking.k8s.io/v1/NetworkPolicy',
  'policy/v1/PodDisruptionBudget', 'autoscaling/v2/HorizontalPodAutoscaler',
  // The acl group of a KongConsumer (Gateway API on Kong): a Secret that holds a group name only.
  'v1/Secret',
];
const importTask = project.addTask('import', {
  description: 'Regenerate the L1 classes in imports/ from the schemas vendored in imports/crds/ (offline)',
});
const tsNode = 'ts-node --project projenrc/tsconfig.json';
importTask.exec('rm -rf .crd-bundles && mkdir -p .crd-bundles');
importTask.exec('rm -f imports/*.ts');
for (const [name, files] of Object.entries(bundles)) {
  const inputs = files.map((f) => `${CRDS}/${f}`).join(' ');
  importTask.exec(`${tsNode} projenrc/crd-bundle.ts .crd-bundles/${name}.yaml ${inputs}`);
  importTask.exec(`cdk8s import ${name}:=.crd-bundles/${name}.yaml -l typescript -o imports --no-save --no-check-upgrade`);
}
importTask.exec(`${tsNode} projenrc/import-k8s.ts ${CRDS}/kubernetes/v1.27.0/_definitions.json imports ${K8S_KINDS.join(' ')}`);
importTask.exec('rm -rf .crd-bundles');

// `npm run bench` measures synth time and memory against the baselines and writes BENCHMARKS.md.
project.addTask('bench', {
  description: 'Benchmark synth of N exposures per strategy against hand-built L1s; writes BENCHMARKS.md',
  steps: [{ spawn: 'compile' }, { exec: 'node -r ts-node/register/transpile-only test/bench/bench.ts' }],
});

// The API reference in docs/api/ is TypeDoc's output as markdown (4.x is the line for TypeDoc 0.28).
project.addDevDeps('typedoc-plugin-markdown@^4.14.1');

// `npm run docs` writes the API reference, markdown generated from the TSDoc of the public API
// (src/index.ts, with the L1 namespaces it re-exports), to docs/api/, which is committed. The
// options are in typedoc.json (tsdoc.json declares the generated L1s' `@schema` tag), shared with
// test/api-docs.test.ts, which fails on any TypeDoc warning and when docs/api/ is stale.
project.addTask('docs', {
  description: 'Generate the API reference (markdown) from the TSDoc of the public API into docs/api (options in typedoc.json)',
  exec: 'typedoc',
});

// eslint's import resolver reads each file's own tsconfig, so that 'cdk8s-expose' resolves to src/
// in examples/ and test/ as it does for tsc.
const eslintrc = project.tryFindObjectFile('.eslintrc.json')!;
eslintrc.addOverride('settings.import/resolver.typescript.project', ['./tsconfig.json', './examples/tsconfig.json', './test/tsconfig.json']);
eslintrc.addOverride('settings.import/resolver.typescript.noWarnOnMultipleProjects', true);

// The example apps type-check against the library's compiler options, without being part of its
// build; eslint's project service and ts-node both pick this file up for examples/.
// The examples import the library by its name, as an app does, so that a copy works unchanged in
// an app; `paths` maps the name to src/ here (tsc, eslint, and ts-node with tsconfig-paths).
new JsonFile(project, 'examples/tsconfig.json', {
  obj: {
    extends: '../tsconfig.json',
    compilerOptions: { noEmit: true, rootDir: '..', paths: { 'cdk8s-expose': ['../src/index.ts'] } },
    include: ['**/*.ts'],
  },
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
