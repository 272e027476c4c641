import type { Command } from 'commander';
import type { ApiUser } from '../../config/config.ts';
import type { CliIo } from '../cliIo.ts';
import { EXIT_CODES_HELP } from '../exitCodes.ts';
import { addUser, removeUser, rotateUser } from './userChanges.ts';
import { newApiKey, readUsersFile, usersFilePath, writeUsersFile } from './usersFile.ts';

/** `catalog users add|rotate|remove|list`: the file-based user directory (`DATA_DIR/api-users.json`). */
export function usersCommand(program: Command, io: CliIo, makeKey: () => string = newApiKey): void {
  const users = program
    .command('users')
    .description('Manage the file-based user directory (DATA_DIR/api-users.json).')
    .addHelpText(
      'after',
      `
The service reads the file at start: restart it (every instance sharing the file) to apply a
change. With API_USERS set the service ignores the file. A new key is printed once.
${EXIT_CODES_HELP}`,
    );
  const change = async (describe: (before: ApiUser[]) => { users: ApiUser[]; message: string }) => {
    const dataDir = io.env.DATA_DIR?.trim() || './data';
    const path = usersFilePath(dataDir);
    const { users: after, message } = describe(await readUsersFile(path));
    await writeUsersFile(path, after);
    io.out.write(`${message}\n`);
    if (io.env.API_USERS?.trim()) io.err.write('Note: API_USERS is set, so the service ignores this file.\n');
    io.err.write(`Restart the service to apply (${path}).\n`);
  };
  users
    .command('add')
    .description('Add a user with a new key (printed once).')
    .argument('<name>')
    .action((name: string) => {
      const key = makeKey();
      return change((before) => ({ users: addUser(before, name, key), message: `${name} ${key}` }));
    });
  users
    .command('rotate')
    .description('Give a user a new key (printed once); the old key stops working at the restart.')
    .argument('<name>')
    .action((name: string) => {
      const key = makeKey();
      return change((before) => ({ users: rotateUser(before, name, key), message: `${name} ${key}` }));
    });
  users
    .command('remove')
    .description('Remove a user.')
    .argument('<name>')
    .action((name: string) => change((before) => ({ users: removeUser(before, name), message: `removed ${name}` })));
  users
    .command('list')
    .description('List the user names (never the keys).')
    .action(async () => {
      for (const user of await readUsersFile(usersFilePath(io.env.DATA_DIR?.trim() || './data'))) io.out.write(`${user.name}\n`);
    });
}
