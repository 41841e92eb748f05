// The operator console: one static page, a script and a stylesheet, all served
// by the admin app itself (no build step, no CDN). The page holds no data: it
// asks for an operator token and then talks to the same admin API as the CLI.
import { readFileSync } from 'node:fs';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';

const asset = (file: string) => readFileSync(new URL(`./assets/${file}`, import.meta.url), 'utf8');
const script = asset('console.js');
const stylesheet = asset('console.css');
const page = asset('console.html');

/**
 * Same-origin scripts, styles and connections only, nothing inline, no framing:
 * the page handles an operator token, so injected code must have nowhere to run.
 */
export const consoleSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function send(c: Context, body: string, contentType: string) {
  c.header('content-security-policy', consoleSecurityPolicy);
  c.header('x-content-type-options', 'nosniff');
  c.header('x-frame-options', 'DENY');
  c.header('referrer-policy', 'no-referrer');
  c.header('cache-control', 'no-cache');
  c.header('content-type', contentType);
  return c.body(body, 200);
}

export function consoleRoutes(app: OpenAPIHono): void {
  app.get('/admin/console', (c) => send(c, page, 'text/html; charset=utf-8'));
  app.get('/admin/console/console.js', (c) => send(c, script, 'text/javascript; charset=utf-8'));
  app.get('/admin/console/console.css', (c) => send(c, stylesheet, 'text/css; charset=utf-8'));
}
