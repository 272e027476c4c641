import { galleryDecider } from '../../domain/gallery/galleryDecider.ts';
import { productMediaStream } from '../../domain/gallery/galleryStream.ts';
import type { ImageRole, ImageSource, ImageType, SpecialImageType, StoredImage } from '../../domain/gallery/galleryVocabulary.ts';
import type { ImageDimensions } from '../../domain/settings/settingDefinitions.ts';
import type { EventStore, Position } from '../../ports/eventStore.ts';
import type { ImageFormat, ImageProcessor } from '../../ports/imageProcessor.ts';
import type { ObjectStore } from '../../ports/objectStore.ts';
import type { Clock } from '../clock.ts';
import type { HandleCommand, RequestContext, WithoutMetadata } from '../commandHandler.ts';
import type { GalleryCommand, NewImage } from '../../domain/gallery/galleryCommands.ts';
import type { AllocatePk } from '../pkAllocator.ts';
import { loadProductFacts } from '../products/productFacts.ts';
import { fileNameOfKey, imageKey } from './mediaKeys.ts';

export interface ImageCommandsDeps {
  eventStore: EventStore;
  objectStore: ObjectStore;
  imageProcessor: ImageProcessor;
  handle: HandleCommand;
  allocatePk: AllocatePk;
  clock: Clock;
  /** The `MAX_IMAGE_DIMENSIONS` setting in force. */
  maxImageDimensions: () => ImageDimensions;
  maxInputPixels: number;
}

export interface NewImageInput {
  productPk: number;
  content: Buffer;
  accept: readonly ImageFormat[];
  order: number;
  source: ImageSource;
  /** Gallery file name; by default derived from the stored key. */
  file?: string;
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

/** Where a gallery write landed, for read-your-writes and the response. */
export interface GalleryWrite {
  productPk: number;
  streamName: string;
  position: Position | undefined;
  /** The gallery's revision after the write (ETag). */
  revision: number;
}

/**
 * Image commands over the gallery aggregate. An upload is processed (sharp), stored (blob
 * first), given a pk, and only then recorded: an event never names a missing binary; a binary
 * whose event never got appended is an orphan for the collector.
 */
export function imageCommands(deps: ImageCommandsDeps) {
  const { handle } = deps;

  async function store(productPk: number, content: Buffer, accept: readonly ImageFormat[]): Promise<StoredImage> {
    const { WIDTH, HEIGHT } = deps.maxImageDimensions();
    const image = await deps.imageProcessor.process(content, { accept, maxWidth: WIDTH, maxHeight: HEIGHT, maxInputPixels: deps.maxInputPixels });
    const key = imageKey(productPk, deps.clock(), image.extension);
    await deps.objectStore.put({ key, body: image.data, contentType: image.contentType, sha256: image.sha256 });
    return { key, contentType: image.contentType, width: image.width, height: image.height, bytes: image.bytes, sha256: image.sha256 };
  }

  async function decide(productPk: number, command: WithoutMetadata<GalleryCommand>, context: RequestContext, expectedRevision?: number): Promise<GalleryWrite> {
    const streamName = productMediaStream(productPk);
    const result = await handle(streamName, galleryDecider, command, context, expectedRevision === undefined ? {} : { expectedRevision });
    return { productPk, streamName, position: result.position, revision: result.revision };
  }

  return {
    async upload(input: NewImageInput, context: RequestContext): Promise<GalleryWrite & { imagePk: number }> {
      const product = await loadProductFacts(deps.eventStore, input.productPk);
      const blob = await store(input.productPk, input.content, input.accept);
      const imagePk = await deps.allocatePk('image', context);
      const write = await decide(
        input.productPk,
        {
          type: 'UploadImage',
          data: {
            product,
            imagePk,
            file: input.file ?? fileNameOfKey(blob.key),
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
      return { ...write, imagePk };
    },

    /** Processes and stores one image of a coming {@link replaceSet}. @throws AppError `INVALID_IMAGE`. */
    async prepare(productPk: number, input: Omit<PreparedImage, 'blob'> & { content: Buffer; accept: readonly ImageFormat[] }): Promise<PreparedImage> {
      const blob = await store(productPk, input.content, input.accept);
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
      return { ...write, imagePks };
    },

    reorder: (productPk: number, imagePk: number, order: number, context: RequestContext, expectedRevision?: number) =>
      decide(productPk, { type: 'ReorderImage', data: { imagePk, order } }, context, expectedRevision),

    makeSpecial: (productPk: number, imagePk: number, specialImageType: SpecialImageType, context: RequestContext, expectedRevision?: number) =>
      decide(productPk, { type: 'MakeImageSpecial', data: { imagePk, specialImageType } }, context, expectedRevision),

    delete: (productPk: number, imagePk: number, context: RequestContext, expectedRevision?: number) =>
      decide(productPk, { type: 'DeleteImage', data: { imagePk } }, context, expectedRevision),
  };
}

export type ImageCommands = ReturnType<typeof imageCommands>;
