import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { imageQueueFull, tookTooLong } from '../../src/adapters/sharp/imageErrors.ts';
import { createJobLimiter, type JobLimiterOptions } from '../../src/adapters/sharp/jobLimiter.ts';
import { BusyError } from '../../src/errors/appError.ts';
import { rejectsWith } from '../support/rejectsWith.ts';

/** A job that runs until the test lets it finish (or fail). */
interface HeldJob {
  name: string;
  started: boolean;
  finish(): void;
  fail(error: Error): void;
  result: Promise<string>;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

function harness(options: Partial<JobLimiterOptions> = {}) {
  const limiter = createJobLimiter({ concurrency: 1, queueMax: 8, busy: imageQueueFull, ...options });
  const started: string[] = [];
  const held = (owner: string, name: string): HeldJob => {
    const job = { name, started: false } as HeldJob;
    job.result = limiter.run(owner, () => {
      job.started = true;
      started.push(name);
      return new Promise<string>((resolve, reject) => {
        job.finish = () => resolve(name);
        job.fail = reject;
      });
    });
    job.result.catch(() => undefined);
    return job;
  };
  return { limiter, started, held };
}

const bounded = suite('image job limiter: bounded queue');

bounded('a job beyond the queue is refused with IMAGE_QUEUE_FULL (503) and a retry hint', async () => {
  const { limiter, held } = harness({ concurrency: 1, queueMax: 2 });
  const running = held('erp', 'a1');
  held('erp', 'a2');
  held('erp', 'a3');
  await turn();
  assert.equal(limiter.load(), { running: 1, queued: 2 });
  const refused = held('erp', 'a4');
  await rejectsWith(() => refused.result, 'IMAGE_QUEUE_FULL', { status: 503, message: 'Image processing is busy; retry in 1 second.' });
  const error = await refused.result.catch((caught: unknown) => caught);
  assert.instance(error, BusyError);
  assert.is((error as BusyError).retryAfterSeconds, 1);
  assert.equal(limiter.load(), { running: 1, queued: 2 }, 'the refusal took no place');
  running.finish();
  assert.is(await running.result, 'a1');
});

bounded('the retry hint grows with the average job and the jobs ahead', async () => {
  assert.is(imageQueueFull(3).message, 'Image processing is busy; retry in 3 seconds.');
  const { limiter } = harness({ concurrency: 1, queueMax: 4 });
  // Three jobs of 0.5 s: the running average moves from 0 towards their duration (0.1, 0.18, 0.244 s).
  for (let index = 0; index < 3; index++) {
    await limiter.run('erp', () => new Promise((resolve) => setTimeout(resolve, 500)));
  }
  let release: () => void = () => undefined;
  const holding = limiter.run('erp', () => new Promise<void>((resolve) => (release = resolve)));
  const waiting = Array.from({ length: 4 }, () => limiter.run('erp', async () => undefined));
  const refused = (await limiter.run('erp', async () => undefined).catch((error: unknown) => error)) as BusyError;
  assert.instance(refused, BusyError);
  // ≈ 0.244 s × (4 waiting on one slot + this one) ≈ 1.2 s, rounded up (3 if a busy machine stretched the jobs).
  assert.ok(refused.retryAfterSeconds === 2 || refused.retryAfterSeconds === 3, `${refused.retryAfterSeconds} s`);
  assert.is(refused.message, `Image processing is busy; retry in ${refused.retryAfterSeconds} seconds.`);
  release();
  await Promise.all([holding, ...waiting]);
});

bounded('a failing job frees its slot, and so does a job that throws before its promise', async () => {
  const { limiter, held } = harness({ concurrency: 1 });
  const failing = held('erp', 'fails');
  const next = held('erp', 'next');
  await turn();
  failing.fail(new Error('corrupt'));
  await failing.result.catch(() => undefined);
  await turn();
  assert.ok(next.started, 'the waiter got the slot');
  next.finish();
  await next.result;
  await limiter
    .run('erp', () => {
      throw new Error('synchronous');
    })
    .catch(() => undefined);
  assert.equal(limiter.load(), { running: 0, queued: 0 });
});

bounded.run();

const fair = suite('image job limiter: fair share');

fair('a freed slot goes to the next owner in turn, not to the one that queued first', async () => {
  const { started, held } = harness({ concurrency: 1 });
  const jobs = [held('flood', 'f1'), held('flood', 'f2'), held('flood', 'f3'), held('flood', 'f4'), held('erp', 'e1'), held('erp', 'e2')];
  for (let step = 0; step < jobs.length; step++) {
    await turn();
    jobs.find((job) => job.started && job.name === started.at(-1))!.finish();
  }
  await Promise.all(jobs.map((job) => job.result));
  assert.equal(started, ['f1', 'e1', 'f2', 'e2', 'f3', 'f4']);
});

fair('with two slots, an owner holding one waits behind an owner holding none', async () => {
  const { limiter, started, held } = harness({ concurrency: 2 });
  const first = held('flood', 'f1');
  const second = held('flood', 'f2');
  const waiting = [held('flood', 'f3'), held('erp', 'e1')];
  await turn();
  assert.equal(limiter.load(), { running: 2, queued: 2 });
  first.finish();
  await first.result;
  await turn();
  assert.equal(started, ['f1', 'f2', 'e1'], 'erp runs no job yet, so its job goes first');
  for (const job of [second, ...waiting]) {
    await turn();
    job.finish();
  }
  await Promise.all(waiting.map((job) => job.result));
  assert.equal(started, ['f1', 'f2', 'e1', 'f3']);
});

fair('a full queue makes room for another owner by refusing the flooding owner\'s newest job', async () => {
  const { limiter, started, held } = harness({ concurrency: 1, queueMax: 3 });
  const running = held('flood', 'f0');
  const queued = [held('flood', 'f1'), held('flood', 'f2'), held('flood', 'f3')];
  await turn();
  const erp = held('erp', 'e1');
  await rejectsWith(() => queued[2]!.result, 'IMAGE_QUEUE_FULL', { status: 503, message: 'Image processing is busy; retry in 1 second.' });
  assert.equal(limiter.load(), { running: 1, queued: 3 });
  // The flood holds two places against erp's one: its next job is refused itself, and so is erp's
  // next (taking a place of the flood's would only swap who holds two).
  await rejectsWith(() => held('flood', 'f4').result, 'IMAGE_QUEUE_FULL', { status: 503 });
  await rejectsWith(() => held('erp', 'e2').result, 'IMAGE_QUEUE_FULL', { status: 503 });
  running.finish();
  for (let step = 0; step < 3; step++) {
    await turn();
    [erp, queued[0]!, queued[1]!].find((job) => job.started && job.name === started.at(-1))?.finish();
  }
  await Promise.all([erp.result, queued[0]!.result, queued[1]!.result]);
  assert.equal(started, ['f0', 'e1', 'f1', 'f2']);
});

fair.run();

const timeouts = suite('image job limiter: timeout');

timeouts('a job past the timeout is answered at once, and its slot stays taken until it stops', async () => {
  const { limiter, held } = harness({ concurrency: 1, timeoutMs: 50, timedOut: () => tookTooLong(50) });
  const started = performance.now();
  const slow = held('erp', 'slow');
  const next = held('erp', 'next');
  await rejectsWith(() => slow.result, 'INVALID_IMAGE', { status: 400, message: 'Invalid image: processing took longer than 50 ms.' });
  const answeredAfter = performance.now() - started;
  assert.ok(answeredAfter >= 45 && answeredAfter < 1000, `answered after ${answeredAfter.toFixed(0)} ms`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(limiter.load(), { running: 1, queued: 1 }, 'the abandoned work still holds its slot');
  assert.not.ok(next.started);
  slow.finish(); // the work really stops
  await turn();
  assert.ok(next.started, 'then the slot passes on');
  next.finish();
  assert.is(await next.result, 'next');
  assert.equal(limiter.load(), { running: 0, queued: 0 });
});

timeouts('a job within the timeout answers as it is', async () => {
  const { limiter } = harness({ timeoutMs: 1000, timedOut: () => tookTooLong(1000) });
  assert.is(await limiter.run('erp', async () => 'done'), 'done');
});

timeouts.run();
