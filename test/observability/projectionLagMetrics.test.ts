import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { switchableDisk } from '../support/switchableDisk.ts';
import { startTestService } from '../support/testService.ts';

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const test = suite('projection lag metrics');

test('a read model whose commits fail shows its lag in events and seconds, and none once it has caught up', async () => {
  const disk = switchableDisk();
  const api = await startTestService({ readModelSpace: disk });
  const scrape = async () => (await api.request('GET', '/metrics', { auth: null })).text;
  try {
    assert.is(sample(await scrape(), 'projection_lag_events{projection="products"}'), 0);
    disk.full = true;
    for (const sku of ['LAG-1', 'LAG-2']) assert.is((await api.request('POST', '/api/v1/products/', { body: { sku } })).status, 201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const behind = await scrape();
    // At least the two registrations are not applied.
    assert.ok(sample(behind, 'projection_lag_events{projection="products"}')! >= 2, behind);
    assert.ok(sample(behind, 'projection_lag_seconds{projection="products"}')! >= 0.3);
    assert.is(sample(behind, 'projection_state{projection="products",state="retrying"}'), 1);
    assert.is(sample(behind, 'projection_state{projection="products",state="live"}'), 0);
    disk.full = false;
    const deadline = Date.now() + 10_000;
    let after = await scrape();
    while (sample(after, 'projection_lag_events{projection="products"}') !== 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await scrape();
    }
    assert.is(sample(after, 'projection_lag_events{projection="products"}'), 0);
    assert.is(sample(after, 'projection_lag_seconds{projection="products"}'), 0);
    assert.is(sample(after, 'projection_state{projection="products",state="live"}'), 1);
  } finally {
    await api.stop();
  }
});

test.run();
