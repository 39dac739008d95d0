/** Runs the shared reranker contract against the listwise stage over a loopback "LLM" that ranks by word overlap. */
import { ListwiseReranker } from '../../src/rerank/llm-listwise/reranker.ts';
import { rerankerContract } from '../contract/reranker.case.ts';
import { formatPermutation, readPrompt, startFakeChatServer } from './fake-chat-server.ts';

const words = (s: string) => new Set(s.toLowerCase().match(/[a-z]+/g) ?? []);

for (const template of ['rankgpt', 'rankzephyr'] as const) {
  rerankerContract(`llm-listwise ${template} (loopback word-overlap LLM)`, async () => {
    const server = await startFakeChatServer((req) => {
      const { query, passages } = readPrompt(req.messages);
      const q = words(query);
      const overlap = passages.map((p) => [...words(p)].filter((w) => q.has(w)).length);
      // ties by passage text, so the answer does not depend on the order the passages came in
      const order = passages
        .map((_, i) => i)
        .sort((a, b) => overlap[b] - overlap[a] || (passages[a] < passages[b] ? -1 : passages[a] > passages[b] ? 1 : 0));
      return { content: `Ranking: ${formatPermutation(order)}` };
    });
    // Default window (20 ≥ 6 candidates): one window. With several windows a single pass only sorts
    // the top windowSize - step fully, so the full order would depend on the input order (by design).
    const reranker = new ListwiseReranker({ baseUrl: server.baseUrl, model: 'overlap', template, cacheSize: 0 });
    return { reranker, judges: true, dispose: () => server.close() };
  });
}
