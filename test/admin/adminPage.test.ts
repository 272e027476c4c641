import { readFile } from 'node:fs/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BrowserContext, Page } from 'playwright-core';
import { skipFile } from '../support/skipFile.ts';
import { callOk, imageBase64, login } from '../support/rpcClient.ts';
import { TEST_USERS, TOKEN, type TestService } from '../support/testService.ts';
import { chromiumMissing, eventually, screenshot, seriousViolations, startAdminFixture, type AdminFixture } from './adminBrowser.ts';

const KEY = TEST_USERS[0]!.key;

interface Context {
  fixture: AdminFixture;
  browserContext: BrowserContext;
  page: Page;
  productPk: number;
  sku: string;
  videoPk: number;
  /** Console messages about the Content-Security-Policy (there must be none). */
  cspReports: string[];
}

const png = async (background: string, width = 240, height = 180) => Buffer.from(await imageBase64('png', width, height, background), 'base64');

/** Uploads an image through REST; answers its pk. */
async function uploadThroughRest(fixture: AdminFixture, productPk: number, background: string): Promise<number> {
  const form = new FormData();
  form.append('product', String(productPk));
  form.append('image', new Blob([await png(background)], { type: 'image/png' }), 'photo.png');
  const response = await fetch(`${fixture.baseUrl}/api/v1/product_image/`, { method: 'POST', headers: { Authorization: TOKEN }, body: form });
  assert.is(response.status, 201, await response.clone().text());
  return ((await response.json()) as { pk: number }).pk;
}

/** The product's images through REST, as `[pk, order]` in gallery order. */
async function restGallery(fixture: AdminFixture, productPk: number): Promise<Array<[number, number]>> {
  const response = await fixture.api('GET', `/api/v1/product_image/?product=${productPk}&limit=100`);
  return response.body.results.map((image: { pk: number; order: number }) => [image.pk, image.order]);
}

/** The pks of the page's gallery, in the order it lists them. */
async function pageGallery(page: Page): Promise<number[]> {
  const names = await page.getByRole('list', { name: 'Images', exact: true }).getByRole('listitem').evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')));
  return names.map((name) => Number(/^Image (\d+)$/.exec(name ?? '')?.[1]));
}

const imageItem = (page: Page, pk: number) => page.getByRole('list', { name: 'Images', exact: true }).getByRole('listitem', { name: `Image ${pk}`, exact: true });

const missing = chromiumMissing();
if (missing) {
  skipFile('gallery admin page in Chromium', missing);
} else {
  const test = suite<Context>('gallery admin page in Chromium');

  test.before(async (context) => {
    context.fixture = await startAdminFixture();
    context.sku = `ADMIN-${Date.now()}`;
    const created = await context.fixture.api('POST', '/api/v1/products/', { body: { sku: context.sku, name: 'Desk lamp' } });
    context.productPk = created.body.pk;
    for (const colour of ['#c33', '#3a6', '#36c']) await uploadThroughRest(context.fixture, context.productPk, colour);
    const video = new FormData();
    video.append('product', String(context.productPk));
    video.append('video', new Blob([await readFile(new URL('../fixtures/minimal.mp4', import.meta.url))], { type: 'video/mp4' }), 'clip.mp4');
    const uploaded = await fetch(`${context.fixture.baseUrl}/api/v1/product_video/`, { method: 'POST', headers: { Authorization: TOKEN }, body: video });
    assert.is(uploaded.status, 201, await uploaded.clone().text());
    context.videoPk = ((await uploaded.json()) as { pk: number }).pk;
    context.browserContext = await context.fixture.browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.page = await context.browserContext.newPage();
    context.cspReports = [];
    context.page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) context.cspReports.push(message.text());
    });
  });
  test.after(async ({ fixture }) => {
    await fixture?.stop();
  });

  test('sign in refuses a wrong key with the API message and accepts the right one', async ({ fixture, page }) => {
    await page.goto(`${fixture.baseUrl}/admin/`);
    await page.getByLabel('API key').fill('not-a-key-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.is(await page.getByRole('alert').textContent({ timeout: 10_000 }), 'Invalid token.');
    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Search products').waitFor();
    assert.ok(await page.getByRole('button', { name: 'Sign out' }).isVisible());
    assert.is(await page.evaluate("sessionStorage.getItem('gallery-admin-key')"), KEY);
  });

  test('searching by name as you type lists the product as a link that opens its gallery', async ({ fixture, page, productPk, sku }) => {
    await page.getByLabel('Search products').fill('desk LA');
    const link = page.getByRole('link', { name: `${sku} — Desk lamp` });
    await link.click({ timeout: 10_000 });
    await page.getByRole('heading', { name: `${sku} — Desk lamp` }).waitFor();
    assert.is(new URL(page.url()).pathname, `/admin/products/${productPk}`);
    assert.equal(await pageGallery(page), (await restGallery(fixture, productPk)).map(([pk]) => pk));
  });

  test('/admin/products/<pk> opens the gallery directly, thumbnails from renditions with srcset, videos in their own list', async ({ fixture, page, productPk, videoPk }) => {
    await page.goto(`${fixture.baseUrl}/admin/products/${productPk}`);
    const [first] = await restGallery(fixture, productPk);
    const thumb = imageItem(page, first![0]).getByRole('img');
    await thumb.waitFor();
    const srcset = (await thumb.getAttribute('srcset')) ?? '';
    assert.ok(srcset.includes('?w=160&format=auto 160w'), srcset);
    assert.ok(srcset.includes('?w=640&format=auto 640w'), srcset);
    assert.not.ok(srcset.includes('w=800'), srcset);
    const video = page.getByRole('list', { name: 'Videos list' }).getByRole('listitem', { name: `Video ${videoPk}` }).locator('video');
    assert.ok((await video.getAttribute('src'))?.startsWith(`${fixture.baseUrl}/media/product_videos/`));
    assert.is(await video.getAttribute('poster'), null);
    assert.is(await video.getAttribute('controls'), '');
    await eventually(async () => assert.ok(await thumb.evaluate((image) => (image as unknown as { complete: boolean; naturalWidth: number }).complete && (image as unknown as { naturalWidth: number }).naturalWidth > 0)));
  });

  test('Make main gives the image the main role (the JSON-RPC API lists it with the image type)', async ({ fixture, page, productPk, sku }) => {
    const [, second] = await restGallery(fixture, productPk);
    await imageItem(page, second![0]).getByRole('button', { name: 'Make main' }).click();
    await imageItem(page, second![0]).getByText('Main image').waitFor();
    const session = await login({ request: fixture.api } as TestService);
    const listed = await callOk({ request: fixture.api } as TestService, session, 'product_media.list', [sku]);
    const withType = listed.filter((image: { types: string[] }) => image.types.includes('image'));
    assert.is(withType.length, 1);
    assert.is(withType[0].position, (await restGallery(fixture, productPk)).find(([pk]) => pk === second![0])![1]);
    assert.is(await page.getByText('Main image', { exact: true }).count(), 1);
  });

  test('Move later and Move earlier reorder the gallery through the API', async ({ fixture, page, productPk }) => {
    const before = (await restGallery(fixture, productPk)).map(([pk]) => pk);
    await imageItem(page, before[0]!).getByRole('button', { name: 'Move later' }).click();
    const moved = [before[1]!, before[0]!, before[2]!];
    await eventually(async () => assert.equal((await restGallery(fixture, productPk)).map(([pk]) => pk), moved));
    await eventually(async () => assert.equal(await pageGallery(page), moved));
    // From the keyboard: the focus stays on the moved image's button.
    await imageItem(page, before[2]!).getByRole('button', { name: 'Move earlier' }).focus();
    await page.keyboard.press('Enter');
    const again = [before[1]!, before[2]!, before[0]!];
    await eventually(async () => assert.equal((await restGallery(fixture, productPk)).map(([pk]) => pk), again));
    await eventually(async () => assert.equal(await pageGallery(page), again));
    const focused = () => page.evaluate('[document.activeElement?.textContent, document.activeElement?.closest("li")?.getAttribute("aria-label")]');
    await eventually(async () => assert.equal(await focused(), ['Move earlier', `Image ${before[2]}`]));
  });

  test('dragging an image onto the first place moves it there', async ({ fixture, page, productPk }) => {
    const before = await pageGallery(page);
    await imageItem(page, before[2]!).dragTo(imageItem(page, before[0]!));
    const expected = [before[2]!, before[0]!, before[1]!];
    await eventually(async () => assert.equal(await restGallery(fixture, productPk), expected.map((pk, order) => [pk, order])));
    await eventually(async () => assert.equal(await pageGallery(page), expected));
  });

  test('uploading two images and a text file: both images are added, the text file shows the API message', async ({ fixture, page, productPk }) => {
    const before = await restGallery(fixture, productPk);
    await page.getByLabel('Add images').setInputFiles([
      { name: 'front.png', mimeType: 'image/png', buffer: await png('#e90') },
      { name: 'back.png', mimeType: 'image/png', buffer: await png('#939') },
      { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') },
    ]);
    const refused = page.getByRole('alert').filter({ hasText: 'notes.png' });
    assert.is(
      await refused.textContent({ timeout: 15_000 }),
      'notes.png: image: Upload a valid image. The file you uploaded was either not an image or a corrupted image.',
    );
    await page.getByText(/^Uploaded as image \d+$/).nth(1).waitFor({ timeout: 15_000 });
    const uploads = page.getByRole('list', { name: 'Uploads' });
    assert.is(await uploads.getByRole('progressbar').count(), 3);
    const after = await restGallery(fixture, productPk);
    assert.is(after.length, before.length + 2);
    assert.equal(after.slice(0, before.length), before, 'new images go after the others');
    assert.equal(after.slice(before.length).map(([, order]) => order).sort(), [3, 4]);
    await eventually(async () => assert.equal(await pageGallery(page), after.map(([pk]) => pk)));
  });

  test('Delete moves an image to Deleted, and Restore brings it back', async ({ fixture, page, productPk }) => {
    const victim = (await restGallery(fixture, productPk)).at(-1)![0];
    await imageItem(page, victim).getByRole('button', { name: 'Delete' }).click();
    const deleted = page.getByRole('list', { name: 'Deleted images' }).getByRole('listitem', { name: `Image ${victim}` });
    await deleted.waitFor();
    assert.not.ok((await restGallery(fixture, productPk)).some(([pk]) => pk === victim));
    assert.is(await imageItem(page, victim).count(), 0);
    await deleted.getByRole('button', { name: 'Restore' }).click();
    await imageItem(page, victim).waitFor();
    assert.ok((await restGallery(fixture, productPk)).some(([pk]) => pk === victim));
    assert.is(await deleted.count(), 0);
  });

  test('the timeline says who changed what through which API, newest first', async ({ page }) => {
    const timeline = page.getByRole('list', { name: 'Timeline' });
    const newest = await timeline.getByRole('listitem').first().textContent();
    assert.match(newest ?? '', /Restored image \d+by erp through the REST API$/);
    assert.ok((await timeline.getByText(/^Made image \d+ the main image/).count()) === 1);
  });

  test('the "Gallery as of" slider shows the gallery as it was, read-only, and goes back to now', async ({ page }) => {
    const slider = page.getByLabel('Gallery as of');
    await slider.fill('0');
    const past = page.getByRole('region', { name: 'Past gallery' });
    const pastImages = past.getByRole('list', { name: 'Images then' }).getByRole('listitem');
    await eventually(async () => assert.is(await pastImages.count(), 1));
    assert.is(await past.getByRole('button', { name: 'Make main' }).count(), 0);
    await slider.fill('2');
    await eventually(async () => assert.is(await pastImages.count(), 3));
    assert.is(await past.getByText('Main image').count(), 0);
    await past.getByRole('button', { name: 'Back to now' }).click();
    assert.is(await past.count(), 0);
    assert.is(await page.getByText('Now', { exact: true }).count(), 1);
  });

  test('a change through the JSON-RPC API appears without a reload', async ({ fixture, page, sku }) => {
    const session = await login({ request: fixture.api } as TestService);
    const [first] = await pageGallery(page);
    const listed: Array<{ file: string; url: string }> = await callOk({ request: fixture.api } as TestService, session, 'product_media.list', [sku]);
    const detail = await fixture.api('GET', `/api/v1/product_image/${first}/`);
    const file = listed.find((image) => image.url === detail.body.image)!.file;
    await page.evaluate('window.marker = 1');
    await callOk({ request: fixture.api } as TestService, session, 'product_media.update', [sku, file, { label: 'Front view' }]);
    await imageItem(page, first!).getByText('Label: Front view').waitFor({ timeout: 10_000 });
    await page.getByRole('list', { name: 'Timeline' }).getByText('through the JSON-RPC API').first().waitFor();
    assert.is(await page.evaluate('window.marker'), 1);
  });

  test('a write refused because the gallery changed meanwhile (412) says so in the page', async ({ fixture, browserContext, productPk }) => {
    const page = await browserContext.newPage();
    // No live feed on this page, so that it cannot learn of the change below.
    await page.route('**/api/v1/media_events/stream**', (route) => route.abort());
    await page.addInitScript(`sessionStorage.setItem('gallery-admin-key', ${JSON.stringify(KEY)})`);
    await page.goto(`${fixture.baseUrl}/admin/products/${productPk}`);
    const notMain = page.getByRole('list', { name: 'Images', exact: true }).getByRole('listitem').filter({ hasNotText: 'Main image' }).first();
    await notMain.waitFor();
    const second = Number(/^Image (\d+)$/.exec((await notMain.getAttribute('aria-label')) ?? '')?.[1]);
    const elsewhere = await fixture.api('PATCH', `/api/v1/product_image/${second}/`, { body: { order: 40 } });
    assert.is(elsewhere.status, 200);
    await imageItem(page, second).getByRole('button', { name: 'Make main' }).click();
    assert.match((await page.getByRole('alert').textContent({ timeout: 10_000 })) ?? '', /^This gallery changed, reload\./);
    await page.close();
  });

  test('no serious or critical axe-core violations at 390 and 1280 px; screenshots of both', async ({ page, cspReports }) => {
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.getByRole('heading', { name: 'Images', exact: true }).waitFor();
      assert.equal(await seriousViolations(page), [], `at ${width} px`);
      const path = await screenshot(page, `admin-gallery-${width}`);
      assert.ok(path.endsWith(`admin-gallery-${width}.png`));
    }
    assert.equal(cspReports, []);
  });

  test('Sign out forgets the key', async ({ page }) => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    assert.is(await page.evaluate("sessionStorage.getItem('gallery-admin-key')"), null);
  });

  test.run();
}
