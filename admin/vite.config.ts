import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The gallery admin, served by the service under /admin/ (src/admin). Built by `npm run build:admin`
// (run on install and before the tests); the output, admin/dist, is not committed.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  logLevel: 'warn',
});
