// The queue page: for a visitor without a ticket, the room and a join button;
// for a ticket holder, where they stand. Complete without JavaScript; the
// client script (assets/queue.js) keeps the same elements live.
import type { Room, RoomState } from '../rooms/room.ts';
import type { VisitorStatus } from '../visitors/visitor-status.ts';
import {
  formatAhead,
  formatCount,
  formatPeople,
  formatRate,
  formatTime,
  formatWait,
  progressPercent,
} from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { hindiProblems, type Lang, locales, strings, translate } from './i18n.ts';
import { renderDocument } from './layout.ts';

export type PublicStatus = Omit<VisitorStatus, 'renewedTicket'>;

export interface RoomPageContext {
  lang: Lang;
  /** The language the visitor picked with ?lang=, carried through links and the join form. */
  pickedLang: Lang | null;
  room: Room;
  state: RoomState;
}

export function roomPageUrl(roomId: string, lang: Lang | null): string {
  return `/rooms/${encodeURIComponent(roomId)}${lang ? `?lang=${lang}` : ''}`;
}

function otherLanguageHref(context: RoomPageContext): string {
  return roomPageUrl(context.room.id, context.lang === 'en' ? 'hi' : 'en');
}

function roomHeading({ lang, room, state }: RoomPageContext): SafeHtml {
  return html`<h1>${room.name}</h1>
<p class="badge badge-${state.replace('_', '-')}" id="room-state"><span class="visually-hidden">${translate(lang, 'stateLabel')}: </span>${translate(lang, `state_${state}`)}</p>`;
}

function scheduleCard({ lang, room }: RoomPageContext): SafeHtml {
  const row = (label: string, at: Date) =>
    html`<dt>${label}</dt><dd><time datetime="${at.toISOString()}">${formatTime(at, lang)}</time></dd>`;
  return html`<section class="card" aria-labelledby="schedule-heading">
<h2 id="schedule-heading">${translate(lang, 'scheduleHeading')}</h2>
<dl class="schedule">
${row(translate(lang, 'schedulePrequeue'), room.prequeueOpensAt)}
${row(translate(lang, 'scheduleSale'), room.saleOpensAt)}
${row(translate(lang, 'scheduleCloses'), room.closesAt)}
</dl>
</section>`;
}

function clientData(
  context: RoomPageContext,
  status: PublicStatus | null,
  startPosition: number | null,
) {
  const { lang, room } = context;
  return {
    room: room.id,
    title: `${room.name} · ${translate(lang, 'appName')}`,
    lang,
    locale: locales[lang],
    api: `/v1/rooms/${encodeURIComponent(room.id)}`,
    pageUrl: roomPageUrl(room.id, context.pickedLang),
    powDifficulty: room.powDifficulty,
    startPosition,
    status,
    strings: strings[lang],
    problems: lang === 'hi' ? hindiProblems : {},
  };
}

export function renderJoinPage(
  context: RoomPageContext,
  queue: { waiting: number; ratePerSecond: number },
  refreshSeconds: number | null,
): string {
  const { lang, room, state } = context;
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
    translate(lang, key, params);
  const needsPuzzle = room.powDifficulty > 0;
  const joinable = state === 'pre_queue' || state === 'open' || state === 'paused';
  const action = `/rooms/${encodeURIComponent(room.id)}/join${context.pickedLang ? `?lang=${context.pickedLang}` : ''}`;
  const joinPart = html`<p>${t('intro')}</p>
<p>${t('introOnePlace')}</p>
${room.mode === 'fifo_shuffle' && state === 'pre_queue' ? html`<p>${t('introShuffle', { time: formatTime(room.saleOpensAt, lang) })}</p>` : ''}
<p class="muted">${formatPeople('waitingNow', queue.waiting, lang)} · ${t('rateLabel')}: ${formatRate(queue.ratePerSecond, lang)}</p>
${state === 'paused' ? html`<p class="notice">${t('pausedNote')}</p>` : ''}
${needsPuzzle ? html`<noscript><p class="notice" id="pow-needs-js">${t('powNeedsJs')}</p></noscript>` : ''}
<form id="join-form" method="post" action="${action}"${needsPuzzle ? html` hidden` : ''}>
<button class="button" type="submit">${t('joinButton')}</button>
</form>
<div id="join-message" class="join-message" role="status" aria-live="polite"></div>`;
  let body: SafeHtml;
  if (joinable) body = joinPart;
  else if (state === 'scheduled') {
    body = html`<p>${t('intro')}</p><p class="notice">${t('notOpenYet', { time: formatTime(room.prequeueOpensAt, lang) })}</p>`;
  } else body = html`<p class="notice">${t('closedNote')}</p>`;
  return renderDocument({
    lang,
    title: room.name,
    otherLanguageHref: otherLanguageHref(context),
    head:
      refreshSeconds === null
        ? html``
        : html`<meta http-equiv="refresh" content="${refreshSeconds}">`,
    main: html`${roomHeading(context)}
<section class="card">
${body}
</section>
${scheduleCard(context)}`,
    clientData: clientData(context, null, null),
  });
}

export function renderTicketPage(
  context: RoomPageContext,
  status: PublicStatus,
  startPosition: number | null,
): string {
  const { lang, room, state } = context;
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
    translate(lang, key, params);
  const admission = status.standing === 'admitted' ? status.admission : null;
  const inQueue = admission === null && status.position !== null;
  const position = status.position ?? 0;
  const percent = admission ? 100 : progressPercent(startPosition ?? position, position);
  const noScriptNote = html`<noscript><p class="muted">${t('noScriptRefresh')}</p></noscript>`;

  let head: SafeHtml;
  if (admission) {
    head = html`<noscript><meta http-equiv="refresh" content="3; url='${admission.bookingUrl}'"></noscript>`;
  } else if (state === 'closed') head = html``;
  else {
    const seconds = Math.max(2, Math.ceil(status.nextPollSeconds));
    head = html`<noscript><meta http-equiv="refresh" content="${seconds}"></noscript>`;
  }

  const main = html`${roomHeading(context)}
<section class="card" id="s-waiting" aria-labelledby="position-label"${inQueue ? '' : html` hidden`}>
<h2 class="position-label" id="position-label">${t('positionLabel')}</h2>
<p class="position" id="position">${formatCount(position, lang)}</p>
<p class="ahead" id="ahead">${formatAhead(position - 1, lang)}</p>
<p class="queue-number">${t('queueNumberLabel')}: ${status.number === null ? '–' : formatCount(status.number, lang)}</p>
<progress id="progress" max="100" value="${percent}" aria-labelledby="progress-label"></progress>
<p class="progress-caption"><span id="progress-label">${t('progressLabel')}</span><span id="progress-text">${percent}%</span></p>
<dl class="facts">
<div><dt>${t('estimateLabel')}</dt><dd id="estimate">${formatWait(status.estimate, lang)}</dd></div>
<div><dt>${t('rateLabel')}</dt><dd id="rate">${formatRate(status.admissionRatePerSecond, lang)}</dd></div>
</dl>
<p class="notice" id="returning-note"${status.standing === 'returning' ? '' : html` hidden`}>${t('returningNote')}</p>
<p class="notice" id="paused-note"${state === 'paused' ? '' : html` hidden`}>${t('pausedNote')}</p>
${state === 'closed' ? html`<p class="notice">${t('closedNote')}</p>` : ''}
<p>${t('keepOpen')}</p>
<p class="muted">${t('awayNote')}</p>
${noScriptNote}
<p class="conn" id="conn" hidden></p>
</section>
<section class="card" id="s-prequeue"${!admission && status.position === null ? '' : html` hidden`}>
<h2>${t('prequeueHeading')}</h2>
<p>${t('prequeueNote', { time: formatTime(room.saleOpensAt, lang) })}</p>
<p class="muted" id="prequeue-count">${formatPeople('prequeueCount', status.prequeueCount ?? 0, lang)}</p>
<p>${t('keepOpen')}</p>
${noScriptNote}
</section>
<section class="card" id="s-admitted"${admission ? '' : html` hidden`}>
<h2 class="turn">${t('admittedHeading')}</h2>
<p>${t('admittedNote')}</p>
<p class="muted" id="session-ends">${admission ? t('sessionEnds', { time: formatTime(admission.expiresAt, lang) }) : ''}</p>
<p><a class="button button-go" id="booking-link" href="${admission?.bookingUrl ?? '#'}">${t('continueToBooking')}</a></p>
</section>
<p id="announce" class="visually-hidden" role="status" aria-live="polite"></p>
${scheduleCard(context)}`;

  return renderDocument({
    lang,
    title: inQueue ? `${formatCount(position, lang)} · ${room.name}` : room.name,
    otherLanguageHref: otherLanguageHref(context),
    head,
    main,
    footer: t('ticketNote'),
    clientData: clientData(context, status, startPosition),
  });
}
