import type { DomainEvent } from '../decider.ts';
import type { ImageSource, ImageType } from '../gallery/galleryVocabulary.ts';

/**
 * Events of an ERP image download job (stream `imageDownload-<downloadId>`), Omnitron's
 * `downloadable_image`: the URL is fetched, the image re-hosted, and the gallery gets an
 * `ImageUploaded` whose causation is the job.
 */
export type ImageDownloadRequested = DomainEvent<
  'ImageDownloadRequested',
  { downloadId: string; productPk: number; url: string; imageType: ImageType; order: number; source: ImageSource }
>;
/** The image is in the gallery as `imagePk`. */
export type ImageDownloadCompleted = DomainEvent<'ImageDownloadCompleted', { downloadId: string; imagePk: number }>;
/** The download or its image was refused; `reason` is the text the client sees under `url`. */
export type ImageDownloadFailed = DomainEvent<'ImageDownloadFailed', { downloadId: string; reason: string }>;

export type ImageDownloadEvent = ImageDownloadRequested | ImageDownloadCompleted | ImageDownloadFailed;
