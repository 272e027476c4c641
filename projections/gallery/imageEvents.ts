import type { GalleryImageEvent, ImageUploaded } from '../../src/domain/gallery/galleryEvents.ts';
import { MAIN_IMAGE_ROLE } from '../../src/domain/gallery/galleryVocabulary.ts';
import type { ReadModelTx } from '../../src/ports/readModelStore.ts';
import { MEDIA_BY_KEY_TABLE, type Change, type ImageView, type MediaKeyRow } from './galleryViews.ts';
import { loadImage, saveImage, specialTypes, takeRoles, updateImage, withRoles } from './imageRows.ts';

/** Folds one image event into the image views and their indexes. */
export function applyImageEvent(tx: ReadModelTx, event: GalleryImageEvent, at: Change): void {
  switch (event.type) {
    case 'ImageUploaded':
      tx.put(MEDIA_BY_KEY_TABLE, event.data.key, { kind: 'image', pk: event.data.imagePk } satisfies MediaKeyRow);
      takeRoles(tx, event.data.takenFrom, at);
      return saveImage(tx, loadImage(tx, event.data.imagePk), uploadedView(event.data, at));
    case 'ImageReordered':
      return updateImage(tx, event.data.imagePk, at, () => ({ order: event.data.order }));
    case 'MainImageSet': {
      const { imagePk, previousImagePk } = event.data;
      if (previousImagePk !== null) takeRoles(tx, { [MAIN_IMAGE_ROLE]: previousImagePk }, at);
      return updateImage(tx, imagePk, at, (image) => withRoles(image, [...image.roles, MAIN_IMAGE_ROLE]));
    }
    case 'SpecialImageSet': {
      const { imagePk, specialImageType, previousImagePk } = event.data;
      if (previousImagePk !== null) {
        updateImage(tx, previousImagePk, at, (image) => ({
          specialImageTypes: image.specialImageTypes.filter((type) => type !== specialImageType),
        }));
      }
      return updateImage(tx, imagePk, at, (image) => ({
        specialImageTypes: specialTypes(image.roles, [...image.specialImageTypes, specialImageType]),
      }));
    }
    case 'ImageRolesChanged':
      takeRoles(tx, event.data.takenFrom, at);
      return updateImage(tx, event.data.imagePk, at, (image) => withRoles(image, event.data.roles));
    case 'ImageLabelChanged':
      return updateImage(tx, event.data.imagePk, at, () => ({ label: event.data.label }));
    case 'ImageExclusionChanged':
      return updateImage(tx, event.data.imagePk, at, () => ({ exclude: event.data.exclude }));
    case 'ImageFocalPointSet':
      return updateImage(tx, event.data.imagePk, at, () => ({ focalPoint: event.data.focalPoint }));
    case 'ImageContentReplaced': {
      const { key, contentType, width, height, bytes, sha256 } = event.data;
      tx.put(MEDIA_BY_KEY_TABLE, key, { kind: 'image', pk: event.data.imagePk } satisfies MediaKeyRow);
      return updateImage(tx, event.data.imagePk, at, () => ({ key, contentType, width, height, bytes, sha256 }));
    }
    case 'ImageDeleted':
      return updateImage(tx, event.data.imagePk, at, () => ({ status: 'deleted', roles: [], specialImageTypes: [] }));
    case 'ImageRestored':
      // Back without roles: they were given up (and may have moved on) when it was deleted.
      return updateImage(tx, event.data.imagePk, at, () => ({ status: 'live', roles: [], specialImageTypes: [] }));
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** A new image's view; fields in one fixed order, so equal views encode to equal bytes. */
function uploadedView(data: ImageUploaded['data'], at: Change): ImageView {
  const roles = withRoles({ specialImageTypes: [] }, data.roles);
  return {
    pk: data.imagePk,
    productPk: data.productPk,
    key: data.key,
    file: data.file,
    contentType: data.contentType,
    width: data.width,
    height: data.height,
    bytes: data.bytes,
    sha256: data.sha256,
    order: data.order,
    source: data.source,
    label: data.label,
    exclude: data.exclude,
    roles: roles.roles,
    specialImageTypes: roles.specialImageTypes,
    imageType: data.imageType,
    focalPoint: null,
    status: 'live',
    createdAt: at.occurredAt,
    modifiedAt: at.occurredAt,
    revision: at.revision,
  };
}
