/**
 * A hit's best passage as one terminal line under its result, the query's matched words marked
 * like `grep --color` (bold red) when stdout is a terminal, plain text when it is piped (or when
 * NO_COLOR is set).
 */
import type { Hit } from '../core/types.ts';
import { markSpans, matchSpans, snippet } from '../pipeline/passages/index.ts';
import type { Analyzer } from '../text/analyzer.ts';

const MARK_ON = '\x1b[1;31m';
const MARK_OFF = '\x1b[0m';

/** Characters of passage shown under a result. */
export const SNIPPET_WIDTH = 160;

/** Whether stdout gets colour: a terminal without NO_COLOR. */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR;
}

/** The passage line of `hit` (indented), or undefined when it has no passage. */
export function passageLine(
  hit: Hit,
  queryTerms: ReadonlySet<string>,
  analyzer: Analyzer,
  color: boolean,
  width = SNIPPET_WIDTH,
): string | undefined {
  const p = hit.passages?.[0];
  if (!p) return undefined;
  const cut = snippet(p.text, matchSpans(p.text.replace(/\s/g, ' '), queryTerms, analyzer), width);
  return '     ' + (color ? markSpans(cut.text, cut.spans, MARK_ON, MARK_OFF) : cut.text);
}
