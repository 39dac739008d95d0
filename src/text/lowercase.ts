/**
 * Lowercasing as Lucene's `LowerCaseFilter` does it: `Character.toLowerCase` on each code point,
 * the simple one-to-one Unicode mapping. JavaScript's `String.prototype.toLowerCase` gives the
 * same result except for two characters: it applies the final-sigma rule ("ΑΣ" → "ας", Lucene
 * gives "ασ") and expands "İ" (U+0130) to "i̇" (Lucene gives "i"). Those take a slow path.
 */

/** `term` lowercased code point by code point, exactly as Lucene's LowerCaseFilter. */
export function lowerCase(term: string): string {
  const n = term.length;
  let upper = false;
  for (let i = 0; i < n; i++) {
    const c = term.charCodeAt(i);
    if (c >= 128) return lowerNonAscii(term);
    if (c >= 65 && c <= 90) upper = true;
  }
  return upper ? term.toLowerCase() : term;
}

function lowerNonAscii(term: string): string {
  if (!term.includes('\u03A3') && !term.includes('\u0130')) return term.toLowerCase();
  let out = '';
  for (const ch of term) out += ch === '\u0130' ? 'i' : ch.toLowerCase();
  return out;
}
