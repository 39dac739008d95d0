/**
 * Training files from mined queries, in the column layouts the training libraries document:
 * - `triplet`: `{anchor, positive, negative}` per (query, positive, negative) — sentence-transformers'
 *   (anchor, positive, negative) triplets, e.g. for MultipleNegativesRankingLoss or TripletLoss
 *   (https://sbert.net/docs/sentence_transformer/loss_overview.html); ST matches inputs by column
 *   order, the names follow `mine_hard_negatives(output_format="triplet")`.
 * - `n-tuple`: `{anchor, positive, negative_1, …, negative_n}` per (query, positive), only queries with
 *   all n negatives (as `mine_hard_negatives(output_format="n-tuple")` writes them).
 * - `flag`: FlagEmbedding's `{query, pos: [...], neg: [...]}` per query, with `pos_scores` /
 *   `neg_scores` (teacher scores, for its distillation) when a scorer scored them.
 * - `margin-mse`: `{query, positive, negative, score}` per (query, positive, negative) with
 *   `score = teacher(query, positive) − teacher(query, negative)`: MarginMSELoss's (query,
 *   passage_one, passage_two) inputs and its label `gold_sim(q, p1) − gold_sim(q, p2)`; `score` is one
 *   of the label column names ST's data collator recognises ("label", "score").
 * Each row is checked against its schema here and in the tests.
 */
import type { z } from 'zod';
import { lazySchema, zod } from '../../core/zod.ts';
import { fromIssues, ShortlistError } from '../../core/errors.ts';
import type { MinedQuery } from '../mine/mine.ts';

/** The output formats. */
export const EXPORT_FORMATS = Object.freeze(['triplet', 'n-tuple', 'flag', 'margin-mse'] as const);
/** An output format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const text = lazySchema((z) => z.string());
/** Row schemas, one per format (n-tuple: `negative_1..n` checked by {@link nTupleSchema}). */
export const ROW_SCHEMAS = lazySchema((z) =>
  Object.freeze({
    triplet: z.strictObject({ anchor: text, positive: text, negative: text }),
    flag: z.strictObject({
      query: text,
      pos: z.array(text).min(1),
      neg: z.array(text),
      pos_scores: z.array(z.number()).optional(),
      neg_scores: z.array(z.number()).optional(),
    }),
    'margin-mse': z.strictObject({ query: text, positive: text, negative: text, score: z.number() }),
  }),
);

/** The n-tuple row schema for `n` negatives: exactly anchor, positive, negative_1 … negative_n, in that order. */
export function nTupleSchema(n: number) {
  const shape: Record<string, z.ZodString> = { anchor: text, positive: text };
  for (let i = 1; i <= n; i++) shape[`negative_${i}`] = text;
  const columns = Object.keys(shape).join(',');
  const z = zod();
  const object = z.strictObject(shape);
  return z.custom<Record<string, string>>(
    (row) => typeof row === 'object' && row !== null && Object.keys(row).join(',') === columns && object.safeParse(row).success,
    `expected exactly the columns ${columns}, in that order, all strings`,
  );
}

/** The rows of `format` for the mined queries (`numNegatives`: the n of n-tuples). */
export function* exportRows(format: ExportFormat, mined: readonly MinedQuery[], numNegatives: number): Generator<Record<string, unknown>> {
  for (const m of mined) {
    if (format === 'flag') {
      if (m.negatives.length === 0) continue;
      const scored = m.positives.every((p) => p.score !== undefined) && m.negatives.every((n) => n.score !== undefined);
      yield {
        query: m.query,
        pos: m.positives.map((p) => p.text),
        neg: m.negatives.map((n) => n.text),
        ...(scored ? { pos_scores: m.positives.map((p) => p.score!), neg_scores: m.negatives.map((n) => n.score!) } : {}),
      };
      continue;
    }
    if (format === 'n-tuple') {
      if (m.negatives.length < numNegatives) continue;
      for (const p of m.positives) {
        const row: Record<string, unknown> = { anchor: m.query, positive: p.text };
        m.negatives.slice(0, numNegatives).forEach((n, i) => (row[`negative_${i + 1}`] = n.text));
        yield row;
      }
      continue;
    }
    for (const p of m.positives) {
      for (const n of m.negatives) {
        if (format === 'triplet') yield { anchor: m.query, positive: p.text, negative: n.text };
        else {
          if (p.score === undefined || n.score === undefined)
            throw new ShortlistError(
              'INVALID_ARGUMENT',
              '--format margin-mse needs teacher scores; give --cross-encoder <model> (the teacher)',
            );
          yield { query: m.query, positive: p.text, negative: n.text, score: p.score - n.score };
        }
      }
    }
  }
}

/** Throws INVALID_INPUT (naming the row) when `row` does not fit `format`'s documented layout. */
export function validateRow(format: ExportFormat, row: unknown, numNegatives: number, where = 'row'): void {
  const schema = format === 'n-tuple' ? nTupleSchema(numNegatives) : ROW_SCHEMAS[format];
  const r = schema.safeParse(row);
  if (!r.success)
    throw fromIssues('INVALID_INPUT', r.error.issues, { prefix: `${where} does not fit the ${format} layout: `, countMore: false });
}

/** The training files' rows as JSONL text (each row validated). */
export function toJsonl(format: ExportFormat, mined: readonly MinedQuery[], numNegatives: number): { text: string; rows: number } {
  const lines: string[] = [];
  for (const row of exportRows(format, mined, numNegatives)) {
    validateRow(format, row, numNegatives, `row ${lines.length + 1}`);
    lines.push(JSON.stringify(row));
  }
  return { text: lines.length ? lines.join('\n') + '\n' : '', rows: lines.length };
}
