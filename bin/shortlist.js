#!/usr/bin/env node
// Entry point. In a checkout (src/ present) it runs the TypeScript sources through tsx; an
// installed package ships only the compiled dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let mod;
if (existsSync(`${root}src/cli/main.ts`)) {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import(pathToFileURL(`${root}src/cli/main.ts`).href);
} else {
  mod = await import(pathToFileURL(`${root}dist/cli/main.js`).href);
}
process.exitCode = await mod.main(process.argv);
