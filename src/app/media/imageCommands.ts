import type { ImageChanges } from '../../domain/gallery/batchDecisions.ts';
import type { ImageRole, ImageSource, ImageType, SpecialImageType, StoredImage } from '../../domain/gallery/galleryVocabulary.ts';
import { AppError } from '../../errors/appError.ts';
import type { ImageDimensions } from '../../domain/settings/settingDefinitions.ts';
import type { EventStore } from '../../ports/eventStore.ts';
import type { ImageFormat, ImageProcessor, ProcessedImage } from '../../ports/imageProcessor.ts';
import type { ObjectStore } from '../../ports/objectStore.ts';
import type { Clock } from '../clock.ts';
import type { HandleCommand, RequestContext } from '../commandHandler.ts';
import type { NewImage } from '../../domain/gallery/galleryCommands.ts';
import type { RequestedOrder } from '../../domain/gallery/orderAfterLast.ts';
import type { AllocatePk } from '../pkAllocator.ts';
import { loadProductFacts } from '../products/productFacts.ts';
import { galleryDecision, type GalleryWrite } from './galleryDecision.ts';
export type { GalleryWrite } from './galleryDecision.ts';
import { fileNameOfKey, imageKey } from './mediaKeys.ts';

export interface ImageCommandsDeps {
  eventStore: EventStore;
  objectStore: ObjectStore;
  imageProcessor: ImageProcessor;
  handle: HandleCommand;
  allocatePk: AllocatePk;
  clock: Clock;
  /** The `MAX_IMAGE_DIMENSIONS` setting in force (read from the event store: another instance may just have changed it). */
  maxImageDimensions: () => ImageDimensions | Promise<ImageDimensions>;
  maxInputPixels: number;
  /** `MAX_ANIMATION_PIXELS`: frames × canvas of an animated upload. */
  maxAnimationPixels: number;
  /** Told of every binary a write has recorded (eager renditions); must not throw. */
  afterStored?: (blob: StoredImage) => void;
}

/** Bytes of an image as a client sent them, and what it may be. */
export interface ImageContent {
  content: Buffer;
  accept: readonly ImageFormat[];
  /** The format the client declared (ShipStream `mime`): content of another format is refused. */
  format?: ImageFormat;
}

export interface NewImageInput extends ImageContent {
  productPk: number;
  /** A chosen order, or after the product's last image (decided on the gallery as written). */
  order: RequestedOrder;
  source: ImageSource;
  /** Gallery file name; by default derived from the stored key. */
  file?: string;
  /** When a live image holds `file` (see NewImage): refuse (default), or take the first free suffix. */
  whenFileNameTaken?: NewImage['whenFileNameTaken'];
  /**
   * Takes `file` (or a free variant of it) for good once the content is accepted, and answers the
   * name to record (ShipStream's catalog-wide names, see app/galleryFiles). A refused image takes no name.
   */
  reserveFile?: (file: string) => Promise<string>;
  label?: string;
  exclude?: boolean;
  roles?: ImageRole[];
  imageType?: ImageType;
}

/** An image processed and stored for a set replacement, not yet recorded (an orphan until then). */
export interface PreparedImage {
  blob: StoredImage;
  order: number;
  source: ImageSource;
  imageType: ImageType;
}

/**
 * Image commands over the gallery aggregate. An upload is processed (sharp), stored (blob
 * first), given a pk, and only then recorded: an event never names a missing binary; a binary
 * whose event never got appended is an orphan for the collector.
 */
export function imageCommands(deps: ImageCommandsDeps) {

  /**
   * Runs the image pipeline, which is also the check of the content, as a job of the request's
   * user: the pipeline shares its slots fairly between users.
   */
  async function processImage({ content, accept, format }: ImageContent, context: RequestContext): Promise<ProcessedImage> {
    const { WIDTH, HEIGHT } = await deps.maxImageDimensions();
    const { maxInputPixels, maxAnimationPixels } = deps;
    const options = { accept, maxWidth: WIDTH, maxHeight: HEIGHT, maxInputPixels, maxAnimationPixels };
    const image = await deps.imageProcessor.process(content, options, { owner: context.actor });
    if (format !== undefined && image.format !== format) {
      throw new AppError('IMAGE_FORMAT_MISMATCH', `The content is ${image.format}, not the declared ${format}.`, { status: 400 });
    }
    return image;
  }

  /** Writes the processed bytes (blob first); the store hashes what it wrote. */
  async function putImage(productPk: number, image: ProcessedImage): Promise<StoredImage> {
    const key = imageKey(productPk, deps.clock(), image.extension);
    const stored = await deps.objectStore.put({ key, body: image.data, contentType: image.contentType });
    return { key, contentType: image.contentType, width: image.width, height: image.height, bytes: stored.size, sha256: stored.sha256 };
  }

  async function store(productPk: number, content: ImageContent, context: RequestContext): Promise<StoredImage> {
    return putImage(productPk, await processImage(content, context));
  }

  const decide = galleryDecision(deps.handle);
  const recorded = <Write>(write: Write, blobs: readonly (StoredImage | undefined)[]): Write => {
    for (const blob of blobs) if (blob !== undefined) deps.afterStored?.(blob);
    return write;
  };

  return {
    async upload(input: NewImageInput, context: RequestContext): Promise<GalleryWrite & { imagePk: number }> {
      // Independent steps overlap: the product is read while the image is processed, and a pk is
      // drawn while the blob is written (only for content the pipeline accepted, so a refused
      // upload leaves no event). Errors keep their order: an unknown product is reported first.
      const facts = loadProductFacts(deps.eventStore, input.productPk);
      const processing = processImage(input, context);
      facts.catch(() => undefined);
      processing.catch(() => undefined);
      const product = await facts;
      const image = await processing;
      const reserving = input.file !== undefined && input.reserveFile !== undefined ? input.reserveFile(input.file) : input.file;
      const [blob, imagePk, file] = await Promise.all([putImage(input.productPk, image), deps.allocatePk('image', context), reserving]);
      const write = await decide(
        input.productPk,
        {
          type: 'UploadImage',
          data: {
            product,
            imagePk,
            file: file ?? fileNameOfKey(blob.key),
            whenFileNameTaken: input.whenFileNameTaken ?? 'refuse',
            blob,
            order: input.order,
            source: input.source,
            label: input.label ?? '',
            exclude: input.exclude ?? false,
            roles: input.roles ?? [],
            imageType: input.imageType ?? 'default',
          },
        },
        context,
      );
      return recorded({ ...write, imagePk }, [blob]);
    },

    /** Processes and stores one image of a coming {@link replaceSet}. @throws AppError `INVALID_IMAGE`. */
    async prepare(
      productPk: number,
      input: Omit<PreparedImage, 'blob'> & { content: Buffer; accept: readonly ImageFormat[] },
      context: RequestContext,
    ): Promise<PreparedImage> {
      const blob = await store(productPk, input, context);
      return { blob, order: input.order, source: input.source, imageType: input.imageType };
    },

    /** All-or-nothing: the product's live images are replaced by `images` in one decision. */
    async replaceSet(productPk: number, images: readonly PreparedImage[], context: RequestContext): Promise<GalleryWrite & { imagePks: number[] }> {
      const product = await loadProductFacts(deps.eventStore, productPk);
      const imagePks: number[] = [];
      for (let index = 0; index < images.length; index++) imagePks.push(await deps.allocatePk('image', context));
      const newImages = images.map(
        (image, index): NewImage => ({
          imagePk: imagePks[index]!,
          file: fileNameOfKey(image.blob.key),
          blob: image.blob,
          order: image.order,
          source: image.source,
          label: '',
          exclude: false,
          roles: [],
          imageType: image.imageType,
        }),
      );
      const write = await decide(productPk, { type: 'ReplaceImageSet', data: { product, images: newImages } }, context);
      return recorded({ ...write, imagePks }, images.map((image) => image.blob));
    },

    /**
     * ShipStream `update` and REST `PATCH`: only the changes given apply, in one decision; new content is
     * processed and stored first and replaces the binary under the same gallery file name.
     * @throws AppError `INVALID_IMAGE`, `IMAGE_FORMAT_MISMATCH` before anything is stored.
     */
    async update(
      productPk: number,
      imagePk: number,
      changes: Omit<ImageChanges, 'blob'> & { content?: ImageContent },
      context: RequestContext,
      expectedRevision?: number,
    ): Promise<GalleryWrite> {
      const { content, ...fields } = changes;
      const blob = content === undefined ? undefined : await store(productPk, content, context);
      const data = { imagePk, ...fields, ...(blob === undefined ? {} : { blob }) };
      return recorded(await decide(productPk, { type: 'UpdateImage', data }, context, expectedRevision), [blob]);
    },

    makeSpecial: (productPk: number, imagePk: number, specialImageType: SpecialImageType, context: RequestContext, expectedRevision?: number) =>
      decide(productPk, { type: 'MakeImageSpecial', data: { imagePk, specialImageType } }, context, expectedRevision),

    delete: (productPk: number, imagePk: number, context: RequestContext, expectedRevision?: number) =>
      decide(productPk, { type: 'DeleteImage', data: { imagePk } }, context, expectedRevision),

    /** Brings a deleted image back with its pk and binary (a new `ImageRestored` event). */
    async restore(productPk: number, imagePk: number, context: RequestContext, expectedRevision?: number): Promise<GalleryWrite> {
      const product = await loadProductFacts(deps.eventStore, productPk);
      return decide(productPk, { type: 'RestoreImage', data: { imagePk, product } }, context, expectedRevision);
    },
  };
}

export type ImageCommands = ReturnType<typeof imageCommands>;
