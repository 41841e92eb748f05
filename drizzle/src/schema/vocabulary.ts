// The railway and sale vocabulary that several tables share. Each list is the
// single source for a column's TypeScript type and for its CHECK constraint,
// so the database refuses exactly what the types refuse.
import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * Classes with berths. Chair-car classes (CC, 2S) are left out on purpose:
 * they sell seats (window/aisle), which the berth model below does not describe.
 */
export const classCodes = ['1A', '2A', '3A', 'SL'] as const;
export type ClassCode = (typeof classCodes)[number];

/** AC classes open for Tatkal at 10:00 IST, non-AC at 11:00 IST. */
export const acClassCodes = ['1A', '2A', '3A'] as const satisfies readonly ClassCode[];

/** GN general, TQ Tatkal, PT Premium Tatkal. */
export const quotas = ['GN', 'TQ', 'PT'] as const;
export type Quota = (typeof quotas)[number];

/** Lower, middle, upper, side lower, side upper. */
export const berthTypes = ['LB', 'MB', 'UB', 'SL', 'SU'] as const;
export type BerthType = (typeof berthTypes)[number];

export const genders = ['M', 'F', 'T'] as const;
export type Gender = (typeof genders)[number];

function quoted(values: readonly string[]): string {
  return values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ');
}

/** `column IN ('a', 'b')` for a CHECK; the values are code constants, never input. */
export function isOneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  return sql`${column} in (${sql.raw(quoted(values))})`;
}

/** A non-empty text[] whose every element is one of `values`. */
export function isSubsetOf(column: AnyPgColumn, values: readonly string[]): SQL {
  return sql`cardinality(${column}) > 0 and ${column} <@ array[${sql.raw(quoted(values))}]::text[]`;
}
