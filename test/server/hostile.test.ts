/**
 * A hostile caller against the real `shortlist serve` process. A loopback "sink" HTTP server
 * stands for every address an attacker would like the server to call (an LLM endpoint, a model
 * hub) and records every connection it receives. Each attack — a pipeline override with a
 * `baseUrl` and an `apiKey.env`, a hub id, relative and absolute model folders, a pipeline given as
 * /etc/passwd, /proc/self/environ, a FIFO or a missing file, filters and bodies nested past the
 * limits, lone-surrogate ids, oversize fields, k and depth of 2e9, 60,000 ids in one DELETE —
 * gets a 4xx; the sink records zero connections; no body holds file contents, a server path, the
 * name of another collection or a secret; every error carries a request id the server log also
 * has; and `/health` answers within 100 ms throughout (a probe every 25 ms from a worker thread
 * while the attacks run, timed against an idle control server probed at the same moment: the
 * bound is on the server's time over the control's, so a busy machine slows both alike and a
 * blocked event loop still fails; when even the control takes over 100 ms the bound cannot be
 * measured, and is reported as skipped, never as passed).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { Collection } from '../../src/engine/collection.ts';
import { startServe, type ServeProcess } from '../support/cli.ts';
import { DOCS, post } from './support.ts';

const SECRET = 'sk-operator-secret-4f1c';

/** A loopback server that answers 200 to anything and counts the connections it accepts. */
async function startSink(): Promise<{ url: string; connections: () => number; server: Server }> {
  let connections = 0;
  const server = createServer((req, res) => {
    req.resume();
    res.end('{}');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, connections: () => connections, server };
}

/**
 * The probe, in a worker thread so that the test's own work (building large bodies) never delays
 * it: GET /health on the server and, at the same moment, on a control — an idle HTTP server in
 * the worker — every `everyMs`. The control is the peer that shows what the machine itself costs at that moment
 * (on an oversubscribed machine both slow down; a blocked server does not answer at all).
 */
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
let running = true, label = 'start', count = 0, failures = 0;
const server = { max: 0, excess: 0, slow: [] }, control = { max: 0 };
parentPort.on('message', (m) => { if (m.label) label = m.label; if (m.stop) running = false; });
const idle = http.createServer((req, res) => res.end('{"status":"ok"}'));
idle.listen(0, '127.0.0.1', async () => {
  const controlUrl = 'http://127.0.0.1:' + idle.address().port;
  const time = async (url) => {
    const t0 = performance.now();
    const res = await fetch(url + '/health').catch(() => undefined);
    await res?.arrayBuffer();
    return { ms: performance.now() - t0, ok: res?.status === 200 };
  };
  while (running) {
    const [s, c] = await Promise.all([time(workerData.url), time(controlUrl)]);
    count++;
    if (!s.ok) failures++;
    server.max = Math.max(server.max, s.ms);
    server.excess = Math.max(server.excess, s.ms - c.ms);
    control.max = Math.max(control.max, c.ms);
    if (s.ms - c.ms >= 100) server.slow.push(Math.round(s.ms) + ' ms (control ' + Math.round(c.ms) + ' ms) during ' + label);
    await new Promise((r) => setTimeout(r, workerData.everyMs));
  }
  idle.close();
  parentPort.postMessage({ max: server.max, excess: server.excess, control: control.max, count, failures, slow: server.slow });
});
`;

interface ProbeResult {
  /** Slowest /health answer of the server (ms). */
  max: number;
  /** Most the server's answer took over the control's, probed at the same moment (ms). */
  excess: number;
  /** Slowest answer of the idle control server over the same time (ms). */
  control: number;
  count: number;
  failures: number;
  slow: string[];
}

/** Probe /health (and the control) from a worker thread until stopped; `label` names the attack in progress. */
function healthProbe(url: string, everyMs = 25) {
  const worker = new Worker(PROBE, { eval: true, workerData: { url, everyMs } });
  return {
    set label(label: string) {
      worker.postMessage({ label });
    },
    async stop(): Promise<ProbeResult> {
      const done = new Promise<ProbeResult>((resolve) => worker.once('message', resolve));
      worker.postMessage({ stop: true });
      const result = await done;
      await worker.terminate();
      return result;
    },
  };
}

/** Wait (up to 2 s) for `check` to hold: the child's stderr arrives through a pipe, a little after the response. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check(), what);
}

/** A raw HTTP request (fetch would not let the test set Host). */
function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('hostile requests against shortlist serve', () => {
  let root: string;
  let cols: string;
  let fifo: string;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let serve: ServeProcess;
  let ce: string;
  let probed: ProbeResult | undefined;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'shortlist-hostile-'));
    cols = join(root, 'cols');
    fifo = join(root, 'pipe.fifo');
    execFileSync('mkfifo', [fifo]);
    writeFileSync(join(root, 'secret-pipeline.json'), JSON.stringify({ retrievers: [{ type: 'bm25' }], note: 'root:x:0:0' }));
    ce = await tinyModel('classifier');
    const [enc] = await Promise.all([tinyModel('encoder')]);
    const c = await Collection.create(join(cols, 'docs'), {
      retrievers: [{ type: 'bm25' }],
      rerank: [{ type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 64, keep: 3, threads: 1 }],
      depth: 10,
      k: 3,
    });
    await c.add([
      ...DOCS.map((text, i) => ({ id: `d${i}`, text })),
      ...Array.from({ length: 20 }, (_, i) => ({ id: `b${i}`, text: `blood report number ${i}` })),
    ]);
    await c.close();
    const other = await Collection.create(join(cols, 'private-payroll'), 'bm25');
    await other.add([{ id: 'p', text: 'salaries' }]);
    await other.close();
    const plain = await Collection.create(join(cols, 'plain'), 'bm25');
    await plain.add(Array.from({ length: 60 }, (_, i) => ({ id: `p${i}`, text: `blood report number ${i}` })));
    await plain.close();
    sink = await startSink();
    serve = await startServe(
      [
        '--port',
        '0',
        '--collections',
        cols,
        '--rerank-model',
        ce,
        '--rerank-preset',
        '{"activation":"sigmoid","maxLength":64}',
        '--embed-model',
        enc,
        '--embed-preset',
        '{"pooling":"mean","normalize":true,"maxLength":64}',
        '--threads',
        '1',
      ],
      { env: { SINK_KEY: SECRET, HF_ENDPOINT: sink.url, SHORTLIST_HUB_URL: sink.url } },
    );
  });
  after(async () => {
    await serve?.stop();
    await new Promise((r) => sink?.server.close(r));
    rmSync(root, { recursive: true, force: true });
  });

  it('every attack is a 4xx, the sink sees no connection, no body leaks, /health keeps answering', async () => {
    const llm = { type: 'llm-listwise', baseUrl: `${sink.url}/v1`, model: 'gpt', apiKey: { env: 'SINK_KEY' } };
    const remote = { type: 'remote', provider: 'cohere', model: 'rerank-v3.5', baseUrl: sink.url, apiKey: { env: 'SHORTLIST_KEYS' } };
    // sent as raw JSON text: JSON.stringify itself would overflow the stack on it
    const deepPipeline = `{"collection":"docs","query":"blood","pipeline":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    const attacks: [string, string, string, unknown][] = [
      // a request configuring the pipeline: new stages, URLs, key references, models, folders
      [
        'search: pipeline with an llm-listwise stage at the sink',
        'POST',
        '/v1/search',
        { collection: 'docs', query: 'blood', pipeline: { rerank: [llm] } },
      ],
      [
        'search: pipeline with a remote stage and SHORTLIST_KEYS',
        'POST',
        '/v1/search',
        { collection: 'docs', query: 'blood', pipeline: { rerank: [remote] } },
      ],
      ['search: a stage smuggled into the rerank knobs', 'POST', '/v1/search', { collection: 'docs', query: 'blood', rerank: [llm] }],
      [
        'search: a baseUrl in a knob',
        'POST',
        '/v1/search',
        { collection: 'docs', query: 'blood', rerank: [{ keep: 2, baseUrl: sink.url }] },
      ],
      [
        'search: a hub model id',
        'POST',
        '/v1/search',
        { collection: 'docs', query: 'blood', pipeline: { rerank: [{ type: 'cross-encoder', model: 'attacker/model' }] } },
      ],
      [
        'search: a relative model folder',
        'POST',
        '/v1/search',
        { collection: 'docs', query: 'blood', pipeline: { rerank: [{ type: 'cross-encoder', model: '../../../../tmp/x' }] } },
      ],
      [
        'search: an absolute model folder',
        'POST',
        '/v1/search',
        { collection: 'docs', query: 'blood', pipeline: { retrievers: [{ type: 'dense', model: ce }] } },
      ],
      [
        'search: more rerank knobs than stages',
        'POST',
        '/v1/search',
        { collection: 'docs', query: 'blood', rerank: [{ keep: 2 }, { keep: 1 }] },
      ],
      ['search: k of 2e9', 'POST', '/v1/search', { collection: 'docs', query: 'blood', k: 2e9 }],
      ['search: depth of 2e9', 'POST', '/v1/search', { collection: 'docs', query: 'blood', depth: 2e9 }],
      ['search: a filter of 100k "("', 'POST', '/v1/search', { collection: 'docs', query: 'blood', filter: '('.repeat(100_000) }],
      [
        'search: a filter of 100k "NOT "',
        'POST',
        '/v1/search',
        { collection: 'docs', query: 'blood', filter: 'NOT '.repeat(100_000) + 'a = 1' },
      ],
      [
        'search: a filter nested 1,000 deep within the size limit',
        'POST',
        '/v1/search',
        { collection: 'docs', query: 'blood', filter: '('.repeat(1000) + 'a = 1' + ')'.repeat(1000) },
      ],
      ['search: a pipeline nested 5,000 deep', 'POST', '/v1/search', deepPipeline],
      [
        'search: an array nested 100,000 deep',
        'POST',
        '/v1/search',
        `{"collection":"docs","query":"blood","filter":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      ],
      ['search: a missing collection', 'POST', '/v1/search', { collection: 'nope', query: 'blood' }],
      ['search: a path as a collection', 'POST', '/v1/search', { collection: '../cols/docs', query: 'blood' }],
      // creation: a path, a FIFO, a missing file, a configured pipeline
      [
        'create: pipeline /etc/passwd',
        'POST',
        '/v1/collections/c1/documents',
        { pipeline: '/etc/passwd', documents: [{ id: 'a', text: 'b' }] },
      ],
      [
        'create: pipeline /proc/self/environ',
        'POST',
        '/v1/collections/c2/documents',
        { pipeline: '/proc/self/environ', documents: [{ id: 'a', text: 'b' }] },
      ],
      ['create: pipeline a FIFO', 'POST', '/v1/collections/c3/documents', { pipeline: fifo, documents: [{ id: 'a', text: 'b' }] }],
      [
        'create: pipeline a missing file',
        'POST',
        '/v1/collections/c4/documents',
        { pipeline: join(root, 'missing.json'), documents: [{ id: 'a', text: 'b' }] },
      ],
      [
        'create: pipeline an existing file',
        'POST',
        '/v1/collections/c5/documents',
        { pipeline: join(root, 'secret-pipeline.json'), documents: [{ id: 'a', text: 'b' }] },
      ],
      [
        'create: inline llm-listwise at the sink',
        'POST',
        '/v1/collections/c6/documents',
        { pipeline: { retrievers: [{ type: 'bm25' }], rerank: [llm] }, documents: [{ id: 'a', text: 'b' }] },
      ],
      [
        'create: inline hub model',
        'POST',
        '/v1/collections/c7/documents',
        { pipeline: { retrievers: [{ type: 'dense', model: 'attacker/model' }] }, documents: [{ id: 'a', text: 'b' }] },
      ],
      [
        'create: inline remote encoder',
        'POST',
        '/v1/collections/c8/documents',
        {
          pipeline: {
            retrievers: [{ type: 'dense', remote: { provider: 'openai', model: 'x', baseUrl: sink.url, apiKey: { env: 'SINK_KEY' } } }],
          },
          documents: [{ id: 'a', text: 'b' }],
        },
      ],
      // ids and fields
      ['upsert: lone-surrogate id', 'POST', '/v1/collections/docs/documents', { documents: [{ id: 'dup\ud800', text: 'x' }] }],
      ['delete: lone-surrogate id', 'DELETE', '/v1/collections/docs/documents', { ids: ['dup\udbff'] }],
      ['upsert: a 900k-character id', 'POST', '/v1/collections/docs/documents', { documents: [{ id: 'i'.repeat(900_000), text: 'x' }] }],
      ['upsert: a 600-character id', 'POST', '/v1/collections/docs/documents', { documents: [{ id: 'i'.repeat(600), text: 'x' }] }],
      [
        'upsert: a 100k-character title',
        'POST',
        '/v1/collections/docs/documents',
        { documents: [{ id: 'a', text: 'x', title: 't'.repeat(100_000) }] },
      ],
      [
        'upsert: a 100k-character metadata value',
        'POST',
        '/v1/collections/docs/documents',
        { documents: [{ id: 'a', text: 'x', metadata: { m: 'v'.repeat(100_000) } }] },
      ],
      ['delete: 60,000 ids', 'DELETE', '/v1/collections/docs/documents', { ids: Array.from({ length: 60_000 }, (_, i) => `${i}`) }],
    ];
    // warm up (first connections, first compiles) before timing /health
    for (let i = 0; i < 3; i++) await (await fetch(`${serve.url}/health`)).arrayBuffer();
    assert.equal((await post(`${serve.url}/v1/search`, { collection: 'docs', query: 'blood', depth: 5 })).status, 200);
    const prepared = attacks.map(
      ([what, method, path, body]) => [what, method, path, typeof body === 'string' ? body : JSON.stringify(body)] as const,
    );
    const probe = healthProbe(serve.url);
    await new Promise((r) => setTimeout(r, 100));
    const bodies: string[] = [];
    for (const [what, method, path, body] of prepared) {
      probe.label = what;
      const res = await post(serve.url + path, body, {}, method);
      assert.ok(res.status >= 400 && res.status < 500, `${what}: ${res.status} ${res.text.slice(0, 300)}`);
      assert.match(res.json?.request_id ?? '', /^[0-9a-f-]{36}$/, `${what}: a request id`);
      await until(() => serve.stderr().includes(res.json.request_id), `${what}: the server log has the request id`);
      bodies.push(res.text);
    }
    const health = await probe.stop();
    assert.equal(sink.connections(), 0, 'the server called no address a request named');
    for (const text of bodies) {
      for (const leak of [
        'root:x:0:0',
        'root:',
        'SINK_KEY=',
        SECRET,
        root,
        cols,
        tmpdir(),
        '/etc/',
        '/proc/',
        'private-payroll',
        'at file://',
        'node_modules',
      ]) {
        assert.ok(!text.includes(leak), `${text.slice(0, 200)} holds ${JSON.stringify(leak)}`);
      }
    }
    assert.equal(health.failures, 0, '/health answered every probe');
    assert.ok(health.count >= 5, `probed ${health.count} times`);
    console.log(
      `# /health: ${health.count} probes during ${attacks.length} attacks, slowest ${health.max.toFixed(1)} ms; idle control server slowest ${health.control.toFixed(1)} ms`,
    );
    assert.ok(health.max < 10_000, `/health kept answering (slowest ${health.max.toFixed(1)} ms): no attack blocked the event loop`);
    probed = health;
    // the collection is untouched and still serves
    const ok = await post(`${serve.url}/v1/search`, { collection: 'docs', query: 'blood pressure', k: 2 });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.hits.length, 2);
    const info = (await (await fetch(`${serve.url}/v1/collections/docs`)).json()) as { pipeline: { rerank: { model: string }[] } };
    assert.equal(info.pipeline.rerank[0].model, basename(ce), 'a local model folder shows as its last segment');
    assert.ok(!JSON.stringify(info).includes(ce) && !JSON.stringify(info).includes(cols), 'info holds no server path');
    for (const name of ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'])
      assert.equal((await fetch(`${serve.url}/v1/collections/${name}`)).status, 404, `${name} was not created`);
  });

  it('/health answered within 100 ms throughout the attacks', (t) => {
    assert.ok(probed, 'the attacks ran');
    // the idle control server, probed at the same moments, shows what the machine itself cost: the
    // bound is on the server's time over it; when even the control took over 100 ms the machine is
    // so oversubscribed that a 100 ms bound cannot be measured here
    if (probed.control > 100) {
      t.skip(
        `machine oversubscribed: the idle control server took ${probed.control.toFixed(1)} ms; /health slowest ${probed.max.toFixed(1)} ms (${probed.slow.join('; ')})`,
      );
      return;
    }
    assert.ok(
      probed.excess < 100,
      `/health took up to ${probed.excess.toFixed(1)} ms more than the idle control (limit 100 ms; slowest ${probed.max.toFixed(1)} ms): ${probed.slow.join('; ')}`,
    );
  });

  it('without keys: a text/plain body is 415, a foreign Host or Origin is 403', async () => {
    const body = JSON.stringify({ collection: 'docs', query: 'blood' });
    const plain = await rawRequest(serve.url, { method: 'POST', path: '/v1/search', headers: { 'content-type': 'text/plain' }, body });
    assert.equal(plain.status, 415, plain.text);
    const none = await rawRequest(serve.url, { method: 'POST', path: '/v1/search', body });
    assert.equal(none.status, 415, none.text);
    const evil = await rawRequest(serve.url, {
      method: 'POST',
      path: '/v1/search',
      headers: { host: 'evil.example', 'content-type': 'application/json' },
      body,
    });
    assert.equal(evil.status, 403, evil.text);
    assert.match(JSON.parse(evil.text).error.message, /loopback name/);
    const rebound = await rawRequest(serve.url, { path: '/v1/collections', headers: { host: 'evil.example:80' } });
    assert.equal(rebound.status, 403, 'DNS rebinding: a GET under a foreign Host is refused too');
    const cross = await rawRequest(serve.url, {
      method: 'POST',
      path: '/v1/search',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body,
    });
    assert.equal(cross.status, 403, cross.text);
    const same = await rawRequest(serve.url, {
      method: 'POST',
      path: '/v1/search',
      headers: { origin: serve.url, 'content-type': 'application/json; charset=utf-8' },
      body,
    });
    assert.equal(same.status, 200, same.text);
    const local = await rawRequest(serve.url, { path: '/health', headers: { host: `localhost:${new URL(serve.url).port}` } });
    assert.equal(local.status, 200);
  });

  it('50 distinct permitted overrides run concurrently (8 handles at most), all 200, each with its own depth', async () => {
    const runs = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(`${serve.url}/v1/search`, { collection: 'plain', query: 'blood report', depth: 1 + i, k: 50, explain: true }),
      ),
    );
    runs.forEach((r, i) => {
      assert.equal(r.status, 200, `override ${i}: ${r.text}`);
      assert.equal(r.json.hits.length, 1 + i, 'the first stage went as deep as asked');
    });
    // knobs of a stored rerank stage, and more overrides than handles once more, one after another
    for (let i = 0; i < 10; i++) {
      const r = await post(`${serve.url}/v1/search`, {
        collection: 'docs',
        query: 'blood',
        depth: 3 + (i % 5),
        rerank: [{ keep: 3 }],
        k: 2,
      });
      assert.equal(r.status, 200, r.text);
    }
    assert.equal((await fetch(`${serve.url}/health`)).status, 200);
  });

  it('ids: lone surrogates are 422; equal strings are one document in the store and in BM25', async () => {
    const bad = await post(`${serve.url}/v1/collections/docs/documents`, {
      documents: [
        { id: 'dup\ud800', text: 'zebra' },
        { id: 'dup\udbff', text: 'zebra' },
      ],
    });
    assert.equal(bad.status, 422, bad.text);
    assert.match(bad.json.error.message, /documents\[0\]\.id: .*lone surrogate/);
    const twice = await post(`${serve.url}/v1/collections/docs/documents`, {
      documents: [
        { id: 'zz', text: 'zebra one' },
        { id: 'zz', text: 'zebra two' },
      ],
    });
    assert.equal(twice.status, 409, twice.text);
    for (const text of ['zebra one', 'zebra two'])
      assert.equal((await post(`${serve.url}/v1/collections/docs/documents`, { documents: [{ id: 'zz\u00e9', text }] })).status, 200);
    assert.equal(
      (await post(`${serve.url}/v1/collections/docs/documents`, { documents: [{ id: 'zze\u0301', text: 'zebra three' }] })).status,
      200,
      'a different string (decomposed é) is another document',
    );
    const found = await post(`${serve.url}/v1/search`, { collection: 'docs', query: 'zebra', k: 10 });
    assert.deepEqual(
      found.json.hits.map((h: any) => h.id).sort(),
      ['zz\u00e9', 'zze\u0301'].sort(),
      'one hit per id: the store and BM25 agree',
    );
    assert.equal(found.json.hits.find((h: any) => h.id === 'zz\u00e9').text, 'zebra two');
    const del = await post(`${serve.url}/v1/collections/docs/documents`, { ids: ['zz\u00e9', 'zze\u0301'] }, {}, 'DELETE');
    assert.equal(del.json.deleted, 2);
    const gone = await post(`${serve.url}/v1/search`, { collection: 'docs', query: 'zebra', k: 10 });
    assert.deepEqual(gone.json.hits, [], 'deleted from the store and from BM25');
  });
});

describe('shortlist serve refuses to expose a keyless server', () => {
  it('--host 0.0.0.0 without keys exits with a clear message; --insecure-no-auth starts with a warning', async () => {
    const refused = await startServe(['--port', '0', '--host', '0.0.0.0']).then(
      async (s) => (await s.stop(), 'started'),
      (err: Error) => err.message,
    );
    assert.match(refused, /exited with 2 before listening/);
    assert.match(refused, /refusing to listen on 0\.0\.0\.0 without API keys.*--insecure-no-auth/s);
    assert.doesNotMatch(refused, /\n\s+at /, 'no stack trace');
    const insecure = await startServe(['--port', '0', '--host', '0.0.0.0', '--insecure-no-auth']);
    try {
      // stderr and stdout are two pipes: the warning may arrive after the "listening" line
      for (let waited = 0; !/WITHOUT API keys/.test(insecure.stderr()) && waited < 10_000; waited += 20)
        await new Promise((r) => setTimeout(r, 20));
      assert.match(insecure.stderr(), /WITHOUT API keys/);
      const port = new URL(insecure.url).port;
      const res = await rawRequest(`http://127.0.0.1:${port}`, { path: '/health', headers: { host: `search.internal:${port}` } });
      assert.equal(res.status, 200, 'any Host is accepted when the operator chose so');
    } finally {
      await insecure.stop();
    }
    const keyed = await startServe(['--port', '0', '--host', '0.0.0.0', '--api-key-env', 'HOSTILE_KEYS'], { env: { HOSTILE_KEYS: 'k1' } });
    await keyed.stop();
  });
});
