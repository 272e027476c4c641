import { Command, CommanderError } from 'commander';
import type { CliIo } from './cliIo.ts';
import { CommandError, EXIT, EXIT_CODES_HELP } from './exitCodes.ts';
import { exportCommand } from './export/exportCommand.ts';
import { gcCommand } from './gc/gcCommand.ts';
import { importCommand } from './import/importCommand.ts';
import { rebuildCommand } from './rebuild/rebuildCommand.ts';
import { usersCommand } from './users/usersCommand.ts';
import { verifyCommand } from './verify/verifyCommand.ts';

/** The `catalog` program: every command registered, output and exit code through `io`. */
export function catalogProgram(io: CliIo): Command {
  const program = new Command('catalog')
    .description('Operations on the product media catalog: import, verify, gc, rebuild, users, export.')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out.write(text), writeErr: (text) => io.err.write(text) })
    .showHelpAfterError('(add --help for usage)');
  importCommand(program, io);
  verifyCommand(program, io);
  gcCommand(program, io);
  rebuildCommand(program, io);
  usersCommand(program, io);
  exportCommand(program, io);
  const quiet = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: (text) => io.out.write(text), writeErr: (text) => io.err.write(text) });
    command.commands.forEach(quiet);
  };
  program.commands.forEach(quiet);
  return program;
}

/** Runs one command line (`argv` without node and the script); resolves with the exit code. */
export async function runCatalog(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  const scoped: CliIo = { ...io, setExitCode: (value) => (code = value) };
  try {
    await catalogProgram(scoped).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CommandError) {
      io.err.write(`catalog: ${error.message}\n`);
      return error.exitCode;
    }
    io.err.write(`catalog: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.usage;
  }
}

