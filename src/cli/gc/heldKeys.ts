import type { RecordedEvent } from '../../ports/eventStore.ts';
import { originalKeyOf } from '../../delivery/renditionKey.ts';

/** Prefixes of the binaries the catalog writes; nothing else in the bucket is the collector's. */
export const COLLECTED_PREFIXES = ['products/', 'product_videos/', 'renditions/'] as const;

/**
 * The binaries the catalog still needs, folded from gallery events: the current content of every
 * image, live or deleted (a deleted image can be restored with its binary), and of every live
 * video. A binary replaced by new content (`previousKey`), a deleted video's binary, and a binary
 * no event names (a write cut by a crash, a refused set replacement) are not held.
 */
export function heldKeys() {
  const images = new Map<number, string>();
  const videos = new Map<number, string>();
  return {
    apply(event: Pick<RecordedEvent, 'type' | 'data'>): void {
      const data = event.data as { imagePk?: number; videoPk?: number; key?: string };
      switch (event.type) {
        case 'ImageUploaded':
        case 'ImageContentReplaced':
          images.set(data.imagePk!, data.key!);
          return;
        case 'VideoUploaded':
          videos.set(data.videoPk!, data.key!);
          return;
        case 'VideoDeleted':
          videos.delete(data.videoPk!);
          return;
        default:
          return;
      }
    },
    keys(): Set<string> {
      return new Set([...images.values(), ...videos.values()]);
    },
  };
}

/** Whether the object at `key` is still needed: a held binary, or a rendition of one. */
export function isHeld(key: string, held: ReadonlySet<string>): boolean {
  return held.has(originalKeyOf(key) ?? key);
}

export function isCollectable(key: string): boolean {
  return COLLECTED_PREFIXES.some((prefix) => key.startsWith(prefix));
}
