#!/usr/bin/env node
// `catalog` command: runs the TypeScript sources through tsx (a runtime dependency, also in the
// Docker image), so a checkout and the image need no build step.
import { register } from 'tsx/esm/api';

register();
const { runCatalog } = await import('../src/cli/main.ts');
const { processIo } = await import('../src/cli/cliIo.ts');
process.exitCode = await runCatalog(process.argv.slice(2), processIo());
