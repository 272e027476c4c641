import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { galleryProjection, IMAGES_BY_PRODUCT_TABLE, IMAGES_TABLE, MEDIA_BY_KEY_TABLE, type ImageView } from '../../projections/gallery.ts';
import type { GalleryEvent } from '../../src/domain/gallery/galleryEvents.ts';
import { productMediaStream } from '../../src/domain/gallery/galleryStream.ts';
import { mediaLookup } from '../../src/delivery/mediaLookup.ts';
import type { ReadModelStore } from '../../src/ports/readModelStore.ts';
import { blob, imageUploaded, videoUploaded } from '../domain/galleryFixtures.ts';
import { project, recorded } from '../support/projectionSpec.ts';

const P = 16401;
const log = (events: GalleryEvent[]) => events.map((event, revision) => recorded(productMediaStream(P), revision, event.type, event.data));
const replaced = { type: 'ImageContentReplaced' as const, data: { imagePk: 1, ...blob(P, 9), previousKey: blob(P, 1).key } };
const focalPointSet = { type: 'ImageFocalPointSet' as const, data: { imagePk: 1, focalPoint: { x: 0.25, y: 0.75 }, previousFocalPoint: null } };
const deleted = { type: 'ImageDeleted' as const, data: { imagePk: 1, key: blob(P, 9).key, clearedRoles: [], clearedSpecialImageTypes: [] } };

/** The projection's tables behind the read-model port, as the media URLs read them. */
let commits = 0;
const storeOf = (model: ReturnType<typeof project>) =>
  ({ get: (table: string, key: unknown) => model.tx.get(table, key as string), changes: () => (commits += 1) }) as unknown as ReadModelStore;

test('every key an upload or a replacement names points at its image or video, for good', () => {
  const model = project(galleryProjection, log([imageUploaded(P, 1), videoUploaded(P, 2), replaced]));
  assert.equal(model.tx.get(MEDIA_BY_KEY_TABLE, blob(P, 1).key), { kind: 'image', pk: 1 });
  assert.equal(model.tx.get(MEDIA_BY_KEY_TABLE, blob(P, 9).key), { kind: 'image', pk: 1 });
  assert.equal(model.tx.get(MEDIA_BY_KEY_TABLE, 'product_videos/2024/05/01/00000002-uuid.mp4'), { kind: 'video', pk: 2 });
});

test('ImageFocalPointSet changes the view and its covering index row', () => {
  const model = project(galleryProjection, log([imageUploaded(P, 1), focalPointSet]));
  const view = model.tx.get<ImageView>(IMAGES_TABLE, 1)!;
  assert.equal(view.focalPoint, { x: 0.25, y: 0.75 });
  assert.is(view.revision, 1);
  assert.equal(model.tx.get<ImageView>(IMAGES_BY_PRODUCT_TABLE, [P, 0, 1])!.focalPoint, { x: 0.25, y: 0.75 });
});

test('the media lookup tells live, replaced and deleted binaries apart, with the focal point and the stored size of the current binary', () => {
  const live = mediaLookup(storeOf(project(galleryProjection, log([imageUploaded(P, 1), replaced, focalPointSet]))));
  assert.equal(live(blob(P, 9).key), { key: blob(P, 9).key, kind: 'image', pk: 1, productPk: P, state: 'live', contentType: 'image/jpeg', focalPoint: { x: 0.25, y: 0.75 }, width: 800, height: 600 });
  // A replaced binary's size is not kept (the image's size is its current binary's): renditions of it read the header.
  assert.equal(live(blob(P, 1).key), { key: blob(P, 1).key, kind: 'image', pk: 1, productPk: P, state: 'replaced', contentType: 'image/jpeg', focalPoint: { x: 0.25, y: 0.75 } });
  assert.is(live('products/unknown.jpg'), undefined);
  const gone = mediaLookup(storeOf(project(galleryProjection, log([imageUploaded(P, 1), replaced, deleted]))));
  assert.equal(gone(blob(P, 9).key)?.state, 'deleted');
  assert.equal([gone(blob(P, 9).key)?.width, gone(blob(P, 9).key)?.height], [800, 600]);
  const video = mediaLookup(storeOf(project(galleryProjection, log([videoUploaded(P, 2)]))));
  assert.equal(video('product_videos/2024/05/01/00000002-uuid.mp4'), { key: 'product_videos/2024/05/01/00000002-uuid.mp4', kind: 'video', pk: 2, productPk: P, state: 'live', contentType: 'video/mp4' });
});

test.run();
