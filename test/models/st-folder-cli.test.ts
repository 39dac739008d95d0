/**
 * Acceptance: a generated sentence-transformers folder and a cross-encoder folder run through
 * `shortlist embed`, `shortlist rerank`, `shortlist serve` and a pipeline (init → add → search)
 * with no model flags at all, giving the library's values (which equal transformers.js, see
 * st-folder.test.ts); `models inspect` names each setting's file; a hub id without a preset is
 * read the same way from a loopback hub.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { crossEncoderModel, sentenceTransformersModel } from '../../scripts/models/fixtures.ts';
import { BiEncoder } from '../../src/models/encoders/bi-encoder.ts';
import { CrossEncoder } from '../../src/models/encoders/cross-encoder.ts';
import { describePreset } from '../../src/models/encoders/model.ts';
import { runCli, startServe } from '../support/cli.ts';
import { startFakeHub } from './hub-server.ts';

const DOCS = [
  'Patients who received the treatment had lower blood pressure.',
  'Cells were grown in a medium containing glucose.',
  'The system processes one thousand documents per second.',
  'Blood pressure fell in treated patients over twelve weeks.',
];
const QUERY = 'which treatment lowered blood pressure';
const ST = { pooling: 'mean', normalize: true, maxSeqLength: 64, prompts: { query: 'query: ', document: 'passage: ' } } as const;

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `component ${i}: ${a[i]} vs ${b[i]}`);
};

describe('sentence-transformers folders through the CLI, the server and a pipeline, with no model flags', () => {
  let st: string;
  let ce: string;
  let dir: string;
  let queries: Float32Array[];
  let documents: Float32Array[];
  let scores: { score: number; logit: number }[];
  before(async () => {
    [st, ce] = await Promise.all([sentenceTransformersModel(ST), crossEncoderModel({ key: 'activation_fn', fn: 'Identity' })]);
    dir = mkdtempSync(join(tmpdir(), 'shortlist-st-cli-'));
    const be = await BiEncoder.create({ model: st, threads: 1 });
    queries = await be.embed(DOCS, 'query');
    documents = await be.embed(DOCS, 'document');
    await be.dispose();
    const c = await CrossEncoder.create({ model: ce, threads: 1 });
    scores = await c.score(QUERY, DOCS);
    await c.dispose();
    assert.ok(
      scores.every((s) => s.score === s.logit),
      'Identity: the score is the logit',
    );
  });

  it('embed and rerank', async () => {
    const [q, r] = await Promise.all([
      runCli(['embed', '--model', st, '--kind', 'query', '--json', '--threads', '1'], { input: DOCS.join('\n') + '\n' }),
      (writeFileSync(join(dir, 'docs.jsonl'), DOCS.map((t) => JSON.stringify({ text: t })).join('\n') + '\n'),
      runCli(['rerank', '--model', ce, '--query', QUERY, '--docs', join(dir, 'docs.jsonl'), '--json', '--threads', '1'])),
    ]);
    assert.equal(q.code, 0, q.stderr);
    q.stdout
      .trim()
      .split('\n')
      .forEach((line, i) => close(JSON.parse(line), queries[i]));
    assert.equal(r.code, 0, r.stderr);
    for (const row of JSON.parse(r.stdout) as { index: number; score: number; logit: number }[]) {
      assert.ok(Math.abs(row.score - scores[row.index].score) < 1e-6);
      assert.ok(Math.abs(row.logit - scores[row.index].logit) < 1e-6);
    }
  });

  it('serve --embed-model <folder> --rerank-model <folder>', async () => {
    const server = await startServe([
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--quiet',
      '--threads',
      '1',
      '--embed-model',
      st,
      '--rerank-model',
      ce,
    ]);
    try {
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        assert.equal(res.status, 200, await res.clone().text());
        return res.json() as Promise<any>;
      };
      const emb = await post('/v1/embeddings', { input: DOCS, encoding_format: 'float' });
      emb.data.forEach((d: { embedding: number[] }, i: number) => close(d.embedding, documents[i]));
      const cohere = await post('/v2/embed', { texts: DOCS, input_type: 'search_query', embedding_types: ['float'] });
      cohere.embeddings.float.forEach((v: number[], i: number) => close(v, queries[i]));
      const rr = await post('/v1/rerank', { query: QUERY, documents: DOCS });
      for (const r of rr.results) assert.ok(Math.abs(r.relevance_score - scores[r.index].score) < 1e-6);
    } finally {
      await server.stop();
    }
  });

  it('a pipeline whose dense and cross-encoder stages name only the folders', async () => {
    const pipeline = {
      retrievers: [{ type: 'dense', model: st, threads: 1 }],
      rerank: [{ type: 'cross-encoder', model: ce, keep: 4, threads: 1 }],
      depth: 4,
      k: 4,
    };
    const pfile = join(dir, 'pipeline.json');
    writeFileSync(pfile, JSON.stringify(pipeline));
    const docs = join(dir, 'docs');
    await import('node:fs/promises').then((fs) => fs.mkdir(docs, { recursive: true }));
    DOCS.forEach((t, i) => writeFileSync(join(docs, `${i}.txt`), t));
    const c = join(dir, 'c');
    for (const args of [
      ['init', c, '--pipeline', pfile],
      ['add', c, docs, '--json'],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
    }
    const r = await runCli(['search', c, QUERY, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const hits = JSON.parse(r.stdout).hits as { id: string; score: number }[];
    assert.equal(hits.length, DOCS.length);
    // the final scores are the folder's cross-encoder logits (Identity) of the documents
    const byText = new Map(DOCS.map((t, i) => [t, scores[i].score]));
    const expected = [...byText.values()].sort((a, b) => b - a);
    hits.forEach((h, i) => assert.ok(Math.abs(h.score - expected[i]) < 1e-5, `${h.id}: ${h.score} vs ${expected[i]}`));
  });

  it('models inspect names the file behind each setting', async () => {
    const r = await runCli(['models', 'inspect', st, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout).settings;
    assert.deepEqual(s.pooling, { value: 'mean', source: '1_Pooling/config.json (pooling_mode_mean_tokens)' });
    assert.deepEqual(s.normalize, { value: true, source: 'modules.json (2_Normalize)' });
    assert.deepEqual(s.maxLength, { value: 64, source: 'sentence_bert_config.json (max_seq_length)' });
    assert.deepEqual(s.queryPrefix, { value: 'query: ', source: 'config_sentence_transformers.json (prompts.query)' });
    const text = await runCli(['models', 'inspect', ce, '--max-length', '32']);
    assert.match(text.stdout, /as a cross-encoder/);
    assert.match(
      text.stdout,
      /activation\s+"none"\s+config\.json \(sentence_transformers\.activation_fn: torch\.nn\.modules\.linear\.Identity\)/,
    );
    assert.match(text.stdout, /maxLength\s+32\s+explicit field/);
  });

  it('a hub id without a preset is read from its sentence-transformers files (loopback hub)', async () => {
    const files: Record<string, string | Uint8Array> = {};
    const walk = async (base: string, rel = ''): Promise<void> => {
      for (const e of await readdir(join(base, rel), { withFileTypes: true })) {
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(base, p);
        else files[p] = await readFile(join(base, p));
      }
    };
    await walk(st);
    const hub = await startFakeHub([{ repo: 'acme/st-model', commit: 'd'.repeat(40), files }]);
    try {
      const cache = mkdtempSync(join(tmpdir(), 'shortlist-st-hub-'));
      const saved = { HF_ENDPOINT: process.env.HF_ENDPOINT, SHORTLIST_CACHE: process.env.SHORTLIST_CACHE };
      process.env.HF_ENDPOINT = hub.url;
      process.env.SHORTLIST_CACHE = cache;
      try {
        const be = await BiEncoder.create({ model: 'acme/st-model', threads: 1 });
        assert.deepEqual(
          [be.preset.pooling, be.preset.normalize, be.preset.maxLength, be.preset.queryPrefix],
          ['mean', true, 64, 'query: '],
        );
        const v = await be.embed(DOCS, 'query');
        await be.dispose();
        v.forEach((x, i) => close(x, queries[i]));
        // once fetched, the synchronous settling (pipelines' fingerprints) reads the cached snapshot too
        const { preset, sources } = describePreset('acme/st-model', 'bi-encoder', {});
        assert.deepEqual([preset.pooling, sources.pooling], ['mean', '1_Pooling/config.json (pooling_mode_mean_tokens)']);
      } finally {
        for (const [k, v] of Object.entries(saved))
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
      }
    } finally {
      await hub.close();
    }
  });
});
