import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { progress } from './benchEnvironment.ts';
import { elapsedMs, formatCount, formatMs } from './measure.ts';
import { populateEventStore } from './productEventLog.ts';

/** A service data dir whose event store (`<dataDir>/events`) holds the product log. */
export interface ProductDataset {
  dataDir: string;
  eventsPath: string;
  events: number;
}

/** Populates `<dataDir>/events` with `events` product events (untimed by the benchmarks). */
export async function createProductDataset(dataDir: string, events: number): Promise<ProductDataset> {
  const eventsPath = join(dataDir, 'events');
  progress('dataset', `appending ${formatCount(events)} product events to ${eventsPath}`);
  const start = performance.now();
  await populateEventStore(eventsPath, events);
  progress('dataset', `populated in ${formatMs(elapsedMs(start))}`);
  return { dataDir, eventsPath, events };
}
