/**
 * Runs the reranker contract against the local cross-encoder and ColBERT stages (tiny generated
 * models) and every remote rerank provider (loopback fakes); the listwise LLM stage runs it in
 * test/rerank/listwise-contract.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedModel, tinyModel } from '../../scripts/models/fixtures.ts';
import { builtinVocab } from '../../scripts/models/vocab.ts';
import { ColbertReranker } from '../../src/rerank/colbert/reranker.ts';
import { CrossEncoderReranker } from '../../src/rerank/cross-encoder/reranker.ts';
import { createRemoteReranker, RERANK_PROVIDERS } from '../../src/models/remote/index.ts';
import { startFake, type FakeProvider } from '../remote/servers/fake-providers.ts';
import { rerankerContract } from './reranker.case.ts';

rerankerContract('local cross-encoder (tiny generated model)', async () => {
  const reranker = await CrossEncoderReranker.create({
    model: await tinyModel('classifier'),
    preset: { activation: 'sigmoid', maxLength: 64 },
    threads: 1,
  });
  return { reranker, judges: false, dispose: () => reranker.dispose() };
});

rerankerContract('local ColBERT (tiny generated multi-vector model)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-contract-colbert-'));
  writeFileSync(join(dir, 'vocab.txt'), [...builtinVocab(), '[unused0]', '[unused1]'].join('\n') + '\n');
  const model = await generatedModel({ shape: 'tiny', head: 'colbert', vocab: join(dir, 'vocab.txt') });
  const colbert = {
    queryLength: 32,
    documentLength: 128,
    queryMarker: '[unused0]',
    documentMarker: '[unused1]',
    maskAugment: true,
    skipPunctuation: true,
  };
  const reranker = await ColbertReranker.create({ model, preset: { colbert }, threads: 1 } as Parameters<typeof ColbertReranker.create>[0]);
  return {
    reranker,
    judges: false,
    dispose: async () => {
      await reranker.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

for (const provider of Object.keys(RERANK_PROVIDERS) as FakeProvider[]) {
  rerankerContract(`remote ${provider} (loopback fake)`, async () => {
    const key = `sk-contract-${provider}-0123456789`;
    const env = `SHORTLIST_CONTRACT_${provider.toUpperCase()}_KEY`;
    process.env[env] = key;
    const fake = await startFake(provider, { key });
    // batchSize 4 < 6 candidates: every call is split and reassembled.
    const reranker = createRemoteReranker({ provider, model: 'fake-rerank', baseUrl: fake.url, apiKey: { env }, batchSize: 4, retries: 0 });
    return { reranker, judges: true, dispose: () => fake.close() };
  });
}
