/**
 * Metadata filters: a small subset of SQL's WHERE clause over document metadata fields.
 *
 *   year >= 2020 AND (lang = 'en' OR lang IN ('de', 'fr')) AND NOT draft = true
 *
 * Comparisons (`=`, `!=`/`<>`, `<`, `<=`, `>`, `>=`), `IN (…)`, `NOT IN (…)`, `AND`, `OR`, `NOT`
 * and parentheses; values are 'strings' ('' escapes a quote), numbers, `true`, `false`. Field
 * names are identifiers or "double-quoted". As in SQL, a comparison with a missing field is false.
 * Parsing is pure; {@link checkFilter} validates field names against the stored fields.
 */
import { ShortlistError } from '../core/errors.ts';
import type { FieldType } from './types.ts';

/** A value a filter compares with. */
export type Scalar = string | number | boolean;

/** A comparison operator. */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A parsed filter. */
export type Filter =
  | { op: 'and'; args: Filter[] }
  | { op: 'or'; args: Filter[] }
  | { op: 'not'; arg: Filter }
  | { op: CompareOp; field: string; value: Scalar }
  | { op: 'in'; field: string; values: Scalar[] };

type Token = { kind: 'word' | 'field' | 'string' | 'number' | 'punct'; text: string; value: Scalar; at: number };

const TOKEN =
  /\s*(?:(?<str>'(?:[^']|'')*')|(?<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?<qid>"(?:[^"]|"")+")|(?<word>[A-Za-z_][\w.]*)|(?<punct><=|>=|<>|!=|[=<>(),]))/y;

/** Deepest nesting of NOT and parentheses a filter may have (the parser and the evaluators recurse). */
export const FILTER_MAX_DEPTH = 64;

/** Parses a where-clause string; a syntax error (or nesting past {@link FILTER_MAX_DEPTH}) is INVALID_ARGUMENT naming the column. */
export function parseFilter(source: string): Filter {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (what: string): never => {
    const t = peek();
    const at = t ? t.at : source.length;
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `filter: ${what} at column ${at + 1} of "${source}"${t ? ` (found "${t.text}")` : ' (found the end)'}`,
      { location: { field: 'filter' } },
    );
  };
  const isWord = (w: string) => peek()?.kind === 'word' && peek()!.text.toUpperCase() === w;
  const isPunct = (p: string) => peek()?.kind === 'punct' && peek()!.text === p;

  const value = (): Scalar => {
    const t = peek();
    if (t && (t.kind === 'string' || t.kind === 'number')) return (pos++, t.value);
    if (isWord('TRUE') || isWord('FALSE')) return tokens[pos++].text.toUpperCase() === 'TRUE';
    return fail("expected a value ('text', a number, true or false)");
  };
  const predicate = (): Filter => {
    const t = peek();
    if (
      !t ||
      (t.kind !== 'word' && t.kind !== 'field') ||
      (t.kind === 'word' && ['AND', 'OR', 'NOT', 'IN'].includes(t.text.toUpperCase()))
    ) {
      return fail('expected a field name');
    }
    pos++;
    const field = String(t.value);
    const negated = isWord('NOT') ? (pos++, true) : false;
    if (isWord('IN')) {
      pos++;
      if (!isPunct('(')) fail("expected '(' after IN");
      pos++;
      const values = [value()];
      while (isPunct(',')) pos++, values.push(value());
      if (!isPunct(')')) fail("expected ',' or ')' in the IN list");
      pos++;
      const node: Filter = { op: 'in', field, values };
      return negated ? { op: 'not', arg: node } : node;
    }
    if (negated) fail('expected IN after NOT');
    const op = peek();
    if (!op || op.kind !== 'punct' || !['=', '!=', '<>', '<', '<=', '>', '>='].includes(op.text))
      return fail('expected a comparison (=, !=, <, <=, >, >=) or IN');
    pos++;
    return { op: op.text === '<>' ? '!=' : (op.text as CompareOp), field, value: value() };
  };
  let depth = 0;
  const nested = <T>(parse: () => T): T => {
    if (++depth > FILTER_MAX_DEPTH) fail(`the filter nests NOT and parentheses more than ${FILTER_MAX_DEPTH} deep`);
    try {
      return parse();
    } finally {
      depth--;
    }
  };
  const unary = (): Filter => {
    if (isWord('NOT')) return (pos++, { op: 'not', arg: nested(unary) });
    if (isPunct('(')) {
      pos++;
      const inner = nested(or);
      if (!isPunct(')')) fail("expected ')'");
      pos++;
      return inner;
    }
    return predicate();
  };
  const chain = (word: string, next: () => Filter, op: 'and' | 'or') => (): Filter => {
    const args = [next()];
    while (isWord(word)) pos++, args.push(next());
    return args.length === 1 ? args[0] : op === 'and' ? { op, args } : { op, args };
  };
  const and = chain('AND', unary, 'and');
  const or = chain('OR', and, 'or');

  if (tokens.length === 0) fail('the filter is empty');
  const result = or();
  if (pos < tokens.length) fail('expected AND, OR or the end');
  return result;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m?.groups) {
      const col = at + (source.slice(at).length - source.slice(at).trimStart().length);
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `filter: unexpected character "${source[col]}" at column ${col + 1} of "${source}"; quote text values as 'text'`,
        { location: { field: 'filter' } },
      );
    }
    const g = m.groups;
    const start = m.index + m[0].length - m[0].trimStart().length;
    if (g.str !== undefined) tokens.push({ kind: 'string', text: g.str, value: g.str.slice(1, -1).replaceAll("''", "'"), at: start });
    else if (g.num !== undefined) tokens.push({ kind: 'number', text: g.num, value: Number(g.num), at: start });
    else if (g.qid !== undefined) tokens.push({ kind: 'field', text: g.qid, value: g.qid.slice(1, -1).replaceAll('""', '"'), at: start });
    else if (g.word !== undefined) tokens.push({ kind: 'word', text: g.word, value: g.word, at: start });
    else tokens.push({ kind: 'punct', text: g.punct!, value: g.punct!, at: start });
  }
  return tokens;
}

/** The field names a filter mentions, sorted. */
export function filterFields(filter: Filter): string[] {
  const out = new Set<string>();
  const walk = (f: Filter): void => {
    if (f.op === 'and' || f.op === 'or') f.args.forEach(walk);
    else if (f.op === 'not') walk(f.arg);
    else out.add(f.field);
  };
  walk(filter);
  return [...out].sort();
}

/**
 * Throws INVALID_ARGUMENT when the filter names a field no stored document has (the message lists
 * the known fields) or compares a field with a value of another type.
 */
export function checkFilter(filter: Filter, fields: Readonly<Record<string, FieldType>>): void {
  const known = Object.keys(fields).sort();
  const list = known.length ? known.join(', ') : '(none: no stored document has metadata)';
  const walk = (f: Filter): void => {
    if (f.op === 'and' || f.op === 'or') return f.args.forEach(walk);
    if (f.op === 'not') return walk(f.arg);
    const type = fields[f.field];
    if (type === undefined) {
      throw new ShortlistError('INVALID_ARGUMENT', `filter names the unknown field "${f.field}"; known metadata fields: ${list}`, {
        location: { field: f.field },
      });
    }
    if (type === 'json')
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `filter field "${f.field}" holds lists or objects, which filters cannot compare; filter on a text, number or boolean field`,
        { location: { field: f.field } },
      );
    for (const v of f.op === 'in' ? f.values : [f.value]) {
      if (type !== 'mixed' && typeof v !== type) {
        throw new ShortlistError(
          'INVALID_ARGUMENT',
          `filter compares the ${type} field "${f.field}" with the ${typeof v} ${JSON.stringify(v)}; write a ${type} value`,
          { location: { field: f.field } },
        );
      }
    }
  };
  walk(filter);
}

/** Whether `metadata` matches `filter` (SQL semantics: a missing or differently typed value compares false). */
export function matchFilter(filter: Filter, metadata: Readonly<Record<string, unknown>> | undefined): boolean {
  switch (filter.op) {
    case 'and':
      return filter.args.every((f) => matchFilter(f, metadata));
    case 'or':
      return filter.args.some((f) => matchFilter(f, metadata));
    case 'not':
      return !matchFilter(filter.arg, metadata);
    case 'in': {
      const v = metadata?.[filter.field];
      return filter.values.some((x) => x === v);
    }
    default: {
      const v = metadata?.[filter.field];
      if (typeof v !== typeof filter.value) return false;
      return compare(filter.op, v as Scalar, filter.value);
    }
  }
}

function compare(op: CompareOp, a: Scalar, b: Scalar): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** The type of one metadata value, for the collection's field table. */
export function valueType(v: unknown): FieldType | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return typeof v as FieldType;
  return 'json';
}

/** Merges the field types of `metadata` into `fields` (a field seen with two scalar types becomes `mixed`). */
export function mergeFields(fields: Record<string, FieldType>, metadata: Readonly<Record<string, unknown>> | undefined): void {
  for (const [k, v] of Object.entries(metadata ?? {})) {
    const t = valueType(v);
    if (t === undefined) continue;
    const old = fields[k];
    if (old === undefined || old === t) fields[k] = t;
    else fields[k] = old === 'json' || t === 'json' ? 'json' : 'mixed';
  }
}
