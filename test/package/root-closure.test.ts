/**
 * `import 'shortlist'` reads only what BM25, evaluation, pipelines and collections need at import:
 * the stores, the location homes, the model code (encoders, hub, ONNX, hosted providers,
 * model-backed rerankers) and ANN load on first use, through `import()` (the collection's location
 * registry, its model loader, the rerank stage registry) or from the `shortlist/models` and
 * `shortlist/stores` subpaths. Checked two ways: the static import closure of each entry as the
 * build bundles it (esbuild's metafile, type-only imports erased as in dist/), and the modules a
 * BM25 collection really loads when created, filled and searched through the root.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_OPTIONS, entryPoints, type ExportsMap } from '../../scripts/build.ts';
import { TRACE_PRELOAD, traceFile } from './trace.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Source folders and files that the root entry must not import statically (a prefix of src/…). */
export const LAZY_SOURCES = [
  'src/store/postgres/',
  'src/store/lancedb/',
  'src/engine/home/local.ts',
  'src/engine/home/postgres.ts',
  'src/engine/home/s3',
  'src/engine/models.ts',
  'src/models/encoders/',
  'src/models/remote/',
  'src/models/hub/',
  'src/models/onnx/',
  'src/models/tokenize/',
  'src/models/presets/',
  'src/retrieve/ann/',
  'src/rerank/cross-encoder/',
  'src/rerank/colbert/',
  'src/rerank/llm-listwise/',
] as const;

/**
 * Small modules under those prefixes that the root does need at import, each without a store,
 * a model or a package: what a location or a pipeline JSON is, checked before anything loads.
 */
export const ALLOWED_SOURCES = Object.freeze({
  'src/store/postgres/url.ts': 'the postgres:// predicate, redaction and child location of the location registry',
  'src/store/lancedb/location.ts': 'the s3:// predicate and parsing of the location registry',
  'src/models/remote/schemas.ts': "the pipeline schema's hosted embedder / reranker fields",
  'src/models/remote/secrets.ts': 'the { env } key reference those fields take',
  'src/models/remote/stats.ts': "the hosted call counters a collection's dense stage reports",
  'src/models/hub/source.ts': 'parseModelSource: hub id or local folder, to save absolute model folders',
  'src/models/presets/types.ts': 'the pooling / activation / dtype enums of the pipeline schema',
  'src/rerank/llm-listwise/config.ts': "the llm-listwise stage's JSON fields (pipeline schema)",
  'src/rerank/llm-listwise/prompts.ts': 'the prompt template ids those fields accept',
} as const);

/** For each library entry (dist name → source files its static import closure bundles), as `npm run build` bundles the library. */
async function staticClosures(): Promise<Map<string, Set<string>>> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: ExportsMap };
  const { 'cli/main': _cli, ...library } = entryPoints(pkg.exports); // the CLI is a bundle of its own
  const result = await build({
    ...BUNDLE_OPTIONS,
    entryPoints: library,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const outputs: Metafile['outputs'] = result.metafile.outputs;
  const closures = new Map<string, Set<string>>();
  for (const [file, out] of Object.entries(outputs)) {
    if (!out.entryPoint) continue;
    const seen = new Set<string>();
    const visit = (o: string) => {
      if (seen.has(o)) return;
      seen.add(o);
      for (const i of outputs[o].imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
    };
    visit(file);
    closures.set(file.replace(/^dist\//, '').replace(/\.js$/, ''), new Set([...seen].flatMap((o) => Object.keys(outputs[o].inputs))));
  }
  return closures;
}

describe("the package root's static imports", () => {
  it('reach no store, home, model code or ANN beyond the small modules allowed', async () => {
    const closures = await staticClosures();
    const index = closures.get('index')!;
    assert.ok(index.has('src/engine/collection.ts') && index.has('src/retrieve/bm25/index.ts'), 'the closure holds what the root exports');
    const lazy = (f: string) => LAZY_SOURCES.some((p) => f.startsWith(p)) && !Object.hasOwn(ALLOWED_SOURCES, f);
    assert.deepEqual(
      [...index].filter(lazy).sort(),
      [],
      'import these with import() where first used, or from shortlist/models or shortlist/stores',
    );
    // The check itself sees them: the subpaths that export them reach them statically.
    assert.ok(closures.get('models')!.has('src/models/encoders/bi-encoder.ts'));
    assert.ok(closures.get('stores')!.has('src/store/postgres/store.ts') && closures.get('stores')!.has('src/store/lancedb/store.ts'));
    for (const f of Object.keys(ALLOWED_SOURCES)) assert.ok(index.has(f), `${f} is allowed but no longer needed: drop it from the list`);
  });

  it('a BM25 collection created, filled and searched through the root loads no Postgres or S3 home and no model code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shortlist-root-closure-'));
    const trace = traceFile();
    const script = `import { Collection } from 'shortlist';
const c = await Collection.create(${JSON.stringify(join(dir, 'notes'))}, 'bm25');
await c.add([{ id: 'n1', title: 'Rerankers', text: 'a cross-encoder reads both' }, { id: 'n2', title: 'First stage', text: 'BM25 shortlists candidates' }]);
const { hits } = await c.search('bm25 candidates');
console.log(hits.map((h) => h.id).join(','));
await c.close();`;
    try {
      const out = execFileSync(
        process.execPath,
        ['--conditions=shortlist-source', '--import', 'tsx', '--import', TRACE_PRELOAD, '--input-type=module', '-e', script],
        { cwd: root, encoding: 'utf8', env: { ...process.env, ...trace.env } },
      );
      assert.equal(out.trim().split(',')[0], 'n2');
      const loaded = trace.files().map((u) => u.replace(/^file:\/\//, '').replace(root, ''));
      assert.ok(loaded.includes('src/engine/home/local.ts'), 'the folder home loads on first use');
      const unwanted = loaded.filter((f) =>
        /^src\/(engine\/home\/(postgres|s3)|store\/postgres\/(?!url\.ts)|models\/(encoders|hub\/resolve|onnx|tokenize)|engine\/models\.ts|rerank\/(cross-encoder|colbert|llm-listwise\/(?!config|prompts)))/.test(
          f,
        ),
      );
      assert.deepEqual(unwanted, []);
      const packages = trace.packages();
      for (const p of ['pg', '@aws-sdk/client-s3', 'onnxruntime-node', '@huggingface/tokenizers'])
        assert.ok(!packages.has(p), `${p} was loaded`);
    } finally {
      trace.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
