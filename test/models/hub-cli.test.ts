/** `shortlist models pull|ls` against a loopback hub, run in-process through commander. */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Command } from 'commander';
import { register } from '../../src/cli/commands/models.ts';
import { getPreset } from '../../src/models/presets/index.ts';
import { startFakeHub, type FakeHub } from './hub-server.ts';

/** The preset's pinned commit: the fake hub serves the repo there. */
const COMMIT = getPreset('cross-encoder/ms-marco-TinyBERT-L-2-v2').revision!;
let hub: FakeHub;
let cache: string;
const saved: Record<string, string | undefined> = {};

/** Run `shortlist models …` and return what it wrote to stdout. */
async function run(...args: string[]): Promise<string> {
  const program = new Command('shortlist').exitOverride().configureOutput({ writeErr: () => {} });
  register(program);
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'shortlist', 'models', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

before(async () => {
  hub = await startFakeHub([
    {
      repo: 'Xenova/ms-marco-TinyBERT-L-2-v2',
      commit: COMMIT,
      files: {
        'tokenizer.json': '{"model":{}}',
        'config.json': '{}',
        'onnx/model.onnx': Buffer.alloc(2048, 7),
        'onnx/model_quantized.onnx': Buffer.alloc(512, 3),
      },
    },
  ]);
  cache = await mkdtemp(join(tmpdir(), 'shortlist-cli-'));
  for (const k of ['HF_ENDPOINT', 'SHORTLIST_CACHE', 'SHORTLIST_OFFLINE', 'HF_HUB_OFFLINE']) saved[k] = process.env[k];
  process.env.HF_ENDPOINT = hub.url;
  process.env.SHORTLIST_CACHE = cache;
  delete process.env.SHORTLIST_OFFLINE;
  delete process.env.HF_HUB_OFFLINE;
});

after(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await hub.close();
});

test('models ls shows every preset and nothing cached; pull fetches; ls then shows it cached', async () => {
  const before = JSON.parse(await run('ls', '--json')) as { id: string; cached: string[]; role: string }[];
  assert.ok(before.length >= 19);
  const tiny = before.find((r) => r.id === 'cross-encoder/ms-marco-TinyBERT-L-2-v2')!;
  assert.deepEqual(tiny.cached, []);
  assert.equal(tiny.role, 'cross-encoder');

  const text = await run('pull', 'cross-encoder/ms-marco-TinyBERT-L-2-v2', '--dtype', 'int8');
  assert.ok(!text.includes('Already cached'));
  assert.ok(text.includes(`Downloaded: Xenova/ms-marco-TinyBERT-L-2-v2@${COMMIT} (int8)`), text);
  assert.ok(text.includes(join(cache, 'models--Xenova--ms-marco-TinyBERT-L-2-v2', 'snapshots', COMMIT)));
  assert.match(text, /onnx\s+\S+model_quantized\.onnx/);

  const again = JSON.parse(await run('pull', 'cross-encoder/ms-marco-TinyBERT-L-2-v2', '--dtype', 'int8', '--json'));
  assert.equal(again.downloaded, false);
  assert.equal(again.revision, COMMIT);

  const table = await run('ls');
  const line = table.split('\n').find((l) => l.startsWith('cross-encoder/ms-marco-TinyBERT-L-2-v2'))!;
  assert.match(line, new RegExp(`cross-encoder\\s+-\\s+512\\s+none\\s+${COMMIT.slice(0, 10)}\\s+all verified\\s+fp32,fp16,int8\\s+int8$`));
  assert.match(table.split('\n')[0], /^model\s+role\s+dims\s+max len\s+pooling\/act\s+revision\s+facts\s+dtypes\s+cached$/);
  const nomic = table.split('\n').find((l) => l.startsWith('nomic-ai/nomic-embed-text-v1.5'))!;
  assert.match(nomic, /\s2048\s+mean\s+91d2d6bfdd\s+2 unverified\s/);

  const facts = await run('ls', '--facts');
  const block = facts.split('\n\n').find((b) => b.startsWith('jinaai/jina-colbert-v2 '))!;
  assert.match(
    block,
    /^jinaai\/jina-colbert-v2 \(jinaai\/jina-colbert-v2@4cf816e5e2b03167b132a3c847a9ecd48ba708e1\)\n {2}verified: every fact but 3\n {2}unverified: output name\n/,
  );
  assert.match(block, / {2}source: https:\/\/huggingface\.co\/jinaai\/jina-colbert-v2\/discussions\/11/);
  assert.match(
    facts,
    /cross-encoder\/ms-marco-TinyBERT-L-2-v2 \(Xenova\/ms-marco-TinyBERT-L-2-v2@\w{40}\)\n {2}verified: every fact below\n {2}source: /,
  );
});

test('models pull with a bad dtype is rejected by the flag parser', async () => {
  await assert.rejects(run('pull', 'acme/x', '--dtype', 'fp64'), /fp64/);
});

test('models pull on a folder without tokenizer.json names the folder and the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shortlist-cli-folder-'));
  await assert.rejects(run('pull', dir), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'MODEL_ERROR');
    assert.ok(err.message.includes(dir) && err.message.includes('tokenizer.json'), err.message);
    return true;
  });
});
