/**
 * Deterministic, diverse texts for tokenizer tests when no real corpus is around: words with
 * accents, CJK, numbers, punctuation, long words, special-token look-alikes, odd whitespace,
 * emoji and control characters — the places where tokenizer implementations disagree.
 */
import { Rng } from './rng.ts';

const WORDS = (
  'the of and a to in is was for on with as by that from at are this be which or an were has have ' +
  'protein cell cells gene expression patients treatment study results cancer increased risk ' +
  'retrieval ranking search engine document query model models neural transformer attention ' +
  'café naïve Zürich résumé façade coöperate Ångström Ελληνικά русский язык español niño ' +
  'Tokenization TOKENIZER CamelCase iPhone e-mail state-of-the-art well-known re-ranking ' +
  "don't it's O'Brien rock'n'roll U.S.A. e.g. i.e. etc. Dr. Mr. vs."
).split(' ');

const PIECES = [
  '中文字符',
  '日本語のテキスト',
  '한국어',
  'ไทย',
  'العربية',
  'עברית',
  'हिन्दी',
  '3.14159',
  '1,000,000',
  '2023-11-26',
  '42%',
  '$19.99',
  '±0.5',
  '10^-3',
  'H2O',
  'CO₂',
  '½',
  '①',
  '(parenthesised)',
  '[bracketed]',
  '{braced}',
  '"quoted"',
  '«guillemets»',
  '— em dash –',
  '…',
  '!?',
  ';:',
  '[SEP]',
  '[CLS]',
  '[MASK]',
  '[PAD]',
  '[UNK]',
  '<s>',
  '</s>',
  '##ing',
  '😀',
  '👍🏽',
  '🇫🇷',
  '∑∫√∞',
  '→',
  '©®™',
  '\u200b',
  '\u00a0',
  '\t',
  '\n',
  '\r\n',
  '  ',
  '\u0007',
  '\ufffd',
  '\u3000',
  'https://example.org/path?q=1&r=2',
  'user@example.com',
  '#hashtag',
  '@mention',
  'C++',
  'x86_64',
  'snake_case_name',
];

/** `n` pseudo-random texts of 1 to ~`maxWords` pieces, the same for the same seed. */
export function generatedTexts(n: number, seed = 1, maxWords = 300): string[] {
  const rng = new Rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.nextU32() % xs.length];
  const texts: string[] = [];
  for (let i = 0; i < n; i++) {
    const words = 1 + (rng.nextU32() % maxWords);
    const parts: string[] = [];
    for (let w = 0; w < words; w++) {
      const r = rng.uniform();
      if (r < 0.7) parts.push(pick(WORDS));
      else if (r < 0.95) parts.push(pick(PIECES));
      else if (r < 0.98) parts.push(longWord(rng));
      else parts.push(String(rng.nextU32()));
    }
    texts.push(parts.join(rng.uniform() < 0.9 ? ' ' : ''));
  }
  return texts;
}

function longWord(rng: Rng): string {
  const length = 20 + (rng.nextU32() % 120);
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(97 + (rng.nextU32() % 26));
  return s;
}
