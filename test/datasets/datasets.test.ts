/**
 * `shortlist datasets get/ls` against a loopback HTTP server serving a BEIR zip built here with
 * fflate: a good download (md5 checked, unzipped atomically, usable by `shortlist eval`), a
 * truncated body, a 404, a wrong checksum, a transfer that fails once and is retried, offline mode,
 * and an archive with an entry outside its folder.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { BEIR_DATASETS, DATASET_MARKER, extractZip, getBeirDataset } from '../../src/datasets/index.ts';
import type { ShortlistError } from '../../src/core/errors.ts';
import { runCli } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-datasets-'));
after(() => rmSync(root, { recursive: true, force: true }));

const corpus =
  Array.from({ length: 30 }, (_, i) =>
    JSON.stringify({ _id: `d${i}`, title: `Doc ${i}`, text: i % 3 === 0 ? 'protein folding in cells' : 'supersonic wing flow' }),
  ).join('\n') + '\n';
const queries =
  [JSON.stringify({ _id: 'q1', text: 'protein folding' }), JSON.stringify({ _id: 'q2', text: 'wing flow' })].join('\n') + '\n';
const qrels = 'query-id\tcorpus-id\tscore\nq1\td0\t1\nq1\td3\t1\nq2\td1\t1\n';
const zip = zipSync({
  'scifact/corpus.jsonl': strToU8(corpus),
  'scifact/queries.jsonl': strToU8(queries),
  'scifact/qrels/test.tsv': strToU8(qrels),
});
const md5 = createHash('md5').update(zip).digest('hex');
const other = zipSync({ 'scifact/corpus.jsonl': strToU8('{"_id":"x","text":"other"}\n') });

let server: Server;
let base = '';
const hits = new Map<string, number>();
before(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const full = (body: Uint8Array) => res.writeHead(200, { 'content-length': body.byteLength }).end(body);
    const truncated = () => {
      res.writeHead(200, { 'content-length': zip.byteLength });
      res.write(zip.subarray(0, zip.byteLength >> 1), () => res.destroy());
    };
    if (path === '/ok/scifact.zip') return full(zip);
    if (path === '/bad/scifact.zip') return full(other);
    if (path === '/trunc/scifact.zip') return truncated();
    if (path === '/flaky/scifact.zip') return hits.get(path) === 1 ? truncated() : full(zip);
    res.writeHead(404).end('not here');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

let n = 0;
const freshCache = () => join(root, `cache-${++n}`);
const cli = (cache: string, ...args: string[]) =>
  runCli(args, { env: { SHORTLIST_DATASETS: cache, SHORTLIST_OFFLINE: '', HF_HUB_OFFLINE: '', SHORTLIST_BEIR_URL: '' } });
/** What is in the cache's beir/ folder (temporary folders included). */
const left = (cache: string) => (existsSync(join(cache, 'beir')) ? readdirSync(join(cache, 'beir')) : []);

test('get downloads, checks the md5, unzips into the cache and prints a folder `shortlist eval` reads; ls shows it cached', async () => {
  const cache = freshCache();
  const r = await cli(cache, 'datasets', 'get', 'beir/scifact', '--base-url', `${base}/ok`, '--md5', md5);
  assert.equal(r.code, 0, r.stderr);
  const path = r.stdout.trim();
  assert.equal(path, join(cache, 'beir', 'scifact'));
  assert.ok(
    existsSync(join(path, 'corpus.jsonl')) && existsSync(join(path, 'qrels', 'test.tsv')) && existsSync(join(path, DATASET_MARKER)),
  );
  assert.match(r.stderr, new RegExp(`md5 ${md5} verified`));
  assert.deepEqual(left(cache), ['scifact'], 'no temporary folder or zip is left behind');

  const again = await getBeirDataset('beir/scifact', { cacheDir: cache, baseUrl: `${base}/ok`, md5, offline: false });
  assert.equal(again.cached, true);
  assert.equal(again.md5, md5);
  assert.equal(hits.get('/ok/scifact.zip'), 1, 'a cached dataset is not downloaded again');

  const ls = JSON.parse((await cli(cache, 'datasets', 'ls', '--json')).stdout) as {
    id: string;
    cached: string | null;
    md5: string | null;
  }[];
  assert.equal(ls.find((d) => d.id === 'beir/scifact')!.cached, path);
  assert.equal(ls.find((d) => d.id === 'beir/nfcorpus')!.cached, null);
  assert.equal(ls.find((d) => d.id === 'beir/nfcorpus')!.md5, BEIR_DATASETS.nfcorpus.md5);

  const ev = await runCli(['eval', path, '--pipeline', 'bm25', '--json'], { env: { SHORTLIST_CACHE: join(root, 'c') } });
  assert.equal(ev.code, 0, ev.stderr);
  assert.match(ev.stdout, /ndcg/i);
});

test('a truncated body fails after its retries, says so with the URL to fetch by hand, and leaves nothing', async () => {
  const cache = freshCache();
  const r = await cli(cache, 'datasets', 'get', 'beir/scifact', '--base-url', `${base}/trunc`, '--md5', md5, '--retries', '1');
  assert.equal(r.code, 7, r.stderr);
  assert.match(r.stderr, /after 2 attempts/);
  assert.match(r.stderr, /truncated|broke off/);
  assert.match(r.stderr, new RegExp(`download ${base}/trunc/scifact.zip`));
  assert.match(r.stderr, /nothing was written/);
  assert.deepEqual(left(cache), []);
});

test('a transfer that breaks off once is retried and then succeeds', async () => {
  const cache = freshCache();
  const got = await getBeirDataset('beir/scifact', {
    cacheDir: cache,
    baseUrl: `${base}/flaky`,
    md5,
    retries: 1,
    backoffBaseMs: 1,
    offline: false,
  });
  assert.equal(got.md5, md5);
  assert.equal(got.verified, true);
  assert.equal(hits.get('/flaky/scifact.zip'), 2);
  assert.deepEqual(left(cache), ['scifact']);
});

test('a 404 is final (not retried) and names the URL; nothing is kept', async () => {
  const cache = freshCache();
  await assert.rejects(
    getBeirDataset('beir/scifact', { cacheDir: cache, baseUrl: `${base}/missing`, offline: false }),
    (e: ShortlistError) => {
      assert.equal(e.code, 'NOT_FOUND');
      assert.match(e.message, new RegExp(`${base}/missing/scifact.zip answered HTTP 404`));
      assert.match(e.message, /unzip it into/);
      return true;
    },
  );
  assert.equal(hits.get('/missing/scifact.zip'), 1);
  assert.deepEqual(left(cache), []);
});

test("a wrong checksum or a size other than the catalog's is refused and nothing is kept", async () => {
  const cache = freshCache();
  const wrong = '0'.repeat(32);
  await assert.rejects(
    getBeirDataset('beir/scifact', { cacheDir: cache, baseUrl: `${base}/ok`, md5: wrong, retries: 0, offline: false }),
    (e: ShortlistError) => {
      assert.equal(e.code, 'NETWORK_ERROR');
      return new RegExp(`md5 ${md5} differs from the expected ${wrong}`).test(e.message);
    },
  );
  assert.deepEqual(left(cache), []);
  // Without --md5 the catalog's size and md5 apply: a zip other than BEIR's scifact is refused.
  await assert.rejects(
    getBeirDataset('beir/scifact', { cacheDir: cache, baseUrl: `${base}/bad`, retries: 0, offline: false }),
    (e: ShortlistError) => new RegExp(`received ${other.byteLength} of ${BEIR_DATASETS.scifact.bytes} bytes`).test(e.message),
  );
  assert.deepEqual(left(cache), []);
});

test('offline: a clear message with the URL and the folder to unzip into', async () => {
  const cache = freshCache();
  const r = await runCli(['datasets', 'get', 'beir/nfcorpus'], {
    env: { SHORTLIST_DATASETS: cache, SHORTLIST_OFFLINE: '1', SHORTLIST_BEIR_URL: '' },
  });
  assert.equal(r.code, 7);
  assert.match(r.stderr, /offline/);
  assert.match(r.stderr, /https:\/\/public\.ukp\.informatik\.tu-darmstadt\.de\/thakur\/BEIR\/datasets\/nfcorpus\.zip/);
  assert.match(r.stderr, new RegExp(`unzip it into ${join(cache, 'beir')}`));
  assert.match(r.stderr, /a89dba18a62ef92f7d323ec890a0d38d/);
});

test("unknown names list the valid ones; an entry outside the archive's folder is refused", async () => {
  await assert.rejects(
    getBeirDataset('beir/nope', { cacheDir: freshCache() }),
    (e: ShortlistError) => e.code === 'INVALID_ARGUMENT' && /beir\/scifact/.test(e.message),
  );
  const evil = join(root, 'evil.zip');
  writeFileSync(evil, zipSync({ 'ok.txt': strToU8('fine'), '../escape.txt': strToU8('bad') }));
  await assert.rejects(
    extractZip(evil, join(root, 'x')),
    (e: ShortlistError) => e.code === 'INVALID_INPUT' && /outside its folder/.test(e.message),
  );
  assert.ok(!existsSync(join(root, 'escape.txt')));
  const junk = join(root, 'junk.zip');
  writeFileSync(junk, zip.subarray(0, zip.byteLength - 40));
  const out = join(root, 'y');
  await extractZip(junk, out).then(
    (r) => assert.equal(r.files.length, 3, 'a zip cut inside its central directory still holds every entry'),
    (e: ShortlistError) => assert.equal(e.code, 'INVALID_INPUT'),
  );
});
