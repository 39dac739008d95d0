/**
 * Kill rounds of one-commit collections, shared by every location (a folder, `s3://`,
 * `postgres://`): real SIGKILLs of `shortlist add`, `shortlist rm` and `shortlist serve` (under
 * concurrent writes) on bm25, dense and hybrid collections, at the named points of the write path
 * (the process blocks at the point, the test sees its marker file and kills it: observed, not
 * slept to). After each kill: `check` passes (every part the version names exists; the store's
 * ids equal BM25's), the killed batch is all in or all out, and every acknowledged write is there.
 *
 * A round is one (point, kind) pair and kills up to three processes; round r takes point
 * r mod 6 and rotates the kinds so that 18 rounds cover every pair. `SHORTLIST_TEST_KILL_ROUNDS`
 * sets the number of rounds (each location's test gives its default).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { TEST_POINTS, type TestPoint } from '../../src/core/test-points.ts';
import { Collection } from '../../src/engine/collection.ts';
import { openHome } from '../../src/engine/home/index.ts';
import { runCli, startCli, startServe } from '../support/cli.ts';

/** Where a kill test's collections live. */
export interface KillPlace {
  /** A scratch folder (batch files, pause markers, model cache). */
  scratch: string;
  /** The root the server serves (`--collections`). */
  root: string;
  /** The location of collection `name` under the root. */
  child(name: string): string;
  /** Extra environment of the CLI children (S3 endpoint…). */
  env?: NodeJS.ProcessEnv;
  /** Runs after each kill, before the next write (e.g. waits out a dead writer's S3 lock). */
  afterKill?(location: string): Promise<void>;
}

/** The number of rounds: `SHORTLIST_TEST_KILL_ROUNDS`, else `fallback`. */
export function killRounds(fallback: number): number {
  const v = process.env.SHORTLIST_TEST_KILL_ROUNDS;
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`SHORTLIST_TEST_KILL_ROUNDS=${v} must be a positive integer`);
  return n;
}

const WORDS = 'protein folding cell wing flow aircraft compiler memory neural ranking tumor therapy trial river stone light'.split(' ');
const KINDS = ['bm25', 'dense', 'hybrid'] as const;

/**
 * The kills `rounds` rounds make at least: three a round, less the `rm` of rounds at
 * `write:segment-put` (a delete writes live-docs, no new segment, so it never reaches that point).
 */
export function expectedKills(rounds: number): number {
  let n = 0;
  for (let r = 0; r < rounds; r++) n += TEST_POINTS[r % TEST_POINTS.length] === 'write:segment-put' ? 2 : 3;
  return n;
}

/** What must hold: ids present (acknowledged adds) and absent (acknowledged deletes). */
interface Expect {
  present: Set<string>;
  absent: Set<string>;
}

/** Runs `rounds` kill rounds at `place`; returns the number of processes killed. */
export async function runKillRounds(place: KillPlace, rounds: number): Promise<number> {
  const pauses = join(place.scratch, 'pauses');
  mkdirSync(pauses, { recursive: true });
  const baseEnv = { ...place.env, SHORTLIST_CACHE: join(place.scratch, 'cache'), SHORTLIST_TEST_PAUSE_DIR: pauses };
  let serial = 0;
  const batch = (tag: string, n: number) =>
    Array.from({ length: n }, (_, i) => {
      const k = serial++;
      return {
        id: `${tag}-${k}`,
        text: `${WORDS[k % WORDS.length]} ${WORDS[(k * 7 + i) % WORDS.length]} ${WORDS[(k * 3) % WORDS.length]} note ${k}`,
      };
    });

  const verify = async (col: string, label: string, expect: Expect, killed?: { ids: string[]; kind: 'add' | 'rm' }): Promise<void> => {
    const { home } = await openHome(col);
    try {
      const report = await home.check();
      assert.deepEqual(report.problems, [], `${label}: check`);
      assert.equal(report.ok, true);
      const ids = [...expect.present];
      assert.equal((await home.store.get(ids)).length, ids.length, `${label}: acknowledged documents in the store`);
      assert.equal((await home.documents(ids)).size, ids.length, `${label}: acknowledged documents in BM25`);
      assert.equal(home.lexicalStats().documents, report.documents, `${label}: the handle's BM25 and store read one version`);
      assert.equal((await home.store.get([...expect.absent])).length, 0, `${label}: acknowledged deletes`);
      if (killed) {
        const n = (await home.store.get(killed.ids)).length;
        assert.ok(
          n === 0 || n === killed.ids.length,
          `${label}: the killed ${killed.kind} is all in or all out (${n} of ${killed.ids.length})`,
        );
      }
    } finally {
      await home.close();
    }
  };

  /** Resolves with 'paused' once the process blocks at `point`, or with its exit code if it ends first. */
  const pausedOrExited = async (pid: number, point: TestPoint, exited: Promise<number | null>): Promise<'paused' | number | null> => {
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
  };

  const enc = await tinyModel('encoder');
  const dense = { type: 'dense', model: enc, pooling: 'mean', normalize: true, maxLength: 32, threads: 1 };
  const pipelines = {
    bm25: 'bm25',
    dense: { retrievers: [dense], k: 5, chunking: { size: 24, overlap: 4 } },
    hybrid: { retrievers: [{ type: 'bm25' }, dense], fusion: { method: 'rrf' }, k: 5, chunking: { size: 24, overlap: 4 } },
  } as const;
  const expects: Record<string, Expect> = {};
  for (const kind of KINDS) {
    const c = await Collection.create(place.child(kind), pipelines[kind] as never);
    const first = batch(kind, 30);
    await c.add(first);
    await c.close();
    expects[kind] = { present: new Set(first.map((d) => d.id)), absent: new Set() };
  }

  let kills = 0;
  const killed = async (col: string) => {
    kills++;
    await place.afterKill?.(col);
  };
  for (let round = 0; round < rounds; round++) {
    const point = TEST_POINTS[round % TEST_POINTS.length];
    const kind = KINDS[(round + Math.floor(round / TEST_POINTS.length)) % KINDS.length];
    const col = place.child(kind);
    const expect = expects[kind];
    const env = { ...baseEnv, SHORTLIST_TEST_PAUSE: point };

    // shortlist add
    const docs = batch(kind, 12);
    const file = join(place.scratch, `batch-${serial}.jsonl`);
    writeFileSync(file, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
    const add = startCli(['add', col, file, '--json'], { env });
    add.stdin!.end();
    let addErr = '';
    add.stderr!.on('data', (d) => (addErr += d));
    const addExit = new Promise<number | null>((r) => add.on('close', r));
    const a = await pausedOrExited(add.pid!, point, addExit);
    if (a === 'paused') {
      add.kill('SIGKILL');
      await addExit;
      await killed(col);
      await verify(col, `add killed at ${point} (${kind})`, expect, { ids: docs.map((d) => d.id), kind: 'add' });
    } else {
      assert.equal(a, 0, `add ran to the end without reaching ${point}: ${addErr}`);
      for (const d of docs) expect.present.add(d.id);
      await verify(col, `add not killed at ${point} (${kind})`, expect);
    }

    // shortlist rm (of two acknowledged documents)
    const victims = [...expect.present].slice(0, 2);
    const rm = startCli(['rm', col, ...victims], { env });
    rm.stdin!.end();
    let rmErr = '';
    rm.stderr!.on('data', (d) => (rmErr += d));
    const rmExit = new Promise<number | null>((r) => rm.on('close', r));
    const r = await pausedOrExited(rm.pid!, point, rmExit);
    if (r === 'paused') {
      rm.kill('SIGKILL');
      await rmExit;
      await killed(col);
      // Whichever way it went, the victims are now neither required nor forbidden.
      for (const id of victims) expect.present.delete(id);
      await verify(col, `rm killed at ${point} (${kind})`, expect, { ids: victims, kind: 'rm' });
    } else {
      assert.equal(r, 0, `rm ran to the end without reaching ${point}: ${rmErr}`);
      for (const id of victims) {
        expect.present.delete(id);
        expect.absent.add(id);
      }
      await verify(col, `rm not killed at ${point} (${kind})`, expect);
    }

    // shortlist serve, concurrent writes to one collection: the first passes, a later one blocks at the point.
    const server = await startServe(['--collections', place.root, '--port', '0', '--quiet'], {
      env: { ...baseEnv, SHORTLIST_TEST_PAUSE: point, SHORTLIST_TEST_PAUSE_SKIP: '1' },
    });
    const batches = [batch(kind, 8), batch(kind, 8), batch(kind, 8)];
    const acked: string[][] = [];
    const sends = batches.map((documents) =>
      fetch(`${server.url}/v1/collections/${kind}/documents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ documents }),
      })
        .then(async (res) => {
          if (res.ok) acked.push(documents.map((d) => d.id));
          else await res.text();
        })
        .catch(() => {}),
    );
    const s = await pausedOrExited(server.child.pid!, point, server.exited).catch((err: Error) => {
      server.child.kill('SIGKILL');
      throw new Error(`${err.message} (serve, ${kind}): ${server.stderr()}`);
    });
    assert.equal(s, 'paused', `serve reached ${point}: ${server.stderr()}`);
    server.child.kill('SIGKILL');
    await server.exited;
    await Promise.all(sends);
    await killed(col);
    for (const ids of acked) for (const id of ids) expect.present.add(id);
    await verify(col, `serve killed at ${point} (${kind}, ${acked.length} acknowledged)`, expect);
  }

  // `shortlist optimize` merges and collects the garbage; `shortlist check` agrees from the CLI
  // (every kill above was already followed by the library's check: no CLI run is spent on that).
  for (const kind of KINDS) {
    const col = place.child(kind);
    const opt = await runCli(['optimize', col, '--json'], { env: baseEnv });
    assert.equal(opt.code, 0, opt.stderr);
    const after = JSON.parse((await runCli(['check', col, '--json'], { env: baseEnv })).stdout);
    assert.equal(after.ok, true);
    assert.deepEqual(after.garbage, []);
    assert.equal(after.segments <= 1, true);
  }
  return kills;
}
