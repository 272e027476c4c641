/** The exit codes of every `catalog` command (documented in the README and in `--help`). */
export const EXIT = {
  /** Done, nothing wrong. */
  ok: 0,
  /** Done, but something failed or is inconsistent: failed rows (import), problems found (verify). */
  problems: 1,
  /** Could not run: bad arguments, unreadable file, configuration or connection error, refused token. */
  usage: 2,
  /** Stopped by Ctrl-C (SIGINT) before the end; a re-run resumes. */
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0    done, nothing wrong
  1    done with problems (failed rows, inconsistencies found)
  2    could not run (bad arguments, unreadable file, configuration, connection or token refused)
  130  interrupted (Ctrl-C); running the same command again resumes`;

/** An error that ends a command with a message and an exit code, without a stack trace. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}
