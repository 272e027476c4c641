import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { HistoryEntry } from '../../admin/src/api.ts';
import { messageOf } from '../../admin/src/api.ts';
import { deletedImagesOf, labelsOf, mainImageOf, revisionOf } from '../../admin/src/galleryFacts.ts';
import { describeEntry, formatMoment } from '../../admin/src/historyWords.ts';
import { reorderWrites } from '../../admin/src/reorder.ts';

let position = 0;
const entry = (event: string, image: number | null, changes: HistoryEntry['changes'] = {}, revision = position): HistoryEntry => ({
  position: String(++position).padStart(16, '0'),
  revision,
  event,
  occurred_at: `2024-05-0${Math.min(9, position)}T10:00:00.000000Z`,
  actor: 'erp',
  api: 'rest',
  image,
  video: null,
  changes,
});

const reorder = suite('the admin reorders by writing only the orders that change');
reorder('moving the last image first renumbers 0, 1, 2', () => {
  assert.equal(reorderWrites([{ pk: 1, order: 0 }, { pk: 2, order: 1 }, { pk: 3, order: 2 }], 2, 0), [{ pk: 3, order: 0 }, { pk: 1, order: 1 }, { pk: 2, order: 2 }]);
});
reorder('moving one place later writes the two that swap', () => {
  assert.equal(reorderWrites([{ pk: 1, order: 0 }, { pk: 2, order: 1 }, { pk: 3, order: 2 }], 0, 1), [{ pk: 2, order: 0 }, { pk: 1, order: 1 }]);
});
reorder('repeated orders are made distinct', () => {
  assert.equal(reorderWrites([{ pk: 4, order: 5 }, { pk: 5, order: 5 }], 1, 0), [{ pk: 5, order: 0 }, { pk: 4, order: 1 }]);
});
reorder('a move to the same place or outside the list writes nothing', () => {
  assert.equal(reorderWrites([{ pk: 1, order: 0 }], 0, 0), []);
  assert.equal(reorderWrites([{ pk: 1, order: 0 }, { pk: 2, order: 1 }], 0, 2), []);
  assert.equal(reorderWrites([{ pk: 1, order: 0 }, { pk: 2, order: 1 }], -1, 0), []);
});
reorder.run();

const facts = suite('the admin reads the main image, deletions and labels from the history');
facts('the main image is the last one the history names, null once cleared', () => {
  const history = [entry('ImageUploaded', 1, { main_image: [null, 1] }), entry('MainImageSet', 2, { main_image: [1, 2] })];
  assert.is(mainImageOf(history), 2);
  assert.is(mainImageOf(history.slice(0, 1)), 1);
  assert.is(mainImageOf([...history, entry('ImageDeleted', 2, { status: ['live', 'deleted'], main_image: [2, null] })]), null);
  assert.is(mainImageOf([]), null);
});
facts('deleted images are those not restored since, latest first', () => {
  const history = [entry('ImageDeleted', 1), entry('ImageDeleted', 2), entry('ImageDeleted', 3), entry('ImageRestored', 2)];
  assert.equal(deletedImagesOf(history).map((image) => image.pk), [3, 1]);
  assert.is(deletedImagesOf(history)[0]!.actor, 'erp');
});
facts('labels and the gallery revision', () => {
  const history = [entry('ImageLabelChanged', 7, { label: ['', 'Front'] }, 3), entry('ImageLabelChanged', 7, { label: ['Front', 'Side'] }, 9)];
  assert.equal([...labelsOf(history)], [[7, 'Side']]);
  assert.is(revisionOf(history), 9);
  assert.is(revisionOf([]), null);
});
facts('history in words', () => {
  assert.is(describeEntry(entry('MainImageSet', 2, { main_image: [1, 2] })), 'Made image 2 the main image (was image 1)');
  assert.is(describeEntry(entry('ImageReordered', 4, { order: [0, 3] })), 'Moved image 4 from position 0 to 3');
  assert.is(describeEntry(entry('ImageUploaded', 5, { order: [null, 2], main_image: [null, 5] })), 'Added image 5 at position 2 as the main image');
  assert.is(describeEntry(entry('ImageLabelChanged', 7, { label: ['', 'Front'] })), 'Labelled image 7 "Front"');
});
facts('moments read to the millisecond, in UTC', () => {
  assert.is(formatMoment('2024-05-25T12:06:42.954200Z'), '2024-05-25 12:06:42.954 UTC');
});
facts.run();

const messages = suite('refused calls read as the API says them');
messages('412 asks for a reload; DRF details and field errors are shown as sent', () => {
  assert.is(messageOf(412, { detail: 'Precondition failed: the resource was modified since it was read.' }), 'This gallery changed, reload.');
  assert.is(messageOf(401, { detail: 'Invalid token.' }), 'Invalid token.');
  assert.is(messageOf(400, { image: ['Upload a valid image.'], non_field_errors: ['No data provided'] }), 'image: Upload a valid image. No data provided');
  assert.is(messageOf(502, undefined), 'The request failed (HTTP 502).');
});
messages.run();
