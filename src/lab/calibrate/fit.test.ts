import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isShortlistError } from '../../core/errors.ts';
import { checkFingerprint, fitCalibration, loadCalibration } from '../../pipeline/calibration/fit.ts';
import { calibrationReport, heldOutSplit, pick } from './report.ts';
import { logisticSample } from '../../pipeline/calibration/test-helpers.ts';
import { expectedCalibrationError } from './metrics.ts';
import { sigmoid } from '../../pipeline/calibration/platt.ts';

test('held-out split is seeded, disjoint, and keeps groups together', () => {
  const groups = Array.from({ length: 100 }, (_, i) => `q${i % 20}`);
  const a = heldOutSplit(100, { groups, heldOut: 0.25, seed: 3 });
  const b = heldOutSplit(100, { groups, heldOut: 0.25, seed: 3 });
  assert.deepEqual(a, b);
  assert.equal(a.fit.length + a.heldOut.length, 100);
  const heldGroups = new Set([...a.heldOut].map((i) => groups[i]));
  assert.equal(heldGroups.size, 5);
  for (const i of a.fit) assert.ok(!heldGroups.has(groups[i]));
  assert.notDeepEqual(heldOutSplit(100, { groups, heldOut: 0.25, seed: 4 }).heldOut, a.heldOut);
  assert.throws(() => heldOutSplit(10, { heldOut: 1 }), /between 0 and 1/);
});

test('Platt fit on the fitting part: parameters recovered, ECE and Brier fall on the held-out part', () => {
  const { scores, labels } = logisticSample(20_000, 1.7, -0.4, 7);
  const split = heldOutSplit(scores.length, { heldOut: 0.3, seed: 1 });
  const cal = fitCalibration(pick(scores, split.fit), pick(labels, split.fit), { method: 'platt', fingerprint: 'model:abc' });
  assert.equal(cal.method, 'platt');
  if (cal.method !== 'platt') return;
  assert.ok(Math.abs(cal.params.a - 1.7) < 0.12 && Math.abs(cal.params.b + 0.4) < 0.1, JSON.stringify(cal.params));
  const r = calibrationReport(cal, pick(scores, split.heldOut), pick(labels, split.heldOut));
  assert.equal(r.n, 6000);
  // Raw scores read through a sigmoid are miscalibrated (slope 1 instead of 1.7, no offset).
  assert.ok(r.before.ece > 0.05, `ECE before ${r.before.ece}`);
  // After: at the finite-sample noise floor, i.e. near the ECE of the true probabilities themselves.
  const heldScores = pick(scores, split.heldOut);
  const oracle = expectedCalibrationError(
    heldScores.map((x) => sigmoid(1.7 * x - 0.4)),
    pick(labels, split.heldOut),
  );
  assert.ok(r.after.ece < oracle + 0.01, `ECE after ${r.after.ece}, true model ${oracle}`);
  assert.ok(r.after.ece < r.before.ece / 3, `ECE ${r.before.ece} → ${r.after.ece}`);
  assert.ok(r.after.brier < r.before.brier);
  assert.equal(r.after.reliability.length, 15);
});

test('isotonic fit through fitCalibration also lowers ECE held out', () => {
  const { scores, labels } = logisticSample(10_000, 1.7, -0.4, 8);
  const split = heldOutSplit(scores.length, { seed: 2 });
  const cal = fitCalibration(pick(scores, split.fit), pick(labels, split.fit), { method: 'isotonic' });
  const r = calibrationReport(cal, pick(scores, split.heldOut), pick(labels, split.heldOut), { bins: 10 });
  assert.ok(r.after.ece < r.before.ece / 2, `ECE ${r.before.ece} → ${r.after.ece}`);
  assert.ok(r.after.brier < r.before.brier);
});

test('a fit serialises to JSON and loads back to the same function', () => {
  for (const method of ['platt', 'isotonic'] as const) {
    const { scores, labels } = logisticSample(500, 1, 0, 9);
    const cal = fitCalibration(scores, labels, { method, fingerprint: 'sha256:1234' });
    const json = JSON.parse(JSON.stringify(cal));
    assert.deepEqual(Object.keys(json).sort(), ['fingerprint', 'method', 'params', 'trainedOn', 'version']);
    assert.equal(json.fingerprint, 'sha256:1234');
    assert.deepEqual(json.trainedOn, { n: 500, positives: labels.reduce((s, y) => s + y, 0) });
    const back = loadCalibration(json, 'fit.json');
    for (const s of [-5, -1, 0, 0.3, 2, 9]) assert.equal(back.apply(s), cal.apply(s));
    assert.deepEqual(back.applyAll([1, 2]), cal.applyAll([1, 2]));
    checkFingerprint(back, 'sha256:1234');
    assert.throws(
      () => checkFingerprint(back, 'sha256:ffff'),
      (e) => isShortlistError(e, 'MODEL_ERROR') && /refit/.test(e.message),
    );
  }
});

test('loadCalibration refuses what is not a fit, naming the field', () => {
  const good = { version: 1, method: 'platt', params: { a: 1, b: 0 }, fingerprint: null, trainedOn: { n: 3, positives: 1 } };
  assert.equal(loadCalibration(good).apply(0), 0.5);
  assert.throws(
    () => loadCalibration({ ...good, params: { a: 'x', b: 0 } }, 'f.json'),
    (e) => isShortlistError(e, 'INVALID_INPUT') && /params\.a/.test(e.message),
  );
  assert.throws(() => loadCalibration({ ...good, method: 'beta' }), /not a calibration fit/);
  assert.throws(
    () => loadCalibration({ ...good, method: 'isotonic', params: { thresholds: [1, 0], values: [0, 1] } }),
    /strictly ascending/,
  );
  assert.throws(() => fitCalibration([1], [1], { method: 'nope' as 'platt' }), /valid: platt, isotonic/);
});

test('edge cases through fitCalibration: all labels equal, constant scores', () => {
  const zeros = fitCalibration([1, 2, 3, 4], [0, 0, 0, 0]);
  for (const s of [-10, 0, 10]) assert.ok(Math.abs(zeros.apply(s) - 1 / 6) < 1e-12); // 1/(N₋ + 2)
  const iso = fitCalibration([1, 2, 3, 4], [1, 1, 1, 1], { method: 'isotonic' });
  assert.equal(iso.apply(0), 1);
  const flat = fitCalibration([5, 5, 5, 5, 5], [1, 1, 0, 0, 0], { targetSmoothing: false });
  assert.ok(Math.abs(flat.apply(5) - 0.4) < 1e-12);
  assert.ok(Object.isFrozen(flat));
});
