import type { RecordedEvent } from '../../ports/eventStore.ts';
import { originalKeyOf } from '../../delivery/renditionKey.ts';

/** Prefixes of the binaries the catalog writes; nothing else in the bucket is the collector's. */
export const COLLECTED_PREFIXES = ['products/', 'product_videos/', 'renditions/'] as const;

/** A binary an event holds, as the event recorded it. */
export interface HeldBinary {
  key: string;
  bytes: number;
  sha256: string;
}

/**
 * The binaries the catalog still needs, folded from gallery events: the current content of every
 * image, live or deleted (a deleted image can be restored with its binary), and of every live
 * video. A binary replaced by new content (`previousKey`), a deleted video's binary, and a binary
 * no event names (a write cut by a crash, a refused set replacement) are not held.
 */
export function heldKeys() {
  const images = new Map<number, HeldBinary>();
  const videos = new Map<number, HeldBinary>();
  const binary = (data: { key?: string; bytes?: number; sha256?: string }): HeldBinary => ({ key: data.key!, bytes: data.bytes!, sha256: data.sha256! });
  return {
    apply(event: Pick<RecordedEvent, 'type' | 'data'>): void {
      const data = event.data as { imagePk?: number; videoPk?: number; key?: string; bytes?: number; sha256?: string };
      switch (event.type) {
        case 'ImageUploaded':
        case 'ImageContentReplaced':
          images.set(data.imagePk!, binary(data));
          return;
        case 'VideoUploaded':
          videos.set(data.videoPk!, binary(data));
          return;
        case 'VideoDeleted':
          videos.delete(data.videoPk!);
          return;
        default:
          return;
      }
    },
    /** The held binaries with the size and hash their events recorded. */
    binaries(): HeldBinary[] {
      return [...images.values(), ...videos.values()];
    },
    keys(): Set<string> {
      return new Set([...images.values(), ...videos.values()].map((held) => held.key));
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
