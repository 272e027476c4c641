import { randomUUID } from 'node:crypto';
import { imageDownloadDecider, type ImageDownloadCommand } from '../../domain/download/imageDownloadDecider.ts';
import { imageDownloadStream } from '../../domain/download/imageDownloadStream.ts';
import type { ImageSource, ImageType } from '../../domain/gallery/galleryVocabulary.ts';
import { AppError, ValidationError, type FieldErrors } from '../../errors/appError.ts';
import type { Downloader } from '../../ports/downloader.ts';
import type { EventStore } from '../../ports/eventStore.ts';
import type { HandleCommand, RequestContext, WithoutMetadata } from '../commandHandler.ts';
import { loadProductFacts } from '../products/productFacts.ts';
import type { GalleryWrite, ImageCommands, PreparedImage } from './imageCommands.ts';

export interface DownloadCommandsDeps {
  eventStore: EventStore;
  handle: HandleCommand;
  images: ImageCommands;
  downloader: Downloader;
  /** Download job ids; injected so tests can make them deterministic. */
  newDownloadId?: () => string;
  /** Downloads of one set replacement running at once. */
  parallelism?: number;
}

export interface DownloadRequest {
  productPk: number;
  url: string;
  imageType: ImageType;
  order: number;
  source: ImageSource;
}

const ACCEPT = ['jpeg', 'png'] as const;
export const NOT_AN_IMAGE = 'The downloaded file is not a valid image.';
export const OTHER_IMAGE_FAILED = 'Another image of the set failed; nothing was changed.';

/**
 * Omnitron's `downloadable_image`: an ERP URL is fetched and re-hosted as a gallery image. Each
 * URL is a job (`imageDownload-<id>`) that is requested, then completed or failed; the gallery
 * events it causes carry `api: 'download'` and the request event as their causation.
 */
export function downloadCommands(deps: DownloadCommandsDeps) {
  const newDownloadId = deps.newDownloadId ?? randomUUID;
  const parallelism = deps.parallelism ?? 2;

  /** Opens a job; answers the context its consequences are recorded under. */
  async function open(request: DownloadRequest, context: RequestContext): Promise<Job> {
    const downloadId = newDownloadId();
    const streamName = imageDownloadStream(downloadId);
    await deps.handle(streamName, imageDownloadDecider, { type: 'RequestImageDownload', data: { downloadId, ...request } }, context);
    const [requested] = await deps.eventStore.readStream(streamName);
    const jobContext: RequestContext = { ...context, api: 'download', causationId: requested!.id };
    const finish = (command: WithoutMetadata<ImageDownloadCommand>) => deps.handle(streamName, imageDownloadDecider, command, jobContext);
    return {
      downloadId,
      jobContext,
      complete: (imagePk: number) => finish({ type: 'CompleteImageDownload', data: { downloadId, imagePk } }),
      fail: (reason: string) => finish({ type: 'FailImageDownload', data: { downloadId, reason } }),
    };
  }

  /** Downloads and processes one job's image; a refusal becomes the reason the client reads. */
  async function fetchImage(request: DownloadRequest, context: RequestContext): Promise<PreparedImage> {
    const { bytes } = await deps.downloader.download(request.url);
    const input = { content: bytes, accept: ACCEPT, order: request.order, source: request.source, imageType: request.imageType };
    return deps.images
      .prepare(request.productPk, input, context)
      .catch((error: unknown) => {
        throw error instanceof AppError && error.code === 'INVALID_IMAGE' ? new AppError('DOWNLOAD_FAILED', NOT_AN_IMAGE, { status: 400, cause: error }) : error;
      });
  }

  return {
    /**
     * Downloads `url` into the product's gallery before answering.
     * @throws UnknownProductError before any job is opened; ValidationError `{"url": [reason]}`
     * when the download or its image is refused (the job records the same reason).
     */
    async requestDownload(request: DownloadRequest, context: RequestContext): Promise<GalleryWrite & { imagePk: number; downloadId: string }> {
      await loadProductFacts(deps.eventStore, request.productPk);
      const job = await open(request, context);
      let write: GalleryWrite & { imagePk: number };
      try {
        const { bytes } = await deps.downloader.download(request.url);
        write = await deps.images.upload(
          { productPk: request.productPk, content: bytes, accept: ACCEPT, order: request.order, source: request.source, imageType: request.imageType },
          job.jobContext,
        );
      } catch (error) {
        throw await failed(job, error, 'url');
      }
      await job.complete(write.imagePk);
      return { ...write, downloadId: job.downloadId };
    },

    /**
     * Akinon's bulk form: every URL is downloaded and stored first, then one `ReplaceImageSet`
     * swaps the whole set. Any refusal changes nothing in the gallery.
     * @throws ValidationError `{"images": [{}, {"url": [reason]}]}` (DRF's nested list shape).
     */
    async replaceImageSet(productPk: number, requests: readonly DownloadRequest[], context: RequestContext) {
      await loadProductFacts(deps.eventStore, productPk);
      const jobs: Job[] = [];
      for (const request of requests) jobs.push(await open(request, context));
      const outcomes = await mapBounded(requests, parallelism, (request, index) => fetchImage(request, jobs[index]!.jobContext));
      const errors = outcomes.map((outcome) => (outcome.ok ? undefined : outcome.error));
      if (errors.some((error) => error !== undefined)) {
        const details = await Promise.all(
          jobs.map(async (job, index): Promise<FieldErrors> => {
            const error = errors[index];
            if (error === undefined) {
              await job.fail(OTHER_IMAGE_FAILED);
              return {};
            }
            return (await failed(job, error, 'url')).details ?? {};
          }),
        );
        throw new ValidationError({ images: details }, 'DOWNLOAD_FAILED');
      }
      const prepared = outcomes.map((outcome) => (outcome as { ok: true; value: PreparedImage }).value);
      const write = await deps.images.replaceSet(productPk, prepared, { ...context, api: 'download' }).catch(async (error: unknown) => {
        await Promise.all(jobs.map((job) => failed(job, error, 'url').catch(() => undefined)));
        throw error;
      });
      await Promise.all(jobs.map((job, index) => job.complete(write.imagePks[index]!)));
      return write;
    },
  };
}

const URL_REFUSALS = new Set(['DOWNLOAD_FAILED', 'INVALID_IMAGE']);

/**
 * Records the failure on the job. A refused download or image answers the `url` field error for
 * the client; anything else (product media disabled, store down) is rethrown as it is.
 */
async function failed(job: { fail(reason: string): Promise<unknown> }, error: unknown, field: string): Promise<ValidationError> {
  const appError = error instanceof AppError ? error : undefined;
  const reason = appError?.code === 'INVALID_IMAGE' ? NOT_AN_IMAGE : appError?.expose ? appError.message : 'The image could not be stored.';
  await job.fail(reason);
  if (!appError || !URL_REFUSALS.has(appError.code)) throw error;
  return ValidationError.field(field, reason, 'DOWNLOAD_FAILED');
}

/** One open download job. */
interface Job {
  downloadId: string;
  /** The context of what the job causes: `api: 'download'`, caused by the request event. */
  jobContext: RequestContext;
  complete(imagePk: number): Promise<unknown>;
  fail(reason: string): Promise<unknown>;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs `work` over `items` with at most `limit` at once, keeping every outcome in order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<Outcome<R>[]> {
  const outcomes: Outcome<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      outcomes[index] = await work(items[index]!, index).then(
        (value): Outcome<R> => ({ ok: true, value }),
        (error: unknown): Outcome<R> => ({ ok: false, error }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return outcomes;
}
