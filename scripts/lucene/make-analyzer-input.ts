/**
 * Writes the inputs of the Lucene golden fixtures under test/fixtures/lucene/, all deterministic:
 * - analyzer-input.txt: the hand-picked edge cases in scripts/lucene/edge-cases.txt (whole and
 *   word by word), long tokens, then sentences and queries sampled from the BEIR datasets;
 * - tokenizer-input.txt: random strings mixing ASCII word characters and punctuation with
 *   non-ASCII letters, marks, CJK, Hangul, Thai, emoji and format characters;
 * - porter-input.txt: random words built to hit every Porter rule.
 * Then run scripts/lucene/make-analyzer-golden.sh to get Lucene's output for every line.
 *
 *   node --import tsx scripts/lucene/make-analyzer-input.ts [datasets-dir]
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.argv[2] ?? join(here, '../../../shared/datasets'));
const fixtures = join(here, '../../test/fixtures/lucene');
const out = join(fixtures, 'analyzer-input.txt');

const edgeCases = readFileSync(join(here, 'edge-cases.txt'), 'utf8')
  .split('\n')
  .filter((l) => l !== '');
// each edge-case line whole, then each of its space-separated pieces alone (one case per line)
const lines: string[] = [...edgeCases, ...edgeCases.flatMap((l) => l.split(' ').filter((w) => w !== ''))];

// Long tokens: Lucene cuts tokens at 255 UTF-16 units (the longest valid prefix) and rescans.
const rep = (s: string, n: number): string => s.repeat(n);
lines.push(
  rep('a', 255),
  rep('a', 256),
  `x ${rep('a', 300)} y`,
  rep('b', 600),
  rep('ab.', 100),
  `${rep('a', 254)}.b${rep('c', 10)}`,
  `${rep('a', 253)}.b${rep('c', 10)}`,
  `${rep('1', 253)},2${rep('3', 10)}`,
  `${rep('_', 300)}a`,
  `${rep('é', 300)}`,
  `${rep('\u{1D400}', 200)}`,
  `${rep('running', 40)}s`,
  `pre ${rep('Caresses', 40)} post`,
);

// A small deterministic PRNG (xorshift32) so the samples are stable.
let seed = 42;
const rand = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const datasets = readdirSync(root)
  .filter((d) => existsSync(join(root, d, 'corpus.jsonl')))
  .sort();
for (const name of datasets) {
  const docs = readFileSync(join(root, name, 'corpus.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean);
  const sentences: string[] = [];
  for (const line of docs) {
    const d = JSON.parse(line) as { title?: string; text?: string };
    const text = `${d.title ?? ''} ${d.text ?? ''}`.replace(/\s+/g, ' ').trim();
    for (const s of text.split(/(?<=[.!?])\s+/)) if (s.length >= 20 && s.length <= 400) sentences.push(s);
  }
  // 40 sentences per dataset, half of them with non-ASCII characters where there are any
  const nonAscii = sentences.filter((s) => /[^\x00-\x7f]/.test(s));
  for (let i = 0; i < 20 && nonAscii.length > 0; i++) lines.push(nonAscii[Math.floor(rand() * nonAscii.length)]);
  for (let i = 0; i < 20; i++) lines.push(sentences[Math.floor(rand() * sentences.length)]);
  const queries = readFileSync(join(root, name, 'queries.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean);
  for (let i = 0; i < 15; i++) {
    const q = JSON.parse(queries[Math.floor(rand() * queries.length)]) as { text: string };
    lines.push(q.text.replace(/\s+/g, ' ').trim());
  }
}

const unique = [...new Set(lines.map((l) => l.replace(/[\t\r\n]/g, ' ')))];
writeFileSync(out, unique.join('\n') + '\n');
console.log(`wrote ${out} (${unique.length} lines)`);

// Tokenizer stress strings.
const ascii = 'abcXYZ019_.,:;\'"-@/# '.split('');
const other = [
  'é',
  'Σ',
  'ж',
  '日',
  '本',
  'ひ',
  'カ',
  'ー',
  '한',
  'ก',
  'ั',
  '\u0301',
  '\u200d',
  '\u200b',
  '\u00ad',
  '\u202f',
  '\u00a0',
  '’',
  '‘',
  '·',
  '😀',
  '🏽',
  '🇺',
  '©',
  '★',
  '①',
  '½',
  '²',
  '٣',
  'ｱ',
  'Ａ',
  '１',
  '\u3000',
  '—',
  '–',
  '…',
  '’s',
];
const fuzz: string[] = [];
for (let i = 0; i < 2000; i++) {
  const share = rand() < 0.5 ? 0.03 : 0.25;
  let s = '';
  for (let j = 1 + Math.floor(rand() * 24); j > 0; j--) s += rand() < share ? pick(other) : pick(ascii);
  fuzz.push(s.replace(/[\t\r\n]/g, ' '));
}
// ... and strings of the scripts and punctuation the char-loop path handles itself
const ascii2 = 'abZ09_.,:;\'-/ "'.split('');
const other2 = [
  'é',
  'ß',
  'Ж',
  'ж',
  'Ω',
  'ά',
  '\u0301',
  '\u0308',
  '\u00ad',
  '\u200c',
  '\u2060',
  '’',
  '‘',
  '·',
  '\u2024',
  '\u2027',
  '\u202f',
  '\u00a0',
  '‿',
  '＿',
  '٫',
  '١',
  '٣',
  '०',
  '１',
  'Ａ',
  'ｶ',
  'ﾞ',
  'カ',
  'ー',
  '日',
  '々',
  'ひ',
  '한',
  'ㄱ',
  'ᄀ',
  '\u1161',
  'ⅷ',
  'Ⓐ',
  '𝐀',
  '𝟏',
  'ʼ',
  'ˈ',
  '˗',
  'ǅ',
  'ﬁ',
  '׳',
  'ש',
  '\u05f4',
  '״',
  'क',
  '\u093f',
  '\u094d',
  'ا',
  '\u064b',
  '\u0600',
  '\u200e',
  '\u3000',
  '。',
  '，',
  '：',
  '；',
  '．',
];
for (let i = 0; i < 1500; i++) {
  let s = '';
  for (let j = 1 + Math.floor(rand() * 20); j > 0; j--) s += rand() < 0.4 ? pick(other2) : pick(ascii2);
  fuzz.push(s.replace(/[\t\r\n]/g, ' '));
}
writeFileSync(join(fixtures, 'tokenizer-input.txt'), fuzz.join('\n') + '\n');

// Porter stress words: random stems plus one or two suffixes the rules look at.
const suffixes = (
  ' s es ies sses ed eed ing ational tional enci anci izer bli alli entli eli ousli ization ation ator alism ' +
  'iveness fulness ousness aliti iviti biliti logi icate ative alize iciti ical ful ness al ance ence er ic ' +
  'able ible ant ement ment ent ion sion tion ou ism ate iti ous ive ize e ll y ly at bl iz'
).split(' ');
const letters = 'abcdeiouyylstzwxmnr';
const words = new Set<string>();
while (words.size < 3000) {
  let w = '';
  for (let j = 1 + Math.floor(rand() * 6); j > 0; j--) w += pick([...letters]);
  w += pick(suffixes);
  if (rand() < 0.3) w += pick(suffixes);
  words.add(w);
}
writeFileSync(join(fixtures, 'porter-input.txt'), [...words].join('\n') + '\n');
