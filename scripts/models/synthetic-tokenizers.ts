/**
 * Small but real non-WordPiece `tokenizer.json` files, for checking that tokenization works for
 * other architectures: a byte-level BPE (GPT-2/RoBERTa style, RobertaProcessing) and a
 * SentencePiece Unigram (XLM-R style: Metaspace, `<s> A </s></s> B </s>`). Vocabularies and merges
 * are derived deterministically from a word list.
 */

const WORDS = (
  'the of and to in is was for on with that from are this which protein cell gene expression patients treatment ' +
  'study results cancer risk retrieval ranking search engine document query model neural attention token tokenizer ' +
  'ing ed er es tion ly al re un'
).split(' ');

/** GPT-2's byte → printable character map. */
export function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const map = new Array<string>(256);
  bs.forEach((b, i) => (map[b] = String.fromCodePoint(cs[i])));
  return map;
}

/** A byte-level BPE tokenizer.json (RoBERTa layout: `<s>`=0, `<pad>`=1, `</s>`=2, `<unk>`=3). */
export function byteLevelBpeTokenizer(): { tokenizer: Record<string, unknown>; config: Record<string, unknown> } {
  const specials = ['<s>', '<pad>', '</s>', '<unk>'];
  const vocab = new Map<string, number>();
  const add = (t: string) => {
    if (!vocab.has(t)) vocab.set(t, vocab.size);
  };
  specials.forEach(add);
  const byteChars = bytesToUnicode();
  byteChars.forEach(add);
  const merges: string[] = [];
  const seen = new Set<string>();
  for (const word of WORDS.flatMap((w) => [w, `Ġ${w}`])) {
    const chars = [...word];
    let left = chars[0];
    for (let i = 1; i < chars.length; i++) {
      const merge = `${left} ${chars[i]}`;
      if (!seen.has(merge)) {
        seen.add(merge);
        merges.push(merge);
      }
      left += chars[i];
      add(left);
    }
  }
  const added = specials.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  return {
    tokenizer: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: added,
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false },
      decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: '',
        end_of_word_suffix: '',
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab: Object.fromEntries(vocab),
        merges,
      },
    },
    config: {
      bos_token: '<s>',
      eos_token: '</s>',
      sep_token: '</s>',
      cls_token: '<s>',
      pad_token: '<pad>',
      unk_token: '<unk>',
      mask_token: '<mask>',
      tokenizer_class: 'RobertaTokenizer',
    },
  };
}

/** A SentencePiece Unigram tokenizer.json (XLM-R layout: `<s>`=0, `<pad>`=1, `</s>`=2, `<unk>`=3). */
export function unigramTokenizer(): { tokenizer: Record<string, unknown>; config: Record<string, unknown> } {
  const specials = ['<s>', '<pad>', '</s>', '<unk>'];
  const pieces: Array<[string, number]> = specials.map((s) => [s, 0]);
  const seen = new Set<string>(specials);
  const add = (p: string, score: number) => {
    if (!seen.has(p)) {
      seen.add(p);
      pieces.push([p, score]);
    }
  };
  add('▁', -3);
  WORDS.forEach((w, i) => {
    add(`▁${w}`, -4 - i * 0.05);
    add(w, -6 - i * 0.05);
  });
  for (let c = 33; c < 127; c++) add(String.fromCharCode(c), -10);
  for (const c of 'éèüöäñçßαβγ中文字') add(c, -11);
  const added = specials.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const special = (id: string, type_id: number) => ({ SpecialToken: { id, type_id } });
  const seq = (id: 'A' | 'B', type_id: number) => ({ Sequence: { id, type_id } });
  return {
    tokenizer: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: added,
      normalizer: { type: 'NFKC' },
      pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
      post_processor: {
        type: 'TemplateProcessing',
        single: [special('<s>', 0), seq('A', 0), special('</s>', 0)],
        pair: [special('<s>', 0), seq('A', 0), special('</s>', 0), special('</s>', 0), seq('B', 0), special('</s>', 0)],
        special_tokens: {
          '<s>': { id: '<s>', ids: [0], tokens: ['<s>'] },
          '</s>': { id: '</s>', ids: [2], tokens: ['</s>'] },
        },
      },
      decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
      model: { type: 'Unigram', unk_id: 3, vocab: pieces, byte_fallback: false },
    },
    config: {
      bos_token: '<s>',
      eos_token: '</s>',
      sep_token: '</s>',
      cls_token: '<s>',
      pad_token: '<pad>',
      unk_token: '<unk>',
      tokenizer_class: 'XLMRobertaTokenizer',
    },
  };
}
