import Router from '@koa/router';
import type { MediaUrl } from '../../delivery/mediaUrls.ts';
import type { Context } from 'koa';
import type { VideoView } from '../../../projections/gallery.ts';
import type { GalleryQueries } from '../../app/media/galleryQueries.ts';
import type { VideoCommands } from '../../app/media/videoCommands.ts';
import { AppError, NotFoundError, ValidationError } from '../../errors/appError.ts';
import { pageBodies } from '../drf/pageBodies.ts';
import { integerField, parseBody, primaryKeyField, requireDictionary } from '../drf/serializerFields.ts';
import { isFormInput } from '../drf/formInput.ts';
import { readOnly, routeOptions, upload, writable } from '../drf/optionsMetadata.ts';
import { commandContext } from '../requestContext.ts';
import type { GalleryAnswer, GalleryWrites } from './galleryWrites.ts';
import { AFTER_LAST, MAX_ORDER, memberUpdateFields, routeListAndDetail, routeUpdateAndDelete } from './galleryMemberRoutes.ts';
import { pathPk } from './pathPk.ts';
import { collectFieldErrors, parseMediaListQuery, uploadedFile } from './mediaRequests.ts';
import type { PastMedia } from '../../app/history/pastMedia.ts';

export interface ProductVideoRoutesDeps {
  commands: VideoCommands;
  queries: GalleryQueries;
  writes: GalleryWrites;
  publicBaseUrl: string;
  /** The public URL of a stored binary (see src/delivery/mediaUrls.ts). */
  mediaUrl: MediaUrl;
  maxVideoBytes: number;
  /** Time travel (`?as_of=`, `?at_revision=`) from the products' own streams. */
  past: PastMedia;
  /** Whether a product pk names a product (the `product` filters refuse others). */
  productExists: (pk: number) => boolean;
}

const INVALID_VIDEO = 'Upload a valid video. The file you uploaded was either not an MP4 video or a corrupted one.';
const createFields = {
  product: primaryKeyField(),
  // Absent: after the product's last one (0 for the first), the rule ShipStream's `position` follows.
  order: integerField({ required: false, min: 0, max: MAX_ORDER }),
};

/** The serializer of a POST as OPTIONS describes it, in the representation's order. */
const createInfo = {
  pk: readOnly('pk', 'integer', 'ID'),
  product: writable('product', createFields.product),
  video: upload('video', 'file upload'),
  order: writable('order', createFields.order),
  modified_date: readOnly('modified_date', 'datetime'),
  created_date: readOnly('created_date', 'datetime'),
};

/** The Omnitron representation of a video (the seed's fields). */
export function representVideo(view: VideoView, mediaUrl: MediaUrl) {
  return {
    pk: view.pk,
    product: view.productPk,
    video: mediaUrl(view.key),
    order: view.order,
    modified_date: view.modifiedAt,
    created_date: view.createdAt,
  };
}

/** Where the videos are: their uploads may carry files up to MAX_VIDEO_BYTES. */
export const PRODUCT_VIDEO_PATH = '/api/v1/product_video';

/** `/api/v1/product_video/`: Omnitron's product video resource. */
export function productVideoRoutes(deps: ProductVideoRoutesDeps): Router {
  const router = new Router({ prefix: PRODUCT_VIDEO_PATH });
  const { queries, writes } = deps;
  const represent = (view: VideoView) => representVideo(view, deps.mediaUrl);

  const find = (pk: number): VideoView => {
    const view = queries.video(pk);
    if (!view) throw new NotFoundError();
    return view;
  };
  const load = (ctx: Context): VideoView => find(pathPk(ctx));
  const respond = (ctx: Context, view: VideoView, status = 200, answer?: GalleryAnswer) => {
    ctx.status = status;
    writes.setEtag(ctx, view.productPk, answer);
    ctx.body = represent(view);
  };
  /** The video as the write left it (from the read model, or the stream while the read model lags). */
  const respondAfter = (ctx: Context, answer: GalleryAnswer, pk: number, status = 200) => {
    const view = answer.video(pk);
    if (!view) throw new NotFoundError();
    respond(ctx, view, status, answer);
  };

  routeOptions(router, '/', { name: 'Product Video List', post: createInfo });
  routeOptions(router, '/:pk', { name: 'Product Video Instance' });
  routeListAndDetail(router, {
    filter: (query) => parseMediaListQuery(query, deps.productExists).filter,
    list: (filter, page) => queries.listVideos(filter, page),
    pastList: (filter, moment, page) => deps.past.listVideos(filter, moment, page),
    find: (pk, options) => queries.video(pk, options),
    past: (productPk, pk, moment) => deps.past.video(productPk, pk, moment),
    represent,
    respond,
    sendPage: pageBodies(deps.publicBaseUrl),
  });

  router.post('/', async (ctx) => {
    // A body that is no dictionary is all DRF reports (no `video` error beside it).
    requireDictionary(ctx.request.body);
    const [file, fields] = collectFieldErrors(
      () => uploadedFile(ctx, 'video'),
      () => parseBody(ctx.request.body, createFields, { form: isFormInput(ctx) }),
    );
    if (file.size > deps.maxVideoBytes) {
      throw new AppError('VIDEO_TOO_LARGE', `Video files are limited to ${deps.maxVideoBytes} bytes.`, { status: 413 });
    }
    const write = await deps.commands
      .upload({ productPk: fields.product!, file, order: fields.order ?? AFTER_LAST }, commandContext(ctx, 'rest'))
      .catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'INVALID_VIDEO') throw ValidationError.field('video', INVALID_VIDEO, 'INVALID_VIDEO');
        throw error;
      });
    respondAfter(ctx, await writes.settle(write), write.videoPk, 201);
  });

  routeUpdateAndDelete(router, {
    load,
    respondAfter,
    parseChanges: (body) => parseBody(body, memberUpdateFields, { partial: true }),
    commands: {
      // The route asks only when a field is present, and the order is a video's only field.
      update: (productPk, pk, changes, context, expected) => deps.commands.reorder(productPk, pk, changes.order as number, context, expected),
      delete: deps.commands.delete,
    },
    writes,
  });

  return router;
}
