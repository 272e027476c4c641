import type { GalleryEvent } from './galleryEvents.ts';
import type { FocalPoint, ImageRole, SecondarySpecialImageType, TakenFrom } from './galleryVocabulary.ts';
import { IMAGE_ROLES, MAIN_IMAGE_ROLE } from './galleryVocabulary.ts';

/** What the gallery decider remembers of an image: enough to decide, not a read model. */
export interface GalleryImage {
  status: 'live' | 'deleted';
  imagePk: number;
  file: string;
  key: string;
  sha256: string;
  order: number;
  label: string;
  exclude: boolean;
  roles: ImageRole[];
  specialImageTypes: SecondarySpecialImageType[];
  focalPoint: FocalPoint | null;
}

export interface GalleryVideo {
  status: 'live' | 'deleted';
  videoPk: number;
  key: string;
  order: number;
}

/**
 * `empty`: nothing was ever uploaded. `active`: the gallery of `productPk`. Deleted media stay in
 * the lists so their pks are never reused; lists keep insertion order, so ties sort by creation.
 */
export type GalleryState =
  | { status: 'empty' }
  | { status: 'active'; productPk: number; images: GalleryImage[]; videos: GalleryVideo[] };

export type ActiveGallery = Extract<GalleryState, { status: 'active' }>;

export const initialGalleryState = (): GalleryState => ({ status: 'empty' });

export function evolveGallery(state: GalleryState, event: GalleryEvent): GalleryState {
  if (event.type === 'ImageUploaded' || event.type === 'VideoUploaded') {
    const gallery: ActiveGallery =
      state.status === 'active' ? state : { status: 'active', productPk: event.data.productPk, images: [], videos: [] };
    return event.type === 'ImageUploaded' ? addImage(gallery, event.data) : addVideo(gallery, event.data);
  }
  // Every other event refers to media that an upload created; an empty gallery has none.
  if (state.status === 'empty') return state;
  switch (event.type) {
    case 'ImageReordered':
      return updateImage(state, event.data.imagePk, () => ({ order: event.data.order }));
    case 'MainImageSet': {
      const taken = event.data.previousImagePk === null ? {} : { [MAIN_IMAGE_ROLE]: event.data.previousImagePk };
      const withoutRole = takeRoles(state, taken);
      return updateImage(withoutRole, event.data.imagePk, (image) => ({ roles: sortRoles([...image.roles, MAIN_IMAGE_ROLE]) }));
    }
    case 'SpecialImageSet': {
      const { imagePk, specialImageType, previousImagePk } = event.data;
      const released =
        previousImagePk === null
          ? state
          : updateImage(state, previousImagePk, (image) => ({
              specialImageTypes: image.specialImageTypes.filter((type) => type !== specialImageType),
            }));
      return updateImage(released, imagePk, (image) => ({ specialImageTypes: [...image.specialImageTypes, specialImageType] }));
    }
    case 'ImageRolesChanged':
      return updateImage(takeRoles(state, event.data.takenFrom), event.data.imagePk, () => ({ roles: event.data.roles }));
    case 'ImageLabelChanged':
      return updateImage(state, event.data.imagePk, () => ({ label: event.data.label }));
    case 'ImageExclusionChanged':
      return updateImage(state, event.data.imagePk, () => ({ exclude: event.data.exclude }));
    case 'ImageFocalPointSet':
      return updateImage(state, event.data.imagePk, () => ({ focalPoint: event.data.focalPoint }));
    case 'ImageContentReplaced':
      return updateImage(state, event.data.imagePk, () => ({ key: event.data.key, sha256: event.data.sha256 }));
    case 'ImageDeleted':
      return updateImage(state, event.data.imagePk, () => ({ status: 'deleted', roles: [], specialImageTypes: [] }));
    case 'ImageRestored':
      return updateImage(state, event.data.imagePk, () => ({ status: 'live' }));
    case 'VideoReordered':
      return updateVideo(state, event.data.videoPk, () => ({ order: event.data.order }));
    case 'VideoDeleted':
      return updateVideo(state, event.data.videoPk, () => ({ status: 'deleted' }));
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** Live images in insertion order; none for an empty gallery. */
export function liveImages(state: GalleryState): GalleryImage[] {
  return state.status === 'active' ? state.images.filter((image) => image.status === 'live') : [];
}

/** Roles in the canonical order of IMAGE_ROLES, so equal sets compare equal. */
export function sortRoles(roles: readonly ImageRole[]): ImageRole[] {
  return IMAGE_ROLES.filter((role) => roles.includes(role));
}

function addImage(gallery: ActiveGallery, data: Extract<GalleryEvent, { type: 'ImageUploaded' }>['data']): ActiveGallery {
  const { imagePk, file, key, sha256, order, label, exclude, roles } = data;
  const image: GalleryImage = { status: 'live', imagePk, file, key, sha256, order, label, exclude, roles, specialImageTypes: [], focalPoint: null };
  const withoutRoles = takeRoles(gallery, data.takenFrom);
  return { ...withoutRoles, images: [...withoutRoles.images, image] };
}

function addVideo(gallery: ActiveGallery, data: Extract<GalleryEvent, { type: 'VideoUploaded' }>['data']): ActiveGallery {
  const video: GalleryVideo = { status: 'live', videoPk: data.videoPk, key: data.key, order: data.order };
  return { ...gallery, videos: [...gallery.videos, video] };
}

/** Removes each role from the image it was taken from. */
function takeRoles(gallery: ActiveGallery, takenFrom: TakenFrom): ActiveGallery {
  return Object.entries(takenFrom).reduce(
    (current, [role, fromPk]) => updateImage(current, fromPk, (image) => ({ roles: image.roles.filter((held) => held !== role) })),
    gallery,
  );
}

function updateImage(gallery: ActiveGallery, imagePk: number, change: (image: GalleryImage) => Partial<GalleryImage>): ActiveGallery {
  return {
    ...gallery,
    images: gallery.images.map((image) => (image.imagePk === imagePk ? { ...image, ...change(image) } : image)),
  };
}

function updateVideo(gallery: ActiveGallery, videoPk: number, change: (video: GalleryVideo) => Partial<GalleryVideo>): ActiveGallery {
  return {
    ...gallery,
    videos: gallery.videos.map((video) => (video.videoPk === videoPk ? { ...video, ...change(video) } : video)),
  };
}
