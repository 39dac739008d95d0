/**
 * Pay for what you use: importing `shortlist` and running BM25 + evaluate (examples/bm25-library.ts)
 * loads none of the heavy optional packages; a feature whose package is missing fails with an error
 * that names the install command.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { isShortlistError } from '../../src/core/errors.ts';
import { lazyPackage, OPTIONAL_PACKAGES, requireOptional } from '../../src/core/optional.ts';
import { HEAVY_PACKAGES, TRACE_PRELOAD, traceFile } from './trace.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(execFileSync('cat', [`${root}package.json`], { encoding: 'utf8' })) as {
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

describe('library imports', () => {
  it('BM25 + evaluate through the package root loads no heavy package', () => {
    const trace = traceFile();
    try {
      const out = execFileSync(
        process.execPath,
        ['--conditions=shortlist-source', '--import', 'tsx', '--import', TRACE_PRELOAD, `${root}examples/bm25-library.ts`],
        {
          encoding: 'utf8',
          env: { ...process.env, ...trace.env },
        },
      );
      assert.match(out, /ndcg@10 = 1/);
      const packages = trace.packages();
      assert.ok(
        trace.files().some((f) => f.endsWith('/src/index.ts')),
        'the example imports the package root',
      );
      for (const p of [...HEAVY_PACKAGES, 'zod', '@huggingface/tokenizers', 'snowball-stemmers'])
        assert.ok(!packages.has(p), `${p} was loaded`);
    } finally {
      trace.dispose();
    }
  });

  it('zod and the tokenizers load on first use: resolving a pipeline and building a tokenizer load them, once', () => {
    const trace = traceFile();
    // A schema from the package root composed into a schema of the caller's own zod: one zod instance.
    const script = `import { z } from 'zod';
import { PipelineSchema, resolvePipeline, FusionSchema } from 'shortlist';
import { TextTokenizer } from 'shortlist/models';
const p = resolvePipeline({ rerank: [{ type: 'cross-encoder', model: 'm', keep: 5 }] });
const mine = z.object({ fusion: FusionSchema, k: PipelineSchema.shape.k });
const tok = TextTokenizer.fromJson({ version: '1.0', truncation: null, padding: null, added_tokens: [], normalizer: null, pre_tokenizer: { type: 'Whitespace' }, post_processor: null, decoder: null, model: { type: 'WordLevel', vocab: { a: 0, b: 1, '[UNK]': 2 }, unk_token: '[UNK]' } });
console.log(p.rerank[0].name, mine.safeParse({ fusion: { method: 'rrf' }, k: 3 }).success, mine.safeParse({ fusion: { method: 'x' } }).success, PipelineSchema instanceof z.ZodObject, tok.tokenIds('a b').join(','));`;
    try {
      const out = execFileSync(
        process.execPath,
        ['--conditions=shortlist-source', '--import', 'tsx', '--import', TRACE_PRELOAD, '--input-type=module', '-e', script],
        { cwd: root, encoding: 'utf8', env: { ...process.env, ...trace.env } },
      );
      assert.equal(out, 'cross-encoder true false true 0,1\n');
      const packages = trace.packages();
      assert.ok(packages.has('zod') && packages.has('@huggingface/tokenizers'), 'the trace sees packages loaded on first use');
      const zodEntries = trace.files().filter((f) => /\/node_modules\/zod\/index\.c?js$/.test(f));
      assert.deepEqual(
        zodEntries.map((f) => f.replace(/.*\/node_modules\//, '')),
        ['zod/index.js'],
        'one zod: the ES module entry, shared by the caller and shortlist',
      );
    } finally {
      trace.dispose();
    }
  });

  it('shortlist/bm25: BM25 + Pipeline + evaluate load no heavy package, no zod and no model tokenizer', () => {
    const trace = traceFile();
    const script = `import { Bm25Index, Bm25Retriever, Pipeline, evaluate, getAnalyzer } from 'shortlist/bm25';
const index = await Bm25Index.build([{ id: 'd1', title: 'a', text: 'BM25 shortlists candidates' }, { id: 'd2', title: 'b', text: 'a cross-encoder reads both' }], { analyzer: getAnalyzer('english') });
const { hits } = await new Pipeline({ retriever: new Bm25Retriever(index), k: 2 }).search('bm25 candidates');
const run = new Map([['q', hits.map((h) => ({ docid: h.id, score: h.score }))]]);
console.log(hits.map((h) => h.id).join(','), evaluate(run, new Map([['q', new Map([['d1', 1]])]]), ['ndcg@10']).mean['ndcg@10']);
index.close();`;
    try {
      const out = execFileSync(
        process.execPath,
        ['--conditions=shortlist-source', '--import', 'tsx', '--import', TRACE_PRELOAD, '--input-type=module', '-e', script],
        {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, ...trace.env },
        },
      );
      assert.equal(out, 'd1 1\n');
      assert.ok(
        trace.files().some((f) => f.endsWith('/src/bm25.ts')),
        'the script imports the entry',
      );
      const packages = trace.packages();
      for (const p of [...HEAVY_PACKAGES, 'zod', '@huggingface/tokenizers', 'snowball-stemmers'])
        assert.ok(!packages.has(p), `${p} was loaded`);
    } finally {
      trace.dispose();
    }
  });

  it('on a Node without require(esm), zod loads from its CommonJS build and its schemas still compose with the ES one', () => {
    // process.features.require_module false: what Node 20 before 20.19 reports.
    const script = `Object.defineProperty(process.features, 'require_module', { value: false, configurable: true });
const { z } = await import('zod');
const { PipelineSchema, resolvePipeline, FusionSchema } = await import('shortlist');
const { createRequire } = await import('node:module');
const p = resolvePipeline({ rerank: [{ type: 'cross-encoder', model: 'm', keep: 5 }] });
const mine = z.object({ fusion: FusionSchema, k: PipelineSchema.shape.k });
const cjs = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.endsWith('/node_modules/zod/index.cjs')).length;
console.log(p.rerank[0].name, mine.safeParse({ fusion: { method: 'rrf' }, k: 3 }).success, mine.safeParse({ fusion: { method: 'x' } }).success, PipelineSchema instanceof z.ZodObject, Object.keys(z.toJSONSchema(mine).properties).join('+'), cjs);`;
    const out = execFileSync(process.execPath, ['--conditions=shortlist-source', '--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(out, 'cross-encoder true false true fusion+k 1\n');
  });

  it('every optional package is an optional peer dependency at the version the table names', () => {
    for (const [name, p] of Object.entries(OPTIONAL_PACKAGES)) {
      assert.equal(pkg.peerDependencies?.[name], p.version, `${name} in peerDependencies`);
      assert.equal(pkg.peerDependenciesMeta?.[name]?.optional, true, `${name} is optional`);
      assert.equal(pkg.dependencies[name], undefined, `${name} is not a hard dependency`);
      assert.match(p.install, new RegExp(`${name.replace('/', '\\/')}@${p.version.replace(/\./g, '\\.')}`));
    }
  });

  it('a missing optional package fails with MISSING_DEPENDENCY naming the install command', async () => {
    const load = lazyPackage('echarts', () =>
      import('./no-such-package-xyz' as string).catch((e: Error & { code?: string }) => {
        throw Object.assign(new Error(`Cannot find package 'echarts' imported from ${root}`), { code: e.code ?? 'ERR_MODULE_NOT_FOUND' });
      }),
    );
    await assert.rejects(
      load(),
      (err) =>
        isShortlistError(err, 'MISSING_DEPENDENCY') && err.message.includes('npm install echarts@6.1.0') && !err.message.includes(root),
    );
    const other = lazyPackage('echarts', () => Promise.reject(new Error('boom')));
    await assert.rejects(other(), /boom/, 'other errors pass through');
    assert.equal(typeof requireOptional<{ init: unknown }>('echarts').init, 'function', 'an installed package loads');
  });
});
