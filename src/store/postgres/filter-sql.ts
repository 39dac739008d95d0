/**
 * A parsed metadata filter ({@link Filter}) as a SQL boolean expression over a `jsonb` metadata
 * column, with every field name and value passed as a bound parameter: nothing from the filter is
 * ever spliced into the SQL text. The SQL keeps {@link matchFilter}'s semantics exactly: a
 * comparison with a missing field or a value of another JSON type is false (never NULL), so NOT
 * inverts it as JavaScript does; strings compare by code point (`COLLATE "C"`).
 */
import type { Filter, Scalar } from '../filter.ts';

/** Bound parameters in order; `$n` placeholders in the SQL refer to them. */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly offset = 0) {}
  /** Adds a value and returns its placeholder, e.g. `$3`. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.offset + this.values.length}`;
  }
}

const JSON_TYPE: Record<string, string> = { string: 'string', number: 'number', boolean: 'boolean' };

/** The filter as SQL over the jsonb column `column` (a fixed identifier chosen by the caller). */
export function filterToSql(filter: Filter, column: string, params: SqlParams): string {
  switch (filter.op) {
    case 'and':
    case 'or':
      return `(${filter.args.map((f) => filterToSql(f, column, params)).join(filter.op === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(NOT ${filterToSql(filter.arg, column, params)})`;
    case 'in': {
      const field = params.add(filter.field);
      const values = params.add(JSON.stringify(filter.values));
      return `COALESCE(${column} -> ${field}::text IN (SELECT jsonb_array_elements(${values}::jsonb)), false)`;
    }
    default:
      return compareSql(filter.op, filter.field, filter.value, column, params);
  }
}

function compareSql(op: string, fieldName: string, value: Scalar, column: string, params: SqlParams): string {
  const field = params.add(fieldName);
  const type = params.add(JSON_TYPE[typeof value]);
  const lhs = `${column} -> ${field}::text`;
  const sqlOp = op === '!=' ? '<>' : op;
  // Strings compare as text by code point; numbers and booleans as jsonb within one JSON type.
  const cmp =
    typeof value === 'string'
      ? `(${column} ->> ${field}::text) COLLATE "C" ${sqlOp} ${params.add(value)}::text COLLATE "C"`
      : `${lhs} ${sqlOp} ${params.add(JSON.stringify(value))}::jsonb`;
  return `COALESCE(jsonb_typeof(${lhs}) = ${type}::text AND ${cmp}, false)`;
}
