/**
 * Crash tests of one-commit collections in a folder: the kill rounds of `collection-kill.case.ts`
 * (real SIGKILLs of `shortlist add`, `shortlist rm` and `shortlist serve` under concurrent writes,
 * on bm25, dense and hybrid collections, at every named point of the write path). 18 rounds
 * (every point × kind pair; `SHORTLIST_TEST_KILL_ROUNDS` sets another number).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { expectedKills, killRounds, runKillRounds } from './collection-kill.case.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-collection-kill-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('SIGKILL of add, rm and serve at every point of the write path leaves one whole version (folder)', {
  timeout: 30 * 60_000,
}, async () => {
  const rounds = killRounds(18);
  const cols = join(root, 'cols');
  const kills = await runKillRounds({ scratch: root, root: cols, child: (name) => join(cols, name) }, rounds);
  assert.ok(kills >= expectedKills(rounds), `${kills} kills in ${rounds} rounds`);
  process.stdout.write(`# folder: ${kills} kills in ${rounds} rounds\n`);
});
