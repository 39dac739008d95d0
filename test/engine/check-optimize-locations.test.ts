/**
 * `shortlist check` and `shortlist optimize` on `s3://` (s3rver behind the conditional-write
 * proxy) and `postgres://` (the real server of SHORTLIST_TEST_PG_URL, else PGlite), through the
 * CLI: a whole collection passes with its segment count and ids; a blob no version names is
 * reported as garbage without failing; a named blob that is gone fails the check (exit 1) naming
 * it; optimize merges the segments into one, removes the garbage, and searches answer as before.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../support/cli.ts';
import { pgTarget, type PgTarget } from '../support/pg-servers.ts';
import { startTestS3, type TestS3 } from '../support/s3.ts';
import { S3Objects } from '../../src/engine/home/s3-objects.ts';

let s3: TestS3;
let pg: PgTarget;
let tmp: string;
before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'shortlist-check-locations-'));
  [s3, pg] = await Promise.all([startTestS3(['cols']), pgTarget('check_optimize')]);
});
after(async () => {
  await Promise.all([s3?.close(), pg?.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

const WORDS = 'protein folding cell wing flow aircraft compiler memory neural ranking tumor therapy trial river stone light'.split(' ');
function batchFile(name: string, from: number, n: number): string {
  const file = join(tmp, `${name}.jsonl`);
  writeFileSync(
    file,
    Array.from({ length: n }, (_, i) => {
      const k = from + i;
      return JSON.stringify({ id: `d${k}`, text: `${WORDS[k % 16]} ${WORDS[(k * 7) % 16]} ${WORDS[(k * 3 + 1) % 16]} note ${k}` });
    }).join('\n') + '\n',
  );
  return file;
}

/** A location kind under test: where collections go, the CLI's environment, and how to plant garbage and damage. */
interface Place {
  name: string;
  location(col: string): string;
  env(): NodeJS.ProcessEnv;
  /** Stores a blob no version names, as a killed writer could leave one. */
  plantGarbage(col: string, name: string): Promise<void>;
  /** Removes a blob the committed version names. */
  removeNamed(col: string, name: string): Promise<void>;
}

const places: Place[] = [
  {
    name: 's3://',
    location: (col) => `s3://cols/${col}`,
    env: () => s3.env,
    async plantGarbage(col, name) {
      const o = new S3Objects(`s3://cols/${col}`, s3.env);
      await o.putBytes(`segments/${name}`, new Uint8Array(64));
      o.close();
    },
    async removeNamed(col, name) {
      const o = new S3Objects(`s3://cols/${col}`, s3.env);
      await o.delete(`segments/${name}`);
      o.close();
    },
  },
  {
    name: 'postgres://',
    location: (col) => `${pg.url}?schema=${col}&${pg.connectQuery}`,
    env: () => ({}),
    async plantGarbage(col, name) {
      await pg.sql(`INSERT INTO ${col}.segments (name, bytes) VALUES ($1, $2)`, [name, Buffer.alloc(64)]);
    },
    async removeNamed(col, name) {
      await pg.sql(`DELETE FROM ${col}.segments WHERE name = $1`, [name]);
    },
  },
];

for (const place of places) {
  describe(`check and optimize on ${place.name}`, () => {
    const cli = async (args: string[]) => runCli(args, { env: place.env() });
    const json = async (args: string[], code = 0) => {
      const r = await cli([...args, '--json']);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      return JSON.parse(r.stdout);
    };

    test('a whole collection passes; garbage is listed, not failed; optimize merges and collects it', async () => {
      const at = place.location('whole');
      assert.equal((await cli(['init', at, '--pipeline', 'bm25'])).code, 0);
      for (const [i, from] of [0, 40, 80].entries()) assert.equal((await cli(['add', at, batchFile(`whole-${i}`, from, 40)])).code, 0);
      assert.equal((await cli(['rm', at, 'd3', 'd41'])).code, 0);
      const before = await json(['check', at]);
      assert.equal(before.ok, true, before.problems.join('; '));
      assert.deepEqual([before.documents, before.bm25Documents, before.segments], [118, 118, 3]);
      assert.deepEqual(before.garbage, []);
      const search = async () =>
        JSON.parse((await cli(['search', at, 'protein wing therapy', '--json'])).stdout).hits.map((h: { id: string; score: number }) => [
          h.id,
          h.score,
        ]);
      const hits = await search();
      assert.ok(hits.length > 0);

      await place.plantGarbage('whole', 'sleftover.seg');
      const withGarbage = await json(['check', at]);
      assert.equal(withGarbage.ok, true);
      assert.deepEqual(withGarbage.garbage, ['sleftover.seg']);

      const opt = await json(['optimize', at]);
      assert.equal(opt.segmentsBefore, 3);
      assert.equal(opt.segmentsAfter, 1);
      assert.ok(opt.removed.includes('sleftover.seg'), `removed: ${opt.removed.join(', ')}`);
      const afterOpt = await json(['check', at]);
      assert.equal(afterOpt.ok, true, afterOpt.problems.join('; '));
      assert.deepEqual([afterOpt.documents, afterOpt.bm25Documents, afterOpt.segments], [118, 118, 1]);
      assert.deepEqual(afterOpt.garbage, []);
      assert.deepEqual(await search(), hits, 'one merged segment scores as the three did');
    });

    test('a named blob that is gone fails the check (exit 1) and names it', async () => {
      const at = place.location('damaged');
      assert.equal((await cli(['init', at, '--pipeline', 'bm25'])).code, 0);
      assert.equal((await cli(['add', at, batchFile('damaged', 0, 30)])).code, 0);
      const whole = await json(['check', at]);
      assert.equal(whole.ok, true);
      const parts = await cli(['check', at]);
      assert.match(parts.stdout, /^ok: .* version \d+: 30 documents in the store, 30 in BM25 \(1 segments\)/);
      const named = await namedSegment(place, 'damaged');
      await place.removeNamed('damaged', named);
      const r = await json(['check', at], 1);
      assert.equal(r.ok, false);
      assert.match(r.problems.join('\n'), new RegExp(`${named.replace('.', '\\.')} is missing`));
      const text = await cli(['check', at]);
      assert.equal(text.code, 1);
      assert.match(text.stdout, /^FAILED: /);
    });
  });
}

/** The name of one `.seg` blob the committed version of collection `col` names. */
async function namedSegment(place: Place, col: string): Promise<string> {
  if (place.name === 'postgres://') {
    const rows = await pg.sql<{ parts: { bm25: { files: string[] } } }>(
      `SELECT v.info->'parts' AS parts FROM ${col}.versions v JOIN ${col}.collection c ON c.head = v.version`,
    );
    return rows[0].parts.bm25.files.find((f) => f.endsWith('.seg'))!;
  }
  const o = new S3Objects(`s3://cols/${col}`, s3.env);
  try {
    const manifest = JSON.parse((await o.get('MANIFEST.json'))!);
    return (manifest.parts.bm25.files as string[]).find((f) => f.endsWith('.seg'))!;
  } finally {
    o.close();
  }
}
