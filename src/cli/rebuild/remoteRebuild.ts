import { CommandError, EXIT } from '../exitCodes.ts';

/** One instance's report, as `GET /api/v1/read_model_rebuilds/<id>/` shows it. */
interface InstanceReport {
  instance: string;
  state: 'building' | 'switched' | 'failed';
  events: number;
  reason: string | null;
}

export interface RemoteRebuildOptions {
  baseUrl: string;
  token: string;
  projection: string | undefined;
  /** Instances that must report `switched` before the command is done (the service cannot tell how many run). */
  instances: number;
  /** Time allowed for the whole rebuild. */
  timeoutMs: number;
  pollMs: number;
  /** Progress lines (one per change of an instance). */
  log(line: string): void;
  signal: AbortSignal;
}

export interface RemoteRebuildResult {
  rebuildId: string;
  switched: InstanceReport[];
  failed: InstanceReport[];
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Asks a running service to rebuild (POST /api/v1/read_model_rebuilds/): the request is an event
 * every instance acts on. Then polls the rebuild, through whichever instance answers, until
 * `instances` instances have switched and none is still building.
 * @throws CommandError: exit 2 when the request is refused or the service cannot be reached; exit 1 when it runs out of time.
 */
export async function remoteRebuild(options: RemoteRebuildOptions): Promise<RemoteRebuildResult> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const call = async (method: string, path: string, body?: unknown) => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Token ${options.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.any([options.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
    } catch (error) {
      if (options.signal.aborted) throw new CommandError('Interrupted; the rebuild goes on in the service.', EXIT.interrupted);
      throw new CommandError(`${method} ${base}${path}: ${(error as { cause?: Error }).cause?.message ?? (error as Error).message}`);
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403) throw new CommandError(`The service refused the token (HTTP ${response.status}: ${text.slice(0, 200)}).`);
    return { status: response.status, text, body: safeJson(text) as any };
  };

  const requested = await call('POST', '/api/v1/read_model_rebuilds/', options.projection === undefined ? {} : { projection: options.projection });
  if (requested.status !== 202) throw new CommandError(`The service refused the rebuild (HTTP ${requested.status}: ${requested.text.slice(0, 200)}).`);
  const rebuildId = String(requested.body.id);
  options.log(`rebuild ${rebuildId} of ${options.projection ?? 'all read models'} requested; waiting for ${options.instances} instance(s) to switch`);

  const deadline = Date.now() + options.timeoutMs;
  const shown = new Map<string, string>();
  for (;;) {
    const polled = await call('GET', `/api/v1/read_model_rebuilds/${rebuildId}/`);
    if (polled.status !== 200) throw new CommandError(`Polling the rebuild failed (HTTP ${polled.status}: ${polled.text.slice(0, 200)}).`);
    const reports = polled.body.instances as InstanceReport[];
    for (const report of reports) {
      const line = describe(report);
      if (shown.get(report.instance) === line) continue;
      shown.set(report.instance, line);
      options.log(line);
    }
    const switched = reports.filter((report) => report.state === 'switched');
    const failed = reports.filter((report) => report.state === 'failed');
    const building = reports.length - switched.length - failed.length;
    if (building === 0 && switched.length + failed.length >= options.instances) return { rebuildId, switched, failed };
    if (Date.now() > deadline) {
      throw new CommandError(`Not done within ${Math.round(options.timeoutMs / 1000)} s: ${switched.length} switched, ${building} building, ${failed.length} failed (the rebuild goes on; GET ${base}/api/v1/read_model_rebuilds/${rebuildId}/).`, EXIT.problems);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
    if (options.signal.aborted) throw new CommandError('Interrupted; the rebuild goes on in the service.', EXIT.interrupted);
  }
}

function describe(report: InstanceReport): string {
  if (report.state === 'building') return `  ${report.instance}: building, ${report.events} events`;
  if (report.state === 'switched') return `  ${report.instance}: switched after ${report.events} events`;
  return `  ${report.instance}: failed: ${report.reason ?? 'no reason given'}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
