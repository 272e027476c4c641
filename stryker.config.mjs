// @ts-check
/**
 * Mutation testing (StrykerJS), outside `npm test`: `npm run test:mutation` runs every scope,
 * `npm run test:mutation:<scope>` one of them. The scope comes from MUTATION_SCOPE. Each scope
 * mutates a set of files and runs, for every mutant, only the test files that exercise them,
 * through the honest runner (`--bail`: the first failing test kills the mutant). Mutants that
 * do not type-check are dropped by the TypeScript checker. See docs/testing.md.
 */

/** @type {Record<string, { mutate: string[], tests: string }>} */
const SCOPES = {
  domain: {
    mutate: ['src/domain/**/*.ts'],
    tests: '^domain/.*\\.test\\.ts$',
  },
  projections: {
    mutate: ['projections/**/*.ts'],
    // Not the runner's own suite: it tests src/projections, and takes seconds.
    tests: '^projections/(?!projectionRunner\\.)[A-Za-z]+\\.test\\.ts$',
  },
  pipeline: {
    mutate: ['src/adapters/lmdb/appendPipeline.ts', 'src/adapters/lmdb/groupCheck.ts', 'src/adapters/lmdb/expectedRevision.ts'],
    tests: '^adapters/lmdb(AppendPipeline[A-Za-z]*|EventStore)\\.test\\.ts$',
  },
};

const scope = process.env.MUTATION_SCOPE ?? 'domain';
const selected = SCOPES[scope];
if (selected === undefined) throw new Error(`MUTATION_SCOPE must be one of ${Object.keys(SCOPES).join(', ')}; got ${scope}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  commandRunner: { command: `node --import tsx test/runner/honestRunner.ts test "${selected.tests}" --bail` },
  checkers: ['typescript'],
  plugins: ['@stryker-mutator/*', './stryker/neverCheckIgnorer.mjs'],
  ignorers: ['NeverCheck'],
  tsconfigFile: 'tsconfig.json',
  mutate: selected.mutate,
  // The machine is shared: one test process at a time, beside the checker.
  concurrency: 1,
  timeoutMS: 20_000,
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['reports', '.bench-data', 'data'],
  cleanTempDir: 'always',
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${scope}.json` },
  htmlReporter: { fileName: `reports/mutation/${scope}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 95, low: 90, break: null },
};
