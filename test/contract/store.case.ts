/**
 * The contract every CollectionStore backend must meet (hono-style shared suite): call
 * `storeContract(name, newLocation)` from a backend's test file with a factory of fresh, empty
 * locations.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { isShortlistError } from '../../src/core/errors.ts';
import type { Document } from '../../src/core/types.ts';
import type { Fingerprint } from '../../src/store/fingerprint.ts';
import type { CollectionStore, CreateOptions, EmbedFn, OpenOptions } from '../../src/store/types.ts';

/** A fresh place to create one collection, and a way to open it again. */
export interface StoreLocation {
  create(options: CreateOptions & OpenOptions): Promise<CollectionStore>;
  open(options?: OpenOptions): Promise<CollectionStore>;
  cleanup(): Promise<void>;
}

const DIMS = 8;
const FP: Fingerprint = {
  models: { dense: { id: 'test/hash-embedder', revision: 'r1', dims: DIMS } },
  analyzer: 'english@1',
  chunking: { size: 8, overlap: 2 },
};

/** A deterministic pseudo-random vector per text (FNV-1a seed, mulberry32 stream). */
export function hashVector(text: string, dims: number): Float32Array {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  const v = new Float32Array(dims);
  for (let i = 0; i < dims; i++) {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    v[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  }
  return v;
}

/** An embed callback that records every call. */
function countingEmbed(dims = DIMS): EmbedFn & { calls: string[][] } {
  const calls: string[][] = [];
  const fn = async (texts: string[]) => {
    calls.push(texts);
    return texts.map((t) => hashVector(t, dims));
  };
  return Object.assign(fn, { calls });
}

const cosine = (a: Float32Array, b: Float32Array) => {
  let d = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) (d += a[i] * b[i]), (na += a[i] * a[i]), (nb += b[i] * b[i]);
  return d / Math.sqrt(na * nb);
};

const docs: Document[] = [
  { id: 'a', title: 'Apples', text: 'apples are red or green', metadata: { year: 2020, lang: 'en', draft: false } },
  { id: 'b', text: 'bananas are yellow', metadata: { year: 2022, lang: 'de' } },
  { id: "c'q", text: 'cherries are small and red, a quote in the id must not break', metadata: { year: 2024, lang: 'en' } },
];

/** Runs the store contract against the backend behind `newLocation`. */
export function storeContract(name: string, newLocation: () => Promise<StoreLocation>): void {
  describe(`CollectionStore contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });
    const fresh = async (extra: Partial<CreateOptions & OpenOptions> = {}) => {
      const loc = await newLocation();
      const store = await loc.create({ fingerprint: FP, dims: DIMS, ...extra });
      cleanups.push(
        () => loc.cleanup(),
        () => store.close(),
      );
      const open = async (o: OpenOptions = {}) => {
        const s = await loc.open(o);
        cleanups.push(() => s.close());
        return s;
      };
      return { store, open };
    };

    test('upsert, get and delete by id', async () => {
      const { store } = await fresh();
      assert.deepEqual(await store.get(['a']), []);
      const r = await store.upsert(docs, { embed: countingEmbed() });
      assert.deepEqual({ ...r, version: undefined }, { added: 3, updated: 0, unchanged: 0, deleted: 0, embedded: 4, version: undefined });
      assert.deepEqual(await store.get(["c'q", 'zzz', 'a']), [docs[2], docs[0]]);
      const info = await store.info();
      assert.equal(info.documents, 3);
      assert.equal(info.chunks, 4, 'the long document is cut into two chunks of at most 8 words');
      const chunks = await store.chunks(["c'q"], { vectors: true });
      assert.deepEqual(
        chunks.map((c) => c.id),
        ["c'q#0", "c'q#1"],
      );
      for (const c of chunks) {
        assert.equal(docs[2].text.slice(c.start, c.end), c.text);
        assert.equal(c.vector!.length, DIMS);
      }
      const d = await store.delete(['a', 'nope']);
      assert.equal(d.deleted, 1);
      assert.ok(d.version > r.version);
      assert.deepEqual(
        (await store.get(['a', 'b'])).map((x) => x.id),
        ['b'],
      );
      assert.deepEqual(await store.chunks(['a']), []);
      assert.equal((await store.info()).documents, 2);
      const none = await store.delete(['a']);
      assert.equal(none.deleted, 0);
      assert.equal(none.version, d.version, 'a delete that removes nothing commits nothing');
    });

    test('re-upserting unchanged content embeds nothing; a changed document re-embeds only itself', async () => {
      const { store } = await fresh();
      await store.upsert(docs, { embed: countingEmbed() });
      const v = (await store.info()).version;
      const again = countingEmbed();
      const r = await store.upsert(docs, { embed: again });
      assert.equal(again.calls.length, 0, 'no encoder call for unchanged content');
      assert.deepEqual([r.added, r.updated, r.unchanged, r.embedded, r.version], [0, 0, 3, 0, v]);

      const changed = countingEmbed();
      const edited = [docs[0], { ...docs[1], text: 'bananas are yellow and long' }, docs[2]];
      const r2 = await store.upsert(edited, { embed: changed });
      assert.deepEqual(changed.calls.flat(), ['bananas are yellow and long']);
      assert.deepEqual([r2.added, r2.updated, r2.unchanged, r2.embedded], [0, 1, 2, 1]);
      assert.equal((await store.get(['b']))[0].text, 'bananas are yellow and long');

      const metaOnly = countingEmbed();
      const r3 = await store.upsert([{ ...docs[0], metadata: { ...docs[0].metadata, year: 2021 } }], { embed: metaOnly });
      assert.equal(metaOnly.calls.length, 0, 'a metadata-only change keeps the vectors');
      assert.equal(r3.updated, 1);
      assert.equal((await store.get(['a']))[0].metadata!.year, 2021);
      assert.equal((await store.chunks(['a'])).length, 1);

      const mirror = await store.upsert([docs[0]], { embed: countingEmbed(), deleteMissing: true });
      assert.equal(mirror.deleted, 2);
      assert.deepEqual((await store.info()).documents, 1);
    });

    test('filters restrict search to matching documents; an unknown field names the known ones', async () => {
      const { store } = await fresh();
      await store.upsert(docs, { embed: countingEmbed() });
      const q = hashVector('query', DIMS);
      const docIds = async (filter?: string) => [...new Set((await store.vectorSearch(q, 10, { filter })).map((h) => h.docId))].sort();
      assert.deepEqual(await docIds(), ['a', 'b', "c'q"]);
      assert.deepEqual(await docIds("lang = 'en'"), ['a', "c'q"]);
      assert.deepEqual(await docIds("year > 2020 AND lang IN ('de', 'fr')"), ['b']);
      assert.deepEqual(await docIds('year < 2021 OR year >= 2024'), ['a', "c'q"]);
      assert.deepEqual(await docIds('draft = false'), ['a'], 'documents without the field never match');
      assert.deepEqual(await docIds('year > 3000'), []);
      assert.deepEqual(
        (await store.vectorSearch(q, 10, { filter: { op: '=', field: 'lang', value: 'de' } })).map((h) => h.docId),
        ['b'],
      );
      await assert.rejects(
        store.vectorSearch(q, 10, { filter: "langauge = 'en'" }),
        (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /unknown field "langauge"/.test(e.message) && /draft, lang, year/.test(e.message),
      );
      await assert.rejects(store.vectorSearch(q, 10, { filter: "year = 'x'" }), (e) => isShortlistError(e, 'INVALID_ARGUMENT'));
      assert.deepEqual((await store.info()).fields, { draft: 'boolean', lang: 'string', year: 'number' });
    });

    test('vector search is exact below the ANN threshold: same ids and scores as brute force', async () => {
      const { store } = await fresh({ distance: 'cosine' });
      const many = Array.from({ length: 300 }, (_, i) => ({ id: `d${i}`, text: `document number ${i}`, metadata: { group: i % 50 } }));
      await store.upsert(many, { embed: countingEmbed(), batchSize: 50 });
      const stored = await store.chunks(
        many.map((d) => d.id),
        { vectors: true },
      );
      for (const seed of ['q1', 'q2', 'q3']) {
        const q = hashVector(seed, DIMS);
        const expected = stored
          .map((c) => ({ id: c.id, score: cosine(q, c.vector!) }))
          .sort((x, y) => y.score - x.score)
          .slice(0, 10);
        const got = await store.vectorSearch(q, 10);
        assert.deepEqual(
          got.map((h) => h.id),
          expected.map((h) => h.id),
        );
        got.forEach((h, i) => assert.ok(Math.abs(h.score - expected[i].score) < 1e-5, `score of ${h.id}`));
        assert.ok(got.every((h) => h.id === `${h.docId}#${h.index}`));
        // a narrow filter (2% of documents) and a broad one (50%) are exact too
        for (const [filter, keep] of [
          ['group = 7', (g: number) => g === 7],
          ['group < 25', (g: number) => g < 25],
        ] as const) {
          const want = stored
            .filter((c) => keep(Number(c.docId.slice(1)) % 50))
            .map((c) => ({ id: c.id, score: cosine(q, c.vector!) }))
            .sort((x, y) => y.score - x.score)
            .slice(0, 10);
          assert.deepEqual(
            (await store.vectorSearch(q, 10, { filter })).map((h) => h.id),
            want.map((h) => h.id),
            filter,
          );
        }
      }
      await assert.rejects(
        store.vectorSearch(new Float32Array(3), 10),
        (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /8 components/.test(e.message),
      );
    });

    test('above the ANN threshold an index is used; exact: true still matches brute force', async () => {
      const { store } = await fresh({ distance: 'dot', annThreshold: 200 });
      const unit = (v: Float32Array) => v.map((x) => x / Math.hypot(...v));
      const embed: EmbedFn = async (texts) => texts.map((t) => unit(hashVector(t, DIMS)));
      await store.upsert(
        Array.from({ length: 150 }, (_, i) => ({ id: `d${i}`, text: `document number ${i}` })),
        { embed },
      );
      assert.equal((await store.info()).ann, false);
      const more = Array.from({ length: 150 }, (_, i) => ({ id: `e${i}`, text: `another document ${i}`, metadata: { half: i % 2 } }));
      await store.upsert(more, { embed });
      assert.equal((await store.info()).ann, true);
      const later = Array.from({ length: 60 }, (_, i) => ({ id: `f${i}`, text: `a later document ${i}` }));
      await store.upsert(later, { embed }); // rows added after the index was built are found too
      const ids = [...Array.from({ length: 150 }, (_, i) => `d${i}`), ...more.map((d) => d.id), ...later.map((d) => d.id)];
      const all = await store.chunks(ids, { vectors: true });
      assert.equal(all.length, 360);
      let found = 0;
      for (const seed of ['q1', 'q2', 'q3', 'q4']) {
        const q = unit(hashVector(seed, DIMS));
        const expected = all
          .map((c) => ({ id: c.id, score: cosine(q, c.vector!) }))
          .sort((x, y) => y.score - x.score)
          .slice(0, 10)
          .map((h) => h.id);
        assert.deepEqual(
          (await store.vectorSearch(q, 10, { exact: true })).map((h) => h.id),
          expected,
        );
        const approx = await store.vectorSearch(q, 10);
        found += approx.filter((h) => expected.includes(h.id)).length;
        const filtered = await store.vectorSearch(q, 10, { filter: 'half = 1' });
        assert.ok(filtered.length === 10 && filtered.every((h) => Number(h.docId.slice(1)) % 2 === 1 && h.docId.startsWith('e')));
      }
      assert.ok(found / 40 >= 0.9, `ANN recall@10 ${found / 40}`);
    });

    test('opening with a different fingerprint is refused, saying what differs', async () => {
      const { open } = await fresh();
      await open({ fingerprint: structuredClone(FP) });
      const other = { ...FP, models: { dense: { ...FP.models.dense, revision: 'r2' } } };
      await assert.rejects(
        open({ fingerprint: other }),
        (e) => isShortlistError(e, 'INDEX_MISMATCH') && /models\.dense\.revision: stored "r1", given "r2"/.test(e.message),
      );
      await assert.rejects(
        open({ fingerprint: { ...FP, chunking: { size: 16, overlap: 2 } } }),
        (e) => isShortlistError(e, 'INDEX_MISMATCH') && /chunking\.size/.test(e.message),
      );
    });

    test('a failed ingest leaves the previous version intact and searchable; the next one completes', async () => {
      const { store, open } = await fresh();
      await store.upsert(docs, { embed: countingEmbed() });
      const before = await store.info();
      const q = hashVector('query', DIMS);
      const hitsBefore = await store.vectorSearch(q, 5);
      let calls = 0;
      const failing: EmbedFn = async (texts) => {
        if (++calls === 2) throw new Error('GPU fell off the bus');
        return texts.map((t) => hashVector(t, DIMS));
      };
      const more = Array.from({ length: 10 }, (_, i) => ({ id: `n${i}`, text: `new document ${i}` }));
      await assert.rejects(
        store.upsert([{ ...docs[0], text: 'apples changed' }, ...more], { embed: failing, batchSize: 4 }),
        (e) =>
          isShortlistError(e, 'MODEL_ERROR') && /GPU fell off/.test(e.message) && new RegExp(`version ${before.version}`).test(e.message),
      );
      for (const s of [store, await open()]) {
        assert.deepEqual(await s.info(), before);
        assert.deepEqual(await s.vectorSearch(q, 5), hitsBefore);
        assert.deepEqual(await s.get(['a', 'n0']), [docs[0]]);
      }
      const ok = await store.upsert(more, { embed: countingEmbed() });
      assert.equal(ok.added, 10);
      assert.equal((await store.info()).documents, 13);
      assert.equal((await store.info()).chunks, 14);
      assert.deepEqual(await store.get(['a']), [docs[0]]);
    });

    test('documents without id or text are rejected before anything is written', async () => {
      const { store } = await fresh();
      await store.upsert([docs[0]], { embed: countingEmbed() });
      const before = await store.info();
      const embed = countingEmbed();
      const bad: [unknown[], RegExp, string][] = [
        [[docs[1], { text: 'no id' }], /documents\[1\]\.id is missing/, 'INVALID_INPUT'],
        [[{ id: 'x' }], /documents\[0\]\.text is missing \(document "x"\)/, 'INVALID_INPUT'],
        [[{ id: '', text: 'x' }], /id must be a non-empty string/, 'INVALID_INPUT'],
        [[{ id: 'x', text: 'x', metadata: [1] }], /metadata must be an object/, 'INVALID_INPUT'],
        [[docs[1], docs[1]], /documents\[1\]\.id "b" repeats documents\[0\]\.id/, 'DUPLICATE_ID'],
      ];
      for (const [batch, re, code] of bad) {
        await assert.rejects(
          store.upsert(batch as Document[], { embed }),
          (e) => isShortlistError(e) && e.code === code && re.test(e.message),
          String(re),
        );
      }
      assert.equal(embed.calls.length, 0);
      assert.deepEqual(await store.info(), before);
      assert.deepEqual(await store.get(['b']), []);
    });

    test('a document with an empty text is a document (stored, no chunks), as Lucene indexes it with length 0', async () => {
      const { store } = await fresh();
      const embed = countingEmbed();
      const r = await store.upsert([{ id: 'e', text: '' }, { id: 'w', title: 'only a title', text: '  \n' }, docs[0]], { embed });
      assert.equal(r.added, 3);
      assert.deepEqual(
        (await store.get(['e', 'w'])).map((d) => d.id),
        ['e', 'w'],
      );
      assert.deepEqual(await store.chunks(['e', 'w']), []);
      assert.equal((await store.info()).documents, 3);
    });

    test('a reader opened before a write keeps its version during the write, and moves on refresh', async () => {
      const { store, open } = await fresh();
      await store.upsert(docs, { embed: countingEmbed() });
      const reader = await open();
      const q = hashVector('query', DIMS);
      const seen: number[] = [];
      const embedWhileReading: EmbedFn = async (texts) => {
        seen.push((await reader.vectorSearch(q, 50)).length, (await reader.get(['a', 'n0'])).length, (await store.info()).documents);
        return texts.map((t) => hashVector(t, DIMS));
      };
      const more = Array.from({ length: 6 }, (_, i) => ({ id: `n${i}`, text: `new document ${i}` }));
      await store.upsert(more, { embed: embedWhileReading, batchSize: 2 });
      assert.deepEqual(seen, [4, 1, 3, 4, 1, 3, 4, 1, 3], 'mid-write reads see the committed version only');
      assert.equal((await reader.vectorSearch(q, 50)).length, 4, 'the reader stays on its version until refresh');
      assert.equal((await store.info()).documents, 9, 'the writer handle sees its own commit');
      assert.equal(await reader.refresh(), true);
      assert.equal((await reader.vectorSearch(q, 50)).length, 10);
      assert.equal(await reader.refresh(), false);
    });

    test('token vectors are stored per chunk when the collection has tokenDims', async () => {
      const { store } = await fresh({ tokenDims: 4 });
      const embedTokens: EmbedFn = async (texts) => texts.map((t) => hashVector(t, 4 * t.split(' ').length));
      await assert.rejects(
        store.upsert([docs[1]], { embed: countingEmbed() }),
        (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /embedTokens/.test(e.message),
      );
      await store.upsert([docs[1]], { embed: countingEmbed(), embedTokens });
      const [c] = await store.chunks(['b'], { vectors: true });
      assert.deepEqual(Array.from(c.tokenVectors!), Array.from(hashVector(docs[1].text, 12)));
      await assert.rejects(
        store.upsert([{ id: 'z', text: 'z' }], { embed: countingEmbed(), embedTokens: async (t) => t.map(() => new Float32Array(5)) }),
        (e) => isShortlistError(e, 'MODEL_ERROR') && /multiples of 4/.test(e.message),
      );
    });
  });
}
