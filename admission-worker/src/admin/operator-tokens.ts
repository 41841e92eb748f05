// Operator bearer tokens: made once, shown once, stored only as a SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import { type Database, type OperatorRole, operatorTokens } from '@tatkal/drizzle';
import { and, eq, isNull } from 'drizzle-orm';

/** The part of every token before its secret, so a leaked one is easy to recognise in logs. */
export const operatorTokenPrefix = 'tkop_';

/** 32 random bytes: guessing is hopeless, so an unsalted fast hash is enough to store it. */
export function newOperatorToken(): string {
  return `${operatorTokenPrefix}${randomBytes(32).toString('base64url')}`;
}

export function hashOperatorToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface Operator {
  tokenId: number;
  name: string;
  role: OperatorRole;
}

export interface CreatedOperatorToken extends Operator {
  /** The token itself; it exists nowhere else once this is dropped. */
  token: string;
}

export async function createOperatorToken(
  db: Database,
  input: { name: string; role: OperatorRole },
): Promise<CreatedOperatorToken> {
  const token = newOperatorToken();
  const [row] = await db
    .insert(operatorTokens)
    .values({ name: input.name, role: input.role, tokenSha256: hashOperatorToken(token) })
    .returning({ id: operatorTokens.id, name: operatorTokens.name, role: operatorTokens.role });
  if (!row) throw new Error('operator token insert returned no row');
  return { tokenId: row.id, name: row.name, role: row.role, token };
}

/** The operator a presented token belongs to; null when unknown or revoked. */
export async function findOperator(db: Database, token: string): Promise<Operator | null> {
  const [row] = await db
    .select({ id: operatorTokens.id, name: operatorTokens.name, role: operatorTokens.role })
    .from(operatorTokens)
    .where(
      and(
        eq(operatorTokens.tokenSha256, hashOperatorToken(token)),
        isNull(operatorTokens.revokedAt),
      ),
    )
    .limit(1);
  return row ? { tokenId: row.id, name: row.name, role: row.role } : null;
}
