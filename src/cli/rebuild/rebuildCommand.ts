import { Option, type Command } from 'commander';
import type { CliIo } from '../cliIo.ts';
import { CommandError, EXIT, EXIT_CODES_HELP } from '../exitCodes.ts';
import { positiveInteger } from '../positiveInteger.ts';

interface RebuildOptions {
  url?: string;
  token?: string;
  instances: number;
  timeout: number;
}

/** `catalog rebuild [projection]`: read models from the events, with progress; of a running service with `--url`. */
export function rebuildCommand(program: Command, io: CliIo): void {
  program
    .command('rebuild')
    .description('Rebuild read models from the events, with progress: of a running service without downtime (--url), or offline under DATA_DIR.')
    .argument('[projection]', 'one read model (products, gallery, settings, rpcSessions, galleryFiles); all when omitted')
    .addOption(new Option('--url <url>', 'base URL of the running service (any instance, or the load balancer)').env('CATALOG_URL'))
    .addOption(new Option('--token <key>', 'API key of a user of the service').env('CATALOG_TOKEN'))
    .option('--instances <n>', 'with --url: instances that must report "switched" before the command is done', positiveInteger, 1)
    .option('--timeout <seconds>', 'with --url: time allowed for the whole rebuild', positiveInteger, 3600)
    .addHelpText(
      'after',
      `
With --url (a running service, any number of instances): the request becomes an event every
instance follows. Each builds new read models beside the ones it serves from
(DATA_DIR/readmodels-<id>), catches up with the live log, then switches to them in one step and
removes the old ones; requests are answered from the old read models until then, so there is no
downtime. With a projection, that read model is rebuilt from the events and the others are
copied. The command shows each instance's progress and ends when --instances of them switched
and none is still building (the service cannot tell how many instances run: give their number).
Exit 1 when an instance failed (it keeps serving its old read models) or on --timeout.

Without --url (offline: stop the instance that owns DATA_DIR first): all read models are built
beside the current ones and switched in when complete; one read model is emptied and refilled in
place. Events come from DATA_DIR or EVENTSTORE_URL. An instance also rebuilds a read model by
itself at start when its projection version changed.

Examples:
  catalog rebuild --url http://localhost:8000 --token $KEY --instances 3
  catalog rebuild products --url http://localhost:8000 --token $KEY
  DATA_DIR=./data catalog rebuild
${EXIT_CODES_HELP}`,
    )
    .action(async (name: string | undefined, options: RebuildOptions) => {
      const { PROJECTIONS } = await import('../../service.ts');
      const names = PROJECTIONS.map((projection) => projection.name);
      if (name !== undefined && !names.includes(name as (typeof names)[number])) throw new CommandError(`There is no read model "${name}"; choose one of ${names.join(', ')}.`);
      if (options.url === undefined) return rebuildOffline(io, name);
      if (!URL.canParse(options.url) || !/^https?:$/.test(new URL(options.url).protocol)) throw new CommandError(`--url: "${options.url}" is not an http(s) URL.`);
      if (options.token === undefined || options.token === '') throw new CommandError('--url needs --token <key> (or CATALOG_TOKEN): the service asks for credentials.');
      await rebuildOnline(io, name, { ...options, url: options.url, token: options.token });
    });
}

async function rebuildOnline(io: CliIo, projection: string | undefined, options: RebuildOptions & { url: string; token: string }): Promise<void> {
  const { remoteRebuild } = await import('./remoteRebuild.ts');
  const stop = new AbortController();
  const release = io.onInterrupt(() => stop.abort());
  try {
    const started = Date.now();
    const result = await remoteRebuild({
      baseUrl: options.url,
      token: options.token,
      projection,
      instances: options.instances,
      timeoutMs: options.timeout * 1000,
      pollMs: 500,
      log: (line) => io.err.write(`${line}\n`),
      signal: stop.signal,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.out.write(`rebuild ${result.rebuildId}: ${result.switched.length} instance(s) switched, ${result.failed.length} failed, in ${seconds} s\n`);
    if (result.failed.length > 0) io.setExitCode(EXIT.problems);
  } finally {
    release();
  }
}

async function rebuildOffline(io: CliIo, name: string | undefined): Promise<void> {
  const [{ PROJECTIONS }, { openCatalogStores }, { rebuildReadModels }, { progressFor }] = await Promise.all([
    import('../../service.ts'),
    import('../catalogStores.ts'),
    import('./rebuildReadModels.ts'),
    import('../progress.ts'),
  ]);
  const only = name === undefined ? undefined : PROJECTIONS.find((projection) => projection.name === name);
  const stores = await openCatalogStores(io.env);
  try {
    const progress = progressFor({ unit: 'events', label: 'rebuild', stream: io.err });
    progress.start();
    const started = Date.now();
    const count = await rebuildReadModels(stores.eventStore, stores.config.dataDir, PROJECTIONS, only, (done) => progress.update(done, 0));
    progress.stop();
    io.out.write(`rebuilt ${only?.name ?? 'all read models'} from ${count} events in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    await stores.close();
  }
}
