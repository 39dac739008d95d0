/**
 * The systems the ANN benchmark compares; each builds an index over `base` and answers top-k
 * queries, run one per child process (see `worker.ts`). Ids are row numbers of `base`.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LanceCollectionStore } from '../../src/store/lancedb/store.ts';
import { calibrateIndex, dotScorer } from '../../src/retrieve/ann/calibrate.ts';
import { VectorIndex } from '../../src/retrieve/ann/index.ts';
import { randomNormal } from './data.ts';
import { describeStructure } from '../../src/retrieve/ann/structure.ts';
import type { Quantization } from '../../src/retrieve/ann/quantize.ts';

const require = createRequire(import.meta.url);

/** The time of adding rows to a built index (a partial write), and of the alternative. */
export interface AddTiming {
  /** What was timed, e.g. `HNSW graph extended (view → load, add)`. */
  how: string;
  rows: number;
  addedRows: number;
  seconds: number;
  /** Seconds of building the same structure from scratch over the rows (the alternative), when measured. */
  rebuildS?: number;
}

/** A built index that answers one query at a time. */
export interface BuiltIndex {
  /** Names of the variants `search` answers with (timed in interleaved blocks); omitted: one. */
  variants?: string[];
  search(query: Float32Array, k: number, variant?: string): Promise<number[]>;
  /** Bytes per vector of what a query searches, when the system knows it. */
  bytesPerVector?(): number;
  /** Adds `count` new rows (seeded random normal) as a partial write would, timing it. */
  add?(count: number): Promise<AddTiming[]>;
  /** Changes the search beam (HNSW `ef`) for the following searches. */
  setEf?(ef: number): void | Promise<void>;
  /** The settings line as built (e.g. what a calibration chose); defaults to the system's `settings`. */
  describe?(): string | Promise<string>;
  close(): Promise<void>;
}

/** One system: a name, a line describing its settings, and how to build it. */
export interface AnnSystem {
  name: string;
  settings: string;
  /** Search beams to measure, one row each (the library default first); omitted: one pass as configured. */
  efs?: number[];
  build(base: Float32Array, dims: number): Promise<BuiltIndex>;
}

/**
 * shortlist's dense retriever: the LanceDB store with documents `v<i>` of one chunk each (the vector
 * given by the embed callback), its ANN search calibrated by the commit to `annRecall`
 * (`$SHORTLIST_BENCH_ANN_RECALL`, default the store's 0.98). After the calibrated pass,
 * `$SHORTLIST_BENCH_LANCE_EFS` (e.g. `600,2000`) measures fixed `annEf` values too.
 */
function lanceSystem(exact: false | 'memory' | 'flat', annIndex: 'memory' | 'lancedb' = 'memory'): AnnSystem {
  const efs = process.env.SHORTLIST_BENCH_LANCE_EFS?.split(',').map(Number);
  const annRecall = process.env.SHORTLIST_BENCH_ANN_RECALL ? Number(process.env.SHORTLIST_BENCH_ANN_RECALL) : undefined;
  const settings =
    exact === 'memory' ? 'in-memory scan, dot' : exact ? 'LanceDB flat scan (scanMemoryMb 0), dot' : 'LanceDB HNSW-SQ 8-bit, dot';
  return {
    ...(exact || !efs ? {} : { efs: [0, ...efs] }),
    name:
      exact === 'memory'
        ? 'shortlist exact'
        : exact
          ? 'shortlist exact (LanceDB flat)'
          : annIndex === 'lancedb'
            ? 'LanceDB (HNSW-SQ, calibrated)'
            : 'shortlist dense (store, calibrated)',
    settings,
    async build(base, dims) {
      const n = base.length / dims;
      const dir = mkdtempSync(join(tmpdir(), 'shortlist-ann-'));
      const fingerprint = {
        models: { dense: { id: 'bench/random', revision: '1', dims } },
        analyzer: 'none',
        chunking: { size: 16, overlap: 0 },
      };
      let store = await LanceCollectionStore.create(dir, {
        fingerprint,
        dims,
        distance: 'dot',
        annThreshold: exact ? n + 1 : 1,
        annIndex,
        ...(annRecall ? { annRecall } : {}),
        ...(exact === 'flat' ? { scanMemoryMb: 0 } : {}),
      });
      const docs = Array.from({ length: n }, (_, i) => ({ id: `v${i}`, text: `v${i}` }));
      const embed = async (texts: string[]) =>
        texts.map((t) => {
          const i = Number(t.slice(1));
          return base.slice(i * dims, (i + 1) * dims);
        });
      await store.upsert(docs, { embed, batchSize: 4096 });
      return {
        async search(q, k) {
          const hits = await store.vectorSearch(q, k, { exact: Boolean(exact) });
          return hits.map((h) => Number(h.docId.slice(1)));
        },
        async setEf(ef) {
          await store.close();
          store = await LanceCollectionStore.open(dir, { annIndex, ...(ef > 0 ? { annEf: ef } : {}) }); // 0: the calibrated setting
          await store.vectorSearch(base.subarray(0, dims), 1); // load what the first search loads
        },
        async describe() {
          const info = await store.info();
          const v = info.vectorIndex;
          if (!exact && v)
            return `in-process index: ${v.path}; sample R@10 ${v.calibration.recall.toFixed(3)} (target ${v.calibration.target})`;
          const s = info.annSearch;
          if (exact || !s) return settings;
          if (s.source !== 'calibrated') return `HNSW-SQ 8-bit, fixed annEf ${s.ef}, refine ${s.refine}`;
          const c = s.calibration!;
          const how = s.mode === 'exact' ? `exact scan (ef ${s.ef} was not faster)` : `ef ${s.ef}, refine ${s.refine}`;
          return `HNSW-SQ 8-bit calibrated to R@10 ≥ ${c.target} on ${c.sample} sampled rows (${c.recall.toFixed(3)}): ${how}`;
        },
        async close() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

/** `count` seeded random-normal unit rows appended to `base`, as a partial write adds them. */
function withAdded(base: Float32Array, dims: number, count: number): Float32Array {
  const out = new Float32Array(base.length + count * dims);
  out.set(base);
  out.set(randomNormal(count, dims, 99), base.length);
  return out;
}

/** Seconds `f` takes. */
function timed<T>(f: () => T): { value: T; seconds: number } {
  const t0 = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

/**
 * shortlist's in-process vector index (src/retrieve/ann), its structure calibrated to `annRecall`
 * (`$SHORTLIST_BENCH_ANN_RECALL`, default 0.98) on 200 sampled rows, as a commit does;
 * `quantization` restricts it to int8 or binary scans (rescored with float32 vectors). Adding rows
 * extends an HNSW graph (the saved one loaded, the new rows added) and re-derives a scan's codes.
 */
function indexSystem(quantization: Quantization | 'auto'): AnnSystem {
  const target = process.env.SHORTLIST_BENCH_ANN_RECALL ? Number(process.env.SHORTLIST_BENCH_ANN_RECALL) : 0.98;
  return {
    name: quantization === 'auto' ? 'shortlist index (calibrated)' : `shortlist index (${quantization})`,
    settings: `calibrated to R@10 ≥ ${target}`,
    async build(base, dims) {
      const graphDir = mkdtempSync(join(tmpdir(), 'shortlist-index-'));
      const graphFile = join(graphDir, 'graph.usearch');
      const log = (line: string) => process.stderr.write(`${line}\n`);
      // calibrated: every candidate, HNSW included at any size (a collection tries HNSW from its
      // ann.threshold); int8 / binary: their exact scans with rescoring (the memory-budget rows)
      const sample = process.env.SHORTLIST_BENCH_ANN_SAMPLE ? Number(process.env.SHORTLIST_BENCH_ANN_SAMPLE) : undefined;
      const { calibration: c, index } = calibrateIndex(base, dims, {
        target,
        sample,
        quantization,
        hnswFrom: quantization === 'auto' ? 0 : Infinity,
        graphAboveMs: 0, // the graph is measured at every size, to compare
        graphFile,
        log,
      });
      // a chosen float32 graph is also searched by raw usearch over the same file at the same beam,
      // timed interleaved with ours: the comparison at equal recall that load cannot skew
      const s0 = c.structure;
      let raw: { search(q: Float32Array, k: number, threads: number): { keys: BigUint64Array } } | undefined;
      if (s0.kind === 'hnsw' && s0.quantization === 'none') {
        const { Index, MetricKind, ScalarKind } = require('usearch');
        raw = new Index({
          dimensions: dims,
          metric: MetricKind.IP,
          quantization: ScalarKind.F32,
          connectivity: 16,
          expansion_add: 128,
          expansion_search: s0.ef,
          multi: false,
        });
        (raw as unknown as { view(path: string): void }).view(graphFile);
      }
      // a chosen scan is timed interleaved with usearch's default graph at three beams (up to
      // 300k rows: the graph is one more build), the peers at equal recall
      const peers = new Map<string, { search(q: Float32Array, k: number, threads: number): { keys: BigUint64Array } }>();
      const n = base.length / dims;
      if (!raw && quantization === 'auto' && n <= 300_000) {
        const { Index } = require('usearch');
        const config = (ef: number) => usearchDefaults(dims, ef);
        const g = new Index(config(0));
        g.add(
          BigUint64Array.from({ length: n }, (_, i) => BigInt(i)),
          base,
          0,
        );
        const file = join(graphDir, 'peer.usearch');
        g.save(file);
        for (const ef of [64, 128, 600]) {
          const v = new Index(config(ef));
          v.view(file);
          peers.set(`usearch ef ${ef}`, v);
        }
      }
      return {
        ...(raw ? { variants: ['shortlist', 'usearch'] } : peers.size > 0 ? { variants: ['shortlist', ...peers.keys()] } : {}),
        async search(q, k, variant) {
          if (variant === 'usearch') return Array.from(raw!.search(q, k, 1).keys, Number);
          const peer = variant && peers.get(variant);
          if (peer) return Array.from(peer.search(q, k, 1).keys, Number);
          return index.search(q, k, dotScorer(base, q)).map((h) => h.row);
        },
        bytesPerVector: () => c.bytesPerVector,
        describe() {
          return `${describeStructure(c.structure)}; sample R@10 ${c.recall.toFixed(3)} (target ${c.target}); ${c.bytesPerVector} B/vector searched (float32: ${dims * 4})`;
        },
        async add(count) {
          const rows = withAdded(base, dims, count);
          const s = c.structure;
          const n = rows.length / dims;
          if (s.kind === 'hnsw' && s.quantization === 'none') {
            // the calibration saved the chosen graph to graphFile and memory-maps it: extend from that file (never write over a mapped file)
            const ext = timed(() => VectorIndex.build(rows, dims, s, { extendFrom: graphFile }));
            return [
              {
                how: `${describeStructure(s)}: graph extended (saved graph loaded, ${count} rows added)`,
                rows: n,
                addedRows: count,
                seconds: ext.seconds,
              },
            ];
          }
          const app = timed(() => VectorIndex.append(index, rows));
          const re = timed(() => VectorIndex.build(rows, dims, s));
          return [
            {
              how: `${describeStructure(s)}: appended (previous codes kept, ${count} rows quantized) vs every row's codes derived`,
              rows: n,
              addedRows: count,
              seconds: app.seconds,
              rebuildS: re.seconds,
            },
          ];
        },
        async close() {
          rmSync(graphDir, { recursive: true, force: true });
        },
      };
    },
  };
}

/** shortlist's float32 exact structure, not calibrated: usearch's SIMD scan, rescored in float64 (the truth the calibration measures against). */
const flatIndexSystem: AnnSystem = {
  name: 'shortlist index (exact float32)',
  settings: 'SIMD scan of every vector, k + 16 rescored',
  async build(base, dims) {
    const index = VectorIndex.build(base, dims, { kind: 'exact', quantization: 'none', rescore: 1 });
    return {
      async search(q, k) {
        return index.search(q, k, dotScorer(base, q)).map((h) => h.row);
      },
      bytesPerVector: () => index.bytesPerVector,
      async close() {},
    };
  },
};

/**
 * shortlist's HNSW structure and raw usearch over the same saved graph (memory-mapped by both), at
 * the same beams, timed in interleaved blocks: what the wrapper (key mapping, float64 rescoring,
 * result objects) costs. Adding rows extends the graph; the rebuild is timed over the same rows.
 */
const hnswSystem: AnnSystem = {
  name: 'shortlist index (HNSW)',
  settings: 'f32, ip, M 16, efC 128 (usearch defaults), rescore 1×',
  efs: [64, 96, 128, 192, 600, 2000],
  async build(base, dims) {
    const { Index, MetricKind, ScalarKind } = require('usearch');
    const dir = mkdtempSync(join(tmpdir(), 'shortlist-hnsw-'));
    const file = join(dir, 'graph.usearch');
    const t0 = performance.now();
    const structure = (ef: number) => ({ kind: 'hnsw', quantization: 'none', rescore: 1, ef }) as const;
    const built = VectorIndex.build(base, dims, structure(64), {
      onProgress: (d, t) => process.stderr.write(`HNSW graph ${d}/${t} rows (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`),
    });
    built.saveGraph(file);
    let ours = built;
    let raw: { search(q: Float32Array, k: number, threads: number): { keys: BigUint64Array } } | undefined;
    return {
      variants: ['shortlist', 'usearch'],
      async search(q, k, variant) {
        if (variant === 'usearch') return Array.from(raw!.search(q, k, 1).keys, Number);
        return ours.search(q, k, dotScorer(base, q)).map((h) => h.row);
      },
      setEf(ef) {
        ours = VectorIndex.build(base, dims, structure(ef), { hnswFile: file });
        const r = new Index({
          dimensions: dims,
          metric: MetricKind.IP,
          quantization: ScalarKind.F32,
          connectivity: 16,
          expansion_add: 128,
          expansion_search: ef,
          multi: false,
        });
        r.view(file);
        raw = r;
      },
      bytesPerVector: () => built.bytesPerVector,
      async add(count) {
        const rows = withAdded(base, dims, count);
        const ext = timed(() => VectorIndex.build(rows, dims, structure(64), { extendFrom: file }));
        const re = timed(() => VectorIndex.build(rows, dims, structure(64)));
        return [
          {
            how: `HNSW float32: graph extended (saved graph loaded, ${count} rows added) vs built anew`,
            rows: rows.length / dims,
            addedRows: count,
            seconds: ext.seconds,
            rebuildS: re.seconds,
          },
        ];
      },
      async close() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/**
 * usearch HNSW with its default graph (connectivity 16, expansion_add 128), f32, inner product,
 * built on every core (as a user would), searched one query at a time at ef 64 (its default),
 * 128, 600, 2000 and 6400 (the saved graph memory-mapped with each beam).
 */
/** usearch's own defaults (connectivity and expansion 0: the library picks them), float32, inner product, beam `ef`. */
function usearchDefaults(dims: number, ef: number) {
  const { MetricKind, ScalarKind } = require('usearch');
  return {
    dimensions: dims,
    metric: MetricKind.IP,
    quantization: ScalarKind.F32,
    connectivity: 0,
    expansion_add: 0,
    expansion_search: ef,
    multi: false,
  };
}

const usearchSystem: AnnSystem = {
  name: 'usearch (HNSW)',
  settings: 'f32, ip, M 16, efC 128 (defaults)',
  efs: [64, 128, 600, 2000, 6400],
  async build(base, dims) {
    const { Index } = require('usearch');
    const n = base.length / dims;
    const config = (ef: number) => usearchDefaults(dims, ef);
    const index = new Index(config(0));
    const t0 = performance.now();
    const step = 50_000;
    for (let start = 0; start < n; start += step) {
      const end = Math.min(n, start + step);
      const keys = new BigUint64Array(end - start);
      for (let i = start; i < end; i++) keys[i - start] = BigInt(i);
      index.add(keys, base.subarray(start * dims, end * dims), 0);
      if (n > step) process.stderr.write(`usearch HNSW graph ${end}/${n} rows (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
    const file = join(mkdtempSync(join(tmpdir(), 'shortlist-usearch-')), 'index.usearch');
    index.save(file);
    let current = index;
    return {
      async search(q, k) {
        const m = current.search(q, k, 1);
        return Array.from(m.keys as BigUint64Array, Number);
      },
      setEf(ef) {
        // expansion_search is fixed at construction in the JS binding: view the saved graph with the new value
        current = new Index(config(ef));
        current.view(file);
      },
      async close() {
        rmSync(dirname(file), { recursive: true, force: true });
      },
    };
  },
};

/**
 * usearch's exact search (SIMD, one thread) as a peer: over the float32 vectors, or over int8 codes
 * as usearch quantizes unit vectors (round(x × 127)), the top k taken as they come (no rescoring).
 */
function usearchExactSystem(scalar: 'f32' | 'i8'): AnnSystem {
  return {
    name: scalar === 'f32' ? 'usearch exactSearch (f32)' : 'usearch exactSearch (int8)',
    settings: scalar === 'f32' ? 'SIMD scan, ip, 1 thread' : 'SIMD scan of round(127·x) codes, ip, 1 thread, no rescoring',
    async build(base, dims) {
      const u = require('usearch');
      const codes = scalar === 'i8' ? new Int8Array(base.length) : undefined;
      if (codes) for (let i = 0; i < base.length; i++) codes[i] = Math.max(-127, Math.min(127, Math.round(base[i] * 127)));
      const query = new Int8Array(dims);
      return {
        async search(q, k) {
          if (!codes) return Array.from(u.exactSearch(base, q.slice(), dims, k, u.MetricKind.IP, 1).keys as BigUint64Array, Number);
          for (let j = 0; j < dims; j++) query[j] = Math.max(-127, Math.min(127, Math.round(q[j] * 127)));
          return Array.from(u.exactSearch(codes, query, dims, k, u.MetricKind.IP, 1).keys as BigUint64Array, Number);
        },
        bytesPerVector: () => (codes ? dims : dims * 4),
        async close() {},
      };
    },
  };
}

/** hnswlib-node with the hnswlib README parameters (M 16, efConstruction 200), searched at ef 64, 128, 600, 2000 and 6400. */
const hnswlibSystem: AnnSystem = {
  name: 'hnswlib-node',
  settings: 'ip, M 16, efC 200',
  efs: [64, 128, 600, 2000, 6400],
  async build(base, dims) {
    const { HierarchicalNSW } = require('hnswlib-node');
    const n = base.length / dims;
    const index = new HierarchicalNSW('ip', dims);
    index.initIndex(n, 16, 200, 100);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      index.addPoint(Array.from(base.subarray(i * dims, (i + 1) * dims)), i);
      if (i % 50_000 === 49_999)
        process.stderr.write(`hnswlib graph ${i + 1}/${n} rows (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
    return {
      async search(q, k) {
        return index.searchKnn(Array.from(q), k).neighbors as number[];
      },
      setEf(ef) {
        index.setEf(ef);
      },
      async close() {},
    };
  },
};

/** Every system by key, in report order. */
export const SYSTEMS: Record<string, AnnSystem> = {
  exact: lanceSystem('memory'),
  flat: lanceSystem('flat'),
  lance: lanceSystem(false),
  lancedb: lanceSystem(false, 'lancedb'),
  index: indexSystem('auto'),
  f32: flatIndexSystem,
  int8: indexSystem('int8'),
  binary: indexSystem('binary'),
  hnsw: hnswSystem,
  usearch: usearchSystem,
  'usearch-exact': usearchExactSystem('f32'),
  'usearch-int8': usearchExactSystem('i8'),
  hnswlib: hnswlibSystem,
};

/** Whether the system's native package loads here (LanceDB always does). */
export function available(key: string): boolean {
  const pkg = key.startsWith('usearch') || key === 'hnsw' ? 'usearch' : key === 'hnswlib' ? 'hnswlib-node' : undefined;
  if (!pkg) return true;
  try {
    require(pkg);
    return true;
  } catch {
    return false;
  }
}
