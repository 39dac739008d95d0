/**
 * Cutting by calibrated probability through the CLI, on a generated collection and a tiny
 * cross-encoder: a Platt fit made on synthetic scores (drawn from a known logistic model over the
 * stage's real score range) is stored in the collection; `search --pipeline` with the stage's
 * `minRelevance` keeps exactly the hits whose P(relevant) reaches it, each trace showing it; no fit,
 * or a fit for another configuration of the stage, fails naming `shortlist calibrate`; and
 * `calibrate --save-to` stores a fit that the same pipeline then uses.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { mulberry32 } from '../../src/core/random.ts';
import { resolvePipeline } from '../../src/pipeline/config.ts';
import {
  CALIBRATION_FILE,
  fitCalibration,
  loadStageCalibrations,
  storeStageCalibration,
  stageFingerprint,
} from '../../src/lab/calibrate/index.ts';
import { folderConfig } from '../support/folder-config.ts';
import { runCli } from '../support/cli.ts';
import { writeCollection } from '../support/collection.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-min-relevance-'));
after(() => rmSync(root, { recursive: true, force: true }));
const env = { SHORTLIST_CACHE: join(root, 'cache'), SHORTLIST_OFFLINE: '1' };
const cli = (...args: string[]) => runCli(args, { env });
const ok = async (...args: string[]) => {
  const r = await cli(...args);
  assert.equal(r.code, 0, `shortlist ${args.join(' ')}\n${r.stderr}`);
  return r.stdout;
};
interface TracedHit {
  id: string;
  score: number;
  trace: { stage: string; score: number; probability?: number }[];
}

test('minRelevance keeps exactly the hits whose calibrated probability reaches it; no or mismatched fit fails naming calibrate', async () => {
  const beir = join(root, 'beir');
  const data = writeCollection(beir, { docs: 60, queries: 4, seed: 5 });
  const ce = await tinyModel('classifier');
  const stage = { type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 64, keep: 8, threads: 1 };
  const base = { retrievers: [{ type: 'bm25' }], depth: 30, rerank: [stage], k: 8 };
  const write = (name: string, p: object) => (writeFileSync(join(root, name), JSON.stringify(p)), join(root, name));
  const p0 = write('p0.json', base);
  const c = join(root, 'c');
  await ok('init', c, '--pipeline', p0);
  await ok('add', c, beir, '--json');
  const query = `${data.queries[0].text} retrieval ranking model`;
  const plain = JSON.parse(await ok('search', c, query, '--json', '--explain')).hits as TracedHit[];
  assert.ok(plain.length >= 4, `${plain.length} hits`);
  assert.ok(
    plain.every((h) => h.trace.at(-1)!.probability === undefined),
    'no probability without minRelevance',
  );

  // Synthetic scores over the stage's real score range, labels from a known logistic model.
  const lo = Math.min(...plain.map((h) => h.score));
  const hi = Math.max(...plain.map((h) => h.score));
  const a = 4.4 / (hi - lo);
  const b = (-a * (lo + hi)) / 2;
  const rand = mulberry32(9);
  const scores = Float64Array.from({ length: 4000 }, () => lo + (hi - lo) * rand());
  const labels = scores.map((s) => (rand() < 1 / (1 + Math.exp(-(a * s + b))) ? 1 : 0));
  const fingerprint = stageFingerprint(resolvePipeline(base), 'cross-encoder');
  const fit = fitCalibration(scores, labels, { method: 'platt', fingerprint });
  assert.equal(fit.method, 'platt');
  if (fit.method === 'platt') {
    assert.ok(Math.abs(fit.params.a - a) / a < 0.2, `a ${fit.params.a} vs ${a}`);
    assert.ok(Math.abs(fit.params.b - b) < 0.2 * Math.abs(b) + 0.3, `b ${fit.params.b} vs ${b}`);
  }

  const probs = plain.map((h) => fit.apply(h.score)).sort((x, y) => x - y);
  const mid = Math.floor(probs.length / 2);
  const min = (probs[mid - 1] + probs[mid]) / 2;
  const p1 = write('p1.json', { ...base, rerank: [{ ...stage, minRelevance: min }] });

  const none = await cli('search', c, query, '--json', '--pipeline', p1);
  assert.equal(none.code, 6, none.stderr);
  assert.match(
    none.stderr,
    /holds no calibration for it; fit one with `shortlist calibrate <beir-dir> --pipeline <this pipeline> --stage cross-encoder --save-to /,
  );

  await storeStageCalibration(folderConfig(c), 'cross-encoder', fit);
  const cut = JSON.parse(await ok('search', c, query, '--json', '--explain', '--pipeline', p1)).hits as TracedHit[];
  const expected = plain.filter((h) => fit.apply(h.score) >= min).map((h) => h.id);
  assert.ok(expected.length > 0 && expected.length < plain.length, `threshold ${min} should split ${plain.length} hits`);
  assert.deepEqual(
    cut.map((h) => h.id),
    expected,
  );
  for (const h of cut) {
    const last = h.trace.at(-1)!;
    assert.equal(last.stage, 'cross-encoder');
    assert.ok(Math.abs(last.probability! - fit.apply(h.score)) < 1e-12);
    assert.ok(last.probability! >= min);
  }
  // the text --explain table shows the probability of each surviving hit
  const table = await ok('search', c, query, '--explain', '--pipeline', p1);
  for (const h of cut) assert.ok(table.includes(`p=${h.trace.at(-1)!.probability!.toFixed(2)}`), table);

  const p2 = write('p2.json', { ...base, rerank: [{ ...stage, activation: 'none', minRelevance: min }] });
  const other = await cli('search', c, query, '--json', '--pipeline', p2);
  assert.equal(other.code, 6, other.stderr);
  assert.match(
    other.stderr,
    /fitted for another configuration of it \(cross-encoder:[0-9a-f]{16}, now cross-encoder:[0-9a-f]{16}\); fit one with `shortlist calibrate/,
  );

  // calibrate --save-to with the minRelevance pipeline itself: every candidate is scored, the fit is stored and then used.
  const r = JSON.parse(await ok('calibrate', beir, '--pipeline', p1, '--save-to', c, '--held-out', '0.25', '--json'));
  assert.equal(r.savedTo, join(c, CALIBRATION_FILE));
  const stored = (await loadStageCalibrations(folderConfig(c)))['cross-encoder'];
  assert.equal(stored.fingerprint, fingerprint, 'the CLI fingerprints the stage as the library does');
  assert.deepEqual(stored.params, r.fit.params);
  const after = JSON.parse(await ok('search', c, query, '--json', '--explain', '--pipeline', p1)).hits as TracedHit[];
  assert.deepEqual(
    after.map((h) => h.id),
    plain.filter((h) => stored.apply(h.score) >= min).map((h) => h.id),
  );
  assert.ok(existsSync(join(c, CALIBRATION_FILE)) && JSON.parse(readFileSync(join(c, CALIBRATION_FILE), 'utf8')).version === 1);
});
