/** Helpers for tests that check which packages a process loads (see trace-modules.mjs). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The preload that records loaded modules. */
export const TRACE_PRELOAD = fileURLToPath(new URL('./trace-modules.mjs', import.meta.url));

/** Packages that BM25 search and evaluation must never load. */
export const HEAVY_PACKAGES = [
  'onnxruntime-node',
  '@lancedb/lancedb',
  'apache-arrow',
  'pg',
  'pg-copy-streams',
  '@aws-sdk/client-s3',
  'echarts',
  'hono',
  '@hono/node-server',
  'playwright-core',
  '@langchain/core',
  '@modelcontextprotocol/sdk',
] as const;

/** A fresh file for $TRACE_MODULES and a reader of the package names it recorded. */
export function traceFile(): { env: Record<string, string>; packages: () => Set<string>; files: () => string[]; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-trace-'));
  const file = join(dir, 'modules.txt');
  const files = () => {
    try {
      return [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))];
    } catch {
      return [];
    }
  };
  return {
    env: { TRACE_MODULES: file },
    files,
    packages: () =>
      new Set(
        files()
          .map(packageOf)
          .filter((p): p is string => p !== undefined),
      ),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The package a module URL belongs to (the last node_modules segment), if any. */
export function packageOf(url: string): string | undefined {
  const m = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return m?.[1];
}
