// Mutation testing (StrykerJS): `npm run mutation`, outside `npm test` and CI. See docs/testing.md.
// Scope: the modules that decide who gets access and what is written to the metadata database.
// A narrower run: `npm run mutation -- --mutate server/src/cli/dbUrl.ts` (the incremental file keeps
// the results of earlier runs, so only changed code and changed tests are run again).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [
    'server/src/engine/**/*.ts',
    'server/src/sync/desired.ts',
    'server/src/sync/planCore.ts',
    'server/src/sync/apply*.ts',
    'server/src/sync/syncDag.ts',
    'server/src/sync/inputs.ts', // the tag → role resolver (roleFromTag)
    'server/src/indexer/airflowIgnore.ts',
    'server/src/db/url.ts',
    'server/src/cli/dbUrl.ts',
  ],
  // The tests are the compiled unit suites (node:test prints TAP when its output is not a terminal);
  // each test file counts as one test, so a mutant runs only the files that reach its code.
  testRunner: 'tap',
  tap: {
    testFiles: [
      // Fast, in-process suites first: with forceBail a mutant stops at the first failing file.
      'out/test/unit/cli/**/*.test.js',
      'out/test/unit/sync/**/*.test.js',
      'out/test/unit/engine/**/*.test.js',
      'out/test/unit/indexer/{discovery,airflowIgnore}.test.js',
      'out/test/unit/rules/**/*.test.js',
      'out/test/unit/project/**/*.test.js',
      // Apply paths on SQLite (npm run mutation points the PostgreSQL/MariaDB probes at a closed port).
      'out/test/db/faults.test.js',
    ],
    nodeArgs: ['--require', '{{hookFile}}', '--test-reporter=tap', '{{testFile}}'],
    forceBail: true,
  },
  // Instrumented sources are compiled without type checking (the checker below rejects mutants that do not type-check).
  buildCommand: 'npx tsc -p . --noCheck',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  timeoutMS: 10000,
  thresholds: { high: 90, low: 85, break: null },
  ignorePatterns: ['out', 'dist', '.real-clients', 'test-artifacts', 'bench-results', 'reports', '*.vsix', '.demo'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
