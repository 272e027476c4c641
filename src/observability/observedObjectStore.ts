import { isAppError } from '../errors/appError.ts';
import type { ObjectStore } from '../ports/objectStore.ts';
import type { Metrics } from './metrics.ts';
import type { Tracing } from './tracing.ts';

type Presigning = { presignedGetUrl?(key: string, expirySeconds: number): Promise<string> };

/**
 * The object-store port with its calls measured (latency by operation and outcome) and traced
 * (a span per call). `get` is measured until the object's body is opened, not read: its reading
 * belongs to the response that streams it. The store itself when neither metrics nor traces are on.
 */
export function observedObjectStore<Store extends ObjectStore & Presigning>(store: Store, metrics: Metrics | undefined, tracing: Tracing): Store {
  if (metrics === undefined && !tracing.enabled) return store;
  const observed = <T>(operation: string, key: string, work: () => Promise<T>): Promise<T> =>
    tracing.inSpan(`objectstore.${operation}`, { 'objectstore.key': key }, async () => {
      const started = performance.now();
      let outcome = 'ok';
      try {
        return await work();
      } catch (error) {
        outcome = isAppError(error) && error.code === 'OBJECT_NOT_FOUND' ? 'not_found' : 'error';
        throw error;
      } finally {
        metrics?.objectStoreDuration.observe({ operation, outcome }, (performance.now() - started) / 1000);
      }
    });
  const wrapper: ObjectStore & Presigning = {
    put: (input) => observed('put', input.key, () => store.put(input)),
    get: (key, range) => observed('get', key, () => store.get(key, range)),
    stat: (key) => observed('stat', key, () => store.stat(key)),
    delete: (key) => observed('delete', key, () => store.delete(key)),
    list: (prefix) => store.list(prefix),
    close: () => store.close(),
  };
  if (store.presignedGetUrl) wrapper.presignedGetUrl = (key, expirySeconds) => store.presignedGetUrl!(key, expirySeconds);
  return wrapper as Store;
}
