import type { Command, Decider } from '../decider.ts';
import { DomainRuleError, NotFoundError, ValidationError } from '../../errors/appError.ts';
import { requireChoice, requireOrder } from '../fieldRules.ts';
import type { ImageSource, ImageType } from '../gallery/galleryVocabulary.ts';
import { IMAGE_SOURCES, IMAGE_TYPES } from '../gallery/galleryVocabulary.ts';
import type { ImageDownloadEvent, ImageDownloadRequested } from './imageDownloadEvents.ts';

type Job = ImageDownloadRequested['data'];

/** A job is requested once, then finishes once: completed or failed. */
export type ImageDownloadState =
  | { status: 'none' }
  | { status: 'requested'; job: Job }
  | { status: 'completed'; job: Job; imagePk: number }
  | { status: 'failed'; job: Job; reason: string };

export type RequestImageDownload = Command<
  'RequestImageDownload',
  { downloadId: string; productPk: number; url: string; imageType: ImageType; order: number; source: ImageSource }
>;
export type CompleteImageDownload = Command<'CompleteImageDownload', { downloadId: string; imagePk: number }>;
export type FailImageDownload = Command<'FailImageDownload', { downloadId: string; reason: string }>;

export type ImageDownloadCommand = RequestImageDownload | CompleteImageDownload | FailImageDownload;

/** DRF `URLField`'s text; only http(s) URLs can be fetched. */
const INVALID_URL_MESSAGE = 'Enter a valid URL.';
const URL_CREDENTIALS_MESSAGE = 'URLs with a user name or password are not accepted.';

function decide(command: ImageDownloadCommand, state: ImageDownloadState): ImageDownloadEvent[] {
  switch (command.type) {
    case 'RequestImageDownload': {
      if (state.status !== 'none') {
        throw new DomainRuleError('DOWNLOAD_ALREADY_REQUESTED', `Download ${command.data.downloadId} was already requested.`);
      }
      const { downloadId, productPk, url, imageType, order, source } = command.data;
      const problem = downloadUrlProblem(url);
      if (problem !== undefined) throw ValidationError.field('url', problem, 'INVALID_URL');
      requireChoice('image_type', imageType, IMAGE_TYPES, 'UNKNOWN_IMAGE_TYPE');
      requireOrder(order);
      requireChoice('source', source, [...IMAGE_SOURCES, null], 'UNKNOWN_IMAGE_SOURCE');
      return [{ type: 'ImageDownloadRequested', data: { downloadId, productPk, url, imageType, order, source } }];
    }
    case 'CompleteImageDownload':
      requireRunning(state, command.data.downloadId);
      return [{ type: 'ImageDownloadCompleted', data: { ...command.data } }];
    case 'FailImageDownload':
      requireRunning(state, command.data.downloadId);
      return [{ type: 'ImageDownloadFailed', data: { ...command.data } }];
    default: {
      const unknown: never = command;
      throw new Error(`Unknown image download command ${JSON.stringify(unknown)}`);
    }
  }
}

/** @throws NotFoundError `DOWNLOAD_NOT_FOUND`, DomainRuleError `DOWNLOAD_ALREADY_FINISHED`. */
function requireRunning(state: ImageDownloadState, downloadId: string): void {
  if (state.status === 'none') throw new NotFoundError('Not found.', 'DOWNLOAD_NOT_FOUND');
  if (state.status !== 'requested') {
    throw new DomainRuleError('DOWNLOAD_ALREADY_FINISHED', `Download ${downloadId} already ${state.status}.`);
  }
}

/**
 * Why a job may not fetch `url`, if it may not: it must be an absolute http(s) URL with a host,
 * and without credentials (they would be kept in the history in the clear, and are never sent).
 */
export function downloadUrlProblem(url: string): string | undefined {
  // URL.canParse is pure (no I/O).
  if (!URL.canParse(url)) return INVALID_URL_MESSAGE;
  const parsed = new URL(url);
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') return INVALID_URL_MESSAGE;
  if (parsed.username !== '' || parsed.password !== '') return URL_CREDENTIALS_MESSAGE;
  return undefined;
}

function evolve(state: ImageDownloadState, event: ImageDownloadEvent): ImageDownloadState {
  switch (event.type) {
    case 'ImageDownloadRequested':
      return { status: 'requested', job: event.data };
    case 'ImageDownloadCompleted':
      return state.status === 'requested' ? { status: 'completed', job: state.job, imagePk: event.data.imagePk } : state;
    case 'ImageDownloadFailed':
      return state.status === 'requested' ? { status: 'failed', job: state.job, reason: event.data.reason } : state;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** ERP image download jobs (stream `imageDownload-<downloadId>`). */
export const imageDownloadDecider: Decider<ImageDownloadState, ImageDownloadCommand, ImageDownloadEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide,
};
