import { existsSync } from 'node:fs';
import { currentReadModels } from '../../rebuild/readModelDirectory.ts';
import type { Command } from 'commander';
import type { CliIo } from '../cliIo.ts';
import { EXIT, EXIT_CODES_HELP } from '../exitCodes.ts';
import { positiveInteger } from '../positiveInteger.ts';
import type { Inconsistency } from './checkBinaries.ts';

/** `catalog verify`: binaries against their events, read models against a fresh rebuild, orphans. */
export function verifyCommand(program: Command, io: CliIo): void {
  program
    .command('verify')
    .description('Check that every binary an event references exists with its recorded size and SHA-256, that the read models equal a fresh rebuild, and list orphans.')
    .option('--concurrency <n>', 'binaries read at once', positiveInteger, 4)
    .option('--skip-read-models', 'check the binaries only', false)
    .addHelpText(
      'after',
      `
Uses the service's environment: offline on DATA_DIR (embedded engine: stop the service first),
or online with EVENTSTORE_URL and MINIO_* (read models: those under DATA_DIR/readmodels, if any).
Orphans (binaries no event holds) are listed but are not an inconsistency: "catalog gc" collects them.
${EXIT_CODES_HELP}`,
    )
    .action(async (options: { concurrency: number; skipReadModels: boolean }) => {
      // Loaded when the command runs, so that `catalog --help` and other commands start fast.
      const [{ openLmdbReadModelStore }, { PROJECTIONS }, { eventsAfter, openCatalogStores }, { COLLECTED_PREFIXES, heldKeys, isHeld }, { progressFor }, { checkBinaries }, { checkReadModels }] = await Promise.all([
        import('../../adapters/lmdb/lmdbReadModelStore.ts'),
        import('../../service.ts'),
        import('../catalogStores.ts'),
        import('../gc/heldKeys.ts'),
        import('../progress.ts'),
        import('./checkBinaries.ts'),
        import('./checkReadModels.ts'),
      ]);
      const stores = await openCatalogStores(io.env);
      try {
        const problems: Inconsistency[] = [];
        // 1. What the events hold.
        const held = heldKeys();
        const scan = progressFor({ unit: 'events', label: 'verify: events', stream: io.err });
        scan.start();
        let events = 0;
        for await (const event of eventsAfter(stores.eventStore)) {
          scan.update(++events, 0);
          if (event.streamName.startsWith('productMedia-')) held.apply(event);
        }
        scan.stop();
        // 2. Binaries.
        const binaries = held.binaries();
        const check = progressFor({ unit: 'binaries', label: 'verify: binaries', stream: io.err });
        check.start(binaries.length);
        problems.push(...(await checkBinaries(stores.objectStore, binaries, { concurrency: options.concurrency, onChecked: (done, failed) => check.update(done, failed) })));
        check.stop();
        // 3. Read models.
        const readModelsPath = await currentReadModels(stores.config.dataDir);
        if (options.skipReadModels) io.out.write('read models: not checked (--skip-read-models)\n');
        else if (!existsSync(readModelsPath)) io.out.write(`read models: none under ${readModelsPath}, not checked\n`);
        else {
          const stored = openLmdbReadModelStore({ path: readModelsPath });
          try {
            problems.push(...(await checkReadModels(stores.eventStore, stored, PROJECTIONS)));
          } finally {
            await stored.close();
          }
        }
        // 4. Orphans.
        const keys = held.keys();
        const orphans: string[] = [];
        for (const prefix of COLLECTED_PREFIXES) {
          for await (const object of stores.objectStore.list(prefix)) if (!isHeld(object.key, keys)) orphans.push(`${object.key} (${object.size} bytes, ${object.lastModified})`);
        }
        for (const problem of problems) io.out.write(`${problem.kind}: ${problem.message}\n`);
        for (const orphan of orphans) io.out.write(`orphan: ${orphan}\n`);
        io.out.write(`${events} events, ${binaries.length} binaries checked: ${problems.length} inconsistencies, ${orphans.length} orphans\n`);
        io.setExitCode(problems.length > 0 ? EXIT.problems : EXIT.ok);
      } finally {
        await stores.close();
      }
    });
}
