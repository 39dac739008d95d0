/**
 * The order of the folders under src/, lowest first: a module may import from its own folder and
 * from folders listed before it, never from one listed after it. This table is the one place the
 * order is written down; `test/package/layers.test.ts` checks every import of src/ against it and
 * that docs/architecture.md shows it (`node --import tsx scripts/layers.ts` prints the table).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The src/ folders, lowest first, with what each holds. */
export const LAYERS = Object.freeze([
  ['core', 'types, stage interfaces, errors, optional packages, LRU cache, JSONL, atomic files'],
  ['eval', 'kernels: trec_eval-exact metrics, TREC/BEIR I/O, run comparison, significance tests'],
  ['text', 'analyzers (one registry of languages), chunking'],
  ['models', 'hub download + cache, presets, tokenizers, ONNX sessions, encoders, query adapter, remote providers'],
  ['retrieve', 'first stage: bm25/, dense/, ann/'],
  ['fuse', 'RRF, convex combination with normalisers, fusion tuning'],
  ['rerank', 'second stage: cross-encoder/, colbert/, llm-listwise/'],
  ['pipeline', 'pipeline JSON, presets, retrieve → fuse → rerank → cut, calibration fits, caches, explain, passages'],
  ['store', 'collection store interface and parts; lancedb/, postgres/'],
  ['engine', 'collections: home/ (locations registry), stage loading, stored calibrations and adapters'],
  ['report', 'the HTML report'],
  ['lab', 'workflows: evaluate a pipeline, candidates, sweep, calibrate, mine, export, adapt'],
  ['datasets', 'BEIR catalog, download, unzip'],
  ['server', 'HTTP app, routes, guard, batching, playground'],
  ['integrations', 'langchain/, mcp/'],
  ['cli', 'main.ts, the command table, one file per command'],
] as const);

/** One import that goes against {@link LAYERS}. */
export interface LayerViolation {
  /** The importing file, relative to the src folder's parent (`src/eval/sweep.ts`). */
  file: string;
  /** The import specifier as written. */
  specifier: string;
  /** Which rule it breaks, in words. */
  rule: string;
}

/** Every .ts file under `dir`. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/**
 * The imports of every module under `srcDir` (static, dynamic and `export … from`, type-only
 * ones included) that reach a folder listed after the importer's own, or a src/ folder missing
 * from {@link LAYERS}. Imports of packages and of files outside `srcDir` are not checked.
 */
export function checkLayers(srcDir: string, layers: readonly (readonly [string, string])[] = LAYERS): LayerViolation[] {
  const root = resolve(srcDir);
  const rank = new Map(layers.map(([name], i) => [name, i]));
  const shown = relative(dirname(root), root);
  const folderOf = (file: string): string | undefined => {
    const parts = relative(root, file).split(sep);
    return parts.length > 1 ? parts[0] : undefined; // a file directly in src/ (index.ts) sits above every folder
  };
  const out: LayerViolation[] = [];
  for (const file of tsFiles(root)) {
    const from = folderOf(file);
    const name = join(shown, relative(root, file)).split(sep).join('/');
    if (from !== undefined && !rank.has(from)) {
      out.push({ file: name, specifier: '', rule: `folder src/${from}/ is not in the layer order (scripts/layers.ts): add it there` });
      continue;
    }
    for (const imp of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!imp.fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), imp.fileName);
      if (!target.startsWith(root + sep)) continue;
      const to = folderOf(target);
      if (to === undefined) {
        if (from !== undefined)
          out.push({
            file: name,
            specifier: imp.fileName,
            rule: `src/${from}/ may not import the package entry src/${relative(root, target)}`,
          });
        continue;
      }
      if (from === undefined || to === from) continue;
      const toRank = rank.get(to);
      if (toRank === undefined)
        out.push({
          file: name,
          specifier: imp.fileName,
          rule: `folder src/${to}/ is not in the layer order (scripts/layers.ts): add it there`,
        });
      else if (toRank > rank.get(from)!)
        out.push({
          file: name,
          specifier: imp.fileName,
          rule: `src/${from}/ may not import src/${to}/ (${to} comes after ${from} in scripts/layers.ts)`,
        });
    }
  }
  return out;
}

/** The layer order as the markdown table docs/architecture.md shows. */
export function layersTable(layers: readonly (readonly [string, string])[] = LAYERS): string {
  const rows = layers.map(
    ([name, what], i) =>
      `| ${i + 1} | \`${name}/\` | ${what} | ${i === 0 ? 'no other folder' : i === 1 ? `\`${layers[0][0]}/\`` : `rows 1–${i}`} |`,
  );
  return ['| # | folder | holds | may import |', '|---|---|---|---|', ...rows].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const bad = checkLayers(join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));
    for (const v of bad) console.error(`${v.file}: import '${v.specifier}': ${v.rule}`);
    process.exitCode = bad.length ? 1 : 0;
  } else {
    console.log(layersTable());
  }
}
