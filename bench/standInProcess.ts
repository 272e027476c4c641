import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const STAND_IN = new URL('../test/support/esdbStandIn/esdbStandIn.ts', import.meta.url).href;

export interface StandInProcess {
  pid: number | undefined;
  connectionString: string;
  stop(): Promise<void>;
}

/** The stand-in in its own process, so that its work does not share the measured event loop. */
export async function startStandInProcess(): Promise<StandInProcess> {
  const script = [
    `const { startEsdbStandIn } = await import(${JSON.stringify(STAND_IN)});`,
    'const esdb = await startEsdbStandIn({ batchAppend: true });',
    "process.stdout.write(JSON.stringify({ connectionString: esdb.connectionString }) + '\\n');",
    "process.stdin.on('end', () => esdb.stop().then(() => process.exit(0)));",
    'process.stdin.resume();',
  ].join('\n');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const [line] = await Promise.race([
    (async () => {
      for await (const first of createInterface({ input: child.stdout! })) return [first];
      return [];
    })(),
    exited.then(() => []),
  ]);
  if (line === undefined) throw new Error('the EventStoreDB stand-in process exited before it was serving');
  const { connectionString } = JSON.parse(line) as { connectionString: string };
  return {
    pid: child.pid,
    connectionString,
    async stop() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
