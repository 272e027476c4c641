/**
 * The event store contract against the EventStoreDB server named by `EVENTSTORE_URL`:
 *
 *   EVENTSTORE_URL='esdb://127.0.0.1:2113?tls=false' npm run test:engines
 *
 * The contract writes streams with fresh random names, so any development server will do; it
 * never deletes anything. Without `EVENTSTORE_URL` nothing is registered and the file says so:
 * a skip, never a pass.
 */
import { openEsdbEventStore } from '../../src/adapters/esdb/esdbEventStore.ts';
import { eventStoreContract } from '../contracts/eventStoreContract.ts';
import { skipFile } from '../support/skipFile.ts';

const connectionString = process.env.EVENTSTORE_URL?.trim();

if (!connectionString) {
  skipFile('EventStoreDB engine', 'EVENTSTORE_URL not set (event store engine tests need a real EventStoreDB server)');
} else {
  eventStoreContract(`EventStoreDB at ${connectionString.replace(/\/\/[^@/]*@/, '//***@')}`, async () => {
    const store = await openEsdbEventStore({ connectionString });
    return { store, cleanup: async () => {} };
  });
}
