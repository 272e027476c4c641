import Router from '@koa/router';
import type { MediaUrl } from '../../delivery/mediaUrls.ts';
import { pathPk } from './pathPk.ts';
import type { DownloadRequest, downloadCommands } from '../../app/media/downloadCommands.ts';
import { downloadUrlProblem } from '../../domain/download/imageDownloadDecider.ts';
import { UnknownProductError } from '../../app/products/productFacts.ts';
import { IMAGE_SOURCES, IMAGE_TYPES } from '../../domain/gallery/galleryVocabulary.ts';
import { NotFoundError, ValidationError, type FieldErrors } from '../../errors/appError.ts';
import { toPage } from '../drf/pagination.ts';
import { charField, choiceField, integerField, parseBody, pythonTypeName, readOnlyField } from '../drf/serializerFields.ts';
import { commandContext } from '../requestContext.ts';
import type { GalleryWrites } from './galleryWrites.ts';
import { MAX_ORDER } from './galleryMemberRoutes.ts';
import { pageOf } from '../../app/media/mediaLists.ts';
import { representImage } from './productImageRoutes.ts';

export interface DownloadableImageRoutesDeps {
  commands: ReturnType<typeof downloadCommands>;
  writes: GalleryWrites;
  publicBaseUrl: string;
  /** The public URL of a stored binary (see src/delivery/mediaUrls.ts). */
  mediaUrl: MediaUrl;
}

/** Largest set the bulk form takes at once: every URL is fetched before answering. */
const MAX_SET_SIZE = 50;
const imageFields = {
  url: charField({ maxLength: 2048 }),
  image_type: choiceField(IMAGE_TYPES, { required: false, default: 'default' }),
  order: integerField({ required: false, min: 0, max: MAX_ORDER, default: 0 }),
};
// The seed's body echoes `product` and the dates; the path names the product, the dates are ours.
const downloadFields = {
  ...imageFields,
  source: choiceField(IMAGE_SOURCES, { required: false }),
  product: readOnlyField,
  modified_date: readOnlyField,
  created_date: readOnlyField,
};

/**
 * `/api/v1/downloadable_image/<product_pk>/`: Omnitron fetches an ERP URL and re-hosts the image
 * before answering (COMPAT ruling). The product is named by the path, so an unknown product is
 * DRF's 404 `{"detail": "Not found."}`, as a nested route's `get_object_or_404` answers.
 */
export function downloadableImageRoutes(deps: DownloadableImageRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1/downloadable_image' });

  const productMustExist = (error: unknown): never => {
    throw error instanceof UnknownProductError ? new NotFoundError() : error;
  };

  router.post('/:product_pk/download', async (ctx) => {
    const productPk = pathPk(ctx, 'product_pk');
    const fields = parseBody(ctx.request.body, downloadFields);
    const request: DownloadRequest = { productPk, url: fields.url!, imageType: fields.image_type!, order: fields.order!, source: fields.source ?? null };
    const write = await deps.commands.requestDownload(request, commandContext(ctx, 'rest')).catch(productMustExist);
    const answer = await deps.writes.settle(write);
    const view = answer.image(write.imagePk);
    if (!view) throw new NotFoundError();
    deps.writes.setEtag(ctx, productPk, answer);
    ctx.body = representImage(view, deps.mediaUrl);
  });

  router.post('/:product_pk/replace', async (ctx) => {
    const productPk = pathPk(ctx, 'product_pk');
    const requests = parseImageSet(ctx.request.body, productPk);
    const write = await deps.commands.replaceImageSet(productPk, requests, commandContext(ctx, 'rest')).catch(productMustExist);
    const answer = await deps.writes.settle(write);
    deps.writes.setEtag(ctx, productPk, answer);
    const page = { page: 1, limit: MAX_SET_SIZE, offset: 0 };
    const { count, items } = pageOf([...answer.images(productPk)], page);
    const listUrl = new URL(`/api/v1/product_image/?product=${productPk}`, deps.publicBaseUrl);
    ctx.body = toPage(items.map((view) => representImage(view, deps.mediaUrl)), count, page, listUrl);
  });

  return router;
}

/**
 * `{"images": [{url, order, image_type}, ...]}` with DRF's nested list errors:
 * `{"images": [{}, {"url": ["This field is required."]}]}`.
 */
function parseImageSet(body: unknown, productPk: number): DownloadRequest[] {
  const { images } = parseBody(body ?? {}, { images: { required: true, parse: (value: unknown) => value } });
  if (!Array.isArray(images)) {
    throw ValidationError.field('images', `Expected a list of items but got type "${pythonTypeName(images)}".`);
  }
  if (images.length === 0) throw ValidationError.field('images', 'This list may not be empty.');
  if (images.length > MAX_SET_SIZE) throw ValidationError.field('images', `Ensure this field has no more than ${MAX_SET_SIZE} elements.`);
  const errors: FieldErrors[] = [];
  const requests = images.map((item: unknown, index): DownloadRequest | undefined => {
    try {
      const fields = parseBody(item, imageFields);
      const problem = downloadUrlProblem(fields.url!);
      if (problem !== undefined) throw ValidationError.field('url', problem);
      errors[index] = {};
      return { productPk, url: fields.url!, imageType: fields.image_type!, order: fields.order!, source: 'integration' };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors[index] = error.details ?? {};
      return undefined;
    }
  });
  if (errors.some((item) => Object.keys(item).length > 0)) throw new ValidationError({ images: errors });
  return requests as DownloadRequest[];
}
