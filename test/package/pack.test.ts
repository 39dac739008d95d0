/**
 * The package as users install it: build dist/, `npm pack`, install the tarball into an empty
 * project with npm's cache only (`npm ci --offline` from a lockfile derived from this repository's),
 * then run there, against dist/:
 *   1. "BM25 + eval" (the tarball alone): the BM25 example loads no heavy package, the CLI indexes
 *      and searches, and a collection fails with MISSING_DEPENDENCY naming the install command;
 *   2. "full" (plus ONNX Runtime, LanceDB, @langchain/core, the MCP SDK): every example in examples/
 *      (a collection with generated models, the server on a free port, the LangChain chain, the MCP
 *      client round trip).
 * Prints the install size of both. Takes 2–3 minutes; SHORTLIST_SKIP_PACK=1 skips it (visibly).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { exampleRuns, runExample } from './examples.ts';
import { projectFiles } from './lockfile.ts';
import { HEAVY_PACKAGES, TRACE_PRELOAD, traceFile } from './trace.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TSX = pathToFileURL(join(root, 'node_modules/tsx/dist/esm/index.mjs')).href;
const FULL = ['onnxruntime-node', '@lancedb/lancedb', 'apache-arrow', '@langchain/core', '@modelcontextprotocol/sdk'];
const skip = process.env.SHORTLIST_SKIP_PACK === '1' ? 'SHORTLIST_SKIP_PACK=1' : false;

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

/** Installs the project's lockfile from npm's cache; a cache without some tarball falls back to the registry, saying so. */
function install(dir: string): void {
  const r = spawnSync('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
  if (r.status === 0) return;
  if (!/ENOTCACHED/.test(r.stderr)) throw new Error(`npm ci failed:\n${r.stderr}`);
  process.stderr.write(
    '# npm cache lacks some tarballs of package-lock.json: fetching them from the npm registry (CI installs them with `npm ci` first)\n',
  );
  npm(['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
}

function sizeMb(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) / 1024;
}

describe('packed package', { skip, timeout: 600_000 }, () => {
  let work: string;
  let tarball: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'shortlist-pack-'));
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts')], { stdio: 'inherit', cwd: root }); // = npm run build
    const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], root)) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = packed[0].filename;
    const files = packed[0].files.map((f) => f.path);
    assert.ok(files.includes('dist/index.js') && files.includes('dist/index.d.ts') && files.includes('bin/shortlist.js'));
    assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('test/')), 'only bin and dist ship');
    assert.deepEqual(
      files.filter((f) => /(^|\/)(test-fixtures|test-helpers)\.|\.test(-helper)?\./.test(f)),
      [],
      'no test code or fixtures ship in dist',
    );
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  function project(name: string, extra: string[]): string {
    const dir = join(work, name);
    mkdirSync(dir);
    cpSync(join(work, tarball), join(dir, tarball));
    const { pkg, lock } = projectFiles(join(root, 'package-lock.json'), join(root, 'package.json'), tarball, join(dir, tarball), extra);
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
    install(dir);
    cpSync(join(root, 'examples'), join(dir, 'examples'), { recursive: true });
    return dir;
  }

  it('BM25 + eval: installs without the heavy packages, loads none, names the package a collection needs', () => {
    const dir = project('light', []);
    const installed = readdirSync(join(dir, 'node_modules'));
    for (const p of ['onnxruntime-node', 'echarts', 'pg']) assert.ok(!installed.includes(p), `${p} installed`);
    process.stderr.write(`# install size, BM25 + eval (shortlist alone): ${sizeMb(join(dir, 'node_modules')).toFixed(0)} MB\n`);

    const trace = traceFile();
    try {
      const out = runExample(dir, ['--import', TSX, '--import', TRACE_PRELOAD], 'examples/bm25-library.ts', [], trace.env);
      exampleRuns(work)
        .find((r) => r.file === 'bm25-library.ts')!
        .check(out);
      const packages = trace.packages();
      assert.ok(packages.has('shortlist'), 'ran against the installed package');
      // zod and the tokenizers are hard dependencies, installed, but the bundle loads them on first use
      for (const p of [...HEAVY_PACKAGES, 'zod', '@huggingface/tokenizers']) assert.ok(!packages.has(p), `${p} was loaded`);
    } finally {
      trace.dispose();
    }

    const bin = join(dir, 'node_modules/.bin/shortlist');
    writeFileSync(
      join(dir, 'corpus.jsonl'),
      ['boundary layer flow', 'shock waves', 'laminar boundary layers']
        .map((text, i) => JSON.stringify({ _id: `d${i}`, text }))
        .join('\n') + '\n',
    );
    execFileSync(bin, ['index', 'corpus.jsonl', '--out', 'idx'], { cwd: dir, stdio: 'ignore' });
    const hits = JSON.parse(
      execFileSync(bin, ['search', 'idx', 'boundary layer', '-k', '1', '--json'], { cwd: dir, encoding: 'utf8' }),
    ).hits;
    assert.equal(hits.length, 1);
    const init = spawnSync(bin, ['init', 'c', '--pipeline', 'bm25'], { cwd: dir, encoding: 'utf8' });
    assert.equal(init.status, 8, init.stderr);
    assert.match(
      init.stderr,
      /^shortlist: .*need the optional package @lancedb\/lancedb.*npm install @lancedb\/lancedb@0\.31\.0 apache-arrow@18\.1\.0/,
    );
    assert.ok(!init.stderr.includes(dir), 'no host path');
  });

  it('full: every example runs against the installed dist/', async () => {
    const dir = project('full', FULL);
    process.stderr.write(`# install size, full (+ ${FULL.join(', ')}): ${sizeMb(join(dir, 'node_modules')).toFixed(0)} MB\n`);
    for (const run of exampleRuns(join(work, 'scratch'))) {
      const out = runExample(dir, ['--import', TSX], join('examples', run.file), await run.args(), {
        SHORTLIST_BIN: join(dir, 'node_modules/.bin/shortlist'),
      });
      run.check(out);
    }
    assert.ok(existsSync(join(dir, 'node_modules/shortlist/dist/integrations/mcp/index.d.ts')), 'subpath types ship');
  });
});
