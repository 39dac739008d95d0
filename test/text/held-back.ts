/**
 * Held-back text for the analyzer differential test: text in each language that is NOT in
 * ../shared/text, read at test time from packages a Debian machine installs (`.ci/run`):
 *
 * - **dictionaries**: every headword of the language's Hunspell dictionary
 *   (`/usr/share/hunspell/<lang>.dic`, `hunspell-<lang>` / `myspell-<lang>`) and the inflected forms
 *   Hunspell's `unmunch` (`hunspell-tools`) derives from a sample of them with the affix rules;
 * - **variants** of those words as running text writes them: UPPER and Title case, with digits,
 *   apostrophes, hyphens, dots, emoji, URLs and words of other scripts around them, and words
 *   longer than the tokenizer's 255-character limit;
 * - **message catalogs**: the translated strings of every gettext catalog installed for the
 *   language (`/usr/share/locale/<lang>/LC_MESSAGES/*.mo`: coreutils, iso-codes, …), menu
 *   accelerators, format directives, quotes, numbers and all.
 *
 * Nothing derived from this text is committed; the tests read it, run Lucene and shortlist on it
 * and compare. `HELD_BACK_MAX_LINES` bounds the lines per source and language (default 2,000).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HUNSPELL = process.env.HELD_BACK_HUNSPELL_DIR ?? '/usr/share/hunspell';
const LOCALE = process.env.HELD_BACK_LOCALE_DIR ?? '/usr/share/locale';
const MAX_LINES = Number(process.env.HELD_BACK_MAX_LINES ?? 2000);
const WORDS_PER_LINE = 8;

/** Locale folder names per analyzer code, where they differ from the code. */
const LOCALES: Readonly<Record<string, readonly string[]>> = {
  no: ['nb', 'nn', 'no'],
  zh: ['zh_CN', 'zh_TW'],
  pt: ['pt', 'pt_BR'],
};

/** Hunspell dictionary names per analyzer code, where `<code>_*.dic` is not the one. */
const DICTIONARIES: Readonly<Record<string, readonly string[]>> = {
  no: ['nb_NO', 'nn_NO'],
  ga: ['ga_IE'],
  eu: ['eu'],
  ca: ['ca'],
  ar: ['ar'],
  es: ['es_ES'],
  de: ['de_DE'],
  fr: ['fr_FR'],
  it: ['it_IT'],
  nl: ['nl_NL'],
  sv: ['sv_SE'],
  pt: ['pt_PT'],
  fa: ['fa_IR'],
  hy: ['hy_AM'],
  ko: ['ko_KR'],
};

/** The kinds of held-back text. */
export type HeldBackKind = 'hunspell' | 'variants' | 'gettext';

/** One source of held-back lines for a language. */
export interface HeldBackSource {
  /** What the lines are (shown in failures): `hunspell de_DE`, `gettext de`. */
  name: string;
  kind: HeldBackKind;
  lines: string[];
}

/** Every held-back source installed for `code` (none when the packages are missing). */
export function heldBackSources(code: string): HeldBackSource[] {
  const out: HeldBackSource[] = [];
  for (const dic of dictionaryNames(code)) {
    const words = dictionaryWords(dic);
    if (words.length === 0) continue;
    out.push({ name: `hunspell ${dic}`, kind: 'hunspell', lines: chunk(words) });
    out.push({ name: `hunspell ${dic} variants`, kind: 'variants', lines: variants(sample(words, MAX_LINES)) });
  }
  const catalogs = catalogLines(code);
  if (catalogs.length > 0) out.push({ name: `gettext ${code}`, kind: 'gettext', lines: catalogs });
  return out;
}

/** Why no held-back text can be read here, or `null`. */
export function heldBackMissing(): string | null {
  if (!existsSync(HUNSPELL) && !existsSync(LOCALE))
    return `neither ${HUNSPELL} nor ${LOCALE} (apt-get install hunspell-de-de …, see .ci/run)`;
  return null;
}

function dictionaryNames(code: string): string[] {
  if (!existsSync(HUNSPELL)) return [];
  const files = new Set(readdirSync(HUNSPELL));
  const named = (DICTIONARIES[code] ?? []).filter((n) => files.has(`${n}.dic`));
  if (named.length > 0) return named.slice(0, 1);
  const first = [...files].filter((f) => f.endsWith('.dic') && (f === `${code}.dic` || f.startsWith(`${code}_`))).sort()[0];
  return first ? [first.slice(0, -4)] : [];
}

/** The encoding a Hunspell .aff declares (`SET ISO8859-1`), as a TextDecoder label. */
function affEncoding(aff: string): string {
  const raw = readFileSync(aff, 'latin1');
  const set = /^SET\s+(\S+)/m.exec(raw)?.[1] ?? 'UTF-8';
  return set
    .toLowerCase()
    .replace(/^iso(\d)/, 'iso-$1')
    .replace(/^microsoft-/, '');
}

/** Headwords of a dictionary plus unmunch's inflected forms of a sample of them. */
function dictionaryWords(dic: string): string[] {
  const aff = join(HUNSPELL, `${dic}.aff`);
  if (!existsSync(aff)) return [];
  const encoding = affEncoding(aff);
  const decoder = new TextDecoder(encoding);
  const entries = decoder
    .decode(readFileSync(join(HUNSPELL, `${dic}.dic`)))
    .split('\n')
    .slice(1)
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('\t'));
  const heads = entries.map((e) => e.split(/[\t ]/)[0].replace(/(?<!\\)\/.*$/, ''));
  const budget = MAX_LINES * WORDS_PER_LINE;
  const words = sample(heads, budget / 2);
  // inflected forms: unmunch a sample of entries with their affix flags
  const forms = unmunch(sample(entries, Math.max(200, Math.floor(budget / 40))), aff, encoding);
  words.push(...sample(forms, budget - words.length));
  return words.filter((w) => w !== '' && !/\s/.test(w));
}

/** Every `step`-th item so at most `n` remain (deterministic). */
function sample<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  const step = items.length / n;
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(items[Math.floor(i * step)]);
  return out;
}

function unmunch(entries: readonly string[], aff: string, encoding: string): string[] {
  if (entries.length === 0 || spawnSync('unmunch', [], { stdio: 'ignore' }).error) return [];
  const dir = mkdtempSync(join(tmpdir(), 'held-back-'));
  try {
    const dic = join(dir, 'sample.dic');
    const text = `${entries.length}\n${entries.join('\n')}\n`;
    writeFileSync(dic, encoding === 'utf-8' ? Buffer.from(text, 'utf8') : encodeLegacy(text, encoding));
    const out = execFileSync('unmunch', [dic, aff], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 });
    return new TextDecoder(encoding)
      .decode(out)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  } catch {
    return [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Re-encodes text in a single-byte encoding (the .dic's own), for unmunch. */
function encodeLegacy(text: string, encoding: string): Buffer {
  const decoder = new TextDecoder(encoding);
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  const bytes: number[] = [];
  for (const ch of text) bytes.push(table.get(ch) ?? 0x3f);
  return Buffer.from(bytes);
}

function chunk(words: readonly string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < words.length; i += WORDS_PER_LINE) lines.push(words.slice(i, i + WORDS_PER_LINE).join(' '));
  return lines;
}

/** Decorations put around dictionary words (index by word position: deterministic). */
const DECORATIONS: readonly ((w: string, v: string) => string)[] = [
  (w) => w.toUpperCase(),
  (w) => w.charAt(0).toUpperCase() + w.slice(1),
  (w, v) => `${w}-${v}`,
  (w) => `${w}'s`,
  (w) => `l'${w}`,
  (w) => `${w}123`,
  (w) => `2021-${w}`,
  (w) => `${w}.${w}`,
  (w) => `«${w}»`,
  (w, v) => `${w}😀${v}`,
  (w) => `${w} 3,14 ½ ٣ ४`,
  (w) => `${w}_x`,
  (w) => `http://${w}.example/a?b=${w}`,
  (w, v) => `${w}/${v}`,
  (w) => `${w}Test`,
  (w) => `${w} Σίσυφος ИСТОРИЯ İstanbul`,
  (w) => `${w}’${w}`,
  (w) => `#${w} @${w}`,
  (w) => `${w}\u00AD${w}`,
  (w) => `${w}, ${w}; (${w})`,
  (w) => w.repeat(Math.ceil(300 / Math.max(1, w.length))), // longer than StandardTokenizer's 255
];

/** One line per word: the word and its neighbour decorated in one of the ways above. */
function variants(words: readonly string[]): string[] {
  return words.map((w, i) => DECORATIONS[i % DECORATIONS.length](w, words[(i + 1) % words.length]));
}

/** The translated strings of every gettext catalog for the language, one line per text line. */
function catalogLines(code: string): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const locale of LOCALES[code] ?? [code]) {
    const dir = join(LOCALE, locale, 'LC_MESSAGES');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.mo'))
      .sort()) {
      for (const text of moStrings(readFileSync(join(dir, file)))) {
        // Java's readLine also ends a line at a lone \r: split there too, so the lines stay aligned
        for (const line of text.split(/\r\n|\r|\n/)) {
          const l = line.trim();
          if (l === '' || seen.has(l)) continue;
          seen.add(l);
          lines.push(l);
        }
      }
    }
  }
  return sample(lines, MAX_LINES);
}

/** The msgstr texts of a GNU .mo file (plural forms split; the header entry skipped). */
export function moStrings(mo: Buffer): string[] {
  if (mo.length < 28) return [];
  const magic = mo.readUInt32LE(0);
  const le = magic === 0x950412de;
  if (!le && magic !== 0xde120495) return [];
  const u32 = (at: number) => (le ? mo.readUInt32LE(at) : mo.readUInt32BE(at));
  const n = u32(8);
  const originals = u32(12);
  const translations = u32(16);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const idLength = u32(originals + i * 8);
    if (idLength === 0) continue; // the header
    const length = u32(translations + i * 8);
    const offset = u32(translations + i * 8 + 4);
    if (offset + length > mo.length) break;
    out.push(...mo.toString('utf8', offset, offset + length).split('\0'));
  }
  return out;
}
