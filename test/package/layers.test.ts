/**
 * The folder order of src/ (scripts/layers.ts) holds for every import, a violation is reported
 * with the file, the import and the rule, and docs/architecture.md shows the same table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayers, LAYERS, layersTable } from '../../scripts/layers.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('every import under src/ follows the folder order', () => {
  const bad = checkLayers(join(repo, 'src'));
  assert.deepEqual(
    bad.map((v) => `${v.file}: import '${v.specifier}': ${v.rule}`),
    [],
  );
});

test('every folder of src/ is in the order, once', () => {
  const names = LAYERS.map(([n]) => n);
  assert.equal(new Set(names).size, names.length);
  assert.equal(Object.isFrozen(LAYERS), true);
});

test('an import against the order is reported with its file, specifier and rule', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(dir, 'src');
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(src, rel)), { recursive: true });
    writeFileSync(join(src, rel), text);
  };
  write('index.ts', "export * from './lab/run.ts';\n");
  write('core/types.ts', 'export type Id = string;\n');
  write('eval/metrics.ts', "import type { Id } from '../core/types.ts';\nexport const m = (x: Id) => x;\n");
  // the violation: a kernel reaching up into a workflow, as a type-only and as a dynamic import
  write(
    'eval/sweep.ts',
    "import type { Run } from '../lab/run.ts';\nexport const s = () => import('../lab/run.ts');\nexport type R = Run;\n",
  );
  write('lab/run.ts', "import { m } from '../eval/metrics.ts';\nimport { z } from 'zod';\nexport type Run = typeof m | typeof z;\n");
  write('stray/x.ts', 'export const x = 1;\n');
  write('core/bad.ts', "export * from '../index.ts';\n");
  const layers = [
    ['core', ''],
    ['eval', ''],
    ['lab', ''],
  ] as const;
  const got = checkLayers(src, layers)
    .map((v) => ({ ...v }))
    .sort((a, b) => (a.file + a.specifier).localeCompare(b.file + b.specifier));
  assert.deepEqual(got, [
    { file: 'src/core/bad.ts', specifier: '../index.ts', rule: 'src/core/ may not import the package entry src/index.ts' },
    {
      file: 'src/eval/sweep.ts',
      specifier: '../lab/run.ts',
      rule: 'src/eval/ may not import src/lab/ (lab comes after eval in scripts/layers.ts)',
    },
    {
      file: 'src/eval/sweep.ts',
      specifier: '../lab/run.ts',
      rule: 'src/eval/ may not import src/lab/ (lab comes after eval in scripts/layers.ts)',
    },
    { file: 'src/stray/x.ts', specifier: '', rule: 'folder src/stray/ is not in the layer order (scripts/layers.ts): add it there' },
  ]);
});

test('docs/architecture.md shows the folder order as scripts/layers.ts writes it', () => {
  const doc = readFileSync(join(repo, 'docs', 'architecture.md'), 'utf8');
  const m = /<!-- layers:begin[^>]*-->\n([\s\S]*?)\n<!-- layers:end -->/.exec(doc);
  assert.ok(m, 'docs/architecture.md has a <!-- layers:begin --> … <!-- layers:end --> block');
  assert.equal(m[1], layersTable(), 'regenerate the block with: node --import tsx scripts/layers.ts');
});
