/**
 * The layers import one way: src/domain <- src/app <- src/api (and src/cli, src/bootstrap above them);
 * src/projections and src/infra beside the domain, below the app. `npm run lint` runs this.
 * Type-only imports count: a type that crosses a layer the wrong way ties the layers just the same.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing outside src/domain: no I/O, no node: built-ins, no libraries.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'app-below-transport',
      comment: 'Use cases speak the domain: src/app imports nothing from src/api, src/cli or the composition root.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/(api|cli|bootstrap)/' },
    },
    {
      name: 'projections-and-infra-below-app',
      comment: 'Read models and adapters know no use case and no transport.',
      severity: 'error',
      from: { path: '^src/(projections|infra)/' },
      to: { path: '^src/(app|api|cli|bootstrap)/' },
    },
    {
      name: 'api-not-cli',
      comment: 'The HTTP edge and the auditors\' command line are siblings.',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-circular',
      comment: 'No import circle anywhere in src/, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    exclude: { path: '\\.spec\\.ts$' },
  },
};
