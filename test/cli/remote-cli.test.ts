/**
 * `shortlist rerank --provider` and `shortlist embed --provider` through the real binary against
 * loopback servers that speak Cohere's and OpenAI's wire formats; the key travels only by reference.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeScore, fakeVector, startFake } from '../remote/servers/fake-providers.ts';
import { runCli } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-remote-cli-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

test('rerank --provider cohere ranks by the provider scores and sends the key from the named variable', async () => {
  const key = 'co-test-key-123';
  const server = await startFake('cohere', { key });
  try {
    const docs = ['bananas are yellow', 'the query words: fast retrieval engine', 'a fast engine', 'nothing at all'];
    const file = join(root, 'docs.jsonl');
    writeFileSync(file, docs.map((text) => JSON.stringify({ text })).join('\n') + '\n');
    const query = 'fast retrieval engine';
    const args = [
      'rerank',
      '--provider',
      'cohere',
      '--model',
      'rerank-v3.5',
      '--base-url',
      server.url,
      '--api-key-env',
      'MY_CO_KEY',
      '--query',
      query,
      '--docs',
      file,
    ];
    const r = await runCli([...args, '--json'], { env: { MY_CO_KEY: key } });
    assert.equal(r.code, 0, r.stderr);
    const ranked = JSON.parse(r.stdout) as { index: number; score: number; logit: null }[];
    const expected = docs.map((d, index) => ({ index, score: fakeScore(query, d) })).sort((a, b) => b.score - a.score || a.index - b.index);
    assert.deepEqual(
      ranked.map((x) => x.index),
      expected.map((x) => x.index),
    );
    assert.deepEqual(
      ranked.map((x) => x.score),
      expected.map((x) => x.score),
    );
    assert.equal(server.received[0].path, '/v2/rerank');
    assert.equal(server.received[0].headers.authorization, `Bearer ${key}`);

    // A missing variable is named; the key value never appears in any output.
    const missing = await runCli(args, { env: { MY_CO_KEY: '' } });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /MY_CO_KEY/);
    const wrong = await runCli(args, { env: { MY_CO_KEY: 'wrong-secret-999' } });
    assert.notEqual(wrong.code, 0);
    assert.doesNotMatch(wrong.stderr + wrong.stdout, /wrong-secret-999/);
  } finally {
    await server.close();
  }
});

test('embed --provider openai returns the provider vectors, normalised, in input order', async () => {
  const server = await startFake('openai', { key: 'sk-test', dim: 8 });
  try {
    const texts = ['first text here', 'second one', 'third'];
    const r = await runCli(['embed', '--provider', 'openai', '--model', 'text-embedding-3-small', '--base-url', server.url, '--json'], {
      env: { OPENAI_API_KEY: 'sk-test' },
      input: texts.join('\n') + '\n',
    });
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as number[]);
    assert.equal(rows.length, 3);
    texts.forEach((t, i) => {
      const v = fakeVector(t, 8);
      const norm = Math.hypot(...v);
      rows[i].forEach((x, j) => assert.ok(Math.abs(x - v[j] / norm) < 1e-6, `text ${i} dim ${j}`));
    });
  } finally {
    await server.close();
  }
});
