/** `shortlist rerank`: score documents from a JSONL file against a query with a cross-encoder. */
import { Option, type Command } from 'commander';
import { ShortlistError } from '../../core/errors.ts';
import { readJsonl } from '../../core/jsonl.ts';
import { CrossEncoder, type LongDocuments } from '../../models/encoders/cross-encoder.ts';
import { formatTable, printJson } from '../output.ts';
import { addModelFlags, encoderOptions, type ModelFlags } from './model-flags.ts';
import { addRemoteFlags, remoteOptions, type RemoteFlags } from './remote-flags.ts';
import { createRemoteReranker } from '../../models/remote/index.ts';

interface RerankFlags extends ModelFlags, RemoteFlags {
  query: string;
  docs: string;
  json?: boolean;
  longDocs: LongDocuments;
}

/** Register `rerank` on the program. */
export function register(program: Command): void {
  const cmd = program
    .command('rerank')
    .description('score documents against a query with a cross-encoder, best first')
    .requiredOption('-q, --query <text>', 'the query')
    .requiredOption('-d, --docs <file>', 'JSONL file: one document per line, {"text": ...} or a JSON string')
    .option('--json', 'print [{index, score, logit}] sorted by score instead of a table')
    .addOption(
      new Option('--long-docs <mode>', 'documents past the window: split into windows, truncate, or fail')
        .choices(['window', 'truncate', 'error'])
        .default('window'),
    );
  addRemoteFlags(addModelFlags(cmd, 'cross-encoder'), 'rerank').action(async (flags: RerankFlags) => {
    const docs = await readDocs(flags.docs);
    if (flags.provider) return rerankRemote(flags, docs);
    const encoder = await CrossEncoder.create({ ...encoderOptions(flags), longDocuments: flags.longDocs });
    try {
      const scores = await encoder.score(flags.query, docs);
      const ranked = scores
        .map((s, index) => ({ index, score: s.score, logit: s.logit }))
        .sort((a, b) => b.score - a.score || a.index - b.index);
      if (flags.json) return printJson(ranked);
      const rows = ranked.map((r, rank) => [rank + 1, r.index, r.score.toFixed(4), r.logit.toFixed(4), snippet(docs[r.index])]);
      process.stdout.write(formatTable(['rank', 'index', 'score', 'logit', 'text'], rows) + '\n');
    } finally {
      await encoder.dispose();
    }
  });
}

/** Rerank with a hosted provider: scores are the provider's relevance scores (no logits). */
async function rerankRemote(flags: RerankFlags, docs: string[]): Promise<void> {
  const reranker = createRemoteReranker({ provider: flags.provider!, ...remoteOptions(flags) });
  const hits = await reranker.rerank(
    flags.query,
    docs.map((text, i) => ({ id: String(i), text })),
    docs.length,
  );
  const ranked = hits.map((h) => ({ index: Number(h.id), score: h.score, logit: null }));
  if (flags.json) return printJson(ranked);
  const rows = ranked.map((r, rank) => [rank + 1, r.index, r.score.toFixed(4), snippet(docs[r.index])]);
  process.stdout.write(formatTable(['rank', 'index', 'score', 'text'], rows) + '\n');
}

/** Read a JSONL documents file (plain or gzip): each non-blank line is a JSON string or an object with a string `text`. */
export async function readDocs(file: string): Promise<string[]> {
  const docs: string[] = [];
  for await (const { value, line } of readJsonl(file)) {
    const text = typeof value === 'string' ? value : (value as { text?: unknown } | null)?.text;
    if (typeof text !== 'string') {
      throw new ShortlistError('INVALID_INPUT', 'the line has no string field "text" (each line is {"text": "..."} or a JSON string)', {
        location: { file, line, field: 'text' },
      });
    }
    docs.push(text);
  }
  if (docs.length === 0) throw new ShortlistError('EMPTY_INPUT', 'the documents file has no documents', { location: { file } });
  return docs;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
