import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { login, postRpc } from '../support/rpcClient.ts';
import { startTestService } from '../support/testService.ts';

test('1,100 logins of one user leave 1,000 sessions: the oldest are gone, the newest work', async () => {
  const api = await startTestService();
  try {
    const sessions: string[] = [];
    for (let batch = 0; batch < 11; batch++) {
      sessions.push(...(await Promise.all(Array.from({ length: 100 }, () => login(api)))));
    }
    const use = async (session: string) => (await postRpc(api, { jsonrpc: '2.0', id: 1, method: 'call', params: [session, 'product_media.types', [4]] })).body.error;
    const oldest = await Promise.all(sessions.slice(0, 100).map(use));
    assert.ok(oldest.every((error) => error?.code === -32005), 'the first hundred logins are ended');
    const newest = await Promise.all(sessions.slice(-100).map(use));
    assert.ok(newest.every((error) => error === null), 'the last hundred work');
  } finally {
    await api.stop();
  }
});

test.run();
