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
  const revisionOf = (productPk: number): number | undefined =>
    deps.readModels.get<{ revision: number }>(GALLERIES_TABLE, productPk)?.revision;
  return {
    settle: async (write: { position: GalleryWrite['position']; streamName: string }) => {
      if (write.position !== undefined) await deps.projections.waitFor(write.position, write.streamName);
    },
    setEtag(ctx: Context, productPk: number) {
      const revision = revisionOf(productPk);
      if (revision !== undefined) ctx.set('ETag', etagOf(revision));
    },
    /** The revision of the product's gallery as this instance has it. */
    revisionOf,
  };
}

export type GalleryWrites = ReturnType<typeof galleryWrites>;
