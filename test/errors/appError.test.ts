import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AppError, NotFoundError, ValidationError } from '../../src/errors/appError.ts';

const frames = (error: Error) => (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).length;

test('an error of ours (5xx) keeps its stack for the log', () => {
  const error = new AppError('BROKEN', 'the store is down');
  assert.ok(frames(error) > 0, error.stack);
  assert.is(error.status, 500);
});

test("a client's error (4xx) captures no stack, and says what it is", () => {
  for (const error of [ValidationError.field('image', 'Upload a valid image.'), new NotFoundError(), new AppError('GONE', 'gone', { status: 410 })]) {
    assert.is(frames(error), 0, error.stack);
    assert.ok(error.stack?.includes(error.message), error.stack);
    assert.ok(error.status >= 400 && error.status < 500);
  }
});

test('the stack trace limit of everything else is left as it was', () => {
  const before = Error.stackTraceLimit;
  new ValidationError({ sku: ['This field is required.'] });
  assert.is(Error.stackTraceLimit, before);
  assert.ok(frames(new Error('plain')) > 0);
});

test.run();
