import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCatalog } from '../../src/cli/main.ts';
import { captureIo } from '../support/captureIo.ts';
import { freePort } from '../support/childService.ts';
import { startTestService, TEST_USERS, type TestService } from '../support/testService.ts';

const test = suite('rebuild requests refused');
const PATH = '/api/v1/read_model_rebuilds/';
let api: TestService;

test.before(async () => {
  api = await startTestService();
});
test.after(async () => {
  await api.stop();
});

test('POST and GET without credentials answer 401 and write nothing', async () => {
  const mark = await api.mark();
  const posted = await api.request('POST', PATH, { body: {}, auth: null });
  assert.is(posted.status, 401);
  assert.equal(posted.body, { detail: 'Authentication credentials were not provided.' });
  const got = await api.request('GET', `${PATH}6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b/`, { auth: null });
  assert.is(got.status, 401);
  assert.equal(await api.eventsSince(mark), []);
});

test('an unknown read model is a DRF field error; an unknown or malformed id a 404', async () => {
  const mark = await api.mark();
  const unknown = await api.request('POST', PATH, { body: { projection: 'nope' } });
  assert.is(unknown.status, 400);
  assert.equal(unknown.body, { projection: ['"nope" is not a valid choice.'] });
  const notADict = await api.request('POST', PATH, { body: ['products'] });
  assert.is(notADict.status, 400);
  assert.equal(notADict.body, { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
  assert.equal(await api.eventsSince(mark), []);
  for (const id of ['6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b', 'not-a-uuid', '..%2F..%2Fx']) {
    const missing = await api.request('GET', `${PATH}${id}/`);
    assert.is(missing.status, 404, id);
    assert.equal(missing.body, { detail: 'Not found.' }, id);
  }
});

test('a request answers 202 with where to poll, and the instance reports it switched', async () => {
  const posted = await api.request('POST', PATH, { body: { projection: 'settings' } });
  assert.is(posted.status, 202);
  assert.match(posted.body.id, /^[0-9a-f-]{36}$/);
  assert.is(posted.body.url, `https://omnitron.example.com${PATH}${posted.body.id}/`);
  assert.is(posted.headers.get('location'), posted.body.url);
  assert.is(posted.body.projection, 'settings');
  assert.is(posted.body.requested_by, 'erp');
  let status = posted.body;
  for (let tries = 0; tries < 200 && status.instances[0]?.state !== 'switched'; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = (await api.request('GET', `${PATH}${posted.body.id}/`)).body;
  }
  assert.is(status.instances.length, 1);
  assert.is(status.instances[0].state, 'switched');
  assert.is(status.instances[0].instance, api.service.rebuilds.instance);
  assert.is(status.instances[0].reason, null);
});

test('catalog rebuild --url: unknown read model, missing or refused token, unreachable service exit 2 with a clear message', async () => {
  const cases: Array<[string[], string]> = [
    [['rebuild', 'nope', '--url', api.service.url, '--token', TEST_USERS[0]!.key], 'catalog: There is no read model "nope"; choose one of products, gallery, settings, rpcSessions, galleryFiles.\n'],
    [['rebuild', '--url', api.service.url], 'catalog: --url needs --token <key> (or CATALOG_TOKEN): the service asks for credentials.\n'],
    [['rebuild', '--url', 'ftp://example.com', '--token', 'k'], 'catalog: --url: "ftp://example.com" is not an http(s) URL.\n'],
    [['rebuild', '--url', api.service.url, '--token', 'wrong-key-0123456789'], 'catalog: The service refused the token (HTTP 401: {"detail":"Invalid token."}).\n'],
  ];
  for (const [argv, message] of cases) {
    const io = captureIo({});
    assert.is(await runCatalog(argv, io), 2, argv.join(' '));
    assert.is(io.stderr(), message);
    assert.is(io.stdout(), '');
  }
  const port = await freePort();
  const io = captureIo({});
  assert.is(await runCatalog(['rebuild', '--url', `http://127.0.0.1:${port}`, '--token', 'k'], io), 2);
  assert.is(io.stderr(), `catalog: POST http://127.0.0.1:${port}/api/v1/read_model_rebuilds/: connect ECONNREFUSED 127.0.0.1:${port}\n`);
});

test.run();
