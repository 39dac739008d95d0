/**
 * Compares shortlist's `english` analyzer with Lucene 8.7's EnglishAnalyzer on every document
 * (title + text) and every query of every BEIR-format dataset under a folder, and reports how many
 * lines get different term lists, with examples; then checks the Porter stemmer alone on every
 * distinct word, and measures our analyzer's throughput on the largest corpus.
 *
 *   node --import tsx scripts/lucene/compare-analyzer.ts [datasets-dir] [--examples N]
 *
 * datasets-dir defaults to ../shared/datasets. Needs a JDK and the Lucene 8.7.0 jars
 * (LUCENE_JARS, default /usr/share/java).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeEnglish } from '../../src/text/english.ts';
import { lowerCase } from '../../src/text/lowercase.ts';
import { porterStem } from '../../src/text/porter.ts';
import { tokenize } from '../../src/text/tokenize.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const examplesAt = args.indexOf('--examples');
const maxExamples = examplesAt >= 0 ? Number(args.splice(examplesAt, 2)[1]) : 5;
const root = resolve(args[0] ?? join(here, '../../../shared/datasets'));
const jars = process.env.LUCENE_JARS ?? '/usr/share/java';
const classpath = [`${jars}/lucene-core-8.7.0.jar`, `${jars}/lucene-analyzers-common-8.7.0.jar`];

/** One line per document (title + text) and per query, newlines flattened to spaces. */
function readLines(dir: string): { docs: string[]; queries: string[] } {
  const parse = (file: string, withTitle: boolean): string[] =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const row = JSON.parse(l) as { title?: string; text?: string };
        const text = withTitle && row.title ? `${row.title} ${row.text ?? ''}` : (row.text ?? '');
        return text.replace(/[\r\n]/g, ' ');
      });
  return { docs: parse('corpus.jsonl', true), queries: parse('queries.jsonl', false) };
}

function luceneTerms(build: string, lines: string[], mode = 'english'): string[] {
  const out = execFileSync('java', ['-cp', [...classpath, build].join(':'), 'AnalyzeDump', mode], {
    input: lines.join('\n') + '\n',
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  return out.split('\n').slice(0, lines.length);
}

/** The first position where two term lists differ, shown with a little context. */
function firstDifference(ours: string[], theirs: string[]): string {
  let i = 0;
  while (i < ours.length && i < theirs.length && ours[i] === theirs[i]) i++;
  const from = Math.max(0, i - 2);
  return `at term ${i}: ours [${ours.slice(from, i + 4).join(' ')}] lucene [${theirs.slice(from, i + 4).join(' ')}]`;
}

const build = mkdtempSync(join(tmpdir(), 'analyze-dump-'));
try {
  execFileSync('javac', ['-encoding', 'UTF-8', '-cp', classpath.join(':'), '-d', build, join(here, 'AnalyzeDump.java')]);
  const datasets = readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'corpus.jsonl')))
    .sort();
  let totalLines = 0;
  let totalBad = 0;
  let largest: string[] = [];
  const vocabulary = new Set<string>();
  for (const name of datasets) {
    const { docs, queries } = readLines(join(root, name));
    for (const line of [...docs, ...queries]) for (const token of tokenize(line)) vocabulary.add(lowerCase(token));
    if (docs.join('').length > largest.join('').length) largest = docs;
    for (const [kind, lines] of [
      ['docs', docs],
      ['queries', queries],
    ] as const) {
      const lucene = luceneTerms(build, lines);
      const bytes = lines.reduce((sum, l) => sum + Buffer.byteLength(l), 0);
      const t0 = performance.now();
      const ours = lines.map((l) => analyzeEnglish(l));
      const seconds = (performance.now() - t0) / 1000;
      let bad = 0;
      let badTerms = 0;
      let terms = 0;
      const examples: string[] = [];
      for (let i = 0; i < lines.length; i++) {
        const theirs = lucene[i] === '' ? [] : lucene[i].split(' ');
        terms += theirs.length;
        if (ours[i].join(' ') === lucene[i]) continue;
        bad++;
        badTerms += Math.abs(ours[i].length - theirs.length) || 1;
        if (examples.length < maxExamples) examples.push(`    line ${i + 1}: ${firstDifference(ours[i], theirs)}`);
      }
      totalLines += lines.length;
      totalBad += bad;
      const rate = ((100 * bad) / lines.length).toFixed(3);
      const mbps = (bytes / 1e6 / seconds).toFixed(1);
      console.log(`${name} ${kind}: ${bad}/${lines.length} lines differ (${rate}%), ~${badTerms} of ${terms} terms; ${mbps} MB/s`);
      for (const e of examples) console.log(e);
    }
  }
  console.log(`total: ${totalBad}/${totalLines} lines differ (${((100 * totalBad) / totalLines).toFixed(3)}%)`);

  // The stemmer alone, on every distinct lowercase token of every dataset.
  const words = [...vocabulary].sort();
  const stems = luceneTerms(build, words, 'porter');
  const wrong = words.filter((w, i) => porterStem(w) !== stems[i]);
  console.log(`porter: ${wrong.length}/${words.length} distinct words stem differently from Lucene's PorterStemFilter`);
  for (const w of wrong.slice(0, maxExamples)) console.log(`    ${w}: ours ${porterStem(w)} lucene ${stems[words.indexOf(w)]}`);

  // Throughput on the largest corpus, best of 5 runs (the machine may be shared).
  const bytes = largest.reduce((sum, l) => sum + Buffer.byteLength(l), 0);
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    for (const line of largest) analyzeEnglish(line);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  console.log(`throughput: ${(bytes / 1e6 / best).toFixed(1)} MB/s (${(bytes / 1e6).toFixed(1)} MB, best of 5)`);
} finally {
  rmSync(build, { recursive: true, force: true });
}
