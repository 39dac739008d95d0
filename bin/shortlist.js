#!/usr/bin/env node
// Entry point. `--version` is answered here from package.json, loading nothing else. Otherwise, in a
// checkout (src/ present) it runs the TypeScript sources through tsx; an installed package ships
// only the compiled dist/.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version}\n`);
} else {
  let mod;
  if (existsSync(`${root}src/cli/main.ts`)) {
    const { register } = await import('tsx/esm/api');
    register();
    mod = await import(pathToFileURL(`${root}src/cli/main.ts`).href);
  } else {
    mod = await import(pathToFileURL(`${root}dist/cli/main.js`).href);
  }
  process.exitCode = await mod.main(process.argv);
}
