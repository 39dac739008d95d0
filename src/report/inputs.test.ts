import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isShortlistError } from '../core/errors.ts';
import { detectKind, parseInput, readInput } from './inputs.ts';
import { calibrationInput, compareInput, evalInput, plattFit, sweepInput } from '../../test/report/fixtures.ts';

test('each command output is detected as its kind and kept as read', () => {
  const cases = [
    ['sweep', sweepInput()],
    ['eval', evalInput()],
    ['compare', compareInput()],
    ['calibration', calibrationInput()],
    ['fit', plattFit()],
  ] as const;
  for (const [kind, value] of cases) {
    assert.equal(detectKind(value), kind);
    const input = parseInput(JSON.parse(JSON.stringify(value)), `${kind}.json`);
    assert.equal(input.kind, kind);
    assert.deepEqual(input.data, value);
  }
});

test('anything else fails naming the file and the kinds it could have been', () => {
  for (const value of [{ hello: 1 }, [1, 2], 'text', null]) {
    assert.equal(detectKind(value), undefined);
    assert.throws(
      () => parseInput(value, 'odd.json'),
      (e: unknown) =>
        isShortlistError(e, 'INVALID_INPUT') &&
        /^odd\.json: not a report input; give the JSON of one of: shortlist sweep --json, .*calibrate --out/.test((e as Error).message),
    );
  }
  // plain `eval --json` (BM25 only) has no stages: the message says to add --pipeline
  assert.throws(() => parseInput({ params: {}, metrics: {} }, 'bm25.json'), /rerun it with --pipeline/);
});

test('a file of a known kind with a missing field names the field', () => {
  const old = evalInput() as unknown as { stages: Record<string, unknown>[] };
  delete old.stages[1].perQuery;
  assert.throws(
    () => parseInput(old, 'old-eval.json'),
    (e: unknown) =>
      isShortlistError(e, 'INVALID_INPUT') &&
      (e as { location?: { field?: string } }).location?.field === '$.stages[1].perQuery' &&
      /old-eval\.json: looks like the output of `shortlist eval --pipeline … --json` but \$\.stages\[1\]\.perQuery/.test(
        (e as Error).message,
      ),
  );
});

test('readInput: missing file, non-JSON file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-report-inputs-'));
  try {
    assert.throws(
      () => readInput(join(dir, 'nope.json')),
      (e: unknown) => isShortlistError(e, 'NOT_FOUND') && /nope\.json/.test((e as Error).message),
    );
    writeFileSync(join(dir, 'bad.json'), '{"rows": [');
    assert.throws(
      () => readInput(join(dir, 'bad.json')),
      (e: unknown) => isShortlistError(e, 'INVALID_INPUT') && /bad\.json: not JSON/.test((e as Error).message),
    );
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(sweepInput()));
    assert.equal(readInput(join(dir, 'sweep.json')).kind, 'sweep');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
