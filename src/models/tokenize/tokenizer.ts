/**
 * Tokenization from a model folder's `tokenizer.json` (+ `tokenizer_config.json`), for any
 * architecture tokenizers.js supports (WordPiece, Unigram/SentencePiece, BPE, byte-level BPE).
 *
 * tokenizers.js turns text into tokens; everything after that happens here on id arrays, with the
 * semantics of the Rust HF tokenizers (verified against them token for token):
 * 1. text → ids without special tokens ({@link TextTokenizer.tokenIds});
 * 2. truncation: a single text is cut to `maxLength - added`; a pair cuts only the second text
 *    (`only_second`), and fails when the first text leaves no room for it;
 * 3. special tokens and segment ids from the post-processor's template (read once at load).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tokenizer } from '@huggingface/tokenizers';
import { ShortlistError } from '../../core/errors.ts';
import { requireEsm } from '../../core/require-esm.ts';
import { addedTokens, applyTemplate, PLAIN_TEMPLATE, readTemplate, type Template, type TemplatePiece } from './template.ts';
import { windowRanges } from './windows.ts';
import { installFastWordPiece, type WordPieceModel } from './wordpiece.ts';

/** One encoded sequence, special tokens included, unpadded (its attention mask is all ones). */
export interface Encoded {
  /** Token ids. */
  ids: number[];
  /** Segment ids: the template's type id for each token (0 first text, 1 second for BERT). */
  typeIds: number[];
  /** `ids.length`. */
  length: number;
}

/** Options of {@link TextTokenizer.encode}. */
export interface EncodeOptions {
  /** Add the model's special tokens ([CLS] … [SEP], <s> … </s>). @default true */
  addSpecialTokens?: boolean;
}

/** A special token of the tokenizer: its text and id. */
export interface SpecialToken {
  token: string;
  id: number;
}

/** The special tokens a tokenizer declares (those it has). */
export type SpecialTokens = Partial<Record<'cls' | 'sep' | 'pad' | 'mask' | 'unk' | 'bos' | 'eos', SpecialToken>>;

export type Json = Record<string, unknown>;

/** A tokenizer loaded from a model folder. */
export class TextTokenizer {
  /** Special tokens declared by tokenizer_config.json / special_tokens_map.json that are in the vocabulary. */
  readonly specialTokens: SpecialTokens;
  /** Id used to pad batches: the pad token, else the eos token, else 0. */
  readonly padId: number;
  readonly #tok: Tokenizer;
  readonly #template: Template;
  readonly #unkId: number | undefined;
  readonly #source: string;

  private constructor(tok: Tokenizer, specialTokens: SpecialTokens, source: string, postProcessorConfig: unknown) {
    this.#tok = tok;
    this.#source = source;
    this.specialTokens = Object.freeze(specialTokens);
    this.padId = specialTokens.pad?.id ?? specialTokens.eos?.id ?? 0;
    this.#unkId = tok.model?.unk_token_id;
    installFastWordPiece(tok.model as unknown as WordPieceModel);
    const post = tok.post_processor;
    this.#template = readTemplate(post ? (a, b) => post.post_process(a, b, true) : null, (t) => tok.token_to_id(t), postProcessorConfig);
  }

  /**
   * Loads `dir/tokenizer.json` and, when present, `dir/tokenizer_config.json` and
   * `dir/special_tokens_map.json`. Fails with MODEL_ERROR naming the folder and file.
   */
  static async fromFolder(dir: string): Promise<TextTokenizer> {
    const tokenizerJson = await readJson(dir, 'tokenizer.json', true);
    const config = (await readJson(dir, 'tokenizer_config.json', false)) ?? {};
    const map = (await readJson(dir, 'special_tokens_map.json', false)) ?? {};
    return TextTokenizer.fromJson(tokenizerJson!, config, { ...map, ...config }, join(dir, 'tokenizer.json'));
  }

  /** Builds a tokenizer from parsed `tokenizer.json` and `tokenizer_config.json` objects. */
  static fromJson(tokenizerJson: Json, config: Json = {}, specialTokensMap: Json = config, source = 'tokenizer.json'): TextTokenizer {
    // Loaded on the first tokenizer, so importing shortlist for BM25 does not load it.
    const { Tokenizer } = requireEsm<typeof import('@huggingface/tokenizers')>('@huggingface/tokenizers');
    let tok: Tokenizer;
    try {
      tok = new Tokenizer(tokenizerJson, config);
    } catch (cause) {
      throw new ShortlistError(
        'MODEL_ERROR',
        `${source}: tokenizers.js cannot build this tokenizer (${(cause as Error).message}); check the file is a Hugging Face tokenizer.json`,
        { cause },
      );
    }
    const specials: SpecialTokens = {};
    for (const key of ['cls', 'sep', 'pad', 'mask', 'unk', 'bos', 'eos'] as const) {
      const token = tokenText(specialTokensMap[`${key}_token`]);
      const id = token === undefined ? undefined : tok.token_to_id(token);
      if (token !== undefined && id !== undefined) specials[key] = { token, id };
    }
    try {
      return new TextTokenizer(tok, specials, source, tokenizerJson.post_processor);
    } catch (cause) {
      throw new ShortlistError('MODEL_ERROR', `${source}: ${(cause as Error).message}`, { cause });
    }
  }

  /** Special tokens added to a single text (`false`) or a pair (`true`). */
  numAddedTokens(pair: boolean): number {
    return addedTokens(pair ? this.#template.pair : this.#template.single);
  }

  /** The id of `token` in the vocabulary (added tokens included), or undefined. */
  tokenId(token: string): number | undefined {
    return this.#tok.token_to_id(token);
  }

  /** The token text of `id`, or undefined. */
  idToToken(id: number): string | undefined {
    return this.#tok.id_to_token(id);
  }

  /** The mask token's text, when the tokenizer has one. */
  get maskToken(): string | undefined {
    return this.specialTokens.mask?.token;
  }

  /** Token ids of `text` without special tokens and without truncation. */
  tokenIds(text: string): number[] {
    const tokens = this.#tok.tokenize(text);
    const ids = new Array<number>(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const id = this.#tok.token_to_id(tokens[i]) ?? this.#unkId;
      if (id === undefined)
        throw new ShortlistError(
          'MODEL_ERROR',
          `${this.#source}: token ${JSON.stringify(tokens[i])} is not in the vocabulary and the model has no unknown token`,
        );
      ids[i] = id;
    }
    return ids;
  }

  /** Encodes one text, cut to `maxLength` tokens (special tokens included) when given. */
  encode(text: string, maxLength?: number, options: EncodeOptions = {}): Encoded {
    const template = options.addSpecialTokens === false ? PLAIN_TEMPLATE.single : this.#template.single;
    let ids = this.tokenIds(text);
    if (maxLength !== undefined) {
      const room = maxLength - addedTokens(template);
      if (room < 0)
        throw new ShortlistError(
          'INVALID_ARGUMENT',
          `maxLength ${maxLength} is smaller than the ${addedTokens(template)} special tokens the tokenizer adds`,
        );
      if (ids.length > room) ids = ids.slice(0, room);
    }
    return this.#build(template, ids, null);
  }

  /** Encodes each text; see {@link encode}. */
  encodeBatch(texts: readonly string[], maxLength?: number, options: EncodeOptions = {}): Encoded[] {
    return texts.map((t) => this.encode(t, maxLength, options));
  }

  /**
   * Encodes a (query, document) pair, cutting only the document so the whole fits `maxLength`
   * (HF `truncation='only_second'`). Throws INVALID_ARGUMENT when the query and the special
   * tokens leave no room for a document token.
   */
  encodePair(query: string, doc: string, maxLength?: number): Encoded {
    return this.encodePairWindows(query, doc, maxLength ?? Number.POSITIVE_INFINITY, 0)[0];
  }

  /**
   * Encodes a pair once per window of the document: windows of as many document tokens as fit
   * next to the query, consecutive windows sharing `stride` tokens (HF's overflowing tokens with
   * `stride`, same windows). A document that fits gives one encoding.
   */
  encodePairWindows(query: string, doc: string, maxLength: number, stride = 0): Encoded[] {
    const q = this.tokenIds(query);
    const d = this.tokenIds(doc);
    const template = this.#template.pair;
    const added = addedTokens(template);
    if (q.length + d.length + added <= maxLength) return [this.#build(template, q, d)];
    const room = maxLength - added - q.length;
    if (room <= 0) {
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `the query takes ${q.length} tokens and the special tokens ${added}, which leaves no room for the document within maxLength ${maxLength}; shorten the query or raise maxLength`,
      );
    }
    if (!(Number.isInteger(stride) && stride >= 0 && stride < room)) {
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `stride must be an integer in [0, ${room - 1}] (below the ${room} document tokens a window holds next to this query), got ${stride}`,
      );
    }
    return windowRanges(d.length, room, stride).map(([start, end]) => this.#build(template, q, d.slice(start, end)));
  }

  /** Tokens of the pair with special tokens and no truncation. */
  pairLength(query: string, doc: string): number {
    return this.tokenIds(query).length + this.tokenIds(doc).length + this.numAddedTokens(true);
  }

  /** Adds the special tokens around id sequences (no truncation): for callers that edit ids first. */
  withSpecialTokens(a: readonly number[], b?: readonly number[]): Encoded {
    return this.#build(b === undefined ? this.#template.single : this.#template.pair, a, b ?? null);
  }

  #build(template: readonly TemplatePiece[], a: ArrayLike<number>, b: ArrayLike<number> | null): Encoded {
    const { ids, typeIds } = applyTemplate(template, a, b);
    return { ids, typeIds, length: ids.length };
  }
}

function tokenText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string')
    return (value as { content: string }).content;
  return undefined;
}

async function readJson(dir: string, file: string, required: boolean): Promise<Json | undefined> {
  const path = join(dir, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined;
    const why = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(cause as Error).message})`;
    throw new ShortlistError(
      'MODEL_ERROR',
      `model folder ${dir}: ${file} ${why}; a model folder needs the tokenizer.json of its Hugging Face repo`,
      { cause },
    );
  }
  try {
    return JSON.parse(text) as Json;
  } catch (cause) {
    throw new ShortlistError('MODEL_ERROR', `${path}: not valid JSON (${(cause as Error).message}); download the file again`, { cause });
  }
}
