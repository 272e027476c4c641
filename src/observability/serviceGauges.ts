import type { Projections } from '../projections/projections.ts';
import type { Metrics } from './metrics.ts';
import type { ProjectionLag } from './projectionLag.ts';

const PROJECTION_STATES = ['live', 'catching up', 'retrying', 'failed', 'stopped'] as const;

/** The gauges read at scrape time: projection lag and state, SSE consumers. */
export function registerServiceGauges(metrics: Metrics, sources: { projections: Pick<Projections, 'statuses'>; lag: ProjectionLag; sseConsumers: () => number }): void {
  metrics.registerGauge('projection_lag_events', 'Events appended since this instance started that a read model has not applied yet.', ['projection'], function* () {
    for (const { name, events } of sources.lag.read()) yield [{ projection: name }, events];
  });
  metrics.registerGauge('projection_lag_seconds', 'Age of the oldest event a read model has not applied yet (0 when it is up to date).', ['projection'], function* () {
    for (const { name, seconds } of sources.lag.read()) yield [{ projection: name }, seconds];
  });
  metrics.registerGauge('projection_state', 'Each read model\'s state: 1 for the state it is in (live, catching up, retrying, failed, stopped), 0 for the others.', ['projection', 'state'], function* () {
    for (const status of sources.projections.statuses()) {
      for (const state of PROJECTION_STATES) yield [{ projection: status.name, state }, status.state === state ? 1 : 0];
    }
  });
  metrics.registerGauge('sse_consumers', 'Clients following the media event feed (server-sent events) on this instance.', [], function* () {
    yield [{}, sources.sseConsumers()];
  });
}
