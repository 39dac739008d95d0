/**
 * Batch queues for the server's models: a cross-encoder queue whose items are (query, document)
 * pairs, and an embedding queue whose items are texts. Costs are estimated tokens (characters / 4
 * plus the special tokens, capped at the model's window), cheap enough to compute per item before
 * tokenizing.
 */
import type { CrossEncoder, CrossScore, QueryDocPair } from '../../models/encoders/cross-encoder.ts';
import { BatchQueue, type BatchQueueOptions } from './queue.ts';

/** Characters per token for the cost estimate (English WordPiece averages about 4). */
const CHARS_PER_TOKEN = 4;

/** Estimated tokens of `text` alone: characters / 4, at least one. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / CHARS_PER_TOKEN));
}

/**
 * Estimated tokens of one pair as the cross-encoder sees it: query + document + 3 special tokens;
 * a document past the window costs the windows it is split into, each `maxLength` long.
 */
export function estimatePairTokens(pair: QueryDocPair, maxLength: number): number {
  const tokens = estimateTokens(pair.query) + estimateTokens(pair.doc) + 3;
  return tokens <= maxLength ? tokens : maxLength * Math.ceil(tokens / maxLength);
}

/** A queue that scores (query, document) pairs of concurrent requests in shared ONNX batches. */
export function crossEncoderQueue(encoder: CrossEncoder, options: Partial<BatchQueueOptions> = {}): BatchQueue<QueryDocPair, CrossScore> {
  const maxLength = encoder.preset.maxLength;
  return new BatchQueue<QueryDocPair, CrossScore>(
    encoder.name,
    (pairs) => encoder.scorePairs(pairs),
    (pair) => estimatePairTokens(pair, maxLength),
    options,
  );
}

/** A queue that embeds texts of concurrent requests in shared batches with `embed`. */
export function embeddingQueue<V>(
  name: string,
  embed: (texts: string[]) => Promise<V[]>,
  maxLength: number,
  options: Partial<BatchQueueOptions> = {},
): BatchQueue<string, V> {
  return new BatchQueue<string, V>(name, embed, (text) => Math.min(maxLength, estimateTokens(text) + 2), options);
}
