import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rejectsWith } from '../support/rejectsWith.ts';
import { createJobLimiter } from '../../src/adapters/sharp/jobLimiter.ts';
import { createSharpImageProcessor } from '../../src/adapters/sharp/sharpImageProcessor.ts';
import { AppError } from '../../src/errors/appError.ts';
import type { ImageProcessingOptions } from '../../src/ports/imageProcessor.ts';
import { gifOfTinyFrames, jpegHeader, pngHeader } from '../support/craftedImages.ts';
import { readFixture } from '../support/imageFixtures.ts';

const REST: ImageProcessingOptions = { accept: ['jpeg', 'png'], maxWidth: 2000, maxHeight: 2000, maxInputPixels: 40_000_000 };
const RPC: ImageProcessingOptions = { ...REST, accept: ['jpeg', 'png', 'gif'] };

const images = createSharpImageProcessor({ concurrency: 2 });

/** Runs `run`, expecting an AppError with this code, status and exact message. */
async function assertRefused(run: () => Promise<unknown>, code: string, message: string, status = 400): Promise<void> {
  await rejectsWith(run, code, { status, message });
}

const flatJpeg = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#c08040' } }).jpeg().toBuffer();

const formats = suite('sharp image processor: formats by content');

formats('a JPEG comes out as a JPEG with its dimensions and type', async () => {
  const image = await images.process(await readFixture('tiny.jpg'), REST);
  assert.equal(
    { format: image.format, contentType: image.contentType, extension: image.extension, width: image.width, height: image.height },
    { format: 'jpeg', contentType: 'image/jpeg', extension: 'jpg', width: 64, height: 48 },
  );
  const output = await sharp(image.data).metadata();
  assert.equal([output.format, output.width, output.height], ['jpeg', 64, 48]);
});

formats('a PNG comes out as a PNG and keeps its alpha channel', async () => {
  const image = await images.process(await readFixture('tiny.png'), REST);
  assert.equal([image.format, image.contentType, image.extension], ['png', 'image/png', 'png']);
  const output = await sharp(image.data).metadata();
  assert.equal([output.format, output.width, output.height, output.hasAlpha], ['png', 64, 48, true]);
});

formats('a GIF is refused where only jpeg and png are accepted', async () => {
  await assertRefused(
    async () => images.process(await readFixture('tiny.gif'), REST),
    'INVALID_IMAGE',
    'Invalid image: unsupported format gif (accepted: jpeg, png).',
  );
});

formats('a GIF is accepted where gif is', async () => {
  const image = await images.process(await readFixture('tiny.gif'), RPC);
  assert.equal([image.format, image.contentType, image.extension, image.width, image.height], ['gif', 'image/gif', 'gif', 64, 48]);
  assert.is((await sharp(image.data).metadata()).format, 'gif');
});

formats('an animated GIF keeps its frames, delays and loop', async () => {
  const image = await images.process(await readFixture('animated.gif'), RPC);
  assert.equal([image.width, image.height], [20, 10]);
  const output = await sharp(image.data, { animated: true }).metadata();
  assert.equal(
    { pages: output.pages, pageHeight: output.pageHeight, delay: output.delay, loop: output.loop },
    { pages: 3, pageHeight: 10, delay: [100, 200, 300], loop: 0 },
  );
});

formats('the format is judged by content: a PNG is refused where only jpeg is accepted', async () => {
  await assertRefused(
    async () => images.process(await readFixture('tiny.png'), { ...REST, accept: ['jpeg'] }),
    'INVALID_IMAGE',
    'Invalid image: unsupported format png (accepted: jpeg).',
  );
});

for (const [fixture, format] of [['image.svg', 'svg'], ['image.webp', 'webp']] as const) {
  formats(`${format} is refused even where every stored format is accepted`, async () => {
    await assertRefused(
      async () => images.process(await readFixture(fixture), RPC),
      'INVALID_IMAGE',
      `Invalid image: unsupported format ${format} (accepted: jpeg, png, gif).`,
    );
  });
}

formats('an SVG with leading whitespace and no XML declaration is still an SVG', async () => {
  const svg = Buffer.from('\n  <svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
  await assertRefused(() => images.process(svg, RPC), 'INVALID_IMAGE', 'Invalid image: unsupported format svg (accepted: jpeg, png, gif).');
});

formats.run();

const broken = suite('sharp image processor: broken input');

broken('a text file is not an image', async () => {
  await assertRefused(async () => images.process(await readFixture('not-an-image.txt'), REST), 'INVALID_IMAGE', 'Invalid image: not an image.');
});

broken('an empty upload is not an image', async () => {
  await assertRefused(() => images.process(Buffer.alloc(0), REST), 'INVALID_IMAGE', 'Invalid image: not an image.');
});

broken('a truncated JPEG is refused as corrupt, with libvips words kept as the cause', async () => {
  try {
    await images.process(await readFixture('corrupt.jpg'), REST);
    assert.unreachable('expected a refusal');
  } catch (error) {
    assert.instance(error, AppError);
    const appError = error as AppError;
    assert.equal([appError.code, appError.status, appError.message], ['INVALID_IMAGE', 400, 'Invalid image: corrupt or truncated.']);
    assert.instance(appError.cause, Error);
  }
});

broken('a truncated PNG is refused as corrupt', async () => {
  const png = await readFixture('tiny.png');
  await assertRefused(() => images.process(png.subarray(0, png.length / 2), REST), 'INVALID_IMAGE', 'Invalid image: corrupt or truncated.');
});

broken('a JPEG signature followed by garbage is refused as corrupt', async () => {
  const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 0x41)]);
  await assertRefused(() => images.process(fake, REST), 'INVALID_IMAGE', 'Invalid image: corrupt or truncated.');
});

broken.run();

const pixels = suite('sharp image processor: pixel limit');

pixels('a pixel bomb is refused from its header in milliseconds', async () => {
  const bomb = await readFixture('pixel-bomb.png');
  const started = performance.now();
  await assertRefused(() => images.process(bomb, REST), 'INVALID_IMAGE', 'Invalid image: too many pixels 16000×16000 (limit 40000000).');
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 500, `refusal took ${elapsed.toFixed(0)} ms`);
});

pixels('every frame of an animated GIF counts towards the limit', async () => {
  await assertRefused(
    async () => images.process(await readFixture('animated.gif'), { ...RPC, maxInputPixels: 500 }),
    'INVALID_IMAGE',
    'Invalid image: too many pixels 20×10 in 3 frames (limit 500).',
  );
});

pixels('an image exactly at the limit is accepted', async () => {
  const image = await images.process(await readFixture('tiny.jpg'), { ...REST, maxInputPixels: 64 * 48 });
  assert.equal([image.width, image.height], [64, 48]);
});

pixels.run();

const cost = suite('sharp image processor: decode cost from the header');
/** The service's defaults. */
const DEFAULTS: ImageProcessingOptions = { ...RPC, maxInputPixels: 64_000_000, maxAnimationPixels: 2_500_000 };

/** Asserts that `input` is refused with `message` from its header alone: fast, and no job ever starts. */
async function assertRefusedFromHeader(input: Buffer, options: ImageProcessingOptions, message: string): Promise<void> {
  const loads: unknown[] = [];
  const watched = createSharpImageProcessor({ concurrency: 1, onLoad: (load) => loads.push(load) });
  const started = performance.now();
  await assertRefused(() => watched.process(input, options), 'INVALID_IMAGE', message);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 500, `refusal took ${elapsed.toFixed(1)} ms`);
  assert.equal(loads, [], 'no job started');
}

cost("the issue's GIF frame bomb (64 frames of 1×1 on a 1000×1000 canvas, 1.5 KB) is refused as an animation too large", async () => {
  await assertRefusedFromHeader(gifOfTinyFrames(1000, 1000, 64), DEFAULTS, 'Invalid image: animation too large 1000×1000 in 64 frames (limit 2500000).');
});

cost('without an animation limit the same bomb is refused for its decode cost', async () => {
  const { maxAnimationPixels: _, ...noAnimationLimit } = DEFAULTS;
  await assertRefusedFromHeader(
    gifOfTinyFrames(1000, 1000, 64),
    noAnimationLimit,
    'Invalid image: too costly to decode 1000×1000 in 64 frames (1536000000 pixel-equivalents, limit 64000000).',
  );
});

cost('a 16-bit PNG within the pixel limit is refused for its decode cost', async () => {
  await assertRefusedFromHeader(pngHeader(5000, 5000, 16, 6), DEFAULTS, 'Invalid image: too costly to decode 5000×5000 (75000000 pixel-equivalents, limit 64000000).');
});

cost('a progressive JPEG of 63 MP is refused for its decode cost, a baseline one of 63 MP is not judged too costly', async () => {
  await assertRefusedFromHeader(jpegHeader(7936, 7936, 0xc2), DEFAULTS, 'Invalid image: too costly to decode 7936×7936 (125960192 pixel-equivalents, limit 64000000).');
  // The baseline header passes the cost check and fails later, in libvips, for having no scan.
  await assertRefused(() => images.process(jpegHeader(7936, 7936, 0xc0), DEFAULTS), 'INVALID_IMAGE', 'Invalid image: corrupt or truncated.');
});

cost('a small 16-bit PNG, a progressive JPEG and an animated GIF within their budgets are processed', async () => {
  const png16 = await sharp({ create: { width: 64, height: 48, channels: 4, background: '#336699' } }).toColourspace('rgb16').png().toBuffer();
  const progressive = await sharp(await readFixture('tiny.jpg')).jpeg({ progressive: true }).toBuffer();
  for (const input of [png16, progressive, await readFixture('animated.gif')]) {
    const image = await images.process(input, DEFAULTS);
    assert.ok(image.width > 0);
  }
});

cost.run();

const timeouts = suite('sharp image processor: job timeout');

timeouts('a job past its timeout is refused as an invalid image, and libvips stops so the slot is freed', async () => {
  let freedAt = 0;
  const started = performance.now();
  const limited = createSharpImageProcessor({
    concurrency: 1,
    jobTimeoutMs: 1000,
    onLoad: ({ running }) => {
      if (running === 0) freedAt = performance.now() - started;
    },
  });
  // The bomb with every header limit lifted: decoding and re-encoding it takes ~2.8 s of CPU here.
  const lifted = { ...RPC, maxInputPixels: 2_000_000_000 };
  await assertRefused(() => limited.process(gifOfTinyFrames(1000, 1000, 64), lifted), 'INVALID_IMAGE', 'Invalid image: processing took longer than 1000 ms.');
  const answeredAt = performance.now() - started;
  assert.ok(answeredAt >= 950 && answeredAt < 2500, `answered after ${answeredAt.toFixed(0)} ms`);
  const deadline = performance.now() + 5000;
  while (freedAt === 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(freedAt > 0 && freedAt < 2500, `the slot was freed after ${freedAt.toFixed(0)} ms: libvips stopped`);
  const image = await limited.process(await readFixture('tiny.jpg'), REST);
  assert.is(image.width, 64, 'the slot serves again');
});

timeouts('a rendition of the frame bomb decodes its first frame only, well within the timeout', async () => {
  const limited = createSharpImageProcessor({ concurrency: 1, jobTimeoutMs: 1000 });
  const rendition = await limited.render(gifOfTinyFrames(1000, 1000, 64), { width: 160, fit: 'inside', format: 'webp', quality: 80, maxInputPixels: 64_000_000 });
  assert.equal([rendition.format, rendition.width, rendition.height], ['webp', 160, 160]);
});

timeouts.run();

const output = suite('sharp image processor: output');

output('EXIF orientation is applied: a 60×40 image with orientation 6 comes out 40×60', async () => {
  const image = await images.process(await readFixture('exif-rotated-gps.jpg'), REST);
  assert.equal([image.width, image.height], [40, 60]);
  const stored = await sharp(image.data).metadata();
  assert.equal([stored.width, stored.height, stored.orientation], [40, 60, undefined]);
});

output('EXIF (with GPS), XMP and the ICC profile are stripped', async () => {
  const input = await sharp(await readFixture('exif-rotated-gps.jpg')).metadata();
  assert.ok(input.exif !== undefined && input.xmp !== undefined && input.icc !== undefined, 'the fixture carries metadata');
  const image = await images.process(await readFixture('exif-rotated-gps.jpg'), REST);
  const stored = await sharp(image.data).metadata();
  assert.equal(
    { exif: stored.exif, xmp: stored.xmp, iptc: stored.iptc, icc: stored.icc, hasProfile: stored.hasProfile },
    { exif: undefined, xmp: undefined, iptc: undefined, icc: undefined, hasProfile: false },
  );
});

output('a large image is downscaled to fit, aspect kept: 3000×1000 inside 2000×2000 → 2000×667', async () => {
  const image = await images.process(await flatJpeg(3000, 1000), REST);
  assert.equal([image.width, image.height], [2000, 667]);
  const stored = await sharp(image.data).metadata();
  assert.equal([stored.width, stored.height], [2000, 667]);
});

output('the fit applies to the oriented image: 60×40 with orientation 6 inside 30×30 → 20×30', async () => {
  const image = await images.process(await readFixture('exif-rotated-gps.jpg'), { ...REST, maxWidth: 30, maxHeight: 30 });
  assert.equal([image.width, image.height], [20, 30]);
});

output('a small image is never enlarged', async () => {
  const image = await images.process(await readFixture('tiny.png'), { ...REST, maxWidth: 4000, maxHeight: 4000 });
  assert.equal([image.width, image.height], [64, 48]);
});

output('an animated GIF is fitted frame by frame', async () => {
  const image = await images.process(await readFixture('animated.gif'), { ...RPC, maxWidth: 10, maxHeight: 10 });
  assert.equal([image.width, image.height], [10, 5]);
  const stored = await sharp(image.data, { animated: true }).metadata();
  assert.equal([stored.pages, stored.pageHeight], [3, 5]);
});

output('bytes describe the output', async () => {
  const image = await images.process(await readFixture('tiny.jpg'), REST);
  assert.is(image.bytes, image.data.length);
});

output.run();

const recorded = suite('sharp image processor: renditions planned from the recorded size');

recorded('a stored image renders the same bytes from its recorded size as from its header, for every fit', async () => {
  // Stored as uploads store them: oriented (60×40 with orientation 6 → 40×60), no orientation tag.
  for (const stored of [await images.process(await readFixture('exif-rotated-gps.jpg'), REST), await images.process(await flatJpeg(300, 200), REST)]) {
    const sourceSize = { width: stored.width, height: stored.height };
    for (const box of [{ width: 32, fit: 'inside' }, { width: 32, height: 32, fit: 'cover', focalPoint: { x: 0.2, y: 0.7 } }, { width: 32, height: 32, fit: 'cover' }, { width: 32, height: 16, fit: 'contain' }] as const) {
      const instruction = { ...box, format: 'png', quality: 80, maxInputPixels: 64_000_000 } as const;
      const fromHeader = await images.render(stored.data, instruction);
      const fromRecord = await images.render(stored.data, { ...instruction, sourceSize });
      assert.equal([fromRecord.width, fromRecord.height], [fromHeader.width, fromHeader.height], JSON.stringify(box));
      assert.ok(fromRecord.data.equals(fromHeader.data), `same bytes for ${JSON.stringify(box)}`);
    }
  }
});

recorded('a wrong recorded size distorts but never fails: every plan resizes to exact dimensions first', async () => {
  const stored = await images.process(await flatJpeg(300, 200), REST);
  for (const sourceSize of [{ width: 3000, height: 10 }, { width: 10, height: 3000 }]) {
    for (const box of [{ width: 64, fit: 'inside' }, { width: 32, height: 32, fit: 'cover', focalPoint: { x: 1, y: 1 } }, { width: 32, height: 32, fit: 'contain' }] as const) {
      const rendition = await images.render(stored.data, { ...box, format: 'jpeg', quality: 80, maxInputPixels: 64_000_000, sourceSize });
      const within = rendition.width <= box.width && rendition.height <= ('height' in box ? (box.height ?? Infinity) : Infinity);
      assert.ok(within && rendition.data.length > 0, `${JSON.stringify(sourceSize)} ${JSON.stringify(box)}: ${rendition.width}×${rendition.height}`);
    }
  }
});

recorded.run();

const jobs = suite('sharp image processor: concurrency');

jobs('8 parallel jobs with concurrency 2 never run more than 2 at once', async () => {
  let highest = 0;
  const bounded = createSharpImageProcessor({ concurrency: 2, onLoad: ({ running }) => (highest = Math.max(highest, running)) });
  const input = await readFixture('tiny.jpg');
  const results = await Promise.all(Array.from({ length: 8 }, () => bounded.process(input, REST)));
  assert.is(results.length, 8);
  assert.is(highest, 2);
});

jobs('a refused job frees its slot', async () => {
  const single = createSharpImageProcessor({ concurrency: 1 });
  const corrupt = await readFixture('corrupt.jpg');
  const outcomes = await Promise.allSettled([single.process(corrupt, REST), single.process(corrupt, REST)]);
  assert.equal(outcomes.map((outcome) => outcome.status), ['rejected', 'rejected']);
  const image = await single.process(await readFixture('tiny.jpg'), REST);
  assert.is(image.width, 64);
});

jobs('the limiter admits waiters in arrival order', async () => {
  const limiter = createJobLimiter({ concurrency: 1, queueMax: 8, busy: () => new Error('busy') });
  const order: number[] = [];
  const releases: Array<() => void> = [];
  const held = (index: number) =>
    limiter.run('erp', async () => {
      order.push(index);
      await new Promise<void>((resolve) => releases.push(resolve));
    });
  const all = Promise.all([held(1), held(2), held(3)]);
  await Promise.resolve();
  assert.equal(limiter.load(), { running: 1, queued: 2 });
  while (order.length < 3) {
    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  releases.shift()?.();
  await all;
  assert.equal(order, [1, 2, 3]);
  assert.equal(limiter.load(), { running: 0, queued: 0 });
});

jobs('a concurrency, queue size or timeout that is not a positive integer is a bug', async () => {
  await assertRefused(async () => createSharpImageProcessor({ concurrency: 0 }), 'INVALID_ARGUMENT', 'Expected concurrency to be a positive integer but received 0.', 500);
  await assertRefused(async () => createSharpImageProcessor({ queueMax: 1.5 }), 'INVALID_ARGUMENT', 'Expected queueMax to be a positive integer but received 1.5.', 500);
  await assertRefused(async () => createSharpImageProcessor({ jobTimeoutMs: -1 }), 'INVALID_ARGUMENT', 'Expected jobTimeoutMs to be a positive integer but received -1.', 500);
});

jobs('every job is run for its owner: the caller\'s, or internal work by default', async () => {
  const seen: Array<[string, string]> = [];
  const watched = createSharpImageProcessor({ concurrency: 1, onJobStart: (kind, owner) => seen.push([kind, owner]) });
  const input = await readFixture('tiny.jpg');
  await watched.process(input, REST, { owner: 'erp' });
  await watched.process(input, REST);
  await watched.render(input, { width: 32, fit: 'inside', format: 'jpeg', quality: 80, maxInputPixels: 64_000_000 }, { owner: '(anonymous)' });
  assert.equal(seen, [['upload', 'erp'], ['upload', '(internal)'], ['rendition', '(anonymous)']]);
});

jobs('a full queue refuses the next upload with IMAGE_QUEUE_FULL, before any work', async () => {
  const narrow = createSharpImageProcessor({ concurrency: 1, queueMax: 1 });
  const input = await readFixture('tiny.jpg');
  const outcomes = await Promise.allSettled([0, 1, 2].map(() => narrow.process(input, REST, { owner: 'erp' })));
  assert.equal(outcomes.map((outcome) => outcome.status), ['fulfilled', 'fulfilled', 'rejected']);
  const refusal = (outcomes[2] as PromiseRejectedResult).reason as AppError;
  assert.equal([refusal.code, refusal.status, refusal.message], ['IMAGE_QUEUE_FULL', 503, 'Image processing is busy; retry in 1 second.']);
});

jobs('processing options are checked before any work', async () => {
  const input = await readFixture('tiny.jpg');
  await assertRefused(() => images.process(input, { ...REST, maxWidth: 0 }), 'INVALID_ARGUMENT', 'Expected maxWidth to be a positive integer but received 0.', 500);
  await assertRefused(() => images.process(input, { ...REST, accept: [] }), 'INVALID_ARGUMENT', 'Expected accept to be a non-empty list of jpeg, png, gif.', 500);
});

jobs.run();
