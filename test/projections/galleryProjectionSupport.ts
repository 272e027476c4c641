import type { ImageView } from '../../projections/gallery.ts';
import { IMAGES_TABLE } from '../../projections/gallery.ts';
import type { GalleryEvent } from '../../src/domain/gallery/galleryEvents.ts';
import { productMediaStream } from '../../src/domain/gallery/galleryStream.ts';
import type { RecordedEvent } from '../../src/ports/eventStore.ts';
import { recorded, type project } from '../support/projectionSpec.ts';

/** Helpers of the gallery projection suites. */

/** `occurredAt` of the event at `revision` in {@link galleryLog}: one second apart. */
export const at = (revision: number) => `2024-05-25T10:00:${String(revision).padStart(2, '0')}.000001Z`;

/** The events of one product's gallery stream, numbered from revision 0, one second apart. */
export function galleryLog(productPk: number, events: GalleryEvent[]): RecordedEvent[] {
  return events.map((event, revision) => recorded(productMediaStream(productPk), revision, event.type, event.data, at(revision)));
}

type Model = ReturnType<typeof project>;

export const imageOf = (model: Model, pk: number) => model.tx.get<ImageView>(IMAGES_TABLE, pk)!;

/** A table's keys in key order (arrays compared element-wise, as the store orders them). */
export const keysOf = (model: Model, table: string) =>
  [...model.table(table).keys()].map((key) => JSON.parse(key) as unknown).sort(compareKeys);

function compareKeys(a: unknown, b: unknown): number {
  if (!Array.isArray(a) || !Array.isArray(b)) return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
  const differing = a.findIndex((element, index) => compareKeys(element, b[index]) !== 0);
  return differing === -1 ? a.length - b.length : compareKeys(a[differing], b[differing]);
}
