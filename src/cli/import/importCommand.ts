import type { Command } from 'commander';
import { Option } from 'commander';
import { positiveInteger } from '../positiveInteger.ts';
import { CommandError, EXIT, EXIT_CODES_HELP } from '../exitCodes.ts';
import { progressFor } from '../progress.ts';
import type { CliIo } from '../cliIo.ts';
import { catalogClient } from './catalogClient.ts';
import { runImport, type ImportSummary } from './runImport.ts';


/** `catalog import <file>`: rows of products and images into a running service, through its public APIs. */
export function importCommand(program: Command, io: CliIo): void {
  program
    .command('import')
    .description('Import products and images from a CSV or JSONL file through the service\'s public API (idempotent: a re-run adds nothing).')
    .argument('<file>', 'CSV with a header line, or JSONL (.jsonl/.ndjson): sku, name?, image (http(s) URL or path), order?, types?, label?, exclude?')
    .addOption(new Option('--url <url>', 'base URL of the service, e.g. http://localhost:8000').env('CATALOG_URL').makeOptionMandatory())
    .addOption(new Option('--token <key>', 'API key of a user of the service').env('CATALOG_TOKEN').makeOptionMandatory())
    .addOption(new Option('--user <name>', 'the user the key belongs to (JSON-RPC authenticates by user and key)').env('CATALOG_USER').default('admin'))
    .option('--concurrency <n>', 'rows imported at once', positiveInteger, 4)
    .option('--timeout <seconds>', 'time allowed for one request or download', positiveInteger, 120)
    .addHelpText(
      'after',
      `
Products are created when missing (REST, with an Idempotency-Key); each image is read, hashed
and uploaded (JPEG/PNG as they are through REST, GIF through ShipStream product_media.create)
under a gallery file name made of its content hash, unless the product already holds that content. Re-running a file adds nothing; after a
Ctrl-C it resumes. Failed rows go to <file>.errors.csv (importable again once fixed).
${EXIT_CODES_HELP}`,
    )
    .action(async (file: string, options: { url: string; token: string; user: string; concurrency: number; timeout: number }) => {
      if (!URL.canParse(options.url) || !/^https?:$/.test(new URL(options.url).protocol)) throw new CommandError(`--url: "${options.url}" is not an http(s) URL.`);
      const client = catalogClient({ baseUrl: options.url, token: options.token, user: options.user, timeoutMs: options.timeout * 1000 });
      const stop = new AbortController();
      const release = io.onInterrupt(() => {
        io.err.write('\nStopping: rows under way finish, no new row starts (Ctrl-C again to quit at once).\n');
        stop.abort();
      });
      let summary: ImportSummary;
      try {
        summary = await runImport({
          file,
          client,
          concurrency: options.concurrency,
          progress: progressFor({ unit: 'rows', label: 'import', stream: io.err }),
          signal: stop.signal,
          downloadTimeoutMs: options.timeout * 1000,
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== undefined) throw new CommandError(`${file} cannot be read: ${(error as Error).message}`);
        throw error;
      } finally {
        release();
      }
      io.out.write(summaryText(summary));
      if (summary.fatal !== undefined) throw new CommandError(summary.fatal);
      io.setExitCode(summary.interrupted ? EXIT.interrupted : summary.failed > 0 ? EXIT.problems : EXIT.ok);
    });
}

export function summaryText(summary: ImportSummary): string {
  const lines = [
    `${summary.total} rows in ${summary.seconds.toFixed(1)} s: ${summary.created} images added, ${summary.skipped} already there, ${summary.failed} failed` +
      (summary.notProcessed > 0 ? `, ${summary.notProcessed} not processed` : ''),
  ];
  if (summary.interrupted) lines.push('Interrupted: run the same command again to resume.');
  if (summary.errorsFile) lines.push(`Failed rows and reasons: ${summary.errorsFile}`);
  return `${lines.join('\n')}\n`;
}
