/**
 * `npm run build`: dist/ as the package ships it.
 *
 * 1. Types: `tsc -p tsconfig.build.json --emitDeclarationOnly` writes one .d.ts per source file.
 * 2. Code: esbuild bundles every entry point (each subpath of package.json's `exports`, and, in a
 *    bundle of its own, the CLI's main) into ES modules with code splitting, packages left external. A dynamic `import()`
 *    stays a split point, so the CLI's lazily imported commands and the optional peers still load
 *    only when used; what the bundle saves is the module loader's per-file cost (a BM25 search
 *    reads ~25 files instead of ~90; see bench/cli).
 *
 *   npm run build
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
/** package.json's `exports`: subpath → conditions (`shortlist-source`: the entry's source file). */
export type ExportsMap = Record<string, string | Record<string, string>>;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: ExportsMap };

/** Entry name (path under dist/ without `.js`) → source file, from the `exports` map and the CLI. */
export function entryPoints(exports: ExportsMap): Record<string, string> {
  const entries: Record<string, string> = { 'cli/main': 'src/cli/main.ts' };
  for (const target of Object.values(exports)) {
    if (typeof target === 'string' || !target['shortlist-source']) continue;
    const out = /^\.\/dist\/(.+)\.js$/.exec(target.default);
    if (!out) throw new Error(`package.json exports: ${target.default} is not ./dist/….js`);
    entries[out[1]] = target['shortlist-source'].replace(/^\.\//, '');
  }
  return entries;
}

/** The esbuild settings of every bundle in dist/ (test/package/root-closure.test.ts bundles with them too). */
export const BUNDLE_OPTIONS = Object.freeze({
  absWorkingDir: root,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
} as const);

/** Builds dist/: removes it, writes the types, bundles the code; prints what it wrote. */
export async function buildDist(): Promise<void> {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--emitDeclarationOnly'],
    { stdio: 'inherit', cwd: root },
  );
  const t1 = performance.now();
  const { 'cli/main': cli, ...library } = entryPoints(pkg.exports);
  const options = {
    ...BUNDLE_OPTIONS,
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  } as const;
  // Two bundles: the library's entry points share dist/chunks/, the CLI has its own dist/cli/chunks/.
  // One process loads one of them (the CLI is a program, not an import), and apart, neither is cut
  // into chunks along the other's split points (each CLI command is one): the package root's static
  // closure is half the files it is in one bundle.
  const results = await Promise.all([
    build({ ...options, entryPoints: library, chunkNames: 'chunks/[name]-[hash]' }),
    build({ ...options, entryPoints: { 'cli/main': cli }, chunkNames: 'cli/chunks/[name]-[hash]' }),
  ]);
  const result = {
    metafile: { outputs: Object.assign({}, ...results.map((r) => r.metafile.outputs)) as Record<string, { bytes: number }> },
  };
  const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
  const bytes = files.reduce((n, f) => n + result.metafile.outputs[f].bytes, 0);
  console.log(
    `dist/: types in ${((t1 - t0) / 1000).toFixed(1)} s; ${files.length} JS files (${(bytes / 1024).toFixed(0)} KiB) in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await buildDist();
