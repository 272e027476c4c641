/**
 * The test command: uvu's own runner (`uvu/parse`, its queue, `exec`), with the results counted
 * here instead of trusted from uvu's exit code.
 *
 * uvu 0.5.6 decides its exit code from the error text each suite returns. A suite that stops
 * early without such a text (a reporter that throws, a hook that throws, a file whose tests never
 * run) used to end with exit code 0. This entry wraps every queued suite, adds up what each one
 * reports, and fails the run when any test did not pass, when a file cannot be loaded, when a
 * file queues no suite, when a suite reports neither a test nor a skip, when uvu itself throws,
 * or when nothing passed at all. A file that cannot run here says so with `test.skip(reason)`:
 * counted and shown as skipped, never as passed. `patches/uvu+0.5.6.patch` fixes the reporter itself, so the failure is printed and
 * the rest of the file still runs.
 *
 * Usage: `tsx test/runner/honestRunner.ts [dir] [pattern] [--bail]` (pattern: a case-insensitive
 * regular expression on the path below `dir`, as uvu's). The last line is always
 * `N passed, M failed` (with `, K skipped` when tests were skipped).
 */
import { pathToFileURL } from 'node:url';
import { parse } from 'uvu/parse';

/** What uvu's runner returns for one suite: its error text (or `true`), passed, skipped, total. */
type SuiteOutcome = [errors: string | true, passed: number, skipped: number, total: number];
type QueuedSuite = () => Promise<SuiteOutcome>;
/** uvu's queue: one group per file, its name first, then one runner per `suite.run()`. */
type QueueGroup = [string | null, ...QueuedSuite[]];

declare global {
  var UVU_DEFER: number | undefined;
  var UVU_INDEX: number | undefined;
  var UVU_QUEUE: QueueGroup[] | undefined;
}

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  problems: string[];
}

const args = process.argv.slice(2);
const bail = args.includes('--bail');
const [dir = 'test', pattern = '\\.test\\.ts$'] = args.filter((arg) => arg !== '--bail');
const tally: Tally = { passed: 0, failed: 0, skipped: 0, problems: [] };

/** Adds one suite's outcome, counting anything it did not pass as failed. */
function record(file: string, [errors, passed, skipped, total]: SuiteOutcome): void {
  tally.passed += passed;
  tally.skipped += skipped;
  const failed = total - passed;
  tally.failed += failed;
  if (errors !== true && failed === 0) {
    // A hook failed after every test had passed: the suite did not pass.
    tally.failed += 1;
    tally.problems.push(`${file}: a hook failed`);
  }
  if (total === 0 && skipped === 0) {
    tally.failed += 1;
    tally.problems.push(`${file}: a suite ran no test`);
  }
}

/** Imports every matching file into uvu's queue; a file that cannot load is a failure of its own. */
async function loadSuites(): Promise<QueueGroup[]> {
  const { suites } = await parse(dir, pattern, { cwd: process.cwd() });
  const queue = globalThis.UVU_QUEUE!;
  for (const suite of suites) {
    globalThis.UVU_INDEX = queue.length;
    queue.push([suite.name]);
    try {
      await import(pathToFileURL(suite.file).href);
    } catch (error) {
      queue.pop();
      tally.failed += 1;
      tally.problems.push(`${suite.name}: could not be loaded: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      continue;
    }
    const group = queue[queue.length - 1]!;
    if (group.length === 1) {
      queue.pop();
      tally.failed += 1;
      tally.problems.push(`${suite.name}: queues no suite (a test file without \`test.run()\`?)`);
    }
  }
  for (const group of queue) {
    const file = group[0] ?? '(unnamed)';
    for (let index = 1; index < group.length; index += 1) {
      const run = group[index] as QueuedSuite;
      group[index] = async () => {
        const outcome = await run();
        record(file, outcome);
        return outcome;
      };
    }
  }
  return queue;
}

async function main(): Promise<number> {
  if (!process.env.NO_COLOR && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = '1';
  // Before uvu loads: deferred, uvu queues suites for `exec` instead of running each on a timer.
  globalThis.UVU_DEFER = 1;
  globalThis.UVU_QUEUE = [];
  const uvu = await import('uvu');
  await loadSuites();
  try {
    await (uvu as unknown as { exec(bail?: boolean): Promise<void> }).exec(bail);
  } catch (error) {
    tally.failed += 1;
    tally.problems.push(`the runner stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  if (tally.passed + tally.failed === 0) tally.problems.push('no test ran');
  for (const problem of tally.problems) process.stderr.write(`\n✘ ${problem}\n`);
  const skipped = tally.skipped ? `, ${tally.skipped} skipped` : '';
  process.stdout.write(`${tally.passed} passed, ${tally.failed} failed${skipped}\n`);
  return tally.failed > 0 || tally.passed === 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // A test that leaves a handle open must not turn a finished run into a hung CI job.
    setTimeout(() => {
      process.stderr.write('open handles kept the test process alive after the run; exiting\n');
      process.exit(code);
    }, 30_000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`test runner failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
