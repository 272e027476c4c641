import Router from '@koa/router';
import type { MediaUrl } from '../../delivery/mediaUrls.ts';
import type { Context } from 'koa';
import type { ImageView } from '../../../projections/gallery.ts';
import type { ImageCommands } from '../../app/media/imageCommands.ts';
import type { GalleryQueries } from '../../app/media/galleryQueries.ts';
import { IMAGE_SOURCES, SPECIAL_IMAGE_TYPES } from '../../domain/gallery/galleryVocabulary.ts';
import { AppError, NotFoundError, ValidationError } from '../../errors/appError.ts';
import { pageBodies } from '../drf/pageBodies.ts';
import { choiceField, integerField, MESSAGES, numberPairField, parseBody, primaryKeyField, requireDictionary } from '../drf/serializerFields.ts';
import { isFormInput } from '../drf/formInput.ts';
import { readOnly, routeOptions, upload, writable } from '../drf/optionsMetadata.ts';
import { commandContext } from '../requestContext.ts';
import type { GalleryAnswer, GalleryWrites } from './galleryWrites.ts';
import { ifMatchRevision, withIfMatch } from './ifMatch.ts';
import { AFTER_LAST, MAX_ORDER, memberUpdateFields, routeListAndDetail, routeUpdateAndDelete } from './galleryMemberRoutes.ts';
import { pathPk } from './pathPk.ts';
import { collectFieldErrors, parseMediaListQuery, uploadedFile } from './mediaRequests.ts';
import type { PastMedia } from '../../app/history/pastMedia.ts';
import type { GalleryFileNames } from '../../app/galleryFiles/galleryFileNames.ts';
import { galleryFileFields, galleryFileInputs } from './galleryFileFields.ts';

export interface ProductImageRoutesDeps {
  commands: ImageCommands;
  queries: GalleryQueries;
  writes: GalleryWrites;
  publicBaseUrl: string;
  /** The public URL of a stored binary (see src/delivery/mediaUrls.ts). */
  mediaUrl: MediaUrl;
  /** Largest image upload accepted (bytes). */
  maxImageBytes: number;
  /** Time travel (`?as_of=`, `?at_revision=`) from the products' own streams. */
  past: PastMedia;
  /** Whether a product pk names a product (the `product` filters refuse others). */
  productExists: (pk: number) => boolean;
  /** Gallery file names unique across the catalog (an upload's optional `file_name`, see galleryFileFields.ts). */
  fileNames: GalleryFileNames;
}

const INVALID_IMAGE = 'Upload a valid image. The file you uploaded was either not an image or a corrupted image.';
const createFields = {
  product: primaryKeyField(),
  source: choiceField(IMAGE_SOURCES, { required: false, allowNull: true }),
  // Absent: after the product's last one (0 for the first), the rule ShipStream's `position` follows.
  order: integerField({ required: false, min: 0, max: MAX_ORDER }),
  ...galleryFileFields,
};
const specialFields = { special_image_type: choiceField(SPECIAL_IMAGE_TYPES) };
/** The serializer of a POST as OPTIONS describes it, in the representation's order. */
const createInfo = {
  pk: readOnly('pk', 'integer', 'ID'),
  product: writable('product', createFields.product),
  image: upload('image', 'image upload'),
  order: writable('order', createFields.order),
  source: writable('source', createFields.source),
  label: writable('label', createFields.label),
  exclude: writable('exclude', createFields.exclude),
  types: writable('types', createFields.types),
  file_name: writable('file_name', createFields.file_name),
  modified_date: readOnly('modified_date', 'datetime'),
  created_date: readOnly('created_date', 'datetime'),
  focal_point: readOnly('focal_point', 'nested object'),
  special_image_types: readOnly('special_image_types', 'list'),
};
const updateFields = { ...memberUpdateFields, focal_point: numberPairField(['x', 'y'], { min: 0, max: 1, allowNull: true }) };

/** The Omnitron representation of an image (the seed's fields, in the seed's order). */
export function representImage(view: ImageView, mediaUrl: MediaUrl) {
  return {
    pk: view.pk,
    product: view.productPk,
    image: mediaUrl(view.key),
    order: view.order,
    source: view.source,
    modified_date: view.modifiedAt,
    created_date: view.createdAt,
    // Read-only here (set with PATCH); views projected before focal points existed have none.
    focal_point: view.focalPoint ?? null,
    // Read-only: which special images this one is (`["base"]` for the main image), set with make_special.
    special_image_types: view.specialImageTypes,
  };
}

/** `/api/v1/product_image/`: Omnitron's product image resource. */
export function productImageRoutes(deps: ProductImageRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1/product_image' });
  const { queries, writes } = deps;
  const represent = (view: ImageView) => representImage(view, deps.mediaUrl);

  const find = (pk: number): ImageView => {
    const view = queries.image(pk);
    if (!view) throw new NotFoundError();
    return view;
  };
  const load = (ctx: Context): ImageView => find(pathPk(ctx));
  const respond = (ctx: Context, view: ImageView, status = 200, answer?: GalleryAnswer) => {
    ctx.status = status;
    writes.setEtag(ctx, view.productPk, answer);
    ctx.body = represent(view);
  };
  /** The image as the write left it (from the read model, or the stream while the read model lags). */
  const respondAfter = (ctx: Context, answer: GalleryAnswer, pk: number, status = 200) => {
    const view = answer.image(pk);
    if (!view) throw new NotFoundError();
    respond(ctx, view, status, answer);
  };

  routeOptions(router, '/', { name: 'Product Image List', post: createInfo });
  routeOptions(router, '/:pk', { name: 'Product Image Instance' });
  routeListAndDetail(router, {
    filter(query) {
      const { filter, source } = parseMediaListQuery(query, deps.productExists);
      const special = query.get('special_image_type');
      if (source === undefined && (special === null || special === '')) return filter; // the usual list: no copy
      return {
        ...filter,
        ...(source === undefined ? {} : { source: parseChoice('source', IMAGE_SOURCES, source) }),
        ...(special === null || special === '' ? {} : { specialImageType: parseChoice('special_image_type', SPECIAL_IMAGE_TYPES, special) }),
      };
    },
    list: (filter, page) => queries.listImages(filter, page),
    pastList: (filter, moment, page) => deps.past.listImages(filter, moment, page),
    find: (pk, options) => queries.image(pk, options),
    past: (productPk, pk, moment) => deps.past.image(productPk, pk, moment),
    represent,
    respond,
    sendPage: pageBodies(deps.publicBaseUrl),
  });

  router.post('/', async (ctx) => {
    // A body that is no dictionary is all DRF reports (no `image` error beside it).
    requireDictionary(ctx.request.body);
    const [file, fields] = collectFieldErrors(
      () => uploadedFile(ctx, 'image'),
      () => parseBody(ctx.request.body, createFields, { form: isFormInput(ctx) }),
    );
    if (file.size > deps.maxImageBytes) {
      throw new AppError('IMAGE_TOO_LARGE', `Image files are limited to ${deps.maxImageBytes} bytes.`, { status: 413 });
    }
    const content = await file.contents();
    const context = commandContext(ctx, 'rest');
    const write = await deps.commands
      .upload(
        {
          productPk: fields.product!,
          content,
          accept: ['jpeg', 'png'],
          order: fields.order ?? AFTER_LAST,
          source: fields.source ?? null,
          ...galleryFileInputs(fields, content, { fileNames: deps.fileNames, productPk: fields.product!, context }),
        },
        context,
      )
      .catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'INVALID_IMAGE') throw ValidationError.field('image', INVALID_IMAGE, 'INVALID_IMAGE');
        throw error;
      });
    respondAfter(ctx, await writes.settle(write), write.imagePk, 201);
  });

  routeUpdateAndDelete(router, {
    load,
    respondAfter,
    parseChanges(body) {
      const { order, focal_point: focalPoint } = parseBody(body, updateFields, { partial: true });
      return { order, focalPoint };
    },
    commands: deps.commands,
    writes,
  });

  router.post('/:pk/make_special', async (ctx) => {
    const view = load(ctx);
    const { special_image_type: type } = parseBody(ctx.request.body, specialFields);
    const expected = ifMatchRevision(ctx, writes.revisionOf(view.productPk));
    const write = await withIfMatch(() => deps.commands.makeSpecial(view.productPk, view.pk, type!, commandContext(ctx, 'rest'), expected));
    writes.setEtag(ctx, view.productPk, await writes.settle(write));
    ctx.body = { special_image_type: type };
  });

  router.post('/:pk/restore', async (ctx) => {
    const view = queries.image(pathPk(ctx), { includeDeleted: true });
    if (!view) throw new NotFoundError();
    const expected = ifMatchRevision(ctx, writes.revisionOf(view.productPk));
    const write = await withIfMatch(() => deps.commands.restore(view.productPk, view.pk, commandContext(ctx, 'rest'), expected));
    respondAfter(ctx, await writes.settle(write), view.pk);
  });

  return router;
}

/** A ChoiceFilter's value, or django-filter's 400 under the filter's name. */
function parseChoice<T extends string>(name: string, choices: readonly T[], value: string): T {
  if (!(choices as readonly string[]).includes(value)) throw ValidationError.field(name, MESSAGES.notAvailableChoice(value));
  return value as T;
}
