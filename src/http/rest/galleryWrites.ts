import type { Context } from 'koa';
import { GALLERIES_TABLE } from '../../../projections/gallery.ts';
import { galleryAfterWrite, type GalleryAnswer } from '../../app/media/galleryAfterWrite.ts';
import type { GalleryQueries } from '../../app/media/galleryQueries.ts';
import type { ReadYourWrites } from '../../app/readYourWrites.ts';
import type { ReadModelStore } from '../../ports/readModelStore.ts';
import { etagOf } from './ifMatch.ts';

export type { GalleryAnswer } from '../../app/media/galleryAfterWrite.ts';

/**
 * What the media routes share: read-your-writes after a gallery write (see galleryAfterWrite.ts),
 * and the gallery revision as the ETag of every medium in it (an If-Match pins the whole gallery,
 * the aggregate that decides).
 */
export function galleryWrites(deps: { readModels: ReadModelStore; queries: GalleryQueries; readYourWrites: ReadYourWrites }) {
  const revisionOf = (productPk: number): number | undefined =>
    deps.readModels.get<{ revision: number }>(GALLERIES_TABLE, productPk)?.revision;
  const { current, settle } = galleryAfterWrite({ queries: deps.queries, revisionOf, readYourWrites: deps.readYourWrites });
  return {
    current,
    settle,
    /** The ETag of the product's gallery, as `answer` has it (the read model by default). */
    setEtag(ctx: Context, productPk: number, answer: GalleryAnswer = current) {
      const revision = answer.revisionOf(productPk);
      if (revision !== undefined) ctx.set('ETag', etagOf(revision));
    },
    /** The revision of the product's gallery as this instance has it. */
    revisionOf,
  };
}

export type GalleryWrites = ReturnType<typeof galleryWrites>;
