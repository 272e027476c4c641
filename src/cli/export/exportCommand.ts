import type { Command } from 'commander';
import type { CliIo } from '../cliIo.ts';
import { formatBytes } from '../duration.ts';
import { EXIT_CODES_HELP } from '../exitCodes.ts';

/** `catalog export <dir>`: the catalog as JSONL files and media, importable again. */
export function exportCommand(program: Command, io: CliIo): void {
  program
    .command('export')
    .description('Write products, galleries and binaries as files (JSONL + media) that "catalog import" reads back.')
    .argument('<dir>', 'folder to write (created if missing)')
    .addHelpText(
      'after',
      `
Writes <dir>/products.jsonl, <dir>/images.jsonl (import rows: sku, image, order, types, label,
exclude), <dir>/videos.jsonl and <dir>/media/<key>. Import it elsewhere with
  catalog import <dir>/images.jsonl --url ... --token ...
Uses the service's environment (DATA_DIR, or EVENTSTORE_URL and MINIO_*); on the embedded
engine stop the service first.
${EXIT_CODES_HELP}`,
    )
    .action(async (dir: string) => {
      const [{ openCatalogStores }, { exportCatalog }, { progressFor }] = await Promise.all([import('../catalogStores.ts'), import('./exportCatalog.ts'), import('../progress.ts')]);
      const stores = await openCatalogStores(io.env);
      try {
        const progress = progressFor({ unit: 'binaries', label: 'export', stream: io.err });
        let started = false;
        const result = await exportCatalog(stores, dir, (done, total) => {
          if (!started) progress.start(total);
          started = true;
          progress.update(done, 0);
        });
        if (started) progress.stop();
        io.out.write(`exported ${result.products} products, ${result.images} images, ${result.videos} videos (${formatBytes(result.bytes)}) to ${dir}\n`);
      } finally {
        await stores.close();
      }
    });
}
