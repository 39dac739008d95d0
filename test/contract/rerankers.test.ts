/** Runs the reranker contract against the local cross-encoder stage (tiny generated model) and every remote rerank provider (loopback fakes). */
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { CrossEncoderReranker } from '../../src/rerank/cross-encoder/reranker.ts';
import { createRemoteReranker, RERANK_PROVIDERS } from '../../src/models/remote/index.ts';
import { startFake, type FakeProvider } from '../remote/servers/fake-providers.ts';
import { rerankerContract } from './reranker.case.ts';

rerankerContract('local cross-encoder (tiny generated model)', async () => {
  const reranker = await CrossEncoderReranker.create({ model: await tinyModel('classifier'), preset: { activation: 'sigmoid', maxLength: 64 }, threads: 1 });
  return { reranker, judges: false, dispose: () => reranker.dispose() };
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
