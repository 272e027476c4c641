import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  GALLERIES_TABLE,
  galleryProjection,
  IMAGES_BY_PRODUCT_TABLE,
  productKeyRange,
  VIDEOS_BY_PRODUCT_TABLE,
  type ImageView,
  type VideoView,
} from '../../projections/gallery.ts';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { openLmdbReadModelStore } from '../../src/adapters/lmdb/lmdbReadModelStore.ts';
import type { GalleryEvent } from '../../src/domain/gallery/galleryEvents.ts';
import { productMediaStream } from '../../src/domain/gallery/galleryStream.ts';
import { productStream } from '../../src/domain/product/productStreams.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { EventStore } from '../../src/ports/eventStore.ts';
import { startProjections } from '../../src/projections/projections.ts';
import { imageUploaded, videoUploaded } from '../domain/galleryFixtures.ts';

/** The gallery read model as the service runs it: fed by the projection runner from an event store. */

const metadata = { actor: 'erp', api: 'rest', correlationId: 'c', causationId: 'c', occurredAt: '2024-05-25T10:00:00.000000Z', schemaVersion: 1 };

async function append(eventStore: EventStore, streamName: string, events: { type: string; data: unknown }[]) {
  return eventStore.appendToStream(streamName, events.map(({ type, data }) => ({ id: randomUUID(), type, data, metadata })));
}

const gallery = (eventStore: EventStore, productPk: number, events: GalleryEvent[]) => append(eventStore, productMediaStream(productPk), events);

test('the runner feeds the gallery read model from the productMedia streams, and waits for them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gallery-projection-runner-'));
  const eventStore = await openLmdbEventStore({ path: join(dir, 'events') });
  const readModels = openLmdbReadModelStore({ path: join(dir, 'readmodels') });
  const projections = startProjections({ eventStore, readModels, logger: silentLogger }, [galleryProjection]);
  try {
    await append(eventStore, productStream(7), [{ type: 'ProductRegistered', data: { productPk: 7, sku: 'S7', name: 'n', mediaEnabled: true } }]);
    await gallery(eventStore, 6, [imageUploaded(6, 60)]);
    await gallery(eventStore, 8, [imageUploaded(8, 80)]);
    const { position } = await gallery(eventStore, 7, [imageUploaded(7, 71, { order: 1 }), imageUploaded(7, 70, { order: 2 }), videoUploaded(7, 75)]);
    await projections.waitFor(position, productMediaStream(7));

    const images = readModels.range<ImageView>(IMAGES_BY_PRODUCT_TABLE, productKeyRange(7)).map((row) => row.value.pk);
    assert.equal(images, [71, 70], 'exactly product 7\'s images, in (order, pk) order');
    assert.equal(readModels.range<VideoView>(VIDEOS_BY_PRODUCT_TABLE, productKeyRange(7)).map((row) => row.value.pk), [75]);
    assert.equal(readModels.range<ImageView>(IMAGES_BY_PRODUCT_TABLE, productKeyRange(6)).map((row) => row.value.pk), [60]);
    assert.equal(readModels.get(GALLERIES_TABLE, 7), { revision: 2 });
    assert.is(readModels.get(GALLERIES_TABLE, 'product-7'), undefined);
  } finally {
    await projections.stop();
    await readModels.close();
    await eventStore.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
