import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { headerDimensions } from '../../src/adapters/sharp/headerDimensions.ts';
import { createSharpImageProcessor } from '../../src/adapters/sharp/sharpImageProcessor.ts';
import { makePhotoJpeg, readFixture } from '../support/imageFixtures.ts';

test('the stated dimensions of PNG, GIF and JPEG files are those libvips reads', async () => {
  const progressive = await sharp({ create: { width: 321, height: 123, channels: 3, background: '#123456' } }).jpeg({ progressive: true }).toBuffer();
  const withExif = await sharp(await makePhotoJpeg({ width: 640, height: 480 })).withMetadata({ orientation: 6 }).jpeg().toBuffer();
  const cases: Array<[string, Buffer, 'jpeg' | 'png' | 'gif']> = [
    ['tiny.png', await readFixture('tiny.png'), 'png'],
    ['tiny.gif', await readFixture('tiny.gif'), 'gif'],
    ['tiny.jpg', await readFixture('tiny.jpg'), 'jpeg'],
    ['exif-rotated-gps.jpg', await readFixture('exif-rotated-gps.jpg'), 'jpeg'],
    ['pixel-bomb.png', await readFixture('pixel-bomb.png'), 'png'],
    ['progressive jpeg', progressive, 'jpeg'],
    ['jpeg with EXIF', withExif, 'jpeg'],
  ];
  for (const [name, bytes, format] of cases) {
    const header = await sharp(bytes, { limitInputPixels: false }).metadata();
    assert.equal(headerDimensions(bytes, format), { width: header.width, height: header.height }, name);
  }
});

test('truncated or odd headers give no answer rather than a wrong one', async () => {
  const png = await readFixture('tiny.png');
  const jpeg = await readFixture('tiny.jpg');
  assert.is(headerDimensions(png.subarray(0, 20), 'png'), undefined);
  assert.is(headerDimensions(jpeg.subarray(0, 6), 'jpeg'), undefined);
  assert.is(headerDimensions(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]), 'jpeg'), undefined, 'scan before frame');
  assert.is(headerDimensions(Buffer.from([0xff, 0xd8, 0x00, 0x00, 0x00, 0x00]), 'jpeg'), undefined, 'not a marker');
  assert.is(headerDimensions(Buffer.from('GIF89a'), 'gif'), undefined);
});

test('a pixel bomb is refused from its stated size without libvips running a job', async () => {
  const started: number[] = [];
  const images = createSharpImageProcessor({ onLoad: (load) => started.push(load.running) });
  const bomb = await readFixture('pixel-bomb.png');
  await images.process(bomb, { accept: ['png'], maxWidth: 2000, maxHeight: 2000, maxInputPixels: 64_000_000 }).then(
    () => assert.unreachable('the bomb was accepted'),
    (error: { code?: string; message?: string }) => {
      assert.is(error.code, 'INVALID_IMAGE');
      assert.match(String(error.message), /too many pixels 16000×16000/);
    },
  );
  assert.equal(started, [], 'no job was started');
});

test.run();
