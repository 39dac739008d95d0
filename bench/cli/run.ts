/**
 * CLI start-up: wall time of fresh `shortlist` processes from the compiled dist/ (as an installed
 * package runs), median of N runs, against `node -e 0` (the floor) and, with `--baseline <ref>`,
 * against the same commands built from that git commit, all in the same run.
 *
 *   npm run build && npm run bench:cli -- [--runs 10] [--docs 2000] [--baseline HEAD~1]
 *
 * Rows: `--version`; `--help` (the command table, no command loaded); `search` on a bare BM25
 * index; `search` on a BM25 collection (a directory); `eval --help` (loads the eval command and everything it imports, runs nothing); a library user's
 * BM25 + evaluation start (import, index two documents, search, score) from the package root and
 * from `shortlist/bm25` (no schema library, no model runtime): the whole process, and (rows "in
 * process") the import time for BM25 use as the process itself measures it, from just before
 * `await import(…)` to the score (Node's own start, the floor row, left out: issue 19's target).
 * Every row is a fresh process; rows are interleaved round by round, so a busy moment of a shared
 * machine hits every row alike. Last, the static import closure of `dist/index.js`, `dist/bm25.js`,
 * `dist/models.js` and `dist/stores.js` (files, bytes, packages): what an import reads and compiles,
 * independent of the machine's load (an entry the baseline lacks reads "—").
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { median } from '../common/stats.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values: flags } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, docs: { type: 'string', default: '2000' }, baseline: { type: 'string' } },
});
const runs = Number(flags.runs);
const docCount = Number(flags.docs);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(docCount) || docCount < 10) {
  console.error('bench/cli: --runs must be ≥ 1 and --docs ≥ 10');
  process.exit(2);
}

/** A package root whose bin/shortlist.js runs dist/ (no src/ beside it). */
function distPackage(from: string, into: string): string {
  if (!existsSync(join(from, 'dist/cli/main.js'))) throw new Error(`${from}/dist is missing: run \`npm run build\` first`);
  mkdirSync(into, { recursive: true });
  symlinkSync(join(from, 'dist'), join(into, 'dist'));
  symlinkSync(join(from, 'bin'), join(into, 'bin-src'));
  mkdirSync(join(into, 'bin'));
  execFileSync('cp', [join(from, 'bin/shortlist.js'), join(into, 'bin/shortlist.js')]);
  writeFileSync(
    join(into, 'package.json'),
    JSON.stringify({ name: 'shortlist', version: JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')).version, type: 'module' }),
  );
  symlinkSync(join(root, 'node_modules'), join(into, 'node_modules'));
  return into;
}

/** Builds `ref`'s dist/ from `git archive` into `dir` (with this checkout's node_modules). */
function buildRef(ref: string, dir: string): string {
  const src = join(dir, 'src-tree');
  mkdirSync(src, { recursive: true });
  process.stderr.write(`building ${ref} into a temporary folder…\n`);
  execFileSync('sh', [
    '-c',
    `git -C "${root}" archive "${ref}" src bin scripts package.json tsconfig.json tsconfig.build.json | tar -x -C "${src}"`,
  ]);
  symlinkSync(join(root, 'node_modules'), join(src, 'node_modules'));
  // The ref's own build: scripts/build.ts (types + esbuild bundle) where it has one, else tsc.
  const tsc = existsSync(join(src, 'scripts/build.ts'))
    ? spawnSync(process.execPath, ['--import', 'tsx', join(src, 'scripts/build.ts')], { cwd: src, encoding: 'utf8' })
    : spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(src, 'tsconfig.build.json')], {
        encoding: 'utf8',
      });
  if (!existsSync(join(src, 'dist/cli/main.js'))) throw new Error(`building ${ref} failed:\n${tsc.stdout}${tsc.stderr}`);
  return distPackage(src, join(dir, 'pkg'));
}

/** Milliseconds of a fresh process: its wall time, or (`inside`) the number it prints last. */
function wallMs(args: string[], cwd: string, inside = false): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  if (!inside) return ms;
  const printed = Number(r.stdout.toString().trim().split('\n').pop());
  if (!Number.isFinite(printed)) throw new Error(`${args.join(' ')} printed no time: ${r.stdout}`);
  return printed;
}

const work = mkdtempSync(join(tmpdir(), 'shortlist-bench-cli-'));
try {
  const current = distPackage(root, join(work, 'current'));
  const base = flags.baseline ? buildRef(flags.baseline, join(work, 'baseline')) : undefined;
  const bin = (pkg: string) => join(pkg, 'bin/shortlist.js');

  // A generated corpus: deterministic words, so the bench needs no dataset.
  const words =
    'boundary layer flow shock wave laminar turbulent heat transfer wing flutter pressure velocity supersonic plate cylinder jet nozzle viscous drag lift'.split(
      ' ',
    );
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const text = (n: number) => Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(' ');
  const corpus = join(work, 'corpus.jsonl');
  writeFileSync(
    corpus,
    Array.from({ length: docCount }, (_, i) => JSON.stringify({ _id: `d${i}`, title: text(6), text: text(80) })).join('\n') + '\n',
  );
  process.stderr.write(`indexing ${docCount} generated documents (index and collection)…\n`);
  execFileSync(process.execPath, [bin(current), 'index', corpus, '--out', join(work, 'idx')], { stdio: 'ignore' });
  execFileSync(process.execPath, [bin(current), 'init', join(work, 'col'), '--pipeline', 'bm25'], { stdio: 'ignore' });
  execFileSync(process.execPath, [bin(current), 'add', join(work, 'col'), corpus], { stdio: 'ignore' });

  const cli =
    (...args: string[]) =>
    (pkg: string) => [bin(pkg), ...args];
  // A library user's BM25 + evaluation start: import, build a 2-document index, search, score.
  const bm25Use = (file: string) => `const t0 = performance.now();
const { Bm25Index, Bm25Retriever, Pipeline, evaluate, getAnalyzer } = await import(${JSON.stringify(pathToFileURL(file).href)});
const index = await Bm25Index.build([{ id: 'd1', title: 'a', text: 'boundary layer flow' }, { id: 'd2', title: 'b', text: 'shock wave' }], { analyzer: getAnalyzer('english') });
const { hits } = await new Pipeline({ retriever: new Bm25Retriever(index), k: 2 }).search('boundary layer');
if (evaluate(new Map([['q', hits.map((h) => ({ docid: h.id, score: h.score }))]]), new Map([['q', new Map([['d1', 1]])]]), ['ndcg@10']).mean['ndcg@10'] !== 1) process.exit(1);
index.close();
process.stdout.write(String(performance.now() - t0));`;
  // target: the issue's target on an idle machine (issue 21: wall time of --version and a BM25 index
  // search; issue 19: the package root for BM25 use, < 150 ms: held to it both as the whole process,
  // Node's own start included, and as the import time the process measures itself).
  // needs: a file the row runs, which an older baseline may lack (its cell then reads "—").
  // inside: the time the process measures itself (the import and the BM25 use), not its wall time.
  const rows: { name: string; args: (pkg: string) => string[]; target?: number; needs?: string; inside?: boolean }[] = [
    { name: 'shortlist --version', args: cli('--version'), target: 120 },
    { name: 'shortlist --help', args: cli('--help') },
    { name: 'search (BM25 index)', args: cli('search', join(work, 'idx'), 'boundary layer flow', '-k', '3'), target: 250 },
    { name: 'search (BM25 collection)', args: cli('search', join(work, 'col'), 'boundary layer flow', '-k', '3') },
    { name: 'eval --help (start-up)', args: cli('eval', '--help') },
    { name: "import 'shortlist' (BM25)", args: (pkg) => ['--input-type=module', '-e', bm25Use(join(pkg, 'dist/index.js'))], target: 150 },
    {
      name: "import 'shortlist/bm25'",
      args: (pkg) => ['--input-type=module', '-e', bm25Use(join(pkg, 'dist/bm25.js'))],
      needs: 'dist/bm25.js',
    },
    {
      name: "  in process: 'shortlist'",
      args: (pkg) => ['--input-type=module', '-e', bm25Use(join(pkg, 'dist/index.js'))],
      target: 150,
      inside: true,
    },
    {
      name: "  in process: '…/bm25'",
      args: (pkg) => ['--input-type=module', '-e', bm25Use(join(pkg, 'dist/bm25.js'))],
      needs: 'dist/bm25.js',
      inside: true,
    },
  ];
  const floor: number[] = [];
  const cur = rows.map(() => [] as number[]);
  const old = rows.map(() => [] as number[]);
  // Interleaved rounds, so a busy moment of the machine hits every row alike.
  for (let r = 0; r < runs; r++) {
    process.stderr.write(`round ${r + 1}/${runs}\r`);
    floor.push(wallMs(['-e', '0'], work));
    rows.forEach((row, i) => {
      cur[i].push(wallMs(row.args(current), work, row.inside));
      if (base) old[i].push(row.needs && !existsSync(join(base, row.needs)) ? NaN : wallMs(row.args(base), work, row.inside));
    });
  }
  process.stderr.write('\n');
  const f = median(floor);
  const fmt = (ms: number) => (Number.isNaN(ms) ? '—' : `${ms.toFixed(0)} ms`).padStart(8);
  console.log(`CLI start-up, dist/, fresh processes, median of ${runs}; node ${process.version}`);
  console.log(
    `${'command'.padEnd(26)}${'now'.padStart(8)}  ${'× node'.padStart(7)}${'target'.padStart(8)}${base ? `${`${flags.baseline}`.padStart(10)}  ${'now/base'.padStart(8)}` : ''}`,
  );
  console.log(`${'node -e 0 (floor)'.padEnd(26)}${fmt(f)}  ${'1.00'.padStart(7)}${''.padStart(8)}`);
  rows.forEach((row, i) => {
    const m = median(cur[i]);
    const b = base ? median(old[i]) : NaN;
    console.log(
      `${row.name.padEnd(26)}${fmt(m)}  ${(row.inside ? '—' : (m / f).toFixed(2)).padStart(7)}${(row.target ? `≤ ${row.target}` : '').padStart(8)}${base ? `${fmt(b).padStart(10)}  ${(Number.isNaN(b) ? '—' : (m / b).toFixed(2)).padStart(8)}` : ''}`,
    );
  });
  // What each library entry reads and compiles at import, whatever the machine's load: the files its
  // static imports reach (dynamic `import()` excluded) and the packages they import.
  console.log('\nstatic import closure (files, KiB, packages)');
  for (const entry of ['dist/index.js', 'dist/bm25.js', 'dist/models.js', 'dist/stores.js']) {
    const show = (pkg: string) => {
      if (!existsSync(join(pkg, entry))) return '—';
      const c = staticClosure(join(pkg, entry));
      return `${c.files} files, ${(c.bytes / 1024).toFixed(0)} KiB, ${c.packages.length ? c.packages.join(' ') : 'no package'}`;
    };
    console.log(`${entry.padEnd(16)} now: ${show(current)}${base ? `; ${flags.baseline}: ${show(base)}` : ''}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** The files that `file`'s static imports reach (parsed, so minified output reads alike), their bytes, and the packages imported. */
function staticClosure(file: string): { files: number; bytes: number; packages: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    const source = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
    for (const st of source.statements) {
      if (!(ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) || !st.moduleSpecifier || !ts.isStringLiteral(st.moduleSpecifier))
        continue;
      const spec = st.moduleSpecifier.text;
      if (spec.startsWith('.')) visit(join(f, '..', spec));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  };
  visit(file);
  let bytes = 0;
  for (const f of seen) bytes += readFileSync(f).length;
  return { files: seen.size, bytes, packages: [...packages].sort() };
}
