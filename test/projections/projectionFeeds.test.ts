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
import { PRODUCTS_TABLE, productsProjection, type ProductView } from '../../projections/products.ts';
import { SETTINGS_TABLE, settingsProjection, type SettingView } from '../../projections/settings.ts';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { openLmdbReadModelStore } from '../../src/adapters/lmdb/lmdbReadModelStore.ts';
import type { GalleryEvent } from '../../src/domain/gallery/galleryEvents.ts';
import { productMediaStream } from '../../src/domain/gallery/galleryStream.ts';
import { productSkuStream, productStream } from '../../src/domain/product/productStreams.ts';
import { settingsStream } from '../../src/domain/settings/settingsStream.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { EventStore } from '../../src/ports/eventStore.ts';
import { startProjections } from '../../src/projections/projections.ts';
import { imageUploaded, videoUploaded } from '../domain/galleryFixtures.ts';

/** The read models as the service runs them: fed by the projection runner from an event store. */

const metadata = { actor: 'erp', api: 'rest', correlationId: 'c', causationId: 'c', occurredAt: '2024-05-25T10:00:00.000000Z', schemaVersion: 1 };

async function append(eventStore: EventStore, streamName: string, events: { type: string; data: unknown }[]) {
  return eventStore.appendToStream(streamName, events.map(({ type, data }) => ({ id: randomUUID(), type, data, metadata })));
}

const gallery = (eventStore: EventStore, productPk: number, events: GalleryEvent[]) => append(eventStore, productMediaStream(productPk), events);

test('the runner feeds each read model from its own streams, and read-your-writes waits for it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'projection-feeds-'));
  const eventStore = await openLmdbEventStore({ path: join(dir, 'events') });
  const readModels = openLmdbReadModelStore({ path: join(dir, 'readmodels') });
  const projections = startProjections({ eventStore, readModels, logger: silentLogger }, [productsProjection, galleryProjection, settingsProjection]);
  try {
    await append(eventStore, productSkuStream('S7'), [{ type: 'SkuClaimed', data: { sku: 'S7', productPk: 7 } }]);
    const product = await append(eventStore, productStream(7), [{ type: 'ProductRegistered', data: { productPk: 7, sku: 'S7', name: 'n', mediaEnabled: true } }]);
    const dimensions = { key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: 900, HEIGHT: 900 }, previousValue: { WIDTH: 2000, HEIGHT: 2000 } };
    const setting = await append(eventStore, settingsStream(), [{ type: 'SettingChanged', data: dimensions }]);
    await gallery(eventStore, 6, [imageUploaded(6, 60)]);
    await gallery(eventStore, 8, [imageUploaded(8, 80)]);
    const media = await gallery(eventStore, 7, [imageUploaded(7, 71, { order: 1 }), imageUploaded(7, 70, { order: 2 }), videoUploaded(7, 75)]);
    await projections.waitFor(product.position, productStream(7));
    await projections.waitFor(setting.position, settingsStream());
    await projections.waitFor(media.position, productMediaStream(7));

    assert.is(readModels.get<ProductView>(PRODUCTS_TABLE, 7)?.sku, 'S7');
    assert.equal(readModels.get<SettingView>(SETTINGS_TABLE, 'MAX_IMAGE_DIMENSIONS')?.value, { WIDTH: 900, HEIGHT: 900 });
    const images = readModels.range<ImageView>(IMAGES_BY_PRODUCT_TABLE, productKeyRange(7)).map((row) => row.value.pk);
    assert.equal(images, [71, 70], 'exactly product 7\'s images, in (order, pk) order');
    assert.equal(readModels.range<VideoView>(VIDEOS_BY_PRODUCT_TABLE, productKeyRange(7)).map((row) => row.value.pk), [75]);
    assert.equal(readModels.range<ImageView>(IMAGES_BY_PRODUCT_TABLE, productKeyRange(6)).map((row) => row.value.pk), [60]);
    assert.equal(readModels.get(GALLERIES_TABLE, 7), { revision: 2 });
  } finally {
    await projections.stop();
    await readModels.close();
    await eventStore.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
