import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { galleryFilesProjection, IMAGES_BY_GALLERY_FILE_TABLE } from '../../projections/galleryFiles.ts';
import { productMediaStream } from '../../src/domain/gallery/galleryStream.ts';
import { galleryFileStream } from '../../src/domain/galleryFile/galleryFileStream.ts';
import { imageDeleted, imageUploaded } from '../domain/galleryFixtures.ts';
import { project, recorded } from '../support/projectionSpec.ts';

const reserved = (file: string, productPk: number) => recorded(galleryFileStream(file), 0, 'GalleryFileReserved', { file, productPk });
const uploaded = (productPk: number, imagePk: number, file: string, revision: number) =>
  recorded(productMediaStream(productPk), revision, 'ImageUploaded', imageUploaded(productPk, imagePk, { file }).data);

const rows = (model: ReturnType<typeof project>) =>
  [...model.table(IMAGES_BY_GALLERY_FILE_TABLE).entries()].map(([key, value]) => [JSON.parse(key), value]).sort();

test('a reserved name is 0 until its image is recorded, then that image\'s pk; a removal keeps the row', () => {
  const model = project(galleryFilesProjection, [
    reserved('/i/m/image.png', 5),
    uploaded(5, 11, '/i/m/image.png', 0),
    reserved('/i/m/image_1.png', 6),
    recorded(productMediaStream(5), 1, 'ImageDeleted', imageDeleted(5, 11).data),
  ]);
  assert.equal(rows(model), [
    ['/i/m/image.png', 11],
    ['/i/m/image_1.png', 0],
  ]);
});

test('the same events twice, or a reservation seen after its image, change nothing', () => {
  const events = [reserved('/a/_/a.png', 5), uploaded(5, 12, '/a/_/a.png', 0)];
  const model = project(galleryFilesProjection, [...events, ...events, reserved('/a/_/a.png', 5)]);
  assert.equal(rows(model), [['/a/_/a.png', 12]]);
});

test('names of REST uploads (derived from their key) are indexed too; other streams are ignored', () => {
  const model = project(galleryFilesProjection, [uploaded(7, 13, '/7/a/7ab3.jpg', 0), recorded('product-7', 0, 'ImageUploaded', { file: '/x/y/xy.png', imagePk: 99 })]);
  assert.equal(rows(model), [['/7/a/7ab3.jpg', 13]]);
});

test.run();
