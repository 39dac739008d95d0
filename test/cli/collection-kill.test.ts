/**
 * Crash tests of one-commit collections: real SIGKILLs of `shortlist add`, `shortlist rm` and
 * `shortlist serve` (under concurrent writes) on bm25, dense and hybrid collections in a folder,
 * at every named point of the write path (the process blocks at the point, the test sees its
 * marker file and kills it: observed, not slept to). After each kill: `shortlist check` passes
 * (every part the manifest names exists; the store's ids equal BM25's), the killed batch is all in
 * or all out, and every acknowledged write is there.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { TEST_POINTS, type TestPoint } from '../../src/core/test-points.ts';
import { Collection } from '../../src/engine/collection.ts';
import { openHome } from '../../src/engine/home/index.ts';
import { runCli, startCli, startServe } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-collection-kill-'));
after(() => rmSync(root, { recursive: true, force: true }));
const cols = join(root, 'cols');
const pauses = join(root, 'pauses');
mkdirSync(pauses, { recursive: true });
const baseEnv = { SHORTLIST_CACHE: join(root, 'cache'), SHORTLIST_TEST_PAUSE_DIR: pauses };

const WORDS = 'protein folding cell wing flow aircraft compiler memory neural ranking tumor therapy trial river stone light'.split(' ');
let serial = 0;
function batch(tag: string, n: number): { id: string; text: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const k = serial++;
    return { id: `${tag}-${k}`, text: `${WORDS[k % WORDS.length]} ${WORDS[(k * 7 + i) % WORDS.length]} ${WORDS[(k * 3) % WORDS.length]} note ${k}` };
  });
}

/** What must hold: ids present (acknowledged adds) and absent (acknowledged deletes). */
interface Expect {
  present: Set<string>;
  absent: Set<string>;
}

async function verify(col: string, label: string, expect: Expect, killed?: { ids: string[]; kind: 'add' | 'rm' }): Promise<void> {
  const { home } = await openHome(col);
  try {
    const report = await home.check!();
    assert.deepEqual(report.problems, [], `${label}: shortlist check`);
    assert.equal(report.ok, true);
    const ids = [...expect.present];
    const stored = await home.store.get(ids);
    assert.equal(stored.length, ids.length, `${label}: acknowledged documents in the store`);
    const inBm25 = await home.documents(ids);
    assert.equal(inBm25.size, ids.length, `${label}: acknowledged documents in BM25`);
    assert.equal((await home.store.get([...expect.absent])).length, 0, `${label}: acknowledged deletes`);
    if (killed) {
      const n = (await home.store.get(killed.ids)).length;
      const whole = killed.kind === 'add' ? [0, killed.ids.length] : [0, killed.ids.length];
      assert.ok(whole.includes(n), `${label}: the killed ${killed.kind} is all in or all out (${n} of ${killed.ids.length})`);
    }
  } finally {
    await home.close();
  }
}

/** Resolves with the point's marker once the process blocks there, or with its exit code if it ends first. */
async function pausedOrExited(pid: number, point: TestPoint, exited: Promise<number | null>): Promise<'paused' | number | null> {
  let code: number | null | undefined;
  let done = false;
  void exited.then((c) => ((code = c), (done = true)));
  const marker = join(pauses, `${pid}.${point}`);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (existsSync(marker)) return 'paused';
    if (done) return code!;
    await new Promise((r) => setTimeout(r, 3));
  }
  throw new Error(`process ${pid} neither reached ${point} nor exited`);
}

test('SIGKILL of add, rm and serve at every point of the write path leaves one whole version', { timeout: 30 * 60_000 }, async () => {
  const enc = await tinyModel('encoder');
  const dense = { type: 'dense', model: enc, pooling: 'mean', normalize: true, maxLength: 32, threads: 1 };
  const pipelines = {
    bm25: 'bm25',
    dense: { retrievers: [dense], k: 5, chunking: { size: 24, overlap: 4 } },
    hybrid: { retrievers: [{ type: 'bm25' }, dense], fusion: { method: 'rrf' }, k: 5, chunking: { size: 24, overlap: 4 } },
  } as const;
  const expects: Record<string, Expect> = {};
  for (const [kind, pipeline] of Object.entries(pipelines)) {
    const c = await Collection.create(join(cols, kind), pipeline as never);
    const first = batch(kind, 30);
    await c.add(first);
    await c.close();
    expects[kind] = { present: new Set(first.map((d) => d.id)), absent: new Set() };
  }

  let kills = 0;
  for (const point of TEST_POINTS) {
    for (const kind of Object.keys(pipelines)) {
      const col = join(cols, kind);
      const expect = expects[kind];
      const env = { ...baseEnv, SHORTLIST_TEST_PAUSE: point };

      // shortlist add
      const docs = batch(kind, 12);
      const file = join(root, `batch-${serial}.jsonl`);
      writeFileSync(file, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
      const add = startCli(['add', col, file, '--json'], { env });
      add.stdin!.end();
      const addExit = new Promise<number | null>((r) => add.on('close', r));
      const a = await pausedOrExited(add.pid!, point, addExit);
      if (a === 'paused') {
        add.kill('SIGKILL');
        await addExit;
        kills++;
        await verify(col, `add killed at ${point} (${kind})`, expect, { ids: docs.map((d) => d.id), kind: 'add' });
      } else {
        assert.equal(a, 0, `add ran to the end without reaching ${point}`);
        for (const d of docs) expect.present.add(d.id);
        await verify(col, `add not killed at ${point} (${kind})`, expect);
      }

      // shortlist rm (of two acknowledged documents)
      const victims = [...expect.present].slice(0, 2);
      const rm = startCli(['rm', col, ...victims], { env });
      rm.stdin!.end();
      const rmExit = new Promise<number | null>((r) => rm.on('close', r));
      const r = await pausedOrExited(rm.pid!, point, rmExit);
      if (r === 'paused') {
        rm.kill('SIGKILL');
        await rmExit;
        kills++;
        // Whichever way it went, the victims are now neither required nor forbidden.
        for (const id of victims) expect.present.delete(id);
        await verify(col, `rm killed at ${point} (${kind})`, expect, { ids: victims, kind: 'rm' });
      } else {
        assert.equal(r, 0, `rm ran to the end without reaching ${point}`);
        for (const id of victims) {
          expect.present.delete(id);
          expect.absent.add(id);
        }
        await verify(col, `rm not killed at ${point} (${kind})`, expect);
      }

      // shortlist serve, concurrent writes to one collection: the first passes, a later one blocks at the point.
      const server = await startServe(['--collections', cols, '--port', '0', '--quiet'], { env: { ...baseEnv, SHORTLIST_TEST_PAUSE: point, SHORTLIST_TEST_PAUSE_SKIP: '1' } });
      const batches = [batch(kind, 8), batch(kind, 8), batch(kind, 8)];
      const acked: string[][] = [];
      const sends = batches.map((documents) =>
        fetch(`${server.url}/v1/collections/${kind}/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documents }) })
          .then(async (res) => {
            if (res.ok) acked.push(documents.map((d) => d.id));
            else await res.text();
          })
          .catch(() => {}),
      );
      const s = await pausedOrExited(server.child.pid!, point, server.exited);
      assert.equal(s, 'paused', `serve reached ${point}`);
      server.child.kill('SIGKILL');
      await server.exited;
      await Promise.all(sends);
      kills++;
      for (const ids of acked) for (const id of ids) expect.present.add(id);
      await verify(col, `serve killed at ${point} (${kind}, ${acked.length} acknowledged)`, expect);
    }
  }

  assert.ok(kills >= 50, `${kills} kills`);

  // The collections still take writes and `shortlist check` agrees from the CLI; optimize collects the garbage.
  for (const kind of Object.keys(pipelines)) {
    const col = join(cols, kind);
    const check = await runCli(['check', col, '--json'], { env: baseEnv });
    assert.equal(check.code, 0, check.stderr);
    const opt = await runCli(['optimize', col, '--json'], { env: baseEnv });
    assert.equal(opt.code, 0, opt.stderr);
    const after = JSON.parse((await runCli(['check', col, '--json'], { env: baseEnv })).stdout);
    assert.equal(after.ok, true);
    assert.deepEqual(after.garbage, []);
    assert.equal(after.segments <= 1, true);
  }
  process.stdout.write(`# ${kills} kills\n`);
});
