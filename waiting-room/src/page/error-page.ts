// A problem (RFC 9457) shown as a page: the title and detail a visitor can act
// on, how long to wait when rate limited, and a request id for support.
import type { Problem } from '../service/index.ts';
import { html } from './html.ts';
import { hindiProblems, type Lang, translate } from './i18n.ts';
import { renderDocument } from './layout.ts';
import { roomPageUrl } from './queue-page.ts';

export interface ProblemPageInput {
  lang: Lang;
  pickedLang: Lang | null;
  problem: Problem;
  /** The room to go back to; null when there is no such room. */
  roomId: string | null;
  requestId: string;
  /** The same request in the other language. */
  otherLanguageHref: string;
  /** Reload the page by itself after Retry-After (only for a page that was fetched with GET). */
  reloadAfterRetry: boolean;
}

export function renderProblemPage(input: ProblemPageInput): string {
  const { lang, problem } = input;
  const local = lang === 'hi' ? hindiProblems[problem.code] : undefined;
  // Untranslated problems keep their English text, marked as such for screen readers.
  const textLang = local ? lang : 'en';
  const title = local?.title ?? problem.title;
  const detail = local?.detail ?? problem.detail;
  const retryAfter = Number(problem.headers['retry-after']);
  const main = html`<h1 lang="${textLang}">${title}</h1>
<section class="card">
${detail ? html`<p lang="${textLang}">${detail}</p>` : ''}
${retryAfter > 0 ? html`<p class="notice">${translate(lang, 'retryAfter', { n: retryAfter })}</p>` : ''}
${input.roomId === null ? '' : html`<p><a href="${roomPageUrl(input.roomId, input.pickedLang)}">${translate(lang, 'backToQueue')}</a></p>`}
<p class="muted">${translate(lang, 'errorReference', { id: `${problem.code} · ${input.requestId}` })}</p>
</section>`;
  return renderDocument({
    lang,
    title,
    otherLanguageHref: input.otherLanguageHref,
    head:
      input.reloadAfterRetry && retryAfter > 0
        ? html`<meta http-equiv="refresh" content="${retryAfter}">`
        : html``,
    main,
  });
}
