/**
 * Crash tests of one-commit collections on `s3://` (s3rver behind the conditional-write proxy):
 * the kill rounds of `collection-kill.case.ts`. A killed writer leaves the store's writer lock
 * behind until it expires, as on real S3; the children run with a 3 s lock lifetime
 * (`SHORTLIST_S3_LOCK_TTL_MS`) and the test waits, after each kill, until the dead writer's lock
 * object says it expired. `SHORTLIST_TEST_KILL_ROUNDS` sets the number of rounds (default: 18 in CI — every point × kind
 * pair, at least 50 kills — and 6 elsewhere).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { S3Objects } from '../../src/engine/home/s3-objects.ts';
import { startTestS3, type TestS3 } from '../support/s3.ts';
import { expectedKills, killRounds, runKillRounds } from './collection-kill.case.ts';

const scratch = mkdtempSync(join(tmpdir(), 'shortlist-collection-kill-s3-'));
let s3: TestS3;
before(async () => {
  s3 = await startTestS3(['kill']);
  // This process opens the collections to verify them (its own handles read process.env).
  Object.assign(process.env, s3.env, { SHORTLIST_S3_LOCK_TTL_MS: '3000' });
});
after(async () => {
  await s3?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Waits until the lock object of the collection at `location` is gone or expired. */
async function lockExpired(location: string): Promise<void> {
  const objects = new S3Objects(location, s3.env);
  try {
    for (;;) {
      const text = await objects.get('LOCK');
      if (text === undefined) return;
      const wait = Date.parse(JSON.parse(text).expiresAt) - Date.now();
      if (wait < 0) return;
      await new Promise((r) => setTimeout(r, wait + 20));
    }
  } finally {
    objects.close();
  }
}

test('SIGKILL of add, rm and serve across the write path leaves one whole version (s3://)', { timeout: 30 * 60_000 }, async () => {
  const rounds = killRounds(process.env.CI === 'true' ? 18 : 6);
  const kills = await runKillRounds(
    {
      scratch,
      root: 's3://kill/cols',
      child: (name) => `s3://kill/cols/${name}`,
      env: { ...s3.env, SHORTLIST_S3_LOCK_TTL_MS: '3000' },
      afterKill: lockExpired,
    },
    rounds,
  );
  assert.ok(kills >= expectedKills(rounds), `${kills} kills in ${rounds} rounds`);
  process.stdout.write(`# s3: ${kills} kills in ${rounds} rounds\n`);
});
