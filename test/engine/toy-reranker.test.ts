/**
 * The acceptance test of the rerank stage registry: a toy reranker stage added with one entry
 * (`registerRerankStage({ type, schema, create })`) is accepted by the pipeline schema, loaded and
 * run by a collection, listed in `shortlist eval --help` / `init --help`, documented in a real
 * server's /openapi.json and creatable over HTTP; without the entry the same pipeline is an
 * INVALID_ARGUMENT (400 over HTTP) naming `$.rerank[0].type`.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { isShortlistError } from '../../src/core/errors.ts';
import { compareHits, type Candidate } from '../../src/core/types.ts';
import { Collection } from '../../src/engine/collection.ts';
import { buildProgram, main } from '../../src/cli/main.ts';
import { pipelineSchema, resolvePipeline } from '../../src/pipeline/config.ts';
import { registerRerankStage, rerankStage } from '../../src/pipeline/rerank-stages.ts';
import { createServer } from '../../src/server/index.ts';
import { post } from '../server/support.ts';

/** The one entry: a stage that scores a candidate by how often `word` occurs in it. */
const TOY = {
  type: 'toy',
  summary: 'counts a word',
  schema: z.strictObject({
    type: z.literal('toy'),
    name: z.string().optional(),
    keep: z.number().int().min(1).optional(),
    word: z.string().min(1),
  }),
  create: async (cfg: { name: string; word: string }) => ({
    name: cfg.name,
    rerank: async (_query: string, candidates: Candidate[], k: number) =>
      candidates
        .map((c) => ({ id: c.id, score: c.text.split(/\W+/).filter((w) => w === cfg.word).length }))
        .sort(compareHits)
        .slice(0, k),
    dispose: async () => {},
  }),
};

const DOCS = [
  { id: 'a', text: 'blood pressure fell after the blood test' },
  { id: 'b', text: 'blood pressure rose; glucose glucose glucose in the blood pressure cells' },
  { id: 'c', text: 'pressure waves in supersonic flow' },
];
const PIPELINE = { retrievers: [{ type: 'bm25' }], rerank: [{ type: 'toy', word: 'glucose', keep: 2 }], depth: 3, k: 2 };

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'shortlist-toy-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** What `shortlist <verb> --help` prints. */
async function help(verb: string): Promise<string> {
  const program = await buildProgram([verb]);
  const cmd = program.commands.find((c) => c.name() === verb)!;
  let out = '';
  cmd.configureOutput({ writeOut: (s) => (out += s) });
  cmd.outputHelp();
  return out;
}

/** The rerank stage union the server documents for an inline pipeline at collection creation. */
async function documentedRerankTypes(): Promise<string[]> {
  const server = await createServer({ port: 0, quiet: true, collections: join(root, 'openapi') });
  try {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as any;
    const pipeline = doc.paths['/v1/collections/{name}/documents'].post.requestBody.content['application/json'].schema.properties.pipeline;
    const object = pipeline.anyOf.find((s: { type?: string }) => s.type === 'object');
    return object.properties.rerank.items.oneOf.flatMap((s: any) => s.properties.type.enum ?? [s.properties.type.const]);
  } finally {
    await server.close();
  }
}

const typeError = (e: unknown) =>
  isShortlistError(e, 'INVALID_ARGUMENT') && (e as { location?: { field?: string } }).location?.field === '$.rerank[0].type';

test('without the entry the toy pipeline is refused naming $.rerank[0].type, and nothing lists "toy"', async () => {
  assert.throws(() => resolvePipeline(PIPELINE), typeError);
  assert.throws(() => rerankStage('toy'), /unknown rerank stage type "toy"/);
  assert.doesNotMatch(await help('eval'), /\btoy\b/);
  assert.deepEqual((await documentedRerankTypes()).sort(), ['colbert', 'cross-encoder', 'llm-listwise', 'remote']);
  const server = await createServer({ port: 0, quiet: true, collections: join(root, 'refused'), creation: { models: ['none'] } });
  try {
    const res = await post(`${server.url}/v1/collections/toyed/documents`, { pipeline: PIPELINE, documents: DOCS });
    assert.equal(res.status, 400, res.text);
    assert.match(res.text, /rerank\[0\]\.type/);
  } finally {
    await server.close();
  }
});

test('one registry entry: the toy stage resolves, runs in a collection and over HTTP, and shows in the schema, --help and /openapi.json', async (t) => {
  const unregister = registerRerankStage(TOY);
  t.after(unregister);
  assert.throws(
    () => registerRerankStage(TOY),
    (e) => isShortlistError(e, 'ALREADY_EXISTS'),
  );
  assert.throws(
    () => registerRerankStage({ ...TOY, type: 'cross-encoder' }),
    (e) => isShortlistError(e, 'ALREADY_EXISTS'),
    'a built-in type is not replaced',
  );

  // the pipeline schema: the toy stage validates with its own fields
  const resolved = resolvePipeline(PIPELINE);
  assert.deepEqual(resolved.rerank, [{ type: 'toy', word: 'glucose', keep: 2, name: 'toy' }]);
  assert.throws(
    () => resolvePipeline({ ...PIPELINE, rerank: [{ type: 'toy' }] }),
    (e) => (e as { location?: { field?: string } }).location?.field === '$.rerank[0].word',
  );
  const json = z.toJSONSchema(pipelineSchema(), { io: 'input' }) as any;
  assert.ok(json.properties.rerank.items.oneOf.some((s: any) => s.properties.type.const === 'toy' && s.required.includes('word')));

  // the engine loads it through the entry's create and runs it after BM25
  const collection = await Collection.create(join(root, 'toy'), resolved);
  try {
    await collection.add(DOCS);
    const result = await collection.search('blood pressure');
    assert.deepEqual(
      result.hits.map((h) => [h.id, h.score]),
      [
        ['b', 3],
        ['a', 0],
      ],
      'the toy stage puts b (3 × glucose) on top',
    );
    assert.deepEqual(
      result.hits[0].trace?.map((s) => s.stage),
      ['bm25', 'toy'],
    );
    assert.deepEqual(
      result.hits.map((h) => h.trace?.[0].rank),
      [2, 1],
      'BM25 ranked a first',
    );
  } finally {
    await collection.close();
  }

  // the CLI (in this process, where the entry is registered) makes a collection with it
  const file = join(root, 'toy-pipeline.json');
  writeFileSync(file, JSON.stringify(PIPELINE));
  assert.equal(await main(['node', 'shortlist', 'init', join(root, 'cli-toy'), '--pipeline', file, '--json']), 0);
  assert.deepEqual(
    JSON.parse(readFileSync(join(root, 'cli-toy', 'pipeline.json'), 'utf8')).rerank.map((s: { type: string }) => s.type),
    ['toy'],
  );

  // --help of the commands that take a pipeline names it with its fields
  for (const verb of ['eval', 'init']) assert.match(await help(verb), /^ {2}toy +counts a word \(fields: type, name, keep, word\)$/m, verb);
  assert.match(await help('eval'), /^ {2}cross-encoder +a local cross-encoder .*\(fields: type, name, model, /m);

  // /openapi.json of a real server documents it, and the server creates a collection with it
  assert.deepEqual((await documentedRerankTypes()).sort(), ['colbert', 'cross-encoder', 'llm-listwise', 'remote', 'toy']);
  const server = await createServer({ port: 0, quiet: true, collections: join(root, 'served'), creation: { models: ['none'] } });
  try {
    const created = await post(`${server.url}/v1/collections/toyed/documents`, { pipeline: PIPELINE, documents: DOCS });
    assert.equal(created.status, 201, created.text);
    const search = await post(`${server.url}/v1/search`, { collection: 'toyed', query: 'blood pressure' });
    assert.equal(search.status, 200, search.text);
    assert.deepEqual(
      (search.json as { hits: { id: string }[] }).hits.map((h) => h.id),
      ['b', 'a'],
    );
  } finally {
    await server.close();
  }
});

test('removing the entry (what the returned function does) makes the type unknown again', async () => {
  assert.throws(() => resolvePipeline(PIPELINE), typeError);
  const file = join(root, 'toy-pipeline.json');
  let err = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += String(chunk)), true)) as typeof process.stderr.write;
  try {
    assert.equal(await main(['node', 'shortlist', 'init', join(root, 'cli-refused'), '--pipeline', file, '--json']), 2);
  } finally {
    process.stderr.write = write;
  }
  assert.match(
    err,
    /toy-pipeline\.json\.rerank\[0\]\.type: Invalid discriminator value\. Expected 'cross-encoder' \| 'colbert' \| 'llm-listwise' \| 'remote'/,
  );
});
