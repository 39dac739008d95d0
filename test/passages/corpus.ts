/**
 * A generated folder of long markdown notes for passage tests (no ../shared needed): each note has
 * headings and paragraphs of English-like filler (a seeded Zipf draw over a small vocabulary) and
 * planted answer sentences, each sitting wholly inside one known chunk of its note (chunked with
 * the collection's default chunking). Each planted sentence names three rare words that also turn
 * up, one at a time, in the filler of other notes, so a query must combine them to find it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../src/core/random.ts';
import { chunkText } from '../../src/text/chunk.ts';

const FILLER = (
  'the a of and to in is for on with as by that this it from be are was at or an which we our system ' +
  'service server cluster database replica backup deploy deployment release config configuration setting ' +
  'network request response latency throughput cache memory disk storage query index table row column ' +
  'user team note page section step example guide reference install upgrade migrate monitor alert log ' +
  'metric dashboard error failure retry timeout limit quota region zone node pod container image build ' +
  'test check review change plan schedule job worker queue message event stream topic partition offset'
).split(' ');

const SYLLABLES = 'ka lo mi ne ru sa te vo zi bar dex fen gol hux jir kem lun mop nox pil qua ros tev wyn'.split(' ');

/** One planted question: its query, the note holding the answer, the sentence and the chunk it sits in. */
export interface PlantedQuery {
  query: string;
  docId: string;
  sentence: string;
  chunk: number;
}

/** The generated notes and their planted queries. */
export interface PassageCorpus {
  dir: string;
  docs: { id: string; file: string; text: string }[];
  queries: PlantedQuery[];
}

/** Writes `notes` markdown files (about `words` words each) into `dir`, with `queries` planted sentences spread over them. */
export function writePassageCorpus(
  dir: string,
  options: { notes?: number; words?: number; queries?: number; seed?: number } = {},
): PassageCorpus {
  const nNotes = options.notes ?? 25;
  const nWords = options.words ?? 2400;
  const nQueries = options.queries ?? 50;
  const rand = mulberry32(options.seed ?? 7);
  const zipf = () => FILLER[Math.min(FILLER.length - 1, Math.floor(rand() ** 2.2 * FILLER.length))];
  const used = new Set<string>();
  const rare = (): string => {
    for (;;) {
      const w = Array.from({ length: 3 }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join('');
      if (!used.has(w)) {
        used.add(w);
        return w;
      }
    }
  };
  const plants = Array.from({ length: nQueries }, (_, i) => ({ note: i % nNotes, words: [rare(), rare(), rare()] }));
  // every rare word also appears once in the filler of another note
  const strays = new Map<number, string[]>();
  for (const p of plants)
    for (const w of p.words) {
      let other = Math.floor(rand() * nNotes);
      if (other === p.note) other = (other + 1) % nNotes;
      strays.set(other, [...(strays.get(other) ?? []), w]);
    }
  mkdirSync(dir, { recursive: true });
  const docs: PassageCorpus['docs'] = [];
  const queries: PlantedQuery[] = [];
  for (let n = 0; n < nNotes; n++) {
    const mine = plants.filter((p) => p.note === n);
    const sentences: string[] = [];
    let count = 0;
    while (count < nWords) {
      const len = 8 + Math.floor(rand() * 12);
      const words = Array.from({ length: len }, zipf);
      words[0] = words[0][0].toUpperCase() + words[0].slice(1);
      sentences.push(words.join(' ') + '.');
      count += len;
    }
    for (const w of strays.get(n) ?? []) {
      const at = Math.floor(rand() * sentences.length);
      sentences[at] = sentences[at].replace(/\.$/, ` ${w}.`);
    }
    // plant each answer sentence at a position where it lies inside one chunk
    const answers = mine.map((p) => `To set up ${p.words[0]} replicas, point the ${p.words[1]} service at the ${p.words[2]} cluster.`);
    const slots = answers.map((_, i) => Math.floor(((i + 0.5) / answers.length) * sentences.length));
    let text = '';
    for (let attempt = 0; ; attempt++) {
      const body = [...sentences];
      slots.forEach((s, i) => body.splice(s + i, 0, answers[i]));
      text = render(n, body);
      const chunks = chunkText(text);
      if (answers.every((a) => chunks.some((c) => c.text.includes(a))) || attempt > 20) break;
      for (let i = 0; i < slots.length; i++) slots[i] = Math.min(sentences.length - 1, slots[i] + 1);
    }
    const chunks = chunkText(text);
    mine.forEach((p, i) => {
      const chunk = chunks.findIndex((c) => c.text.includes(answers[i]));
      queries.push({
        query: `how do I set up ${p.words[0]} replicas with ${p.words[1]} and ${p.words[2]}`,
        docId: `note-${String(n).padStart(2, '0')}.md`,
        sentence: answers[i],
        chunk,
      });
    });
    const file = join(dir, `note-${String(n).padStart(2, '0')}.md`);
    writeFileSync(file, text);
    docs.push({ id: `note-${String(n).padStart(2, '0')}.md`, file, text });
  }
  return { dir, docs, queries };
}

/** Sentences as markdown: a title, then sections of a few paragraphs. */
function render(n: number, sentences: string[]): string {
  const out = [`# Runbook ${n}`, ''];
  for (let i = 0; i < sentences.length; i += 5) {
    if (i % 40 === 0) out.push(`## Part ${i / 40 + 1}`, '');
    out.push(sentences.slice(i, i + 5).join(' '), '');
  }
  return out.join('\n');
}
