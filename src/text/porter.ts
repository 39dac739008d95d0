/**
 * The Porter (1980) stemmer exactly as Lucene implements it, ported line for line from Lucene 8.7's
 * `org.apache.lucene.analysis.en.PorterStemmer`
 * (lucene/analysis/common/src/java/org/apache/lucene/analysis/en/PorterStemmer.java, itself
 * Martin Porter's Release 3 with the two bounds fixes). Citation: M.F. Porter, "An algorithm for
 * suffix stripping", Program 14(3), 130–137, 1980. This is NOT Porter2 / Snowball English.
 *
 * The stemmer works on UTF-16 code units; only `a e i o u y` are vowels, every other unit (digits,
 * accented letters, '_', '.') counts as a consonant, as in Lucene.
 */

// The word being stemmed, as UTF-16 code units. `k0` is always 0 here (Lucene's stem(char[],...)).
let b = new Uint16Array(64);
let j = 0;
let k = 0;
/** True once a character (not just the length) changed, so the result must be rebuilt. */
let rewritten = false;

const A = 97,
  E = 101,
  I = 105,
  O = 111,
  U = 117,
  Y = 121;

/** Whether b[i] is a consonant: not a e i o u, and `y` only at the start or after a vowel. */
function cons(i: number): boolean {
  const c = b[i];
  if (c === A || c === E || c === I || c === O || c === U) return false;
  if (c === Y) return i === 0 ? true : !cons(i - 1);
  return true;
}

/** The number of consonant–vowel sequences in b[0..j] (Porter's m). */
function m(): number {
  let n = 0;
  let i = 0;
  for (;;) {
    if (i > j) return n;
    if (!cons(i)) break;
    i++;
  }
  i++;
  for (;;) {
    for (;;) {
      if (i > j) return n;
      if (cons(i)) break;
      i++;
    }
    i++;
    n++;
    for (;;) {
      if (i > j) return n;
      if (!cons(i)) break;
      i++;
    }
    i++;
  }
}

/** Whether b[0..j] contains a vowel. */
function vowelinstem(): boolean {
  for (let i = 0; i <= j; i++) if (!cons(i)) return true;
  return false;
}

/** Whether b[i-1], b[i] are the same consonant. */
function doublec(i: number): boolean {
  if (i < 1) return false;
  if (b[i] !== b[i - 1]) return false;
  return cons(i);
}

/** Whether b[i-2..i] is consonant–vowel–consonant and b[i] is not w, x or y. */
function cvc(i: number): boolean {
  if (i < 2 || !cons(i) || cons(i - 1) || !cons(i - 2)) return false;
  const ch = b[i];
  return !(ch === 119 || ch === 120 || ch === Y);
}

/** Whether b[0..k] ends with `s`; if so sets j to the index before the suffix. */
function ends(s: string): boolean {
  const l = s.length;
  const o = k - l + 1;
  if (o < 0) return false;
  for (let i = 0; i < l; i++) if (b[o + i] !== s.charCodeAt(i)) return false;
  j = k - l;
  return true;
}

/** Replaces b[j+1..k] with `s`. */
function setto(s: string): void {
  const l = s.length;
  const o = j + 1;
  for (let i = 0; i < l; i++) b[o + i] = s.charCodeAt(i);
  k = j + l;
  rewritten = true;
}

function r(s: string): void {
  if (m() > 0) setto(s);
}

function step1(): void {
  if (b[k] === 115 /* s */) {
    if (ends('sses')) k -= 2;
    else if (ends('ies')) setto('i');
    else if (b[k - 1] !== 115) k--;
  }
  if (ends('eed')) {
    if (m() > 0) k--;
  } else if ((ends('ed') || ends('ing')) && vowelinstem()) {
    k = j;
    if (ends('at')) setto('ate');
    else if (ends('bl')) setto('ble');
    else if (ends('iz')) setto('ize');
    else if (doublec(k)) {
      const ch = b[k--];
      if (ch === 108 || ch === 115 || ch === 122) k++; // l s z
    } else if (m() === 1 && cvc(k)) setto('e');
  }
}

function step2(): void {
  if (ends('y') && vowelinstem()) {
    b[k] = I;
    rewritten = true;
  }
}

function step3(): void {
  if (k === 0) return;
  switch (b[k - 1]) {
    case 97: // a
      if (ends('ational')) {
        r('ate');
        break;
      }
      if (ends('tional')) {
        r('tion');
        break;
      }
      break;
    case 99: // c
      if (ends('enci')) {
        r('ence');
        break;
      }
      if (ends('anci')) {
        r('ance');
        break;
      }
      break;
    case 101: // e
      if (ends('izer')) {
        r('ize');
        break;
      }
      break;
    case 108: // l
      if (ends('bli')) {
        r('ble');
        break;
      }
      if (ends('alli')) {
        r('al');
        break;
      }
      if (ends('entli')) {
        r('ent');
        break;
      }
      if (ends('eli')) {
        r('e');
        break;
      }
      if (ends('ousli')) {
        r('ous');
        break;
      }
      break;
    case 111: // o
      if (ends('ization')) {
        r('ize');
        break;
      }
      if (ends('ation')) {
        r('ate');
        break;
      }
      if (ends('ator')) {
        r('ate');
        break;
      }
      break;
    case 115: // s
      if (ends('alism')) {
        r('al');
        break;
      }
      if (ends('iveness')) {
        r('ive');
        break;
      }
      if (ends('fulness')) {
        r('ful');
        break;
      }
      if (ends('ousness')) {
        r('ous');
        break;
      }
      break;
    case 116: // t
      if (ends('aliti')) {
        r('al');
        break;
      }
      if (ends('iviti')) {
        r('ive');
        break;
      }
      if (ends('biliti')) {
        r('ble');
        break;
      }
      break;
    case 103: // g
      if (ends('logi')) {
        r('log');
        break;
      }
  }
}

function step4(): void {
  switch (b[k]) {
    case 101: // e
      if (ends('icate')) {
        r('ic');
        break;
      }
      if (ends('ative')) {
        r('');
        break;
      }
      if (ends('alize')) {
        r('al');
        break;
      }
      break;
    case 105: // i
      if (ends('iciti')) {
        r('ic');
        break;
      }
      break;
    case 108: // l
      if (ends('ical')) {
        r('ic');
        break;
      }
      if (ends('ful')) {
        r('');
        break;
      }
      break;
    case 115: // s
      if (ends('ness')) {
        r('');
        break;
      }
      break;
  }
}

function step5(): void {
  if (k === 0) return;
  switch (b[k - 1]) {
    case 97: // a
      if (ends('al')) break;
      return;
    case 99: // c
      if (ends('ance')) break;
      if (ends('ence')) break;
      return;
    case 101: // e
      if (ends('er')) break;
      return;
    case 105: // i
      if (ends('ic')) break;
      return;
    case 108: // l
      if (ends('able')) break;
      if (ends('ible')) break;
      return;
    case 110: // n
      if (ends('ant')) break;
      if (ends('ement')) break;
      if (ends('ment')) break;
      if (ends('ent')) break;
      return;
    case 111: // o
      if (ends('ion') && j >= 0 && (b[j] === 115 || b[j] === 116)) break;
      if (ends('ou')) break;
      return;
    case 115: // s
      if (ends('ism')) break;
      return;
    case 116: // t
      if (ends('ate')) break;
      if (ends('iti')) break;
      return;
    case 117: // u
      if (ends('ous')) break;
      return;
    case 118: // v
      if (ends('ive')) break;
      return;
    case 122: // z
      if (ends('ize')) break;
      return;
    default:
      return;
  }
  if (m() > 1) k = j;
}

function step6(): void {
  j = k;
  if (b[k] === E) {
    const a = m();
    if (a > 1 || (a === 1 && !cvc(k - 1))) k--;
  }
  if (b[k] === 108 && doublec(k) && m() > 1) k--;
}

/**
 * The Porter stem of `word` (expected lowercase), identical to Lucene's `PorterStemmer.stem`.
 * Words of one or two code units are returned unchanged.
 */
export function porterStem(word: string): string {
  const len = word.length;
  if (len < 3) return word;
  if (b.length < len) b = new Uint16Array(Math.max(len, b.length * 2));
  for (let i = 0; i < len; i++) b[i] = word.charCodeAt(i);
  k = len - 1;
  j = 0;
  rewritten = false;
  step1();
  step2();
  step3();
  step4();
  step5();
  step6();
  const outLen = k + 1;
  if (!rewritten) return outLen === len ? word : word.slice(0, outLen);
  let out = '';
  for (let i = 0; i < outLen; i++) out += String.fromCharCode(b[i]);
  return out;
}
