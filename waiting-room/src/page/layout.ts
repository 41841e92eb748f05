// The document every queue page shares: head, the bar with the language
// switch, and the security headers that go with it.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { iconUrl, scriptUrl, stylesheetUrl } from './assets.ts';
import { pageHeaders } from './headers.ts';
import { html, jsonForScript, type SafeHtml } from './html.ts';
import { type Lang, translate } from './i18n.ts';

export interface PageShell {
  lang: Lang;
  /** Already specific: the room's name or the error; the app name is appended. */
  title: string;
  /** The same page in the other language. */
  otherLanguageHref: string;
  /** Extra head elements, such as a meta refresh. */
  head?: SafeHtml;
  main: SafeHtml;
  /** A note under the page, if any. */
  footer?: string;
  /** Data for the client script, embedded as JSON (never executed). */
  clientData?: unknown;
}

export function renderDocument(shell: PageShell): string {
  const { lang } = shell;
  const other: Lang = lang === 'en' ? 'hi' : 'en';
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${shell.title} · ${translate(lang, 'appName')}</title>
<link rel="icon" href="${iconUrl}" type="image/svg+xml">
<link rel="stylesheet" href="${stylesheetUrl}">
<script src="${scriptUrl}" defer></script>
${shell.head}
</head>
<body>
<header class="top">
<span class="brand">${translate(lang, 'appName')}</span>
<a href="${shell.otherLanguageHref}" lang="${other}" hreflang="${other}" title="${translate(lang, 'otherLanguageHint')}">${translate(lang, 'otherLanguage')}</a>
</header>
<main id="main">
${shell.main}
</main>
${shell.footer === undefined ? '' : html`<footer><p>${shell.footer}</p></footer>`}
${shell.clientData === undefined ? '' : html`<script type="application/json" id="tatkal-data">${jsonForScript(shell.clientData)}</script>`}
</body>
</html>
`.value;
}

export function sendPage(c: Context, body: string, status: ContentfulStatusCode = 200) {
  return c.body(body, status, { ...pageHeaders, vary: 'Accept-Language, Cookie' });
}
