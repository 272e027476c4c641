import { collectDefaultMetrics, Registry } from 'prom-client';
import { cheaperEventLoopDelayMetrics } from './eventLoopDelayMetrics.ts';

let registry: Registry | undefined;

/**
 * prom-client's default metrics (CPU, memory, handles, event-loop delay, GC) describe the
 * process, not a service instance, and collecting them starts timers and observers that are
 * never stopped: so they are collected once per process, on first use, into their own registry.
 */
export function processMetrics(): Registry {
  if (registry === undefined) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
    cheaperEventLoopDelayMetrics(registry);
  }
  return registry;
}
