// Tatkal booking page, in the browser: the screens. Journey and live availability; berths
// picked on a coach map or N berths with preferences; the hold with its countdown; passengers
// (the API validates them and the page shows its messages by each field); payment through the
// provider; the confirmation. Every failure a visitor can meet has its message and a way on.
// Helpers live in booking-kit.js and booking-view.js, choosing berths in booking-choose.js and
// payment in booking-payment.js, all loaded before this file.
(() => {
  const kit = globalThis.TatkalBookingKit;
  const doc = document;
  const win = window;
  const dataElement = doc.getElementById('tatkal-booking-data');
  if (!dataElement) return;
  const data = JSON.parse(dataElement.textContent);
  const view = globalThis.TatkalBookingView(doc, data, kit);
  const {
    t,
    byId,
    show,
    focusHeading,
    say,
    announce,
    element,
    problemText,
    berthName,
    passengerFields,
    readPassengers,
    clearFieldErrors,
    showFieldErrors,
  } = view;
  // What the parts in other files share with this one: filled in as the session starts.
  const ctx = {
    kit,
    data,
    win,
    doc,
    view,
    store: null,
    api: null,
    claims: null,
    journeyId: null,
    guarded,
    stopCountdown,
    showHeld,
  };
  const choose = globalThis.TatkalBookingChoose(ctx);
  const { renderJourney, refreshAvailability, chosenPool, mode, showChoose, offerWaitlist } =
    choose;
  ctx.showChoose = showChoose;
  const { showPay, pay, showOutcome, resumeBooking } = globalThis.TatkalBookingPayment(ctx);

  let store = null;
  let api = null;
  let claims = null;
  let journeyId = null;
  let countdownTimer = null;
  let lastAnnounced = null;
  let stopped = false;

  // --- session ----------------------------------------------------------------------------------

  function endSession(code) {
    if (stopped) return;
    stopped = true;
    stopCountdown();
    const reasons = {
      token_expired: 'tokenExpired',
      token_consumed: 'tokenConsumed',
      token_revoked: 'tokenRevoked',
      token_missing: 'tokenMissing',
    };
    byId('stop-reason').textContent = t(reasons[code] ?? 'tokenInvalid');
    byId('busy').hidden = true;
    byId('session-ends').hidden = true;
    say('');
    show('s-stop');
    focusHeading('stop-heading');
  }

  function onWait(seconds, reason) {
    const busy = byId('busy');
    busy.hidden = seconds <= 0;
    busy.textContent =
      seconds > 0 ? t(reason === 'network' ? 'networkRetry' : 'busyRetry', { n: seconds }) : '';
  }

  /** Runs an action; a session that ended meanwhile has already been explained. */
  async function guarded(action) {
    try {
      await action();
    } catch (error) {
      if (error instanceof kit.SessionEnded) return;
      say(t('unexpected'));
      throw error;
    }
  }

  // --- the hold and its passengers ----------------------------------------------------------------

  function stopCountdown() {
    win.clearInterval(countdownTimer);
    countdownTimer = null;
  }

  function startCountdown(expiresAt) {
    stopCountdown();
    const endsAtMs = Date.parse(expiresAt);
    const display = byId('hold-countdown');
    const tick = () => {
      const left = endsAtMs - api.now();
      display.textContent = kit.formatCountdown(left);
      display.closest('.countdown').toggleAttribute('data-urgent', left <= 60_000);
      // Screen readers hear the time at each whole minute and at 30 and 10 seconds, not every second.
      const seconds = Math.ceil(left / 1000);
      const moment =
        seconds > 60 ? Math.ceil(seconds / 60) * 60 : seconds <= 10 ? 10 : seconds <= 30 ? 30 : 60;
      if (moment !== lastAnnounced && left > 0) {
        lastAnnounced = moment;
        announce(t('countdownAnnounce', { time: kit.formatCountdown(left) }));
      }
      if (left <= 0) holdRanOut();
    };
    lastAnnounced = null;
    tick();
    countdownTimer = win.setInterval(tick, 250);
  }

  function holdRanOut() {
    stopCountdown();
    store.flow.hold = null;
    store.save();
    say(t('holdExpired'));
    guarded(async () => {
      await refreshAvailability();
      await showChoose();
    });
  }

  function showHeld() {
    const hold = store.flow.hold;
    show('s-journey', 's-held');
    byId('held-seats').replaceChildren(
      ...hold.seats.map((seat) =>
        element('li', {
          text: `${seat.coach} / ${seat.berthNumber} (${berthName(seat.berthType)})`,
        }),
      ),
    );
    const drafts = store.flow.drafts ?? [];
    const preferences = store.flow.holdPreferences;
    byId('passengers').replaceChildren(
      ...hold.seats.map((seat, i) =>
        passengerFields(
          'p',
          i,
          drafts[i] ?? { berthPreference: preferences ? preferences[i] : seat.berthType },
        ),
      ),
    );
    byId('book-button').disabled = false;
    startCountdown(hold.expiresAt);
    focusHeading('held-heading');
  }

  async function bookHold() {
    const hold = store.flow.hold;
    if (!hold) return;
    say('');
    const container = byId('passengers');
    clearFieldErrors(container);
    const request = { holdId: hold.holdId, passengers: readPassengers(container) };
    const button = byId('book-button');
    button.disabled = true;
    button.textContent = t('booking');
    try {
      const answer = await api.call('POST', '/v1/bookings', request, store.keyFor('book', request));
      if (answer.ok) {
        stopCountdown();
        store.flow.hold = null;
        store.flow.drafts = null;
        store.flow.pnr = answer.body.pnr;
        store.forgetKey('book');
        showPay(answer.body);
        await refreshAvailability();
        return;
      }
      const problem = answer.body;
      if (problem.code === 'invalid_input' && Array.isArray(problem.errors)) {
        showFieldErrors(container, 'p', problem.errors);
      } else if (problem.code === 'hold_expired') {
        holdRanOut();
      } else if (problem.code === 'seat_unavailable') {
        stopCountdown();
        store.flow.hold = null;
        store.save();
        const waitlist = hold.quota === 'TQ';
        say(t(waitlist ? 'seatsTaken' : 'seatsTakenNoWaitlist'));
        offerWaitlist({ offered: waitlist });
        await refreshAvailability();
        await showChoose();
      } else {
        say(problemText(problem));
      }
    } finally {
      button.disabled = false;
      button.textContent = t('bookButton');
    }
  }

  async function releaseHold() {
    const hold = store.flow.hold;
    if (hold) await api.call('DELETE', `/v1/holds/${encodeURIComponent(hold.holdId)}`);
    store.flow.hold = null;
    store.save();
    say('');
    await refreshAvailability();
    await showChoose();
  }

  // --- waitlist ----------------------------------------------------------------------------------

  function showWaitlistForm() {
    say('');
    const count =
      mode() === 'seats'
        ? Math.max(1, choose.selectedCount())
        : Number(byId('berth-count').value) || 1;
    byId('waitlist-passengers').replaceChildren(
      ...Array.from({ length: count }, (_, i) => passengerFields('w', i, null)),
    );
    show('s-journey', 's-waitlist-form');
    focusHeading('waitlist-form-heading');
  }

  async function joinWaitlist() {
    const pool = chosenPool();
    if (!pool) return;
    say('');
    const container = byId('waitlist-passengers');
    clearFieldErrors(container);
    const request = {
      journeyId,
      classCode: pool.classCode,
      quota: pool.quota,
      passengers: readPassengers(container),
    };
    const button = byId('waitlist-submit');
    button.disabled = true;
    try {
      const answer = await api.call(
        'POST',
        '/v1/waitlist',
        request,
        store.keyFor('waitlist', request),
      );
      if (answer.ok) {
        store.flow.pnr = answer.body.pnr;
        store.forgetKey('waitlist');
        await resumeBooking(answer.body.pnr);
      } else if (answer.body.code === 'invalid_input' && Array.isArray(answer.body.errors)) {
        showFieldErrors(container, 'w', answer.body.errors);
      } else {
        say(problemText(answer.body));
      }
    } finally {
      button.disabled = false;
    }
  }

  // --- start ---------------------------------------------------------------------------------------

  function wire() {
    byId('passenger-form').addEventListener('submit', (event) => {
      event.preventDefault();
      guarded(bookHold);
    });
    byId('passenger-form').addEventListener('input', () => {
      store.flow.drafts = readPassengers(byId('passengers')).map((p) => ({
        ...p,
        age: p.age ?? '',
      }));
      store.save();
    });
    byId('release-button').addEventListener('click', () => guarded(releaseHold));
    byId('waitlist-button').addEventListener('click', showWaitlistForm);
    byId('waitlist-form').addEventListener('submit', (event) => {
      event.preventDefault();
      guarded(joinWaitlist);
    });
    byId('pay-button').addEventListener('click', () => guarded(pay));
    choose.wire();
  }

  async function start() {
    const token = kit.takeToken(win);
    claims = token ? kit.decodeClaims(token) : null;
    if (!token || !claims?.jti) return endSession(token ? 'token_malformed' : 'token_missing');
    journeyId = claims.scope?.journeyId ?? data.journeyId;
    if (!journeyId) return endSession('token_scope');
    store = kit.flowStore(win, claims.jti);
    api = kit.apiClient(win, { token, onWait, onTokenRefused: endSession });
    Object.assign(ctx, { store, api, claims, journeyId });
    if (claims.exp) {
      const ends = byId('session-ends');
      ends.textContent = t('sessionEnds', { time: kit.formatTime(data.locale, claims.exp * 1000) });
      ends.hidden = false;
    }
    wire();
    // A finished booking is shown even when the admission is used up (it may still read it).
    if (store.flow.pnr) {
      const answer = await api.call('GET', `/v1/bookings/${store.flow.pnr}`);
      if (
        answer.ok &&
        answer.body.status !== 'PENDING_PAYMENT' &&
        answer.body.status !== 'EXPIRED'
      ) {
        return showOutcome(answer.body);
      }
    }
    const journey = await api.call('GET', `/v1/journeys/${journeyId}`);
    if (!journey.ok) {
      show();
      say(problemText(journey.body));
      return;
    }
    renderJourney(journey.body);
    await refreshAvailability();
    if (store.flow.pnr) return resumeBooking(store.flow.pnr);
    if (store.flow.hold && Date.parse(store.flow.hold.expiresAt) > api.now()) return showHeld();
    store.flow.hold = null;
    store.save();
    return showChoose();
  }

  // A new admission arriving in this tab (the fragment changes, the document does not) starts over.
  win.addEventListener('hashchange', () => {
    if (/(?:^#|&)token=/.test(win.location.hash)) win.location.reload();
  });
  guarded(start);
})();
