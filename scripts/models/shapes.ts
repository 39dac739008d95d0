/** Model shapes the generator knows by name, and the fields a custom shape must give. */
import { ShortlistError } from '../../src/core/errors.ts';

/** The size of a BERT encoder. */
export interface BertShape {
  /** Number of transformer layers. */
  layers: number;
  /** Hidden size (model width). */
  hidden: number;
  /** Attention heads; must divide `hidden`. */
  heads: number;
  /** Feed-forward inner size. */
  intermediate: number;
}

/** Named shapes: `tiny` for tests, the others match real checkpoints for benchmarks. */
export const SHAPES = Object.freeze({
  /** 2 layers, hidden 32: fast enough to generate on every test run. */
  tiny: { layers: 2, hidden: 32, heads: 2, intermediate: 64 },
  /** sentence-transformers/all-MiniLM-L6-v2 and cross-encoder/ms-marco-MiniLM-L-6-v2. */
  'minilm-l6': { layers: 6, hidden: 384, heads: 12, intermediate: 1536 },
  /** BAAI/bge-small-en-v1.5. */
  'bge-small': { layers: 12, hidden: 384, heads: 12, intermediate: 1536 },
  /** BAAI/bge-base-en-v1.5. */
  'bge-base': { layers: 12, hidden: 768, heads: 12, intermediate: 3072 },
} as const satisfies Record<string, BertShape>);

/** A named shape. */
export type ShapeName = keyof typeof SHAPES;

/** Output head on top of the encoder. */
export type Head = 'encoder' | 'classifier' | 'colbert';

/** The heads, for validation and CLI help. */
export const HEADS: readonly Head[] = Object.freeze(['encoder', 'classifier', 'colbert']);

/** Resolves a shape name or a custom shape, validating it. */
export function resolveShape(shape: ShapeName | BertShape): BertShape {
  if (typeof shape === 'string') {
    const known = SHAPES[shape];
    if (!known)
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `unknown shape '${shape}'; valid: ${Object.keys(SHAPES).join(', ')}, or {layers, hidden, heads, intermediate}`,
      );
    return known;
  }
  for (const key of ['layers', 'hidden', 'heads', 'intermediate'] as const) {
    if (!Number.isInteger(shape[key]) || shape[key] < 1)
      throw new ShortlistError('INVALID_ARGUMENT', `shape.${key} must be a positive integer, got ${shape[key]}`);
  }
  if (shape.hidden % shape.heads !== 0)
    throw new ShortlistError('INVALID_ARGUMENT', `shape.heads (${shape.heads}) must divide shape.hidden (${shape.hidden})`);
  return shape;
}
