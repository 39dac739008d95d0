/** Reads a Lucene golden fixture (test/fixtures/lucene/*.tsv): input TAB Lucene's output per line. */
import { readFileSync } from 'node:fs';

/** One golden line: the input and Lucene's space-separated output. */
export interface GoldenLine {
  line: number;
  input: string;
  expected: string;
}

/** The lines of test/fixtures/lucene/`name`. */
export function readGolden(name: string): GoldenLine[] {
  const text = readFileSync(new URL(`../../test/fixtures/lucene/${name}`, import.meta.url), 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l, i) => {
    const tab = l.lastIndexOf('\t');
    return { line: i + 1, input: l.slice(0, tab), expected: l.slice(tab + 1) };
  });
}
