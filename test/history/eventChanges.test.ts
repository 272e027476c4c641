import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CHANGE_KEYS, describeChanges } from '../../src/app/history/eventChanges.ts';
import type { GalleryEvent } from '../../src/domain/gallery/galleryEvents.ts';
import { EVENT_CATALOG } from '../../src/domain/events.ts';
import { SPECIAL_IMAGE_TYPES } from '../../src/domain/gallery/galleryVocabulary.ts';
import { EVENT_SAMPLES } from '../domain/eventSamples.ts';

test('the history\'s `changed` filter accepts every key an event of the gallery can name', () => {
  const galleryTypes = EVENT_CATALOG.filter((entry) => entry.category === 'productMedia').map((entry) => entry.type);
  const named = new Set<string>();
  for (const type of galleryTypes) {
    const data = EVENT_SAMPLES[type as keyof typeof EVENT_SAMPLES];
    const variants = type === 'SpecialImageSet' ? SPECIAL_IMAGE_TYPES.map((specialImageType) => ({ ...data, specialImageType })) : [data];
    for (const variant of variants) for (const key of Object.keys(describeChanges({ type, data: variant } as GalleryEvent))) named.add(key);
  }
  // The samples hold no roles, so only `roles` is not named by them; every other key comes from an event.
  for (const key of named) assert.ok(CHANGE_KEYS.includes(key), `${key} is not a changed= choice`);
  assert.equal([...CHANGE_KEYS].filter((key) => !named.has(key)), ['roles']);
});

test('an upload names its label when it was given one, and no label otherwise', () => {
  const uploaded = (label: string) =>
    describeChanges({ type: 'ImageUploaded', data: { ...EVENT_SAMPLES.ImageUploaded, label, roles: [], takenFrom: {} } } as GalleryEvent);
  assert.equal(uploaded('Front view').label, [null, 'Front view']);
  assert.not.ok('label' in uploaded(''));
});

test.run();
