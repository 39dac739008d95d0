/**
 * Where a tokenizer puts its special tokens, read once from its post-processor (TemplateProcessing,
 * BertProcessing, RobertaProcessing, Sequence, or none) by running it on one-token sentinels. With
 * the template known, adding special tokens and truncating happen on id arrays, never on strings.
 */
import { ShortlistError } from '../../core/errors.ts';

/** One slot of a template: a fixed special token, or the first (`A`) / second (`B`) sequence. */
export type TemplatePiece = { kind: 'special'; id: number; typeId: number } | { kind: 'A' | 'B'; typeId: number };

/** The special-token layout for single texts and for pairs. */
export interface Template {
  single: TemplatePiece[];
  pair: TemplatePiece[];
}

/** Number of special tokens a template adds. */
export function addedTokens(pieces: readonly TemplatePiece[]): number {
  let n = 0;
  for (const p of pieces) if (p.kind === 'special') n++;
  return n;
}

/** The layout without special tokens: `A` (type 0), then `B` (type 1). */
export const PLAIN_TEMPLATE: Template = Object.freeze({
  single: [{ kind: 'A', typeId: 0 }],
  pair: [
    { kind: 'A', typeId: 0 },
    { kind: 'B', typeId: 1 },
  ],
} satisfies Template);

const SENTINEL_A = '\u0000shortlist-A\u0000';
const SENTINEL_B = '\u0000shortlist-B\u0000';

/** What a post-processor returns (tokenizers.js shape). */
interface Processed {
  tokens: string[];
  tokens_pair?: string[] | null;
  token_type_ids?: number[];
}

/**
 * Reads the template of `postProcess` (the tokenizer's post-processor, or null when it has none).
 * `config` is the `post_processor` field of tokenizer.json: with RobertaProcessing every type id is
 * 0, as the Rust tokenizers give (tokenizers.js gives the second text 1, which a model with one
 * token type would reject).
 */
export function readTemplate(
  postProcess: ((a: string[], b: string[] | null) => Processed) | null,
  tokenId: (token: string) => number | undefined,
  config: unknown = null,
): Template {
  if (!postProcess) return PLAIN_TEMPLATE;
  if (usesRobertaProcessing(config)) {
    const zero = (pieces: TemplatePiece[]) => pieces.map((p) => ({ ...p, typeId: 0 }));
    const t = readTemplate(postProcess, tokenId);
    return { single: zero(t.single), pair: zero(t.pair) };
  }
  const probe = (pair: boolean): TemplatePiece[] => {
    const out = postProcess([SENTINEL_A], pair ? [SENTINEL_B] : null);
    let tokens = out.tokens;
    let types = out.token_type_ids;
    // A processor that only passes the pair through (ByteLevel alone): the pair follows, type 1.
    if (pair && out.tokens_pair && !tokens.includes(SENTINEL_B)) {
      tokens = [...tokens, ...out.tokens_pair];
      types = types ? [...types, ...out.tokens_pair.map(() => 1)] : undefined;
    }
    const bAt = tokens.indexOf(SENTINEL_B);
    return tokens.map((token, i): TemplatePiece => {
      const typeId = types?.[i] ?? (bAt >= 0 && i >= bAt ? 1 : 0);
      if (token === SENTINEL_A) return { kind: 'A', typeId };
      if (token === SENTINEL_B) return { kind: 'B', typeId };
      const id = tokenId(token);
      if (id === undefined)
        throw new ShortlistError(
          'MODEL_ERROR',
          `the post-processor adds the token ${JSON.stringify(token)}, which is not in the vocabulary`,
        );
      return { kind: 'special', id, typeId };
    });
  };
  return { single: probe(false), pair: probe(true) };
}

/** Fills a template with id sequences: the ids and the segment (type) ids. */
export function applyTemplate(
  pieces: readonly TemplatePiece[],
  a: ArrayLike<number>,
  b: ArrayLike<number> | null,
): { ids: number[]; typeIds: number[] } {
  const ids: number[] = [];
  const typeIds: number[] = [];
  for (const p of pieces) {
    if (p.kind === 'special') {
      ids.push(p.id);
      typeIds.push(p.typeId);
      continue;
    }
    const seq = p.kind === 'A' ? a : b;
    if (!seq) continue;
    for (let i = 0; i < seq.length; i++) {
      ids.push(seq[i]);
      typeIds.push(p.typeId);
    }
  }
  return { ids, typeIds };
}

function usesRobertaProcessing(config: unknown): boolean {
  if (!config || typeof config !== 'object') return false;
  const c = config as { type?: unknown; processors?: unknown };
  if (c.type === 'RobertaProcessing') return true;
  return c.type === 'Sequence' && Array.isArray(c.processors) && c.processors.some(usesRobertaProcessing);
}
