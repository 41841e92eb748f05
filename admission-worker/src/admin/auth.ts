// Who is calling: every admin route but the console's static files and the
// OpenAPI document needs a bearer token; every method but GET and HEAD needs the
// operator role. Deciding the write rule by method, not per route, means a new
// write route cannot forget it.
import type { Database } from '@tatkal/drizzle';
import type { MiddlewareHandler } from 'hono';
import { findOperator, type Operator } from './operator-tokens.ts';
import { operatorRoleRequired, tokenInvalid, tokenMissing } from './problems.ts';

declare module 'hono' {
  interface ContextVariableMap {
    operator: Operator;
  }
}

const bearerPattern = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;
const readMethods = new Set(['GET', 'HEAD']);

export function requireOperatorToken(db: Database): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header === undefined || header.trim() === '') throw tokenMissing();
    const match = bearerPattern.exec(header.trim());
    if (!match?.[1]) throw tokenInvalid();
    const operator = await findOperator(db, match[1]);
    if (!operator) throw tokenInvalid();
    if (!readMethods.has(c.req.method) && operator.role !== 'operator') {
      throw operatorRoleRequired(operator.role);
    }
    c.set('operator', operator);
    await next();
  };
}
