// The operators' admin API: rooms, controls, live decisions and the console,
// all under /admin. The host mounts it beside its own routes:
//
//   app.route('/', createAdminApp({ db: deps.db.db, redis: deps.redis,
//                                   keyPrefix: config.REDIS_KEY_PREFIX, logger: deps.logger }));
//
// Errors are answered as problem+json by the app's own onError, so it behaves
// the same mounted or served alone (tests).
import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import {
  internalError,
  notFound,
  Problem,
  problemResponse,
  requestRefused,
  validationHook,
} from '@tatkal/waiting-room/service';
import { HTTPException } from 'hono/http-exception';
import { requireOperatorToken } from './auth.ts';
import { consoleRoutes } from './console/page.ts';
import { type AdminDeps, adminContext } from './deps.ts';
import { auditRoutes } from './routes/audit.ts';
import { decisionRoutes } from './routes/decisions.ts';
import { roomRoutes } from './routes/rooms.ts';

export { type AdminDeps, streamConnectionFrom } from './deps.ts';
export {
  type CreatedOperatorToken,
  createOperatorToken,
  hashOperatorToken,
} from './operator-tokens.ts';

/** Paths anyone may fetch: the console's static files hold no data, the API description no secrets. */
const publicPaths = /^\/admin\/(console(\/console\.(js|css))?|openapi\.json)$/;

export function createAdminApp(deps: AdminDeps): OpenAPIHono {
  const ctx = adminContext(deps);
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openAPIRegistry.registerComponent('securitySchemes', 'operatorToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'An operator token from `tatkal tokens create` (role viewer or operator)',
  });

  // Served alone (tests) nothing else sets a request id; mounted, the host's is kept.
  app.use('/admin/*', async (c, next) => {
    if (!c.get('requestId')) c.set('requestId', randomUUID());
    await next();
  });
  const authenticate = requireOperatorToken(ctx.db);
  app.use('/admin/*', async (c, next) => {
    if (publicPaths.test(c.req.path)) return next();
    c.header('cache-control', 'no-store');
    return authenticate(c, next);
  });

  roomRoutes(app, ctx);
  decisionRoutes(app, ctx);
  auditRoutes(app, ctx);
  consoleRoutes(app);
  app.doc31('/admin/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Tatkal admin API',
      version: '1',
      description:
        'Operator controls of the waiting rooms. Bearer tokens with role viewer (read) or operator (read and change); every change is written to the operator audit log.',
    },
  });

  app.notFound((c) => problemResponse(c, notFound(c.req.path)));
  app.onError((error, c) => {
    if (error instanceof Problem) return problemResponse(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(c, requestRefused(error.status, error.message));
    }
    (c.get('log') ?? ctx.logger)?.error(
      { err: error, requestId: c.get('requestId') },
      'admin error',
    );
    return problemResponse(c, internalError());
  });
  return app;
}
