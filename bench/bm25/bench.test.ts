import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatRun } from './protocol.ts';
import { acceptance, type BenchReport } from './report.ts';
import { mulberry32, pseudoWord, syntheticDataset, zipfSampler } from './synthetic.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('pseudo-words are distinct, at least 4 letters, and never English stop words', () => {
  const words = Array.from({ length: 100_000 }, (_, r) => pseudoWord(r));
  assert.equal(new Set(words).size, words.length);
  assert.ok(words.every((w) => w.length >= 4 && /^[a-z]+$/.test(w)));
  assert.ok(!words.includes('that') && !words.includes('such'));
});

test('Zipf sampler is seeded and puts rank 0 first', () => {
  const draw = (seed: number) => {
    const z = zipfSampler(1000, 1, mulberry32(seed));
    return Array.from({ length: 5000 }, z);
  };
  assert.deepEqual(draw(7), draw(7));
  const counts = new Map<number, number>();
  for (const r of draw(7)) counts.set(r, (counts.get(r) ?? 0) + 1);
  assert.ok((counts.get(0) ?? 0) > (counts.get(1) ?? 0) && (counts.get(1) ?? 0) > (counts.get(50) ?? 0));
  const from = zipfSampler(1000, 1, mulberry32(1), 100);
  assert.ok(Array.from({ length: 1000 }, from).every((r) => r >= 100 && r < 1000));
});

test('synthetic dataset is a BEIR folder with the asked sizes, generated once', async () => {
  const root = mkdtempSync(join(tmpdir(), 'bm25-syn-'));
  try {
    const dir = await syntheticDataset(root, { docs: 50, queries: 7, vocab: 500 });
    const docs = readFileSync(join(dir, 'corpus.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(docs.length, 50);
    for (const d of docs) {
      const n = d.text.split(' ').length;
      assert.ok(n >= 10 && n <= 30);
    }
    assert.equal(readFileSync(join(dir, 'queries.jsonl'), 'utf8').trim().split('\n').length, 7);
    assert.equal(await syntheticDataset(root, { docs: 50, queries: 7, vocab: 500 }), dir);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('formatRun writes one TREC line per hit with 1-based ranks', () => {
  const text = formatRun(
    [
      { id: 'q1', text: '' },
      { id: 'q2', text: '' },
    ],
    [
      [
        { id: 'a', score: 2 },
        { id: 'b', score: 1 },
      ],
      [],
    ],
    'x',
  );
  assert.equal(text, 'q1 Q0 a 1 2 x\nq1 Q0 b 2 1 x\n');
});

test('acceptance flags a miss with its ratio', () => {
  const row = (system: string, qps: number, indexMs: number, ndcg: number) => ({
    system,
    status: 'ok' as const,
    qps: { '1000': qps },
    indexMs,
    peakRssMB: 100,
    measures: { 'ndcg@10': ndcg, 'recall@100': 0.5 },
  });
  const report: BenchReport = {
    machine: { node: '', cpus: 1, cpu: '', date: '' },
    datasets: [
      {
        name: 'd',
        path: '',
        docs: 1,
        queries: 1,
        rows: [row('shortlist', 200, 10, 0.5), row('wink', 100, 20, 0.4), row('lucene', 100, 5, 0.503)],
      },
    ],
  };
  const checks = new Map(acceptance(report).map((c) => [c.check, c]));
  assert.equal(checks.get('shortlist q/s@1000 ≥ 3× wink')?.pass, false);
  assert.match(checks.get('shortlist q/s@1000 ≥ 3× wink')!.detail, /2\.00×/);
  assert.equal(checks.get('shortlist q/s@1000 ≥ Lucene')?.pass, true);
  assert.equal(checks.get('shortlist index time ≤ wink')?.pass, true);
  assert.equal(checks.get('shortlist nDCG@10/R@100 within 0.005 of Lucene (this run)')?.pass, true);
});

test('end to end: shortlist and wink on a generated collection, JSON report', () => {
  const root = mkdtempSync(join(tmpdir(), 'bm25-e2e-'));
  try {
    const ds = join(root, 'tiny');
    mkdirSync(join(ds, 'qrels'), { recursive: true });
    const docs = Array.from({ length: 30 }, (_, i) => ({
      _id: `d${i}`,
      title: `title ${i}`,
      text: `apple banana ${i % 3 === 0 ? 'cherry' : 'plum'} word${i}`,
    }));
    writeFileSync(join(ds, 'corpus.jsonl'), docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
    writeFileSync(join(ds, 'queries.jsonl'), '{"_id":"1","text":"cherry"}\n{"_id":"2","text":"word7 plum"}\n');
    writeFileSync(join(ds, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\n1\td3\t1\n2\td7\t1\n');
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO, 'bench/bm25/run.ts'),
        ds,
        '--systems',
        'shortlist,wink',
        '--synthetic',
        '0',
        '--json',
        '--warmup-docs',
        '0',
        '--repeats',
        '1',
        '--out',
        join(root, 'runs'),
      ],
      {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, SHORTLIST_BENCH_CACHE: join(root, 'cache') },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const report = JSON.parse(out) as BenchReport;
    const [tiny] = report.datasets;
    assert.equal(tiny.docs, 30);
    const sl = tiny.rows.find((r) => r.system === 'shortlist')!;
    assert.equal(sl.status, 'ok');
    assert.equal(sl.measures!['recall@100'], 1);
    assert.ok(sl.qps!['1000'] > 0 && sl.indexMs! > 0 && sl.peakRssMB! > 10);
    assert.match(readFileSync(join(root, 'runs', 'tiny', 'shortlist.run'), 'utf8'), /^2 Q0 d7 1 /m);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
