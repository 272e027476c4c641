import { EventStoreDBClient } from '@eventstore/db-client';
import { startEsdbStandIn, type EsdbStandIn, type EsdbStandInOptions } from './esdbStandIn.ts';

/**
 * Runs `body` against a fresh stand-in and a raw client connected to it, then disposes the
 * client and stops the server whatever happens (open gRPC streams would keep the process alive).
 * `connectionOptions` is appended to the connection string, e.g. `&throwOnAppendFailure=false`.
 */
export async function withStandIn(
  options: EsdbStandInOptions & { connectionOptions?: string },
  body: (esdb: EsdbStandIn, client: EventStoreDBClient) => Promise<void>,
): Promise<void> {
  const { connectionOptions = '', ...standInOptions } = options;
  const esdb = await startEsdbStandIn(standInOptions);
  const client = EventStoreDBClient.connectionString(`${esdb.connectionString}${connectionOptions}`);
  try {
    await body(esdb, client);
  } finally {
    await client.dispose();
    await esdb.stop();
  }
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const collected: T[] = [];
  for await (const item of items) collected.push(item);
  return collected;
}

/** The error `promise` rejects with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('Expected a rejection, got a result.');
}

/** Polls `condition` until it holds; fails after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Condition still false after the timeout.');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
