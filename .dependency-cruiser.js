/**
 * The layers of src/ and their arrows (README, "Development"): what users write (declaration) ->
 * the intent (model, build, capability and conflict checks) -> strategies (through one contract)
 * -> L1s (imports/). Leaves (core: errors, validators, naming) import nothing of ours.
 * Only the top level (src/*.ts: the construct, the strategy factories, the matrix, the index)
 * knows every strategy. Checked by `npx projen lint:deps`, which `npm test` runs.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle ties layers together; the arrows go one way.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-is-a-leaf',
      comment: 'core/ (errors, validators, naming) is imported by all and imports nothing of ours.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^(src|imports)/', pathNot: '^src/core/' },
    },
    {
      name: 'declaration-above-intent',
      comment: 'What users write (declaration/) knows only the leaves: the intent reads it, never the other way round.',
      severity: 'error',
      from: { path: '^src/declaration/' },
      to: { path: '^(src|imports)/', pathNot: '^src/(core|declaration)/' },
    },
    {
      name: 'intent-below-declaration-above-strategies',
      comment: 'The intent reads declaration objects and the leaves; it knows no strategy and no L1.',
      severity: 'error',
      from: { path: '^src/intent/' },
      to: { path: '^(src|imports)/', pathNot: '^src/(core|declaration|intent)/' },
    },
    {
      name: 'strategies-read-only-the-intent',
      comment: 'Strategies read the intent, never the declaration objects users write, and never the top level.',
      severity: 'error',
      from: { path: '^src/strategies/' },
      to: { path: '^src/', pathNot: '^src/(core|intent|strategies)/' },
    },
    {
      name: 'strategy-folders-are-closed',
      comment: 'A strategy folder reaches other strategies only through the contract and the shared helpers.',
      severity: 'error',
      from: { path: '^src/strategies/([^/]+)/' },
      to: { path: '^src/strategies/[^/]+/', pathNot: ['^src/strategies/$1/', '^src/strategies/shared/'] },
    },
    {
      name: 'shared-knows-no-strategy',
      comment: 'strategies/shared/ and the contract serve every strategy and know none.',
      severity: 'error',
      from: { path: '^src/strategies/(shared/|contract\\.ts)' },
      to: { path: '^src/strategies/', pathNot: '^src/strategies/(shared/|contract\\.ts)' },
    },
    {
      name: 'no-cdk8s-plus',
      comment: 'The library takes cdk8s-plus objects by shape and writes its own L1s: loading a cdk8s-plus would tie apps to one version.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '(^|node_modules/)cdk8s-plus-[0-9]' },
    },
    {
      name: 'import-reads-manifests',
      comment: 'The importer reads manifests and writes TypeScript text: it knows no declaration object, intent or strategy.',
      severity: 'error',
      from: { path: '^src/import/' },
      to: { path: '^(src|imports)/', pathNot: '^src/(core|import)/' },
    },
    {
      name: 'routing-reads-manifests',
      comment: 'The routing models read synthesized (or hand-written) manifests only: they share no assumption with the renderers.',
      severity: 'error',
      from: { path: '^src/routing/' },
      to: { path: '^(src|imports)/', pathNot: '^src/(core|routing)/' },
    },
    {
      name: 'cli-is-the-top',
      comment: 'The command line (src/cli/) uses the library; nothing in the library uses it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-upward-imports-into-the-top-level',
      comment: 'The top level (src/*.ts) composes the layers; nothing below imports it but the command line above it.',
      severity: 'error',
      from: { path: '^src/.+/', pathNot: '^src/cli/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are arrows too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^imports/crds/' },
  },
};
