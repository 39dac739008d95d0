/** Runs the embedder contract against the local bi-encoder (tiny generated model) and every remote provider (loopback fakes). */
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { BiEncoder } from '../../src/models/encoders/bi-encoder.ts';
import { createRemoteEmbedder, EMBED_PROVIDERS } from '../../src/models/remote/index.ts';
import { startFake, type FakeProvider } from '../remote/servers/fake-providers.ts';
import { embedderContract } from './embedder.case.ts';

embedderContract('local bi-encoder (tiny generated model)', async () => {
  const embedder = await BiEncoder.create({
    model: await tinyModel('encoder'),
    preset: { pooling: 'mean', normalize: true, maxLength: 64 },
    threads: 1,
  });
  return { embedder, truncateTo: 8, dispose: () => embedder.dispose() };
});

for (const provider of Object.keys(EMBED_PROVIDERS) as FakeProvider[]) {
  embedderContract(`remote ${provider} (loopback fake)`, async () => {
    const key = `sk-contract-${provider}-0123456789`;
    const env = `SHORTLIST_CONTRACT_${provider.toUpperCase()}_KEY`;
    process.env[env] = key;
    const fake = await startFake(provider, { key, dim: 24 });
    const embedder = createRemoteEmbedder({ provider, model: 'fake-embed', baseUrl: fake.url, apiKey: { env }, batchSize: 2, retries: 0 });
    return { embedder, truncateTo: 8, dispose: () => fake.close() };
  });
}
