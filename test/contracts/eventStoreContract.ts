import { suite } from 'uvu';
import type { EventStore } from '../../src/ports/eventStore.ts';
import { appendContract } from './eventStore/appendContract.ts';
import type { EventStoreContractContext } from './eventStore/contractSupport.ts';
import { readContract } from './eventStore/readContract.ts';
import { retentionContract } from './eventStore/retentionContract.ts';
import { subscriptionContract } from './eventStore/subscriptionContract.ts';

export {
  eventData,
  freshCategory,
  recordSubscription,
  rejectsWithConflict,
} from './eventStore/contractSupport.ts';

/** What an adapter's test file hands the contract: a store and how to dispose of what it used. */
export type OpenEventStore = () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>;

/**
 * The behaviour every `EventStore` adapter must have (EventStoreDB semantics). Runs one uvu suite;
 * each test gets a store from `open`, then the suite calls `store.close()` and `cleanup()`. Tests
 * use fresh stream names only, so the suite also runs against a shared server.
 */
export function eventStoreContract(adapterName: string, open: OpenEventStore): void {
  const test = suite<EventStoreContractContext>(`event store contract: ${adapterName}`);

  test.before.each(async (context) => {
    const { store, cleanup } = await open();
    context.store = store;
    context.cleanup = cleanup;
  });
  // Guarded: uvu drops a failure thrown from an after-hook and exits 0, so a failed open()
  // must not turn into a silent stop here.
  test.after.each(async ({ store, cleanup }) => {
    await store?.close();
    await cleanup?.();
  });

  appendContract(test);
  readContract(test);
  subscriptionContract(test);
  retentionContract(test);

  test.run();
}
