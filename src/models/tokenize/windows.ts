/**
 * Overlapping windows over a token sequence, exactly as HF tokenizers' truncation with `stride`
 * makes its overflowing pieces (`Encoding::truncate`, direction right): windows of `size` tokens
 * starting every `size - stride` tokens, the last one ending at the sequence's end.
 */
import { ShortlistError } from '../../core/errors.ts';

/** `[start, end)` token ranges covering `length` tokens with windows of `size` sharing `stride` tokens. */
export function windowRanges(length: number, size: number, stride: number): Array<[number, number]> {
  if (!(Number.isInteger(size) && size > 0))
    throw new ShortlistError('INVALID_ARGUMENT', `window size must be a positive integer, got ${size}`);
  if (!(Number.isInteger(stride) && stride >= 0 && stride < size))
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `stride must be an integer in [0, ${size - 1}] (below the window size ${size}), got ${stride}`,
    );
  if (length <= size) return [[0, length]];
  const step = size - stride;
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < length; start += step) {
    const end = Math.min(start + size, length);
    ranges.push([start, end]);
    if (end === length) break;
  }
  return ranges;
}
