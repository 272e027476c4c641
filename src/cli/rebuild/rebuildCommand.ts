import type { Command } from 'commander';
import type { CliIo } from '../cliIo.ts';
import { CommandError, EXIT_CODES_HELP } from '../exitCodes.ts';

/** `catalog rebuild [projection]`: read models from the events, with progress. */
export function rebuildCommand(program: Command, io: CliIo): void {
  program
    .command('rebuild')
    .description('Rebuild the read models under DATA_DIR/readmodels from the events, with progress.')
    .argument('[projection]', 'one read model (products, gallery, settings, rpcSessions); all when omitted')
    .addHelpText(
      'after',
      `
All read models are built beside the current ones (DATA_DIR/readmodels-rebuild) and switched in
when complete; one read model is emptied and refilled in place. Run it with the instance that
owns DATA_DIR stopped (an instance also rebuilds a read model by itself at start when its
projection version changed). Events come from DATA_DIR or EVENTSTORE_URL.
${EXIT_CODES_HELP}`,
    )
    .action(async (name: string | undefined) => {
      const [{ PROJECTIONS }, { openCatalogStores }, { rebuildReadModels }, { progressFor }] = await Promise.all([
        import('../../service.ts'),
        import('../catalogStores.ts'),
        import('./rebuildReadModels.ts'),
        import('../progress.ts'),
      ]);
      const only = name === undefined ? undefined : PROJECTIONS.find((projection) => projection.name === name);
      if (name !== undefined && only === undefined) throw new CommandError(`There is no read model "${name}"; choose one of ${PROJECTIONS.map((projection) => projection.name).join(', ')}.`);
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
    });
}
