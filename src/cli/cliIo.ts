/** What a command touches of its process: injected so commands run inside tests. */
export interface CliIo {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  setExitCode(code: number): void;
  /** Calls `handler` on the first Ctrl-C; returns a function that stops listening. */
  onInterrupt(handler: () => void): () => void;
}

/** The real process. A second Ctrl-C quits at once. */
export function processIo(): CliIo {
  return {
    out: process.stdout,
    err: process.stderr,
    env: process.env,
    setExitCode: (code) => {
      process.exitCode = code;
    },
    onInterrupt(handler) {
      let seen = false;
      const listener = () => {
        if (seen) process.exit(130);
        seen = true;
        handler();
      };
      process.on('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
  };
}
