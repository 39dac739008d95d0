/** The README's library example is a file; this runs it and checks what it prints. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('examples/bm25-library.ts runs and ranks the BM25 document first', () => {
  const file = fileURLToPath(new URL('../examples/bm25-library.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--conditions=shortlist-source', '--import', 'tsx', file], { encoding: 'utf8' });
  const lines = out.trim().split('\n');
  assert.match(lines[0], /^d2 \d+\.\d{4} First stage$/);
  assert.equal(lines.length, 3, out);
  assert.equal(lines[1], 'stages: bm25');
  assert.equal(lines[2], 'ndcg@10 = 1');
});
