import type { ImageView } from '../../../projections/gallery.ts';
import type { MediaUrl } from '../../delivery/mediaUrls.ts';
import type { ProductView } from '../../../projections/products.ts';
import { AppError, fieldMessages, ValidationError } from '../../errors/appError.ts';
import { IMAGE_FORMATS } from '../../ports/imageProcessor.ts';
import type { RequestContext } from '../commandHandler.ts';
import type { GalleryAnswer } from '../media/galleryAfterWrite.ts';
import type { GalleryQueries } from '../media/galleryQueries.ts';
import type { GalleryWrite, ImageCommands } from '../media/imageCommands.ts';
import type { ProductQueries } from '../products/productQueries.ts';
import { requestedFileName } from './requestedFileName.ts';
import type { GalleryFileNames } from '../galleryFiles/galleryFileNames.ts';
import { dispersed } from '../media/mediaKeys.ts';
import { optionalImageFile, readImageFields, requireImageFile } from './imageData.ts';
import { imageDataArgument, methodArguments, requireDefaultStore, storeId, textArgument, type MethodArguments } from './methodArguments.ts';
import { INVALID_IMAGE, INVALID_IMAGE_TYPE, ShipStreamFault, type FaultNumber } from './shipStreamFaults.ts';

export interface ProductMediaDeps {
  products: ProductQueries;
  gallery: GalleryQueries;
  images: ImageCommands;
  /**
   * Read-your-writes: the gallery once this instance's read models include the write, or, while
   * they lag, as the product's stream says after it (a durable write never fails here).
   */
  settle: (write: GalleryWrite) => Promise<GalleryAnswer>;
  /** The public URL of a stored binary (see src/delivery/mediaUrls.ts). */
  mediaUrl: MediaUrl;
  /** Largest decoded image accepted. */
  maxImageBytes: number;
  /** Gallery file names unique across the catalog, never reused (see app/galleryFiles). */
  fileNames: GalleryFileNames;
}

/** One image as `list` and `info` answer it (OpenMage `_imageToArray`). */
export interface ShipStreamImage {
  file: string;
  label: string;
  position: number;
  exclude: 0 | 1;
  url: string;
  types: string[];
}

/** A `product_media` method: its parameter names and what it does with them. */
export interface ProductMediaMethod {
  params: readonly string[];
  run(args: MethodArguments, context: RequestContext): Promise<unknown>;
}

/** The media attributes of the default attribute set (4), as `types(4)` lists them. */
const DEFAULT_ATTRIBUTE_SET = 4;
/** A product id as OpenMage's `load()` takes it, within the pks the catalog hands out. */
const PRODUCT_ID = /^[1-9][0-9]{0,14}$/;
const IMAGE_TYPES = [
  { code: 'image', scope: 'store' },
  { code: 'thumbnail', scope: 'store' },
] as const;

/**
 * ShipStream's `product_media` API (OpenMage `catalog_product_attribute_media`) over the one
 * catalog: products by SKU, images by gallery file name. Writes go through the same image
 * pipeline and gallery decider as REST, and answer once the read model includes them (or, while
 * it lags, from the product's stream).
 */
export function productMediaMethods(deps: ProductMediaDeps): Record<string, ProductMediaMethod> {
  const { products, gallery, images } = deps;
  // A product's gallery list is cached per revision (galleryQueries), and so is its wire form:
  // deeply frozen, so the transport may also serialize it once.
  const represented = new WeakMap<readonly ImageView[], readonly ShipStreamImage[]>();

  const represent = (view: ImageView): ShipStreamImage => ({
    file: view.file,
    label: view.label,
    position: view.order,
    exclude: view.exclude ? 1 : 0,
    url: deps.mediaUrl(view.key),
    types: [...view.roles],
  });
  const frozenRepresentation = (view: ImageView): ShipStreamImage => {
    const image = represent(view);
    Object.freeze(image.types);
    return Object.freeze(image);
  };

  /**
   * The product named by the first argument: its SKU, or, with an `identifierType` other than
   * `sku` (OpenMage's trailing argument, e.g. `"id"`), its pk (OpenMage's product id).
   * @throws ShipStreamFault 100 (store), 101 (unknown product).
   */
  function product(args: MethodArguments, withStore = true): ProductView {
    const identifier = textArgument('sku', args.required('sku'));
    if (withStore) requireDefaultStore(args.optional('store'));
    const identifierType = args.optional('identifierType');
    const bySku = identifierType === undefined || identifierType === 'sku';
    const view = bySku ? products.bySku(identifier) : PRODUCT_ID.test(identifier) ? products.get(Number(identifier)) : undefined;
    if (view === undefined) throw new ShipStreamFault(101);
    return view;
  }

  /** A product whose gallery is read or written: it must take media (OpenMage's `_getGalleryAttribute`). @throws ShipStreamFault 107 */
  function productTakingMedia(args: MethodArguments, withStore = true): ProductView {
    const view = product(args, withStore);
    if (!view.mediaEnabled) throw new ShipStreamFault(107);
    return view;
  }

  /** @throws ShipStreamFault 103 */
  function image(productPk: number, args: MethodArguments): ImageView {
    const file = textArgument('file', args.required('file'));
    const view = gallery.imageByFile(productPk, file);
    if (view === undefined) throw new ShipStreamFault(103);
    return view;
  }

  async function create(args: MethodArguments, context: RequestContext): Promise<string[]> {
    const { pk } = productTakingMedia(args);
    const data = imageDataArgument('data', args.required('data'));
    const file = requireImageFile(data, deps.maxImageBytes);
    const fields = readImageFields(data);
    // ShipStream's position: after the last image, 1 for the first (decided on the gallery as written).
    const order = fields.order ?? ({ afterLast: true, first: 1 } as const);
    const { imagePk, ...write } = await images
      .upload(
        {
          productPk: pk,
          // Judged by its bytes, as OpenMage does (getimagesize): the mime names only the extension.
          content: file.content,
          accept: IMAGE_FORMATS,
          // The first of `image.png`, `image_1.png`, … no image of any product ever had, reserved in the
          // event store (so concurrent creates on any instance get different names). The decision's own
          // suffix only applies to a product holding a name from before names were catalog-wide.
          file: dispersed(requestedFileName(file.name, file.extension)),
          reserveFile: (name) => deps.fileNames.reserve(name, pk, context),
          whenFileNameTaken: 'suffix',
          source: null,
          ...fields,
          order,
        },
        context,
      )
      .catch((error: unknown) => {
        throw asFault(error, 104);
      });
    const created = (await deps.settle(write)).image(imagePk);
    if (created === undefined) throw new Error(`Image ${imagePk} was created but is not in the gallery after settling.`);
    return [created.file];
  }

  async function update(args: MethodArguments, context: RequestContext): Promise<1> {
    const { pk } = productTakingMedia(args);
    const view = image(pk, args);
    const data = imageDataArgument('data', args.required('data'));
    const file = optionalImageFile(data, deps.maxImageBytes);
    const fields = readImageFields(data, 'update');
    const content = file === undefined ? {} : { content: { content: file.content, accept: IMAGE_FORMATS } };
    const write = await images.update(pk, view.pk, { ...fields, ...content }, context).catch((error: unknown) => {
      throw asFault(error, 105);
    });
    await deps.settle(write);
    return 1;
  }

  async function remove(args: MethodArguments, context: RequestContext): Promise<1> {
    const { pk } = productTakingMedia(args, false);
    const view = image(pk, args);
    const write = await images.delete(pk, view.pk, context).catch((error: unknown) => {
      throw asFault(error, 106);
    });
    await deps.settle(write);
    return 1;
  }

  return {
    list: {
      params: ['sku', 'store', 'identifierType'],
      run: async (args) => {
        const views = gallery.galleryOf(productTakingMedia(args).pk);
        let list = represented.get(views);
        if (list === undefined) {
          list = Object.freeze(views.map(frozenRepresentation));
          represented.set(views, list);
        }
        return list;
      },
    },
    info: {
      params: ['sku', 'file', 'store', 'identifierType'],
      run: async (args) => represent(image(productTakingMedia(args).pk, args)),
    },
    types: {
      params: ['setId'],
      run: async (args) => {
        const setId = args.required('setId');
        if (setId !== DEFAULT_ATTRIBUTE_SET && setId !== String(DEFAULT_ATTRIBUTE_SET)) {
          throw new ShipStreamFault(102, 'Requested attribute set not found.');
        }
        return IMAGE_TYPES;
      },
    },
    currentStore: {
      params: ['store'],
      // One store view: naming it sets nothing, so no session holds a store; the id of the store named,
      // or of the admin store (0) the API runs in when none is.
      run: async (args) => storeId(args.optional('store')),
    },
    create: { params: ['sku', 'data', 'store', 'identifierType'], run: create },
    update: { params: ['sku', 'file', 'data', 'store', 'identifierType'], run: update },
    remove: { params: ['sku', 'file', 'identifierType'], run: remove },
  };
}

/** Runs `method` with the arguments as the client sent them (list, object or one value). */
export function runMethod(method: ProductMediaMethod, args: unknown, context: RequestContext): Promise<unknown> {
  return method.run(methodArguments(args, method.params), context);
}

/**
 * A refusal of the pipeline or the gallery as the fault OpenMage raises for it; anything else
 * (the store down, a bug) stays as it is, for fault 1 and the log.
 */
function asFault(error: unknown, writeFault: FaultNumber): unknown {
  if (!(error instanceof AppError) || error instanceof ShipStreamFault) return error;
  switch (error.code) {
    case 'INVALID_IMAGE':
      return new ShipStreamFault(104, INVALID_IMAGE, error);
    case 'IMAGE_FORMAT_MISMATCH':
      return new ShipStreamFault(102, INVALID_IMAGE_TYPE, error);
    case 'PRODUCT_NOT_FOUND':
      return new ShipStreamFault(101, undefined, error);
    case 'PRODUCT_MEDIA_DISABLED':
      return new ShipStreamFault(107, undefined, error);
    case 'IMAGE_NOT_FOUND':
    case 'IMAGE_DELETED':
      return new ShipStreamFault(103, undefined, error);
    case 'IMAGE_QUEUE_FULL':
      return new ShipStreamFault(7, error.message, error);
    default:
      if (error instanceof ValidationError) return new ShipStreamFault(102, detailOf(error), error);
      return error.expose ? new ShipStreamFault(writeFault, detailOf(error), error) : error;
  }
}

/** `field: message` of each field error, or the message. */
function detailOf(error: AppError): string {
  if (error.details === undefined) return error.message;
  return Object.entries(error.details)
    .map(([field, messages]) => `${field}: ${fieldMessages(messages).join(' ')}`)
    .join(' ');
}
