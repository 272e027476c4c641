import * as assert from 'uvu/assert';
import { comparePositions, type EventData, type Position } from '../../../src/ports/eventStore.ts';
import {
  eventData,
  freshCategory,
  ids,
  quietFor,
  recordSubscription,
  type EventStoreContractTest,
} from './contractSupport.ts';

/** Catch-up subscriptions to `$all`, and closing the store. */
export function subscriptionContract(test: EventStoreContractTest): void {
  test('a subscription delivers history, then one caughtUp, then live events', async ({ store }) => {
    const category = freshCategory();
    const history = [eventData(), eventData()];
    await store.appendToStream(`${category}-1`, history);
    const subscription = recordSubscription(
      store.subscribeToAll({ filter: { streamNamePrefixes: [`${category}-`] } }),
    );
    try {
      await subscription.until(() => subscription.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
      const live = [eventData(), eventData()];
      await store.appendToStream(`${category}-2`, [live[0] as EventData]);
      await store.appendToStream(`${category}-1`, [live[1] as EventData]);
      await subscription.until(() => subscription.events().length === 4, 'the live events');
      assert.equal(
        subscription.withoutCheckpoints().map((m) => (m.kind === 'event' ? m.event.id : m.kind)),
        [...ids(history), 'caughtUp', ...ids(live)],
      );
    } finally {
      subscription.unsubscribe();
    }
  });

  test('a subscription starts strictly after fromPosition', async ({ store }) => {
    const category = freshCategory();
    const events = [eventData(), eventData(), eventData()];
    await store.appendToStream(`${category}-1`, events);
    const [, second] = await store.readStream(`${category}-1`);
    const subscription = recordSubscription(store.subscribeToAll({ fromPosition: second?.position }));
    try {
      await subscription.until(() => subscription.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
      const mine = subscription.events().filter((event) => event.streamName.startsWith(`${category}-`));
      assert.equal(ids(mine), [events[2]?.id]);
    } finally {
      subscription.unsubscribe();
    }
  });

  test('a filtered subscription delivers only streams with the given prefixes', async ({ store }) => {
    const [wanted, alsoWanted, other] = [freshCategory(), freshCategory(), freshCategory()];
    const before = await store.appendToStream(`${other}-1`, [eventData()]);
    const expected: EventData[] = [];
    for (const stream of [`${wanted}-1`, `${other}-1`, `${alsoWanted}-7`, `${other}-2`, `${wanted}-2`]) {
      const event = eventData();
      if (!stream.startsWith(other)) expected.push(event);
      await store.appendToStream(stream, [event]);
    }
    const subscription = recordSubscription(
      store.subscribeToAll({
        fromPosition: before.position,
        filter: { streamNamePrefixes: [`${wanted}-`, `${alsoWanted}-`] },
      }),
    );
    try {
      await subscription.until(() => subscription.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
      assert.equal(ids(subscription.events()), ids(expected));
    } finally {
      subscription.unsubscribe();
    }
  });

  test('no event is lost or repeated when appends race the switch from history to live', async ({ store }) => {
    const category = freshCategory();
    const appended: string[] = [];
    let appending = true;
    const writer = (async () => {
      for (let n = 0; appending || n < 50; n++) {
        const event = eventData();
        appended.push(event.id);
        await store.appendToStream(`${category}-${n % 3}`, [event]);
      }
    })();
    // History already holds some events and more are being committed while the subscription
    // catches up and switches to live.
    await quietFor(5);
    const subscription = recordSubscription(store.subscribeToAll({ filter: { streamNamePrefixes: [`${category}-`] } }));
    try {
      await subscription.until(() => subscription.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
      await quietFor(20);
      appending = false;
      await writer;
      await subscription.until(() => subscription.events().length >= appended.length, 'every appended event');
      await quietFor(20);
      assert.equal(ids(subscription.events()), appended);
      assert.is(subscription.messages.filter((m) => m.kind === 'caughtUp').length, 1, 'one caughtUp');
    } finally {
      appending = false;
      subscription.unsubscribe();
    }
  });

  test('an unsubscribed subscription delivers nothing more', async ({ store }) => {
    const category = freshCategory();
    await store.appendToStream(`${category}-1`, [eventData()]);
    const subscription = recordSubscription(store.subscribeToAll({ filter: { streamNamePrefixes: [`${category}-`] } }));
    await subscription.until(() => subscription.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
    subscription.unsubscribe();
    const seen = subscription.messages.length;
    await store.appendToStream(`${category}-1`, [eventData()]);
    await quietFor(50);
    assert.is(subscription.messages.length, seen);
  });

  test('checkpoints never go back and never pass an undelivered event', async ({ store }) => {
    const [wanted, other] = [freshCategory(), freshCategory()];
    const start = await store.appendToStream(`${other}-0`, [eventData()]);
    for (let n = 0; n < 40; n++) {
      await store.appendToStream(n % 10 === 9 ? `${wanted}-1` : `${other}-1`, [eventData(), eventData(), eventData()]);
    }
    const subscription = recordSubscription(
      store.subscribeToAll({ fromPosition: start.position, filter: { streamNamePrefixes: [`${wanted}-`] } }),
    );
    try {
      await subscription.until(() => subscription.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
      let last: Position | undefined = start.position;
      for (const message of subscription.messages) {
        if (message.kind === 'caughtUp') continue;
        const position = message.kind === 'event' ? message.event.position : message.position;
        assert.ok(comparePositions(last, position) <= 0, 'positions never go back');
        last = position;
      }
      assert.is(subscription.events().length, 12);
    } finally {
      subscription.unsubscribe();
    }
  });

  // Closing

  test('closing lets pending appends finish', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    const appends = Array.from({ length: 5 }, () => store.appendToStream(stream, [eventData()]));
    await store.close();
    const results = await Promise.all(appends);
    assert.equal(
      results.map((result) => result.nextExpectedRevision).sort((a, b) => a - b),
      [0, 1, 2, 3, 4],
    );
  });
}
