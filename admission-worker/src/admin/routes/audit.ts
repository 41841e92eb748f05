// Who the caller is, and what operators have done.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { operatorAuditLog } from '@tatkal/drizzle';
import { desc, eq } from 'drizzle-orm';
import type { AdminContext } from '../deps.ts';
import { AnyJson, AuditQuery } from '../schemas.ts';
import { json, problems, security } from './openapi-helpers.ts';

const whoamiRoute = createRoute({
  method: 'get',
  path: '/admin/whoami',
  summary: "The calling token's name and role",
  security,
  responses: {
    200: json(z.object({ name: z.string(), role: z.enum(['viewer', 'operator']) }), 'The caller'),
    ...problems(401),
  },
});

const auditRoute = createRoute({
  method: 'get',
  path: '/admin/audit',
  summary: 'Operator actions, newest first (default 100)',
  security,
  request: { query: AuditQuery },
  responses: {
    200: json(z.object({ entries: z.array(AnyJson) }), 'Audit log'),
    ...problems(401, 422),
  },
});

export function auditRoutes(app: OpenAPIHono, ctx: AdminContext): void {
  app.openapi(whoamiRoute, (c) => {
    const { name, role } = c.get('operator');
    return c.json({ name, role }, 200);
  });

  app.openapi(auditRoute, async (c) => {
    const { room, limit } = c.req.valid('query');
    const rows = await ctx.db
      .select()
      .from(operatorAuditLog)
      .where(room === undefined ? undefined : eq(operatorAuditLog.roomId, room))
      .orderBy(desc(operatorAuditLog.at), desc(operatorAuditLog.id))
      .limit(limit ?? 100);
    const entries = rows.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actor: row.actor,
      role: row.role,
      action: row.action,
      room: row.roomId,
      details: row.details as Record<string, unknown>,
    }));
    return c.json({ entries }, 200);
  });
}
