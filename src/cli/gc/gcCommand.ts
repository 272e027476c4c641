import { Option, type Command } from 'commander';
import type { CliIo } from '../cliIo.ts';
import { formatBytes, parseDuration } from '../duration.ts';
import { EXIT_CODES_HELP } from '../exitCodes.ts';

/** `catalog gc`: deletes binaries no event holds, after a grace period. */
export function gcCommand(program: Command, io: CliIo, now: () => number = Date.now): void {
  program
    .command('gc')
    .description('Delete binaries (and renditions) no event references, older than the grace period.')
    .option('--dry-run', 'list what would be deleted, delete nothing', false)
    .addOption(new Option('--min-age <duration>', 'grace period: younger objects are kept (an upload stores its binary before its event)').default(parseDuration('24h'), '24h').argParser(parseDuration))
    .addHelpText(
      'after',
      `
Kept: the current binary of every image, live or deleted (a deleted image can be restored), of
every live video, their renditions, and everything younger than --min-age. Collected: binaries
of writes cut by a crash or refused, content replaced by new content, deleted videos.
Uses the service's environment (DATA_DIR, or EVENTSTORE_URL and MINIO_*). On the embedded
engine (no EVENTSTORE_URL) stop the service on that DATA_DIR first.
${EXIT_CODES_HELP}`,
    )
    .action(async (options: { dryRun: boolean; minAge: number }) => {
      // Loaded when the command runs, so that `catalog --help` and other commands start fast.
      const [{ openCatalogStores }, { collectGarbage }] = await Promise.all([import('../catalogStores.ts'), import('./collectGarbage.ts')]);
      const stores = await openCatalogStores(io.env);
      try {
        const verb = options.dryRun ? 'would delete' : 'deleted';
        const result = await collectGarbage({
          eventStore: stores.eventStore,
          objectStore: stores.objectStore,
          minAgeMs: options.minAge,
          dryRun: options.dryRun,
          now,
          onCollected: (object) => io.out.write(`${verb} ${object.key} (${object.size} bytes)\n`),
        });
        io.out.write(
          `${result.scanned} objects scanned; ${verb} ${result.collected.length} (${formatBytes(result.bytes)}, ${result.bytes} bytes)` +
            `; ${result.tooYoung} unreferenced kept (younger than the grace period)\n`,
        );
      } finally {
        await stores.close();
      }
    });
}
