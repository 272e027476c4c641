import type { Context } from 'koa';
import { GALLERIES_TABLE } from '../../../projections/gallery.ts';
import type { GalleryWrite } from '../../app/media/imageCommands.ts';
import type { ReadModelStore } from '../../ports/readModelStore.ts';
import type { Projections } from '../../projections/projections.ts';
import { etagOf } from './ifMatch.ts';

/**
 * What the media routes share: read-your-writes after a gallery write, and the gallery revision
 * as the ETag of every medium in it (an If-Match pins the whole gallery, the aggregate that
 * decides).
 */
export function galleryWrites(deps: { readModels: ReadModelStore; projections: Projections }) {
  return {
    settle: async (write: { position: GalleryWrite['position']; streamName: string }) => {
      if (write.position !== undefined) await deps.projections.waitFor(write.position, write.streamName);
    },
    setEtag(ctx: Context, productPk: number) {
      const gallery = deps.readModels.get<{ revision: number }>(GALLERIES_TABLE, productPk);
      if (gallery) ctx.set('ETag', etagOf(gallery.revision));
    },
  };
}

export type GalleryWrites = ReturnType<typeof galleryWrites>;
