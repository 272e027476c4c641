import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chromium, type Browser } from 'playwright-core';
import { startEsdbStandIn, type EsdbStandIn } from '../support/esdbStandIn/esdbStandIn.ts';
import { callOk, imageBase64, imageData, login } from '../support/rpcClient.ts';
import { skipFile } from '../support/skipFile.ts';
import { startTestService, TEST_USERS, type TestService } from '../support/testService.ts';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from './adminBrowser.ts';

interface Context {
  esdb: EsdbStandIn;
  a: TestService;
  b: TestService;
  browser: Browser;
}

const missing = chromiumMissing();
if (missing) {
  skipFile('the admin page on one instance follows changes made on another (EventStoreDB stand-in)', missing);
} else {
  const test = suite<Context>('the admin page on one instance follows changes made on another (EventStoreDB stand-in)');
  test.before(async (context) => {
    context.esdb = await startEsdbStandIn();
    const env = { EVENTSTORE_URL: context.esdb.connectionString };
    context.a = await startTestService({ env });
    context.b = await startTestService({ env });
    context.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });
  test.after(async ({ browser, a, b, esdb }) => {
    await browser?.close();
    await a?.stop();
    await b?.stop();
    await esdb?.stop();
  });

  test('an image added and made main through instance B appears live on the page served by A; the page then writes through A', async ({ a, b, browser }) => {
    const sku = `CLUSTER-${Date.now()}`;
    const created = await a.request('POST', '/api/v1/products/', { body: { sku, name: 'Shared lamp' } });
    assert.is(created.status, 201);
    const productPk: number = created.body.pk;
    const page = await browser.newPage();
    await page.addInitScript(`sessionStorage.setItem('gallery-admin-key', ${JSON.stringify(TEST_USERS[0]!.key)})`);
    await page.goto(`${a.service.url}/admin/products/${productPk}`);
    await page.getByText('No images.').waitFor();
    await page.getByText('Live: changes by others appear here.').waitFor();

    // Through B, on the JSON-RPC API: an image with the main role.
    const session = await login(b);
    await callOk(b, session, 'product_media.create', [sku, imageData(await imageBase64('png'), 'image/png', { types: ['image'], label: 'Front' })]);
    const listed = await b.request('GET', `/api/v1/product_image/?product=${productPk}`);
    const imagePk: number = listed.body.results[0].pk;
    const item = page.getByRole('list', { name: 'Images', exact: true }).getByRole('listitem', { name: `Image ${imagePk}` });
    await item.getByText('Main image').waitFor({ timeout: 10_000 });
    assert.is(await item.getByText('Label: Front').count(), 1);

    // The page's next write pins the revision it read through A, which includes B's change.
    await item.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('list', { name: 'Deleted images' }).getByRole('listitem', { name: `Image ${imagePk}` }).waitFor();
    const afterDelete = await b.request('GET', `/api/v1/product_image/?product=${productPk}`);
    assert.is(afterDelete.body.count, 0);
    assert.is(await page.getByRole('alert').count(), 0);
    await page.close();
  });

  test.run();
}
