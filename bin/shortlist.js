#!/usr/bin/env node
// Entry point: runs the compiled CLI when built, else the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let mod;
if (existsSync(`${root}dist/cli/main.js`)) {
  mod = await import(pathToFileURL(`${root}dist/cli/main.js`).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import(pathToFileURL(`${root}src/cli/main.ts`).href);
}
process.exitCode = await mod.main(process.argv);
