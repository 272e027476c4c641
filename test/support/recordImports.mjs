// Loaded with `node --import`: records every module specifier that contains RECORD_IMPORTS_MATCH
// to the file RECORD_IMPORTS_FILE (one a line), so a test can tell what a process loaded.
import { register } from 'node:module';

register('./recordImportsHooks.mjs', import.meta.url);
