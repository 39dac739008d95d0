/**
 * Cohere's embed routes on loopback with a tiny generated bi-encoder, through the official
 * `cohere-ai` client with only its base URL changed: `CohereClient.embed` (/v1/embed) and
 * `CohereClientV2.embed` (/v2/embed) get the vectors /v1/embeddings returns; `input_type:
 * search_query` gets the query-prefixed vectors; every embedding type follows its definition.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CohereClient, CohereClientV2 } from 'cohere-ai';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { BiEncoder } from '../../src/models/encoders/bi-encoder.ts';
import { toBinary, toInt8, toUbinary, toUint8 } from '../../src/models/encoders/embedding-types.ts';
import type { ShortlistServer } from '../../src/server/index.ts';
import { DOCS, EMBED_PRESET, post, startServer } from './support.ts';

const PRESET = { ...EMBED_PRESET, queryPrefix: 'query: ' };

describe('Cohere embed routes', () => {
  let server: ShortlistServer;
  let openai: number[][];
  let queries: Float32Array[];
  before(async () => {
    server = await startServer({ embedPreset: PRESET });
    const res = await post(`${server.url}/v1/embeddings`, { input: DOCS, encoding_format: 'float' });
    assert.equal(res.status, 200);
    openai = res.json.data.map((d: { embedding: number[] }) => d.embedding);
    const be = await BiEncoder.create({ model: await tinyModel('encoder'), preset: PRESET as never, threads: 1 });
    queries = await be.embed(DOCS, 'query');
    await be.dispose();
  });
  after(() => server.close());

  it('CohereClient.embed (v1) gets the /v1/embeddings vectors: floats by default, and by type', async () => {
    const cohere = new CohereClient({ token: 'unused', environment: server.url, maxRetries: 0 } as never);
    const floats = await cohere.embed({ texts: DOCS, model: 'embed-english-v3.0', inputType: 'search_document' });
    assert.equal(floats.responseType, 'embeddings_floats');
    assert.deepEqual(floats.embeddings, openai);
    assert.deepEqual((floats as { texts: string[] }).texts, DOCS);
    const typed = await cohere.embed({
      texts: DOCS,
      model: 'x',
      inputType: 'search_document',
      embeddingTypes: ['float', 'int8', 'ubinary'],
    });
    assert.equal(typed.responseType, 'embeddings_by_type');
    const e = (typed as { embeddings: { float: number[][]; int8: number[][]; ubinary: number[][] } }).embeddings;
    assert.deepEqual(e.float, openai);
    assert.deepEqual(e.int8, openai.map(toInt8));
    assert.deepEqual(e.ubinary, openai.map(toUbinary));
  });

  it('CohereClientV2.embed gets the same vectors; search_query embeds with the query prefix', async () => {
    const cohere = new CohereClientV2({ token: 'unused', baseUrl: server.url, maxRetries: 0 } as never);
    const docs = await cohere.embed({ texts: DOCS, model: 'embed-v4.0', inputType: 'search_document', embeddingTypes: ['float'] });
    assert.deepEqual(docs.embeddings.float, openai);
    const q = await cohere.embed({ texts: DOCS, model: 'embed-v4.0', inputType: 'search_query', embeddingTypes: ['float'] });
    q.embeddings.float!.forEach((v, i) => v.forEach((x, j) => assert.ok(Math.abs(x - queries[i][j]) < 1e-6)));
    assert.notDeepEqual(q.embeddings.float, openai, 'the query prefix changes the vectors');
    const inputs = await cohere.embed({
      inputs: DOCS.map((text) => ({ content: [{ type: 'text', text }] })),
      model: 'embed-v4.0',
      inputType: 'search_document',
      embeddingTypes: ['float'],
    });
    assert.deepEqual(inputs.embeddings.float, openai);
  });

  it('every embedding type: int8, uint8, binary, ubinary, base64 as defined; output_dimension truncates and renormalises', async () => {
    const cohere = new CohereClientV2({ token: 'unused', baseUrl: server.url, maxRetries: 0 } as never);
    const all = await cohere.embed({
      texts: DOCS,
      model: 'x',
      inputType: 'search_document',
      embeddingTypes: ['float', 'int8', 'uint8', 'binary', 'ubinary', 'base64'],
    });
    const e = all.embeddings;
    const dims = openai[0].length;
    for (let i = 0; i < DOCS.length; i++) {
      const v = openai[i];
      assert.deepEqual(e.int8![i], toInt8(v));
      assert.deepEqual(e.uint8![i], toUint8(v));
      assert.deepEqual(e.binary![i], toBinary(v));
      assert.deepEqual(e.ubinary![i], toUbinary(v));
      assert.equal(e.ubinary![i].length, dims / 8);
      // bit j of the packed bytes is 1 exactly where the float is > 0, most significant bit first
      for (let j = 0; j < dims; j++) assert.equal((e.ubinary![i][j >> 3] >> (7 - (j & 7))) & 1, v[j] > 0 ? 1 : 0);
      e.binary![i].forEach((b, k) => assert.equal(b, e.ubinary![i][k] - 128));
      e.uint8![i].forEach((u, j) => {
        assert.ok(u >= 0 && u <= 255);
        assert.equal(u, Math.round((v[j] + 1) * 127.5));
        assert.equal(e.int8![i][j], u - 128);
      });
      const bytes = Buffer.from(e.base64![i], 'base64');
      assert.equal(bytes.length, dims * 4);
      for (let j = 0; j < dims; j++) assert.equal(bytes.readFloatLE(j * 4), v[j]);
    }
    const cut = await post(`${server.url}/v2/embed`, {
      texts: [DOCS[0]],
      input_type: 'search_document',
      embedding_types: ['float'],
      output_dimension: 8,
    });
    assert.equal(cut.status, 200);
    const v8 = cut.json.embeddings.float[0] as number[];
    assert.equal(v8.length, 8);
    assert.ok(Math.abs(Math.hypot(...v8) - 1) < 1e-5);
    const norm = Math.hypot(...openai[0].slice(0, 8));
    v8.forEach((x, j) => assert.ok(Math.abs(x - openai[0][j] / norm) < 1e-6));
  });

  it("bad requests are 4xx (400, or 422 for a body the schema refuses) in Cohere's { message } shape, naming the field", async () => {
    const cases: [unknown, RegExp][] = [
      [{ input_type: 'search_query' }, /texts/],
      [{ texts: ['a'], embedding_types: ['float16'] }, /embedding_types/],
      [{ texts: ['a'], images: ['data:image/png;base64,AA=='] }, /images/],
      [{ texts: ['a'], truncate: 'NONE' }, /truncate NONE/],
      [{ texts: ['a'], output_dimension: 100000 }, /output_dimension 100000 is larger/],
      [{ texts: 'a' }, /texts/],
    ];
    for (const [body, message] of cases) {
      for (const path of ['/v1/embed', '/v2/embed']) {
        const res = await post(`${server.url}${path}`, body);
        assert.ok(res.status === 400 || res.status === 422, `${path} ${JSON.stringify(body)}: ${res.status} ${res.text}`);
        assert.deepEqual(Object.keys(res.json), ['message', 'request_id']);
        assert.match(res.json.message, message);
      }
    }
    const cohere = new CohereClientV2({ token: 'unused', baseUrl: server.url, maxRetries: 0 } as never);
    await assert.rejects(
      cohere.embed({ texts: ['a'], model: 'x', inputType: 'search_document', outputDimension: 100000 }),
      (e: any) => e.statusCode === 400,
    );
  });
});
