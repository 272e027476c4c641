import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../src/logging/logger.ts';

const capture = (level?: 'debug' | 'info' | 'warn' | 'error' | 'silent') => {
  const lines: string[] = [];
  const logger = createLogger({ ...(level ? { level } : {}), write: (line) => lines.push(line) });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
};

test('each line is one JSON object with time, level, message, bindings and fields', () => {
  const { logger, lines, parsed } = capture();
  logger.child({ requestId: 'r-1' }).child({ user: 'erp' }).info('request', { status: 200, path: '/x"y', actor: undefined });
  assert.is(lines.length, 1);
  assert.ok(lines[0]!.endsWith('}\n'));
  const [line] = parsed();
  assert.match(String(line!.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal({ ...line, time: undefined }, { time: undefined, level: 'info', msg: 'request', requestId: 'r-1', user: 'erp', status: 200, path: '/x"y' });
});

test("a line without fields or bindings is still valid JSON; a field wins over a binding of its name, a child's binding over its parent's", () => {
  const { logger, parsed } = capture();
  logger.warn('plain');
  logger.child({ a: 1 }).error('x', { a: 2 });
  logger.child({}).info('empty bindings', {});
  logger.child({ a: 1, b: 'kept' }).child({ a: 3 }).info('rebound');
  const [plain, overridden, empty, rebound] = parsed();
  assert.equal(Object.keys(plain!), ['time', 'level', 'msg']);
  assert.is(overridden!.a, 2);
  assert.is(empty!.msg, 'empty bindings');
  assert.is(rebound!.a, 3);
  assert.is(rebound!.b, 'kept');
});

test('members are written as JSON.stringify would write them', () => {
  const { logger, parsed } = capture();
  const fields = {
    text: 'quote " backslash \\ newline \n unicode é \u2028',
    integer: 42,
    fraction: 1.25,
    negative: -0.5,
    notANumber: Number.NaN,
    infinite: Number.POSITIVE_INFINITY,
    flag: false,
    nothing: null,
    skipped: undefined,
    nested: { list: [1, 'two', { three: 3 }] },
    when: new Date('2024-05-25T10:00:00.000Z'),
    'odd "name"': 1,
  };
  logger.info('all kinds', fields);
  const [line] = parsed();
  assert.equal({ ...line, time: undefined, level: undefined, msg: undefined }, { time: undefined, level: undefined, msg: undefined, ...JSON.parse(JSON.stringify(fields)) });
});

test('the time is the ISO 8601 text of the moment the line was written', () => {
  const { logger, parsed } = capture();
  for (let index = 0; index < 50; index++) {
    const before = Date.now();
    logger.info('tick');
    const after = Date.now();
    const time = String(parsed().at(-1)!.time);
    assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Date.parse(time) >= before && Date.parse(time) <= after, `${time} within [${before}, ${after}]`);
    assert.is(new Date(Date.parse(time)).toISOString(), time);
  }
});

test('lines below the level are not written', () => {
  const { logger, parsed } = capture('warn');
  logger.debug('d');
  logger.info('i');
  logger.warn('w');
  logger.child({ x: 1 }).error('e');
  assert.equal(parsed().map((line) => line.level), ['warn', 'error']);
  const silent = capture('silent');
  silent.logger.error('nothing');
  assert.is(silent.lines.length, 0);
});

test.run();
