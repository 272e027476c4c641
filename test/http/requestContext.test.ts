import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { requestContextMiddleware } from '../../src/http/requestContext.ts';
import { createLogger, type Logger } from '../../src/logging/logger.ts';

interface Line {
  msg: string;
  level: string;
  requestId?: string;
  [field: string]: unknown;
}

/** A Koa app with the middleware over `handler`, its log lines, and how many child loggers were made. */
async function serve(handler: (ctx: Koa.Context) => void) {
  const lines: Line[] = [];
  const root = createLogger({ write: (line) => lines.push(JSON.parse(line) as Line) });
  let children = 0;
  const logger: Logger = {
    debug: (message, fields) => root.debug(message, fields),
    info: (message, fields) => root.info(message, fields),
    warn: (message, fields) => root.warn(message, fields),
    error: (message, fields) => root.error(message, fields),
    flush: () => root.flush(),
    child: (bindings) => {
      children += 1;
      return root.child(bindings);
    },
  };
  const app = new Koa();
  app.use(requestContextMiddleware(logger));
  app.use((ctx) => handler(ctx));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    lines,
    children: () => children,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const test = suite('request context');

test('echoes a safe request id, logs one access line naming it, and makes no child logger unless asked', async () => {
  const service = await serve((ctx) => {
    ctx.state.actor = 'alice';
    ctx.body = { ok: true };
  });
  try {
    const response = await fetch(`${service.url}/things/?x=1`, { headers: { 'x-request-id': 'probe-7' } });
    assert.is(response.status, 200);
    assert.is(response.headers.get('x-request-id'), 'probe-7');
    assert.is(response.headers.get('x-correlation-id'), 'probe-7');
    const access = service.lines.filter((line) => line.msg === 'request');
    assert.is(access.length, 1);
    assert.equal(
      { requestId: access[0]!.requestId, method: access[0]!.method, path: access[0]!.path, status: access[0]!.status, actor: access[0]!.actor },
      { requestId: 'probe-7', method: 'GET', path: '/things/', status: 200, actor: 'alice' },
    );
    assert.is(typeof access[0]!.durationMs, 'number');
    assert.is(service.children(), 0);
  } finally {
    await service.close();
  }
});

test("the request's logger is bound to its id, made once however often it is used", async () => {
  const service = await serve((ctx) => {
    ctx.state.logger.error('first');
    ctx.state.logger.error('second');
    ctx.body = 'done';
  });
  try {
    const response = await fetch(`${service.url}/`, { headers: { 'x-request-id': 'bad id with spaces', 'x-correlation-id': 'flow-1' } });
    const requestId = response.headers.get('x-request-id')!;
    assert.match(requestId, /^[0-9a-f-]{36}$/, 'an unsafe id is replaced');
    assert.is(response.headers.get('x-correlation-id'), 'flow-1');
    const logged = service.lines.filter((line) => line.level === 'error').map((line) => [line.msg, line.requestId]);
    assert.equal(logged, [
      ['first', requestId],
      ['second', requestId],
    ]);
    assert.is(service.children(), 1);
    assert.is(service.lines.find((line) => line.msg === 'request')?.requestId, requestId);
  } finally {
    await service.close();
  }
});

test.run();
