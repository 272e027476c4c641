import { collectDefaultMetrics, Registry } from 'prom-client';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cheaperEventLoopDelayMetrics, OMITTED_EVENT_LOOP_METRIC } from '../../src/observability/eventLoopDelayMetrics.ts';

const sample = (text: string, name: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const blockFor = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

test('the event-loop delay metrics keep prom-client names, see a blocked loop, start again after each scrape, and leave out the standard deviation', async () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  cheaperEventLoopDelayMetrics(registry, 5);
  await registry.metrics(); // a fresh interval starts here
  await pause(30);
  blockFor(80);
  await pause(30);
  const blocked = await registry.metrics();
  const value = (name: string) => sample(blocked, name) ?? Number.NaN;
  assert.ok(value('nodejs_eventloop_lag_max_seconds') >= 0.06, `max ${value('nodejs_eventloop_lag_max_seconds')}`);
  assert.ok(value('nodejs_eventloop_lag_min_seconds') <= value('nodejs_eventloop_lag_p50_seconds'));
  assert.ok(value('nodejs_eventloop_lag_p50_seconds') <= value('nodejs_eventloop_lag_p90_seconds'));
  assert.ok(value('nodejs_eventloop_lag_p90_seconds') <= value('nodejs_eventloop_lag_p99_seconds'));
  assert.ok(value('nodejs_eventloop_lag_p99_seconds') <= value('nodejs_eventloop_lag_max_seconds'));
  assert.ok(value('nodejs_eventloop_lag_mean_seconds') > 0);
  assert.is(sample(blocked, OMITTED_EVENT_LOOP_METRIC), undefined);
  assert.not.match(blocked, new RegExp(OMITTED_EVENT_LOOP_METRIC));

  await pause(60);
  const calm = await registry.metrics();
  assert.ok((sample(calm, 'nodejs_eventloop_lag_max_seconds') ?? 1) < 0.06, 'the block is not counted again after the scrape that reported it');
  // The one-turn delay measured at the previous scrape is reported: a number, small when idle.
  const lag = sample(calm, 'nodejs_eventloop_lag_seconds');
  assert.ok(lag !== undefined && lag >= 0 && lag < 0.06, `lag ${lag}`);
});

test.run();
