// Tatkal booking page, in the browser: the journey and choosing berths. The journey and live
// availability per class and quota (only what the admission covers), the coach map (only the
// map asked for last is drawn; a taken berth cannot be picked) or N berths with a preference
// each, and the hold: all or nothing, and when berths went meanwhile the map is read again and
// other berths or the waitlist are offered. `ctx` is the page's shared state (booking.js).
globalThis.TatkalBookingChoose = (ctx) => {
  const { kit, data, doc } = ctx;
  const { t, byId, berthTypes, show, say, element, problemText, berthName } = ctx.view;
  let pools = [];
  let seatMap = null;
  const selected = new Set();

  function covered(pool) {
    const scope = ctx.claims.scope ?? {};
    const classes = Array.isArray(scope.classes) ? scope.classes : null;
    const quotas = Array.isArray(scope.quotas) ? scope.quotas : null;
    return (
      (!classes || classes.includes(pool.classCode)) && (!quotas || quotas.includes(pool.quota))
    );
  }

  function renderJourney(journey) {
    byId('title').textContent = `${journey.train.number} ${journey.train.name}`;
    byId('journey-route').textContent =
      `${journey.from.name} (${journey.from.code}) → ${journey.to.name} (${journey.to.code})`;
    byId('journey-when').textContent =
      `${kit.formatDate(data.locale, journey.travelDate)} · ${t('departs', { time: kit.formatClock(data.locale, journey.departsAt) })}`;
    doc.title = `${journey.train.number} ${journey.train.name} · ${t('appName')}`;
  }

  async function refreshAvailability() {
    const answer = await ctx.api.call('GET', `/v1/journeys/${ctx.journeyId}/availability`);
    if (!answer.ok) return;
    pools = answer.body.pools.filter(covered);
    const body = byId('pools-body');
    body.replaceChildren(
      ...pools.map((pool) =>
        element('tr', { 'data-pool': `${pool.classCode}-${pool.quota}` }, [
          element('td', { text: t(`class_${pool.classCode}`) }),
          element('td', { text: t(`quota_${pool.quota}`) }),
          element('td', {
            class: 'num',
            text: new Intl.NumberFormat(data.locale).format(pool.free),
          }),
        ]),
      ),
    );
    renderPoolChoices();
  }

  function chosenPool() {
    const flow = ctx.store.flow;
    return (
      pools.find(
        (pool) => pool.classCode === flow.pool?.classCode && pool.quota === flow.pool?.quota,
      ) ?? null
    );
  }

  function renderPoolChoices() {
    const fieldset = byId('pool-choices');
    const legend = fieldset.querySelector('legend');
    if (!chosenPool()) {
      const first = pools.find((pool) => pool.free > 0) ?? pools[0];
      ctx.store.flow.pool = first ? { classCode: first.classCode, quota: first.quota } : null;
      ctx.store.save();
    }
    const current = chosenPool();
    fieldset.replaceChildren(
      legend,
      ...pools.map((pool) => {
        const input = element('input', {
          type: 'radio',
          name: 'pool',
          value: `${pool.classCode}|${pool.quota}`,
          checked: pool === current,
        });
        return element('label', { class: 'choice' }, [
          input,
          ` ${t('poolOption', { class: t(`class_${pool.classCode}`), quota: t(`quota_${pool.quota}`), free: new Intl.NumberFormat(data.locale).format(pool.free) })}`,
        ]);
      }),
    );
  }

  function mode() {
    return byId('choose-form').querySelector('input[name="mode"]:checked')?.value ?? 'seats';
  }

  function renderMapHint() {
    byId('map-hint').textContent = t('mapHint', { max: data.maxPassengers, n: selected.size });
  }

  function seatButton(seat) {
    const isSelected = selected.has(seat.seatId);
    const state = isSelected
      ? t('seatSelected')
      : seat.state === 'free'
        ? t('seatFree')
        : t('seatTaken');
    return element(
      'button',
      {
        type: 'button',
        class: 'seat',
        'data-seat': seat.seatId,
        'data-state': seat.state,
        'aria-pressed': seat.state === 'free' ? String(isSelected) : null,
        disabled: seat.state !== 'free',
        'aria-label': t('seatLabel', {
          coach: seat.coach,
          number: seat.berthNumber,
          type: berthName(seat.berthType),
          state,
        }),
      },
      [String(seat.berthNumber), element('small', { text: seat.berthType })],
    );
  }

  function renderSeatMap() {
    const container = byId('seat-map');
    if (!seatMap) {
      container.replaceChildren();
      return;
    }
    const free = new Set();
    for (const coach of seatMap.coaches)
      for (const seat of coach.seats) if (seat.state === 'free') free.add(seat.seatId);
    for (const seatId of [...selected]) if (!free.has(seatId)) selected.delete(seatId);
    container.replaceChildren(
      ...seatMap.coaches.map((coach) =>
        element(
          'section',
          { class: 'coach', 'aria-label': t('coachLabel', { coach: coach.coach }) },
          [
            element('h3', { text: t('coachLabel', { coach: coach.coach }) }),
            element('div', { class: 'seat-grid' }, coach.seats.map(seatButton)),
          ],
        ),
      ),
    );
    renderMapHint();
  }

  let mapRequests = 0;

  async function loadSeatMap() {
    const pool = chosenPool();
    if (!pool) return;
    const query = new URLSearchParams({ classCode: pool.classCode, quota: pool.quota });
    const request = ++mapRequests;
    const answer = await ctx.api.call('GET', `/v1/journeys/${ctx.journeyId}/seats?${query}`);
    // Only the map asked for last is drawn: an earlier one may arrive after it.
    if (request !== mapRequests) return;
    if (!answer.ok) {
      say(problemText(answer.body));
      return;
    }
    seatMap = answer.body;
    renderSeatMap();
  }

  function renderBerthPreferences() {
    const count = Number(byId('berth-count').value) || 1;
    const container = byId('berth-preferences');
    const previous = [...container.querySelectorAll('select')].map((select) => select.value);
    container.replaceChildren(
      ...Array.from({ length: count }, (_, i) => {
        const id = `pref-${i + 1}`;
        const select = element('select', { id }, [
          element('option', { value: '', text: t('noPreference') }),
          ...berthTypes.map((type) => element('option', { value: type, text: berthName(type) })),
        ]);
        select.value = previous[i] ?? '';
        return element('label', { class: 'field', for: id }, [
          t('preferenceLabel', { n: i + 1 }),
          select,
        ]);
      }),
    );
  }

  function showChoose() {
    ctx.stopCountdown();
    show('s-journey', 's-choose');
    const wantsMap = mode() === 'seats';
    byId('map-part').hidden = !wantsMap;
    byId('berths-part').hidden = wantsMap;
    if (wantsMap) return loadSeatMap();
  }

  function holdRequest() {
    const pool = chosenPool();
    if (!pool) return null;
    const base = { journeyId: ctx.journeyId, classCode: pool.classCode, quota: pool.quota };
    if (mode() === 'seats') return selected.size > 0 ? { ...base, seatIds: [...selected] } : null;
    const preferences = [...byId('berth-preferences').querySelectorAll('select')].map(
      (select) => select.value || null,
    );
    return { ...base, berths: { count: preferences.length, preferences } };
  }

  function offerWaitlist(offer) {
    byId('waitlist-offer').hidden = !offer?.offered;
  }

  async function placeHold() {
    say('');
    offerWaitlist(null);
    const request = holdRequest();
    if (!request) {
      say(t('pickSomething'));
      return;
    }
    const button = byId('hold-button');
    button.disabled = true;
    button.textContent = t('holding');
    try {
      const answer = await ctx.api.call(
        'POST',
        '/v1/holds',
        request,
        ctx.store.keyFor('hold', request),
      );
      if (answer.ok) {
        ctx.store.flow.hold = answer.body;
        ctx.store.flow.holdPreferences = request.berths?.preferences ?? null;
        ctx.store.forgetKey('hold');
        selected.clear();
        ctx.showHeld();
        await refreshAvailability();
        return;
      }
      const problem = answer.body;
      if (problem.code === 'seat_unavailable') {
        say(t(problem.waitlist?.offered ? 'seatsTaken' : 'seatsTakenNoWaitlist'));
        for (const seatId of problem.seatIds ?? []) selected.delete(seatId);
        offerWaitlist(problem.waitlist);
        await refreshAvailability();
        await loadSeatMap();
      } else if (problem.code === 'not_enough_berths') {
        say(t('notEnough', { n: problem.available ?? 0 }));
        offerWaitlist(problem.waitlist);
        await refreshAvailability();
      } else if (problem.code === 'hold_exists' && problem.hold) {
        // This admission already holds berths the page lost track of (its storage was
        // cleared, or another tab holds them): carry on with that hold.
        ctx.store.flow.hold = problem.hold;
        ctx.store.flow.holdPreferences = null;
        ctx.store.forgetKey('hold');
        selected.clear();
        ctx.showHeld();
        say(t('holdResumed'));
      } else {
        say(problemText(problem));
      }
    } finally {
      button.disabled = false;
      button.textContent = t('holdButton');
    }
  }

  function wire() {
    byId('choose-form').addEventListener('submit', (event) => {
      event.preventDefault();
      ctx.guarded(placeHold);
    });
    byId('choose-form').addEventListener('change', (event) => {
      const target = event.target;
      if (target.name === 'pool') {
        const [classCode, quota] = target.value.split('|');
        ctx.store.flow.pool = { classCode, quota };
        ctx.store.save();
        selected.clear();
        seatMap = null;
        offerWaitlist(null);
        ctx.guarded(showChoose);
      } else if (target.name === 'mode') {
        ctx.guarded(showChoose);
      } else if (target.id === 'berth-count') {
        renderBerthPreferences();
      }
    });
    byId('seat-map').addEventListener('click', (event) => {
      const button = event.target.closest('button.seat');
      if (!button || button.disabled) return;
      const seatId = Number(button.dataset.seat);
      if (selected.has(seatId)) selected.delete(seatId);
      else if (selected.size >= data.maxPassengers) {
        say(t('tooMany', { max: data.maxPassengers }));
        return;
      } else selected.add(seatId);
      say('');
      const seat = seatMap.coaches.flatMap((coach) => coach.seats).find((s) => s.seatId === seatId);
      button.replaceWith(seatButton(seat));
      doc.querySelector(`button.seat[data-seat="${seatId}"]`)?.focus();
      renderMapHint();
    });
    const count = byId('berth-count');
    count.replaceChildren(
      ...Array.from({ length: data.maxPassengers }, (_, i) =>
        element('option', { value: i + 1, text: String(i + 1) }),
      ),
    );
    renderBerthPreferences();
  }

  return {
    renderJourney,
    refreshAvailability,
    chosenPool,
    mode,
    selectedCount: () => selected.size,
    showChoose,
    offerWaitlist,
    wire,
  };
};
