import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ShortlistError } from '../core/errors.ts';
import { resolvePipeline } from '../pipeline/config.ts';
import { fitCalibration } from '../pipeline/calibration/fit.ts';
import { folderConfig } from '../../test/support/folder-config.ts';
import {
  CALIBRATION_FILE,
  collectionStageCalibrations,
  loadStageCalibrations,
  storeStageCalibration,
  stageFingerprint,
} from './calibration.ts';

const ce = (extra: object) =>
  resolvePipeline({ rerank: [{ type: 'cross-encoder', model: './m', activation: 'sigmoid', maxLength: 64, ...extra }] });

test('the stage fingerprint ignores keep, minRelevance and threads, reads ./m and its absolute path alike, and sees the activation', () => {
  const fp = stageFingerprint(ce({}), 'cross-encoder');
  assert.match(fp, /^cross-encoder:[0-9a-f]{16}$/);
  assert.equal(stageFingerprint(ce({ keep: 3, minRelevance: 0.4, threads: 2 }), 'cross-encoder'), fp);
  assert.equal(stageFingerprint(ce({ model: resolve('m') }), 'cross-encoder'), fp);
  assert.notEqual(stageFingerprint(ce({ activation: 'none' }), 'cross-encoder'), fp);
});

test('fits are stored per stage, merged, and applied only to a stage with minRelevance and a matching fingerprint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-stage-cal-'));
  const config = folderConfig(dir);
  try {
    const scores = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9, 0.4, 0.6];
    const labels = [0, 0, 0, 1, 1, 1, 0, 1];
    const p = ce({ minRelevance: 0.5 });
    assert.equal((await collectionStageCalibrations(config, ce({}))).size, 0, 'no minRelevance: nothing is read');
    await assert.rejects(
      collectionStageCalibrations(config, p),
      (e: ShortlistError) => e.code === 'MODEL_ERROR' && /shortlist calibrate/.test(e.message),
    );
    await storeStageCalibration(config, 'other', fitCalibration(scores, labels, { fingerprint: 'other:x' }));
    const fit = fitCalibration(scores, labels, { fingerprint: stageFingerprint(p, 'cross-encoder') });
    assert.equal(await storeStageCalibration(config, 'cross-encoder', fit), join(dir, CALIBRATION_FILE));
    assert.deepEqual(Object.keys(await loadStageCalibrations(config)).sort(), ['cross-encoder', 'other']);
    const cal = (await collectionStageCalibrations(config, p)).get(0)!;
    assert.equal(cal.minRelevance, 0.5);
    assert.equal(cal.probability(0.9), fit.apply(0.9));
    await assert.rejects(
      collectionStageCalibrations(config, ce({ minRelevance: 0.5, activation: 'none' })),
      /fitted for another configuration/,
    );
    writeFileSync(join(dir, CALIBRATION_FILE), '{"version": 2}');
    await assert.rejects(loadStageCalibrations(config), (e: ShortlistError) => e.code === 'INVALID_INPUT');
    writeFileSync(join(dir, CALIBRATION_FILE), '{"version": 1, ');
    await assert.rejects(
      loadStageCalibrations(config),
      (e: ShortlistError) => e.code === 'INDEX_CORRUPT' && e.message.includes(join(dir, CALIBRATION_FILE)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('minRelevance must be a probability', () => {
  assert.throws(() => ce({ minRelevance: 1.5 }), /rerank\[0\]\.minRelevance/);
});
