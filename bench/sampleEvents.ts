import type { EventMetadata } from '../src/domain/eventMetadata.ts';
import type { ImageUploaded } from '../src/domain/gallery/galleryEvents.ts';
import type { EventData } from '../src/ports/eventStore.ts';

/**
 * Realistic events for the benchmarks, built deterministically from a number so that the
 * baseline and the subject store the very same events.
 */

const EPOCH_MS = Date.parse('2024-05-25T10:00:00.000Z');

/** A UUID-shaped id unique per (`tag`, `n`); deterministic, unlike `randomUUID()`. */
export function benchId(tag: number, n: number): string {
  return `${tag.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** The envelope every stored event carries, as the command handler writes it. */
export function benchMetadata(n: number): EventMetadata {
  return {
    actor: 'erp',
    api: 'rest',
    correlationId: benchId(0xc0, n),
    causationId: benchId(0xca, n),
    occurredAt: new Date(EPOCH_MS + n).toISOString().replace('Z', '000Z'),
    schemaVersion: 1,
  };
}

/** An ImageUploaded event of product `productPk` (about 680 bytes of JSON with its envelope: UUIDs and a SHA-256 make up much of it). */
export function imageUploadedEvent(productPk: number, imagePk: number, id: string): EventData & ImageUploaded {
  return {
    id,
    type: 'ImageUploaded',
    data: {
      imagePk,
      productPk,
      key: `products/2024/05/25/${productPk}/${benchId(0x1a, imagePk)}.jpg`,
      contentType: 'image/jpeg',
      width: 1200,
      height: 1600,
      bytes: 245_761,
      sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      file: `/d/e/desk-lamp-${imagePk}.jpg`,
      order: 0,
      source: 'integration',
      label: '',
      exclude: false,
      roles: ['image'],
      imageType: 'default',
      takenFrom: {},
    },
    metadata: benchMetadata(imagePk),
  };
}

/** The bytes a raw LMDB put stores for `event`: its JSON text. */
export function eventBytes(event: EventData): Buffer {
  return Buffer.from(JSON.stringify(event));
}
