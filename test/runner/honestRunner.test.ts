import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const RUNNER = 'test/runner/honestRunner.ts';

interface RunnerRun {
  code: number;
  stdout: string;
  stderr: string;
  lastLine: string;
}

/** Runs the test command on the files of `test/fixtures/runner` whose name matches `pattern`. */
function runFixtures(pattern: string): Promise<RunnerRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', RUNNER, 'test/fixtures/runner', pattern],
      { cwd: REPO, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        const lastLine = stdout.trimEnd().split('\n').at(-1) ?? '';
        resolve({ code, stdout, stderr, lastLine });
      },
    );
  });
}

test('a test throwing an error with object details fails the run, and the rest of its file still runs', async () => {
  const run = await runFixtures('objectDetails\\.fixture\\.ts$');
  assert.is(run.code, 1);
  assert.is(run.lastLine, '1 passed, 2 failed');
  assert.match(run.stdout, 'second throws an error with object details');
  assert.match(run.stdout, '"file": [');
  assert.match(run.stdout, 'third failure');
});

test('a before hook that throws fails the run', async () => {
  const run = await runFixtures('hookFails\\.fixture\\.ts$');
  assert.is(run.code, 1);
  assert.is(run.lastLine, '0 passed, 1 failed');
  assert.match(run.stdout, 'hook broke');
});

test('a file whose tests are never run fails the run', async () => {
  const run = await runFixtures('withoutRun\\.fixture\\.ts$');
  assert.is(run.code, 1);
  assert.is(run.lastLine, '0 passed, 1 failed');
  assert.match(run.stderr, 'withoutRun.fixture.ts: queues no suite');
});

test('a file that cannot be loaded fails the run', async () => {
  const run = await runFixtures('loadFails\\.fixture\\.ts$');
  assert.is(run.code, 1);
  assert.is(run.lastLine, '0 passed, 1 failed');
  assert.match(run.stderr, 'loadFails.fixture.ts: could not be loaded: Error: cannot load');
});

test('a thrown value that is not an Error is reported and fails the run', async () => {
  const run = await runFixtures('thrownValue\\.fixture\\.ts$');
  assert.is(run.code, 1);
  assert.is(run.lastLine, '1 passed, 1 failed');
  assert.match(run.stdout, 'Thrown: plain text');
});

test('no matching test file is a failed run', async () => {
  const run = await runFixtures('nothingMatchesThis\\.fixture\\.ts$');
  assert.is(run.code, 1);
  assert.is(run.lastLine, '0 passed, 0 failed');
  assert.match(run.stderr, 'no test ran');
});

test('a passing file passes, and the failures of one file are not hidden by the others', async () => {
  const passing = await runFixtures('passes\\.fixture\\.ts$');
  assert.is(passing.code, 0);
  assert.is(passing.lastLine, '2 passed, 0 failed');
  const mixed = await runFixtures('(passes|objectDetails)\\.fixture\\.ts$');
  assert.is(mixed.code, 1);
  assert.is(mixed.lastLine, '3 passed, 2 failed');
});

test('a file that skips itself counts as skipped, never as passed', async () => {
  const alone = await runFixtures('skipsItself\\.fixture\\.ts$');
  assert.is(alone.code, 1);
  assert.is(alone.lastLine, '0 passed, 0 failed, 1 skipped');
  assert.match(alone.stdout, 'skipped: needs a server: SERVER_URL not set');
  const withOthers = await runFixtures('(passes|skipsItself)\\.fixture\\.ts$');
  assert.is(withOthers.code, 0);
  assert.is(withOthers.lastLine, '2 passed, 0 failed, 1 skipped');
});

test.run();
