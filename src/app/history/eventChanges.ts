import type { GalleryEvent } from '../../domain/gallery/galleryEvents.ts';
import { MAIN_IMAGE_ROLE, SPECIAL_IMAGE_TYPES, type ImageRole, type TakenFrom } from '../../domain/gallery/galleryVocabulary.ts';

/** `[before, after]` of one thing a person can name: an order, the main image, a label. */
export type Changes = Record<string, [unknown, unknown]>;

/** Every key {@link describeChanges} can name (the values of the history's `changed` filter). */
export const CHANGE_KEYS: readonly string[] = [
  'image', 'video', 'order', 'file', 'roles', 'main_image', ...SPECIAL_IMAGE_TYPES.map((type) => `${type}_image`),
  'label', 'exclude', 'focal_point', 'key', 'sha256', 'status',
];

/**
 * What an event changed, in the terms of the REST representation: `{"order": [0, 2]}`,
 * `{"main_image": [12, 15]}` (the pk that held the main image before and after), `{"status":
 * ["live", "deleted"]}`. Pure; read by the history endpoints.
 */
export function describeChanges(event: GalleryEvent): Changes {
  switch (event.type) {
    case 'ImageUploaded': {
      const { imagePk, order, file, label, roles, takenFrom } = event.data;
      // A label given with the upload (ShipStream `create`) is named like a later change of it.
      const labelled: Changes = label === '' ? {} : { label: [null, label] };
      return { image: [null, imagePk], order: [null, order], file: [null, file], ...labelled, ...roleChanges(imagePk, [], roles, takenFrom) };
    }
    case 'ImageReordered':
      return { order: [event.data.previousOrder, event.data.order] };
    case 'MainImageSet':
      return { main_image: [event.data.previousImagePk, event.data.imagePk] };
    case 'SpecialImageSet':
      return { [`${event.data.specialImageType}_image`]: [event.data.previousImagePk, event.data.imagePk] };
    case 'ImageRolesChanged': {
      const { imagePk, previousRoles, roles, takenFrom } = event.data;
      return roleChanges(imagePk, previousRoles, roles, takenFrom);
    }
    case 'ImageLabelChanged':
      return { label: [event.data.previousLabel, event.data.label] };
    case 'ImageExclusionChanged':
      return { exclude: [event.data.previousExclude, event.data.exclude] };
    case 'ImageFocalPointSet':
      return { focal_point: [event.data.previousFocalPoint, event.data.focalPoint] };
    case 'ImageContentReplaced':
      return { key: [event.data.previousKey, event.data.key], sha256: [null, event.data.sha256] };
    case 'ImageDeleted': {
      const { imagePk, clearedRoles } = event.data;
      return { status: ['live', 'deleted'], ...roleChanges(imagePk, clearedRoles, [], {}) };
    }
    case 'ImageRestored':
      return { status: ['deleted', 'live'] };
    case 'VideoUploaded':
      return { video: [null, event.data.videoPk], order: [null, event.data.order] };
    case 'VideoReordered':
      return { order: [event.data.previousOrder, event.data.order] };
    case 'VideoDeleted':
      return { status: ['live', 'deleted'] };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** Role changes of one image, with the main image named explicitly when it moved. */
function roleChanges(imagePk: number, before: readonly ImageRole[], after: readonly ImageRole[], takenFrom: TakenFrom): Changes {
  if (before.length === after.length && before.every((role) => after.includes(role))) return {};
  const changes: Changes = { roles: [[...before], [...after]] };
  const hadMain = before.includes(MAIN_IMAGE_ROLE);
  const hasMain = after.includes(MAIN_IMAGE_ROLE);
  if (!hadMain && hasMain) changes.main_image = [takenFrom[MAIN_IMAGE_ROLE] ?? null, imagePk];
  if (hadMain && !hasMain) changes.main_image = [imagePk, null];
  return changes;
}

/** Whether a gallery event concerns image `imagePk`: it names it, or took a role or type from it. */
export function concernsImage(event: GalleryEvent, imagePk: number): boolean {
  const data = event.data as { imagePk?: number; previousImagePk?: number | null; takenFrom?: TakenFrom };
  if (data.imagePk === imagePk || data.previousImagePk === imagePk) return true;
  return data.takenFrom !== undefined && Object.values(data.takenFrom).includes(imagePk);
}

/** Whether a gallery event concerns video `videoPk`. */
export function concernsVideo(event: GalleryEvent, videoPk: number): boolean {
  return (event.data as { videoPk?: number }).videoPk === videoPk;
}
