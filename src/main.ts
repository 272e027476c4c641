import { loadOrCreateApiUsers } from './auth/apiUsersFile.ts';
import { ConfigError, loadConfig } from './config/config.ts';
import { captureLibraryOutput } from './logging/libraryOutput.ts';
import { createLogger } from './logging/logger.ts';
import { routeNativeStderr } from './logging/nativeStderr.ts';
import { join } from 'node:path';
import { startService } from './service.ts';

/**
 * The composition root: the only reader of `process.env`. Validates the configuration, starts
 * the service, and stops it gracefully on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger({ level: config.logLevel });
  // A promise rejected with nobody listening is a bug (ours or a library's) in one request's
  // work; every write is durable or not done, so it is logged with its stack and the other
  // requests go on. Node's default would stop the process for every client.
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection', { error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason) });
  });

  let users = config.apiUsers;
  if (users === undefined) {
    const generated = await loadOrCreateApiUsers(config.dataDir);
    users = generated.users;
    if (generated.created) {
      process.stdout.write(
        `\nCreated API user "admin" with key ${users[0]!.key}\n` +
          `It is kept in ${config.dataDir}/api-users.json and will not be printed again.\n` +
          `Use it as: Authorization: Token ${users[0]!.key}\n\n`,
      );
    }
  }

  // From here on every line on stdout and stderr is JSON: native text on descriptor 2 is read
  // back from a file (nativeStderr.ts), what passes through Node's streams is captured (libraryOutput.ts).
  routeNativeStderr(logger, join(config.dataDir, 'native-stderr.log'));
  captureLibraryOutput(logger);
  let service;
  try {
    service = await startService({ config, users, logger });
  } catch (error) {
    logger.error('failed to start', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    await logger.flush();
    process.exit(1);
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info('shutting down', { signal });
      service.close().then(
        () => logger.flush().then(() => process.exit(0)),
        (error: unknown) => {
          logger.error('shutdown failed', { error: String(error) });
          void logger.flush().then(() => process.exit(1));
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
