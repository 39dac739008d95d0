/**
 * Crash tests of one-commit collections in Postgres (the real server of SHORTLIST_TEST_PG_URL, a
 * fresh database; a named skip without it, an error in CI): the kill rounds of
 * `collection-kill.case.ts`. A killed writer's transaction — rows, segment rows, version row —
 * is rolled back by the server when its connection drops. `SHORTLIST_TEST_KILL_ROUNDS` sets the
 * number of rounds (default: 18 in CI — every point × kind pair, at least 50 kills — and 6
 * elsewhere).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { realTarget, skipWithout, type PgTarget } from '../support/pg-servers.ts';
import { expectedKills, killRounds, runKillRounds } from './collection-kill.case.ts';

const scratch = mkdtempSync(join(tmpdir(), 'shortlist-collection-kill-pg-'));
let server: PgTarget | undefined;
after(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

test('SIGKILL of add, rm and serve across the write path leaves one whole version (postgres://)', {
  skip: skipWithout('postgres'),
  timeout: 30 * 60_000,
}, async () => {
  server = await realTarget('postgres', 'collection_kill');
  const rounds = killRounds(process.env.CI === 'true' ? 18 : 6);
  const root = `${server.url}?${server.connectQuery}`;
  const kills = await runKillRounds(
    {
      scratch,
      root,
      child: (name) => `${server!.url}?schema=${name}&${server!.connectQuery}`,
    },
    rounds,
  );
  assert.ok(kills >= expectedKills(rounds), `${kills} kills in ${rounds} rounds`);
  process.stdout.write(`# postgres: ${kills} kills in ${rounds} rounds\n`);
});
