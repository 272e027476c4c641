import type { Decider } from '../decider.ts';
import { decideReplaceImageSet, decideUpdateImage } from './batchDecisions.ts';
import type { GalleryCommand } from './galleryCommands.ts';
import type { GalleryEvent } from './galleryEvents.ts';
import type { GalleryState } from './galleryState.ts';
import { evolveGallery, initialGalleryState } from './galleryState.ts';
import {
  decideDeleteImage,
  decideImageContent,
  decideImageExclusion,
  decideImageFocalPoint,
  decideImageLabel,
  decideReorderImage,
  decideRestoreImage,
  decideUploadImage,
} from './imageDecisions.ts';
import { decideImageRoles, decideMainImage, decideSpecialImage } from './roleDecisions.ts';
import { decideDeleteVideo, decideReorderVideo, decideUploadVideo } from './videoDecisions.ts';

function decide(command: GalleryCommand, state: GalleryState): GalleryEvent[] {
  switch (command.type) {
    case 'UploadImage': {
      const { product, ...image } = command.data;
      return decideUploadImage(state, product, image);
    }
    case 'ReorderImage':
      return decideReorderImage(state, command.data.imagePk, command.data.order);
    case 'SetMainImage':
      return decideMainImage(state, command.data.imagePk);
    case 'MakeImageSpecial':
      return decideSpecialImage(state, command.data.imagePk, command.data.specialImageType);
    case 'ChangeImageRoles':
      return decideImageRoles(state, command.data.imagePk, command.data.roles);
    case 'ChangeImageLabel':
      return decideImageLabel(state, command.data.imagePk, command.data.label);
    case 'ChangeImageExclusion':
      return decideImageExclusion(state, command.data.imagePk, command.data.exclude);
    case 'SetImageFocalPoint':
      return decideImageFocalPoint(state, command.data.imagePk, command.data.focalPoint);
    case 'ReplaceImageContent':
      return decideImageContent(state, command.data.imagePk, command.data.blob);
    case 'UpdateImage': {
      const { imagePk, ...changes } = command.data;
      return decideUpdateImage(state, imagePk, changes);
    }
    case 'DeleteImage':
      return decideDeleteImage(state, command.data.imagePk);
    case 'RestoreImage':
      return decideRestoreImage(state, command.data.product, command.data.imagePk);
    case 'ReplaceImageSet':
      return decideReplaceImageSet(state, command.data.product, command.data.images);
    case 'UploadVideo': {
      const { product, videoPk, blob, order } = command.data;
      return decideUploadVideo(state, product, videoPk, blob, order);
    }
    case 'ReorderVideo':
      return decideReorderVideo(state, command.data.videoPk, command.data.order);
    case 'DeleteVideo':
      return decideDeleteVideo(state, command.data.videoPk);
    default: {
      const unknown: never = command;
      throw new Error(`Unknown gallery command ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The gallery aggregate (stream `productMedia-<productPk>`): every image and video of one
 * product. Invariants: one live holder per role and special type; deleted media cannot be
 * touched; pks are never reused; live file names are unique; orders are integers ≥ 0; a product
 * whose media is disabled takes no new media. Commands that change nothing emit no event.
 */
export const galleryDecider: Decider<GalleryState, GalleryCommand, GalleryEvent> = {
  initialState: initialGalleryState,
  evolve: evolveGallery,
  decide,
};
