// Tatkal queue page, in the browser. The server renders a complete page that
// works without JavaScript; this script adds: joining through the JSON API
// (with proof-of-work solved by Web Crypto when the room asks for it), live
// position over Server-Sent Events with a polling fallback that honours the
// server's interval and rests while the tab is hidden, a position that never
// goes up, screen-reader announcements, and the redirect to booking.
// No build step: this file is served as it is (src/page/assets.ts).
const TatkalQueue = (() => {
  function translate(strings, key, params) {
    const template = strings[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      params && name in params ? String(params[name]) : whole,
    );
  }

  function formatCount(locale, n) {
    return new Intl.NumberFormat(locale).format(n);
  }

  // Mirrors formatWait in src/page/format.ts (test/page checks they agree).
  function formatWait(strings, band) {
    const t = (key, params) => translate(strings, key, params);
    if (band === null || band === undefined) return t('estimateNone');
    const { lowSeconds, highSeconds } = band;
    if (highSeconds < 60) return t('estimateUnderMinute');
    if (highSeconds <= 90 * 60) {
      const low = Math.floor(lowSeconds / 60);
      const high = Math.ceil(highSeconds / 60);
      if (low < 1) return t('estimateUpToMinutes', { high });
      if (low === high)
        return low === 1 ? t('estimateOneMinute') : t('estimateMinutes', { n: low });
      return t('estimateMinutesBand', { low, high });
    }
    const low = Math.max(1, Math.floor(lowSeconds / 3600));
    const high = Math.ceil(highSeconds / 3600);
    if (low === high) return low === 1 ? t('estimateOneHour') : t('estimateHours', { n: low });
    return t('estimateHoursBand', { low, high });
  }

  // Mirrors formatTime in src/page/format.ts.
  function formatTime(locale, at) {
    const formatted = new Intl.DateTimeFormat(locale, {
      timeZone: 'Asia/Kolkata',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(at));
    return `${formatted} IST`;
  }

  function formatAhead(strings, locale, peopleAhead) {
    if (peopleAhead <= 0) return translate(strings, 'aheadNone');
    if (peopleAhead === 1) return translate(strings, 'aheadOne');
    return translate(strings, 'aheadMany', { n: formatCount(locale, peopleAhead) });
  }

  // Mirrors formatPeople in src/page/format.ts.
  function formatPeople(strings, locale, key, n) {
    if (n === 1) return translate(strings, `${key}One`);
    return translate(strings, key, { n: formatCount(locale, n) });
  }

  function formatRate(strings, locale, perSecond) {
    if (perSecond <= 0) return translate(strings, 'rateNone');
    const rate = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(perSecond);
    return translate(strings, 'rateValue', { rate });
  }

  function progressPercent(startPosition, position) {
    if (position <= 0) return 100;
    const start = Math.max(startPosition, position);
    return Math.round(((start - position) / start) * 100);
  }

  function leadingZeroBits(bytes) {
    let bits = 0;
    for (const byte of bytes) {
      if (byte === 0) {
        bits += 8;
        continue;
      }
      return bits + Math.clz32(byte) - 24;
    }
    return bits;
  }

  /** A nonce whose SHA-256(`challenge:nonce`) has `difficulty` leading zero bits. */
  async function solveChallenge(challenge, difficulty, subtle) {
    const encoder = new TextEncoder();
    const batch = 256;
    for (let base = 0; base < 1e15; base += batch) {
      const digests = await Promise.all(
        Array.from({ length: batch }, (_, i) =>
          subtle.digest('SHA-256', encoder.encode(`${challenge}:${base + i}`)),
        ),
      );
      for (let i = 0; i < batch; i++) {
        if (leadingZeroBits(new Uint8Array(digests[i])) >= difficulty) return String(base + i);
      }
    }
    throw new Error('no proof-of-work solution found');
  }

  function start(doc, win) {
    const dataElement = doc.getElementById('tatkal-data');
    if (!dataElement) return;
    const data = JSON.parse(dataElement.textContent);
    const form = doc.getElementById('join-form');
    if (form) enhanceJoin(doc, win, data, form);
    if (data.status) follow(doc, win, data);
  }

  function enhanceJoin(doc, win, data, form) {
    const t = (key, params) => translate(data.strings, key, params);
    const button = form.querySelector('button');
    const message = doc.getElementById('join-message');
    const say = (text, isError) => {
      message.textContent = text;
      message.classList.toggle('error', Boolean(isError));
    };
    form.hidden = false;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (button.disabled) return;
      button.disabled = true;
      say(t('joining'), false);
      try {
        const body = {};
        if (data.powDifficulty > 0) {
          say(t('solvingPuzzle'), false);
          const response = await fetch(`${data.api}/challenge`, {
            headers: { accept: 'application/json' },
          });
          const challenge = await response.json();
          if (challenge.required) {
            const nonce = await solveChallenge(
              challenge.challenge,
              challenge.difficulty,
              win.crypto.subtle,
            );
            body.proofOfWork = { challenge: challenge.challenge, nonce };
          }
        }
        const response = await fetch(`${data.api}/join`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
          credentials: 'same-origin',
        });
        if (response.ok) {
          win.location.replace(data.pageUrl);
          return;
        }
        const problem = await response.json().catch(() => ({}));
        const local = data.problems[problem.code];
        let text = [local?.title ?? problem.title, local?.detail ?? problem.detail]
          .filter(Boolean)
          .join(': ');
        const retryAfter = Number(response.headers.get('retry-after'));
        if (retryAfter > 0) text = `${text} ${t('retryAfter', { n: retryAfter })}`;
        say(text || t('errorHeading'), true);
      } catch {
        say(t('networkError'), true);
      }
      button.disabled = false;
    });
  }

  function follow(doc, win, data) {
    const t = (key, params) => translate(data.strings, key, params);
    const byId = (id) => doc.getElementById(id);
    const storageKey = `tatkal:${data.room}:${data.status.number ?? 'prequeue'}`;
    const baseTitle = data.title;
    let lowest = readLowest();
    let announced = { position: null, atMs: 0 };
    let events = null;
    let pollTimer = null;
    let polling = false;
    let inFlight = false;
    let finished = false;
    let sseFailures = 0;
    let sseRetryAtMs = 0;
    let sseBackoffMs = 30_000;

    function readLowest() {
      try {
        const stored = Number(win.sessionStorage.getItem(storageKey));
        return stored > 0 ? stored : null;
      } catch {
        return null;
      }
    }

    function saveLowest(position) {
      lowest = position;
      try {
        win.sessionStorage.setItem(storageKey, String(position));
      } catch {
        // Storage may be off (private mode): the clamp then lasts as long as the page.
      }
    }

    function setConnection(mode) {
      const element = byId('conn');
      if (!element) return;
      const text = {
        live: 'connLive',
        polling: 'connPolling',
        hidden: 'connHidden',
        retrying: 'connRetrying',
      };
      element.hidden = false;
      element.dataset.mode = mode;
      element.textContent = t(text[mode]);
    }

    function announce(text) {
      byId('announce').textContent = text;
    }

    function show(section) {
      for (const id of ['s-prequeue', 's-waiting', 's-admitted']) {
        const element = byId(id);
        if (element) element.hidden = id !== section;
      }
    }

    function renderState(state) {
      const badge = byId('room-state');
      if (!badge) return;
      badge.textContent = t(`state_${state}`);
      badge.className = `badge badge-${state.replace('_', '-')}`;
      const paused = byId('paused-note');
      if (paused) paused.hidden = state !== 'paused';
    }

    function admit(status) {
      finished = true;
      stop();
      const link = byId('booking-link');
      link.href = status.admission.bookingUrl;
      byId('session-ends').textContent = t('sessionEnds', {
        time: formatTime(data.locale, status.admission.expiresAt),
      });
      show('s-admitted');
      doc.title = `${t('admittedHeading')} · ${baseTitle}`;
      announce(t('announceAdmitted'));
      win.location.replace(status.admission.bookingUrl);
    }

    function render(status, mayAnnounce) {
      renderState(status.state);
      if (status.standing === 'admitted' && status.admission) return admit(status);
      if (status.standing === 'prequeue' || status.position === null) {
        show('s-prequeue');
        const count = byId('prequeue-count');
        if (count && status.prequeueCount !== null) {
          count.textContent = t('prequeueCount', {
            n: formatCount(data.locale, status.prequeueCount),
          });
        }
        return;
      }
      show('s-waiting');
      // The displayed position never goes up, whatever order updates arrive in.
      const position = lowest !== null && lowest < status.position ? lowest : status.position;
      if (position !== lowest) saveLowest(position);
      byId('position').textContent = formatCount(data.locale, position);
      byId('ahead').textContent = formatAhead(data.strings, data.locale, position - 1);
      byId('estimate').textContent = formatWait(data.strings, status.estimate);
      byId('rate').textContent = formatRate(
        data.strings,
        data.locale,
        status.admissionRatePerSecond,
      );
      const percent = progressPercent(data.startPosition ?? position, position);
      byId('progress').value = percent;
      byId('progress-text').textContent = `${percent}%`;
      byId('returning-note').hidden = status.standing !== 'returning';
      doc.title = `${formatCount(data.locale, position)} · ${baseTitle}`;
      // Announce moves, not every update: near the front at once, otherwise at most every 10 s.
      const nowMs = Date.now();
      if (
        mayAnnounce &&
        position !== announced.position &&
        (position <= 5 || nowMs - announced.atMs >= 10_000)
      ) {
        announce(t('announcePosition', { n: formatCount(data.locale, position) }));
        announced = { position, atMs: nowMs };
      }
    }

    function stop() {
      polling = false;
      win.clearTimeout(pollTimer);
      pollTimer = null;
      if (events) events.close();
      events = null;
    }

    function connect() {
      if (finished) return;
      if (typeof win.EventSource !== 'function' || Date.now() < sseRetryAtMs) {
        startPolling(1);
        return;
      }
      stop();
      events = new win.EventSource(`${data.api}/events`);
      events.addEventListener('status', (event) => {
        sseFailures = 0;
        sseBackoffMs = 30_000;
        setConnection('live');
        render(JSON.parse(event.data), true);
      });
      // Fires on a dropped connection (the browser reconnects by itself) and on the server's own
      // `error` event; a closed stream or repeated failures switch to polling for a while.
      events.addEventListener('error', () => {
        sseFailures += 1;
        if (!events) return;
        if (events.readyState === 2 || sseFailures >= 3) {
          events.close();
          events = null;
          sseRetryAtMs = Date.now() + sseBackoffMs;
          sseBackoffMs = Math.min(sseBackoffMs * 2, 300_000);
          startPolling(1);
        } else {
          setConnection('retrying');
        }
      });
    }

    function startPolling(delaySeconds) {
      polling = true;
      schedulePoll(delaySeconds);
    }

    function schedulePoll(seconds) {
      win.clearTimeout(pollTimer);
      pollTimer = null;
      if (!polling || finished) return;
      if (doc.hidden) {
        setConnection('hidden');
        return;
      }
      pollTimer = win.setTimeout(poll, seconds * 1000);
    }

    async function poll() {
      pollTimer = null;
      if (inFlight || !polling || finished) return;
      if (doc.hidden) {
        setConnection('hidden');
        return;
      }
      inFlight = true;
      let nextSeconds = 5 + Math.random() * 5;
      try {
        const response = await fetch(`${data.api}/status`, {
          headers: { accept: 'application/json' },
          credentials: 'same-origin',
          cache: 'no-store',
        });
        if (response.status === 401 || response.status === 403) {
          // The ticket is gone (expired or replaced): the page offers to join again.
          finished = true;
          win.location.reload();
          return;
        }
        if (response.ok) {
          const status = await response.json();
          setConnection('polling');
          render(status, true);
          nextSeconds = status.nextPollSeconds;
          if (!finished && typeof win.EventSource === 'function' && Date.now() >= sseRetryAtMs) {
            connect();
            return;
          }
        } else {
          const retryAfter = Number(response.headers.get('retry-after'));
          if (retryAfter > 0) nextSeconds = retryAfter;
          setConnection('retrying');
        }
      } catch {
        setConnection('retrying');
      } finally {
        inFlight = false;
      }
      schedulePoll(nextSeconds);
    }

    // Polling rests while the tab is hidden and asks at once when it is shown
    // again. An open event stream stays: it costs the server nothing until the
    // queue moves, and it keeps the visitor's place alive.
    doc.addEventListener('visibilitychange', () => {
      if (!polling || finished) return;
      if (doc.hidden) schedulePoll(0);
      else poll();
    });

    if (lowest === null && data.status.position !== null) saveLowest(data.status.position);
    render(data.status, false);
    announced = { position: lowest, atMs: Date.now() };
    if (!finished && data.status.state !== 'closed') connect();
  }

  return {
    formatTime,
    formatWait,
    formatAhead,
    formatPeople,
    formatRate,
    progressPercent,
    leadingZeroBits,
    solveChallenge,
    translate,
    start,
  };
})();

if (typeof document !== 'undefined') TatkalQueue.start(document, window);
