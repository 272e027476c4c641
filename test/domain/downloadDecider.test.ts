import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ImageDownloadCommand } from '../../src/domain/download/imageDownloadDecider.ts';
import { imageDownloadDecider } from '../../src/domain/download/imageDownloadDecider.ts';
import type { ImageDownloadEvent } from '../../src/domain/download/imageDownloadEvents.ts';
import { imageDownloadStream } from '../../src/domain/download/imageDownloadStream.ts';
import { deciderSpec } from '../support/deciderSpec.ts';

const spec = deciderSpec(imageDownloadDecider);
const ID = '6f1c2a7e-0d55-4c1e-9a43-3f2b8c1d9e01';
const metadata = { now: '2024-05-01T10:00:00.000000Z' };
const job = { downloadId: ID, productPk: 501, url: 'https://erp.example.com/img/1.jpg', imageType: 'default', order: 0, source: 'integration' } as const;

const request = (overrides: Partial<typeof job> | Record<string, unknown> = {}): ImageDownloadCommand =>
  ({ type: 'RequestImageDownload', data: { ...job, ...overrides }, metadata }) as ImageDownloadCommand;
const requested: ImageDownloadEvent = { type: 'ImageDownloadRequested', data: { ...job } };
const completed: ImageDownloadEvent = { type: 'ImageDownloadCompleted', data: { downloadId: ID, imagePk: 77 } };
const complete: ImageDownloadCommand = { type: 'CompleteImageDownload', data: { downloadId: ID, imagePk: 77 }, metadata };
const fail: ImageDownloadCommand = { type: 'FailImageDownload', data: { downloadId: ID, reason: 'Upload a valid image.' }, metadata };

test('imageDownloadStream names the stream of one job', () => {
  assert.is(imageDownloadStream(ID), `imageDownload-${ID}`);
});

test('RequestImageDownload records the job', () => {
  spec.given([]).when(request()).then([requested]);
});

test('RequestImageDownload is refused for a job already requested', () => {
  spec.given([requested]).when(request()).thenThrows('DOWNLOAD_ALREADY_REQUESTED', `Download ${ID} was already requested.`);
});

test('RequestImageDownload refuses a URL that is not http(s)', () => {
  for (const url of ['ftp://erp.example.com/1.jpg', 'not a url', 'file:///etc/passwd']) {
    spec.given([]).when(request({ url })).thenThrows('INVALID_URL', 'Invalid input.', { url: ['Enter a valid URL.'] });
  }
  spec
    .given([])
    .when(request({ url: 'https://erp:secret@erp.example.com/1.jpg' }))
    .thenThrows('INVALID_URL', 'Invalid input.', { url: ['URLs with a user name or password are not accepted.'] });
});

test('RequestImageDownload refuses an unknown image type, a negative order and an unknown source', () => {
  spec.given([]).when(request({ imageType: 'banner' })).thenThrows('UNKNOWN_IMAGE_TYPE', 'Invalid input.', { image_type: ['"banner" is not a valid choice.'] });
  spec.given([]).when(request({ order: -1 })).thenThrows('ORDER_OUT_OF_RANGE', 'Invalid input.', { order: ['Ensure this value is greater than or equal to 0.'] });
  spec.given([]).when(request({ source: 'erp' })).thenThrows('UNKNOWN_IMAGE_SOURCE', 'Invalid input.', { source: ['"erp" is not a valid choice.'] });
});

test('CompleteImageDownload records the image the job created', () => {
  spec.given([requested]).when(complete).then([completed]);
});

test('FailImageDownload records the reason', () => {
  spec.given([requested]).when(fail).then([{ type: 'ImageDownloadFailed', data: { downloadId: ID, reason: 'Upload a valid image.' } }]);
});

test('a job completes or fails once', () => {
  spec.given([requested, completed]).when(complete).thenThrows('DOWNLOAD_ALREADY_FINISHED', `Download ${ID} already completed.`);
  spec.given([requested, completed]).when(fail).thenThrows('DOWNLOAD_ALREADY_FINISHED', `Download ${ID} already completed.`);
  const failed: ImageDownloadEvent = { type: 'ImageDownloadFailed', data: { downloadId: ID, reason: 'timeout' } };
  spec.given([requested, failed]).when(complete).thenThrows('DOWNLOAD_ALREADY_FINISHED', `Download ${ID} already failed.`);
});

test('a job never requested cannot finish', () => {
  spec.given([]).when(complete).thenThrows('DOWNLOAD_NOT_FOUND', 'Not found.');
  spec.given([]).when(fail).thenThrows('DOWNLOAD_NOT_FOUND', 'Not found.');
});

test('RequestImageDownload takes http and https URLs', () => {
  for (const url of ['http://erp.example.com/img/1.jpg', 'https://erp.example.com/img/1.jpg']) {
    spec.given([]).when(request({ url })).then([{ type: 'ImageDownloadRequested', data: { ...job, url } }]);
  }
});

test('RequestImageDownload refuses a URL with a user name or a password alone', () => {
  for (const url of ['https://erp@erp.example.com/1.jpg', 'https://:secret@erp.example.com/1.jpg']) {
    spec.given([]).when(request({ url })).thenThrows('INVALID_URL', 'Invalid input.', { url: ['URLs with a user name or password are not accepted.'] });
  }
});

test.run();
