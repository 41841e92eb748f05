// Railway Board's Tatkal charge per class: a percentage of the base fare,
// clamped to a minimum and maximum. A class without a row (First AC) has no
// Tatkal quota at all.
import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { classCodes, isOneOf } from './vocabulary.ts';

export const tatkalChargeRules = pgTable(
  'tatkal_charge_rules',
  {
    classCode: text('class_code', { enum: classCodes }).primaryKey(),
    percentOfBaseFare: integer('percent_of_base_fare').notNull(),
    minChargePaise: integer('min_charge_paise').notNull(),
    maxChargePaise: integer('max_charge_paise').notNull(),
  },
  (t) => [
    check('tatkal_charge_rules_class_code_check', isOneOf(t.classCode, classCodes)),
    check('tatkal_charge_rules_percent_check', sql`${t.percentOfBaseFare} between 1 and 100`),
    check(
      'tatkal_charge_rules_bounds_check',
      sql`0 <= ${t.minChargePaise} and ${t.minChargePaise} <= ${t.maxChargePaise}`,
    ),
  ],
);

export type TatkalChargeRule = typeof tatkalChargeRules.$inferSelect;
export type NewTatkalChargeRule = typeof tatkalChargeRules.$inferInsert;
