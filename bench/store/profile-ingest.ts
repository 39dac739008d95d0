/**
 * Where a Postgres upsert's time goes as the collection grows: ingests `--docs` synthetic
 * documents in upserts of `--batch` into a fresh schema (no vector index work: a `pgvector` handle
 * below its threshold, so only the rows are written) and times every statement the store sends by
 * its kind (the plan's SELECT, COPY into documents / chunks, the version row…), printing one line
 * per tenth of the ingest: docs/s of that stretch and each kind's share of its time. The rest
 * ("js") is the process's own work (analysis for BM25 lengths, encoding rows).
 *
 *   node --import tsx bench/store/profile-ingest.ts --postgres-url postgres://…/db [--docs 100000] [--batch 2000]
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PostgresCollectionStore } from '../../src/store/postgres/store.ts';

const { values: args } = parseArgs({
  options: {
    docs: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '2000' },
    dims: { type: 'string', default: '384' },
    'postgres-url': { type: 'string' },
  },
});
if (!args['postgres-url']) throw new Error('--postgres-url postgres://…/db is required (scripts/pg/cluster.sh start single)');
const DOCS = Number(args.docs);
const BATCH = Number(args.batch);
const DIMS = Number(args.dims);

/** Milliseconds per statement kind since the last report. */
const spent = new Map<string, number>();
const kindOf = (sql: string) => {
  const s = sql.replace(/\s+/g, ' ').trim();
  if (/^COPY [^ ]*\.(\w+)/.test(s)) return `copy ${/^COPY [^ ]*\.(\w+)/.exec(s)![1]}`;
  if (/^SELECT id, hash, metadata_json FROM/.test(s)) return 'plan select';
  if (/^UPDATE/.test(s)) return `update ${/UPDATE [^ ]*\.(\w+)/.exec(s)?.[1] ?? ''}`;
  if (/^INSERT INTO [^ ]*\.(\w+)/.test(s)) return `insert ${/^INSERT INTO [^ ]*\.(\w+)/.exec(s)![1]}`;
  if (/^(BEGIN|COMMIT|ROLLBACK)/.test(s)) return s.split(' ')[0].toLowerCase();
  return 'other';
};
const add = (kind: string, ms: number) => spent.set(kind, (spent.get(kind) ?? 0) + ms);
// Every statement of every client goes through Client.prototype.query: a COPY returns its stream
// (timed until it finishes), the others a promise.
const original = pg.Client.prototype.query as (...a: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
  const q = a[0] as string | { text?: string; handleCopyInResponse?: unknown; on?: (e: string, f: () => void) => void };
  const text = typeof q === 'string' ? q : (q?.text ?? '');
  const t0 = performance.now();
  const out = original.apply(this, a);
  if (q && typeof q === 'object' && 'handleCopyInResponse' in q) {
    const kind = kindOf(text || String((q as { text?: string }).text));
    const done = () => add(kind, performance.now() - t0);
    q.on?.('finish', done);
  } else if (out && typeof (out as Promise<unknown>).then === 'function')
    (out as Promise<unknown>).then(
      () => add(kindOf(text), performance.now() - t0),
      () => {},
    );
  return out;
} as typeof pg.Client.prototype.query;

const schema = `profile_${process.pid}`;
const url = `${args['postgres-url']}${args['postgres-url'].includes('?') ? '&' : '?'}schema=${schema}`;
const store = await PostgresCollectionStore.create(url, {
  fingerprint: { models: {}, analyzer: 'english@1', chunking: { size: 256, overlap: 32 } },
  dims: DIMS,
  distance: 'dot',
  annThreshold: 10 * DOCS,
});
const vocab = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
let seed = 42;
const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
const vector = () => {
  const v = new Float32Array(DIMS);
  for (let i = 0; i < DIMS; i++) v[i] = rand() - 0.5;
  return v;
};
try {
  let stretch = performance.now();
  let stretchDocs = 0;
  spent.clear();
  for (let i = 0; i < DOCS; i += BATCH) {
    const docs = Array.from({ length: Math.min(BATCH, DOCS - i) }, (_, j) => ({
      id: `d${i + j}`,
      text: Array.from({ length: 50 + Math.floor(rand() * 100) }, () => vocab[Math.floor(vocab.length * rand() ** 2)]).join(' '),
      metadata: { group: (i + j) % 100 },
    }));
    const vectors = new Map(docs.map((d) => [d.text, vector()]));
    await store.upsert(docs, { embed: async (texts) => texts.map((t) => vectors.get(t)!) });
    stretchDocs += docs.length;
    const done = i + docs.length;
    if (Math.floor((10 * done) / DOCS) > Math.floor((10 * i) / DOCS) || done === DOCS) {
      const ms = performance.now() - stretch;
      const db = [...spent.values()].reduce((a, b) => a + b, 0);
      const parts = [...spent.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${((100 * v) / ms).toFixed(0)}%`);
      process.stdout.write(
        `${done} documents: ${((1000 * stretchDocs) / ms).toFixed(0)} docs/s; ${parts.join(', ')}, js ${((100 * (ms - db)) / ms).toFixed(0)}%\n`,
      );
      stretch = performance.now();
      stretchDocs = 0;
      spent.clear();
    }
  }
} finally {
  await store.close();
  const c = new pg.Client({ connectionString: args['postgres-url'] });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}
