import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { headerDimensions, readImageHeader } from '../../src/adapters/sharp/headerDimensions.ts';
import { createSharpImageProcessor } from '../../src/adapters/sharp/sharpImageProcessor.ts';
import { gifOfTinyFrames, jpegHeader, pngHeader } from '../support/craftedImages.ts';
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

test('a GIF states every frame: the issue\'s 1.5 KB bomb of 64 frames on a 1000×1000 canvas', async () => {
  const bomb = gifOfTinyFrames(1000, 1000, 64);
  assert.ok(bomb.length < 2000, `${bomb.length} bytes`);
  const header = readImageHeader(bomb, 'gif');
  assert.equal([header?.width, header?.height, header?.frames], [1000, 1000, 64]);
  const libvips = await sharp(bomb, { animated: true, limitInputPixels: false }).metadata();
  assert.equal([libvips.width, libvips.pageHeight, libvips.pages], [1000, 1000, 64], 'libvips decodes as many frames');
});

test('a GIF canvas grows to hold its frames, as libvips decodes it', async () => {
  const small = gifOfTinyFrames(10, 10, 1);
  // The one image descriptor: 100×50 at 0,0 instead of 1×1.
  const descriptor = small.indexOf(Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0]));
  small.writeUInt16LE(100, descriptor + 5);
  small.writeUInt16LE(50, descriptor + 7);
  const libvips = await sharp(small, { animated: true, limitInputPixels: false }).metadata();
  assert.equal(headerDimensions(small, 'gif'), { width: libvips.width, height: libvips.height });
  assert.equal(headerDimensions(small, 'gif'), { width: 100, height: 50 });
});

test('a GIF walk skips extensions and stops at what it cannot read', () => {
  const withComments = gifOfTinyFrames(300, 200, 5, { comments: 40 });
  assert.is(readImageHeader(withComments, 'gif')?.frames, 5);
  const cut = gifOfTinyFrames(300, 200, 5).subarray(0, 60);
  const header = readImageHeader(cut, 'gif');
  assert.ok(header !== undefined && header.frames >= 1 && header.frames < 5, `frames of a cut file: ${header?.frames}`);
  assert.is(readImageHeader(Buffer.from('GIF89a'), 'gif'), undefined);
});

test('a PNG states its bit depth and interlacing', async () => {
  assert.equal(readImageHeader(pngHeader(4000, 4000, 16, 6), 'png'), {
    format: 'png', width: 4000, height: 4000, frames: 1, bitDepth: 16, interlaced: false, progressive: false, scans: 1,
  });
  assert.is(readImageHeader(pngHeader(10, 10, 8, 2, 1), 'png')?.interlaced, true);
  const made16 = await sharp({ create: { width: 8, height: 8, channels: 4, background: '#808080' } }).toColourspace('rgb16').png().toBuffer();
  assert.is((await sharp(made16).metadata()).depth, 'ushort', 'the library made a 16-bit PNG');
  assert.is(readImageHeader(made16, 'png')?.bitDepth, 16);
  assert.is(readImageHeader(await readFixture('tiny.png'), 'png')?.bitDepth, 8);
});

test('a JPEG states its coding, and its scans are counted over the whole file', async () => {
  const flat = () => sharp({ create: { width: 64, height: 48, channels: 3, background: '#c08040' } });
  const progressive = await flat().jpeg({ progressive: true }).toBuffer();
  const startsOfScan = (bytes: Buffer) => bytes.reduce((count, byte, index) => count + (byte === 0xff && bytes[index + 1] === 0xda ? 1 : 0), 0);
  assert.equal(readImageHeader(progressive, 'jpeg'), {
    format: 'jpeg', width: 64, height: 48, frames: 1, bitDepth: 8, interlaced: false, progressive: true, scans: startsOfScan(progressive),
  });
  assert.is(startsOfScan(progressive), 10, "libjpeg's progression for 3 components");
  const baseline = readImageHeader(await flat().jpeg().toBuffer(), 'jpeg');
  assert.equal([baseline?.progressive, baseline?.scans], [false, 1]);
  const crafted = readImageHeader(jpegHeader(7936, 7936, 0xc2), 'jpeg');
  assert.equal([crafted?.width, crafted?.height, crafted?.progressive, crafted?.scans], [7936, 7936, true, 1]);
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
