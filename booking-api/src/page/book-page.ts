// The booking page admitted visitors land on: a server-rendered shell in the visitor's
// language, with everything the client script (assets/booking.js) needs embedded as JSON. The
// admission token never reaches the server with the page: it travels in the URL fragment, the
// script moves it to session storage and sends it only as a Bearer header to the JSON API.
import { html, jsonForScript } from '@tatkal/waiting-room/page/html';
import { type Lang, locales } from '@tatkal/waiting-room/page/i18n';
import { iconUrl, scriptUrls, stylesheetUrls } from './assets.ts';
import { type BookingStringKey, bookingStrings, hindiMessages, hindiProblems } from './i18n.ts';

export interface BookPageInput {
  lang: Lang;
  /** The room from `?room=`, if any: where the way back to the queue leads. */
  room: string | null;
  /** `?journey=`: the journey to book when the token's scope does not name one. */
  journeyId: number | null;
  waitingRoomUrl: string;
}

/** Most passengers on one Tatkal PNR (the API enforces it; the page offers no more). */
export const maxTatkalPassengers = 4;

export function bookPageUrl(input: Pick<BookPageInput, 'room' | 'journeyId'>, lang: Lang): string {
  const query = new URLSearchParams();
  if (input.room) query.set('room', input.room);
  if (input.journeyId) query.set('journey', String(input.journeyId));
  query.set('lang', lang);
  return `/book?${query}`;
}

export function renderBookPage(input: BookPageInput): string {
  const { lang } = input;
  const other: Lang = lang === 'en' ? 'hi' : 'en';
  const t = (key: BookingStringKey) => bookingStrings[lang][key];
  const queueUrl = input.room
    ? new URL(`/rooms/${encodeURIComponent(input.room)}?lang=${lang}`, input.waitingRoomUrl).href
    : new URL('/', input.waitingRoomUrl).href;
  const data = {
    lang,
    locale: locales[lang],
    room: input.room,
    journeyId: input.journeyId,
    queueUrl,
    maxPassengers: maxTatkalPassengers,
    strings: bookingStrings[lang],
    messages: lang === 'hi' ? hindiMessages : {},
    problems: lang === 'hi' ? hindiProblems : {},
  };
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${t('pageTitle')} · ${t('appName')}</title>
<link rel="icon" href="${iconUrl}" type="image/svg+xml">
${stylesheetUrls.map((url) => html`<link rel="stylesheet" href="${url}">`)}
${scriptUrls.map((url) => html`<script src="${url}" defer></script>`)}
</head>
<body>
<header class="top">
<span class="brand">${t('appName')}</span>
<a id="other-language" href="${bookPageUrl(input, other)}" lang="${other}" hreflang="${other}" title="${t('otherLanguageHint')}">${t('otherLanguage')}</a>
</header>
<main id="main">
<h1 id="title" tabindex="-1">${t('pageTitle')}</h1>
<p class="muted" id="session-ends" hidden></p>
<noscript><p class="notice error">${t('needsJs')}</p></noscript>
<div id="alert" class="join-message error" role="alert"></div>
<p id="busy" class="notice" role="status" aria-live="polite" hidden></p>
<p id="announce" class="visually-hidden" role="status" aria-live="polite"></p>
<section class="card" id="s-loading"><p>${t('loading')}</p></section>

<section class="card" id="s-journey" aria-labelledby="journey-heading" hidden>
<h2 id="journey-heading">${t('journeyHeading')}</h2>
<p class="journey-route" id="journey-route"></p>
<p class="muted" id="journey-when"></p>
<table class="pools" id="pools">
<caption>${t('availabilityCaption')}</caption>
<thead><tr><th scope="col">${t('classLabel')}</th><th scope="col">${t('quotaLabel')}</th><th scope="col">${t('freeLabel')}</th></tr></thead>
<tbody id="pools-body"></tbody>
</table>
</section>

<section class="card" id="s-choose" aria-labelledby="choose-heading" hidden>
<h2 id="choose-heading">${t('chooseHeading')}</h2>
<form id="choose-form" novalidate>
<fieldset class="choices" id="pool-choices"><legend>${t('poolLegend')}</legend></fieldset>
<fieldset class="choices">
<legend>${t('modeLegend')}</legend>
<label class="choice"><input type="radio" name="mode" value="seats" checked> ${t('modeSeats')}</label>
<label class="choice"><input type="radio" name="mode" value="berths"> ${t('modeBerths')}</label>
</fieldset>
<div id="map-part">
<p class="muted" id="map-hint" aria-live="polite"></p>
<ul class="map-legend" aria-hidden="true">
<li><span class="seat-swatch seat-free"></span>${t('mapLegendFree')}</li>
<li><span class="seat-swatch seat-taken"></span>${t('mapLegendTaken')}</li>
<li><span class="seat-swatch seat-selected"></span>${t('mapLegendSelected')}</li>
</ul>
<div id="seat-map" class="seat-map"></div>
</div>
<div id="berths-part" hidden>
<label class="field" for="berth-count">${t('countLabel')}
<select id="berth-count"></select></label>
<div id="berth-preferences"></div>
</div>
<button class="button" type="submit" id="hold-button">${t('holdButton')}</button>
<div id="waitlist-offer" hidden>
<button class="button button-secondary" type="button" id="waitlist-button">${t('waitlistButton')}</button>
</div>
</form>
</section>

<section class="card" id="s-held" aria-labelledby="held-heading" hidden>
<h2 id="held-heading" tabindex="-1">${t('heldHeading')}</h2>
<p>${t('heldNote')}</p>
<p class="countdown"><span class="countdown-label" id="countdown-label">${t('countdownLabel')}</span>
<span id="hold-countdown" role="timer" aria-labelledby="countdown-label">–</span></p>
<ul class="held-seats" id="held-seats"></ul>
<form id="passenger-form" novalidate>
<h3>${t('passengersHeading')}</h3>
<div id="passengers"></div>
<button class="button button-go" type="submit" id="book-button">${t('bookButton')}</button>
</form>
<p><button class="link-button" type="button" id="release-button">${t('releaseButton')}</button></p>
</section>

<section class="card" id="s-waitlist-form" aria-labelledby="waitlist-form-heading" hidden>
<h2 id="waitlist-form-heading" tabindex="-1">${t('waitlistSubmit')}</h2>
<p>${t('waitlistForm')}</p>
<form id="waitlist-form" novalidate>
<div id="waitlist-passengers"></div>
<button class="button" type="submit" id="waitlist-submit">${t('waitlistSubmit')}</button>
</form>
</section>

<section class="card" id="s-pay" aria-labelledby="pay-heading" hidden>
<h2 id="pay-heading" tabindex="-1"></h2>
<p id="pay-note"></p>
<div id="pay-fare"></div>
<p class="notice error" id="pay-failed" hidden>${t('paymentFailed')}</p>
<button class="button button-go" type="button" id="pay-button"></button>
</section>

<section class="card" id="s-done" aria-labelledby="done-heading" hidden>
<h2 class="turn" id="done-heading" tabindex="-1"></h2>
<dl class="facts">
<div><dt>${t('pnrLabel')}</dt><dd id="done-pnr"></dd></div>
<div><dt>${t('statusLabel')}</dt><dd id="done-status"></dd></div>
</dl>
<table class="pools" id="done-passengers">
<thead><tr><th scope="col">${t('nameColumn')}</th><th scope="col">${t('berthColumn')}</th></tr></thead>
<tbody></tbody>
</table>
<div id="done-fare"></div>
<p class="muted" id="done-note"></p>
</section>

<section class="card" id="s-stop" aria-labelledby="stop-heading" hidden>
<h2 id="stop-heading" tabindex="-1">${t('stopHeading')}</h2>
<p id="stop-reason"></p>
<p><a class="button" id="queue-link" href="${queueUrl}">${t('backToQueue')}</a></p>
</section>
</main>
<script type="application/json" id="tatkal-booking-data">${jsonForScript(data)}</script>
</body>
</html>
`.value;
}
