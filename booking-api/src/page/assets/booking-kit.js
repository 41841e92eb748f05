// Tatkal booking page, in the browser: the parts that are not screens. Wording (the string
// tables come with the page), the admission token's trip from the URL fragment to session
// storage, the flow state that survives a reload, and the API client: Bearer token on every
// call, one Idempotency-Key per action, and waiting out 429/503 (Retry-After, shown to the
// visitor) before trying again by itself. No build step: served as it is (src/page/assets.ts).
globalThis.TatkalBookingKit = (() => {
  function translate(strings, key, params) {
    const template = strings[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      params && name in params ? String(params[name]) : whole,
    );
  }

  /** Rupees from paise: ₹2,184.00 (en-IN) or the Hindi locale's digits and grouping. */
  function formatMoney(locale, paise) {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: 'INR' }).format(
      paise / 100,
    );
  }

  /** Times in IST, as the queue page shows them. */
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

  /** "08:05 IST": the hour of a day already named. */
  function formatClock(locale, at) {
    const formatted = new Intl.DateTimeFormat(locale, {
      timeZone: 'Asia/Kolkata',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(at));
    return `${formatted} IST`;
  }

  function formatDate(locale, isoDate) {
    return new Intl.DateTimeFormat(locale, {
      timeZone: 'UTC',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    }).format(new Date(`${isoDate}T00:00:00Z`));
  }

  /** "4:05" for a countdown (whole seconds left); never below 0:00. */
  function formatCountdown(ms) {
    const total = Math.max(0, Math.floor(ms / 1000));
    const minutes = Math.floor(total / 60);
    const seconds = total % 60;
    return `${minutes}:${String(seconds).padStart(2, '0')}`;
  }

  /** The token's claims, for display and for its scope (the server checks them; this only reads). */
  function decodeClaims(token) {
    try {
      const part = token.split('.')[1];
      const base64 = part.replaceAll('-', '+').replaceAll('_', '/');
      const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
      const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
      const claims = JSON.parse(new TextDecoder().decode(bytes));
      return claims && typeof claims === 'object' ? claims : null;
    } catch {
      return null;
    }
  }

  const tokenKey = 'tatkal-booking:token';

  /**
   * The admission token arrives in the URL fragment (never sent to a server, never in a
   * Referer). It moves to session storage (this tab only) and leaves the address bar, so it is
   * not bookmarked, shared or shown.
   */
  function takeToken(win) {
    let token = null;
    const match = /(?:^#|&)token=([A-Za-z0-9._-]+)/.exec(win.location.hash);
    if (match) {
      token = match[1];
      try {
        win.sessionStorage.setItem(tokenKey, token);
      } catch {
        // Storage is off: the token lives as long as the page.
      }
      win.history.replaceState(null, '', win.location.pathname + win.location.search);
    }
    if (token) return token;
    try {
      return win.sessionStorage.getItem(tokenKey);
    } catch {
      return null;
    }
  }

  /** Where this admission's booking stands (hold, PNR, keys in use), kept across reloads. */
  function flowStore(win, jti) {
    const key = `tatkal-booking:flow:${jti}`;
    let flow = {};
    try {
      flow = JSON.parse(win.sessionStorage.getItem(key) ?? '{}') ?? {};
    } catch {
      flow = {};
    }
    flow.keys = flow.keys ?? {};
    return {
      flow,
      save() {
        try {
          win.sessionStorage.setItem(key, JSON.stringify(flow));
        } catch {
          // Storage is off: a reload starts over, and the server still refuses a second hold.
        }
      },
      /**
       * The Idempotency-Key of an action: the same action with the same body keeps its key, so a
       * double click or a retry after a reload is answered with the first result; anything else
       * gets a fresh key.
       */
      keyFor(action, body) {
        const fingerprint = JSON.stringify(body ?? null);
        const known = flow.keys[action];
        if (known && known.body === fingerprint) return known.key;
        const fresh = { key: win.crypto.randomUUID(), body: fingerprint };
        flow.keys[action] = fresh;
        this.save();
        return fresh.key;
      },
      forgetKey(action) {
        delete flow.keys[action];
        this.save();
      },
    };
  }

  /** Thrown when the admission is over: the page has already said so and offered the queue. */
  class SessionEnded extends Error {}

  /**
   * The booking API as the page uses it. `onWait(seconds, reason)` shows a countdown while a
   * shed (503), rate-limited (429) or duplicate-in-flight (409) request waits to be retried;
   * `onTokenRefused(code)` ends the session on a refused admission.
   */
  function apiClient(win, options) {
    let offsetMs = 0;
    const sleep = (ms) => new Promise((resolve) => win.setTimeout(resolve, ms));

    async function wait(seconds, reason) {
      for (let left = seconds; left > 0; left--) {
        options.onWait(left, reason);
        await sleep(1000);
      }
      options.onWait(0, reason);
    }

    return {
      /** The server's clock as the page best knows it (from each answer's Date header). */
      now() {
        return Date.now() + offsetMs;
      },
      async call(method, path, body, idempotencyKey) {
        const headers = { accept: 'application/json', authorization: `Bearer ${options.token}` };
        if (body !== undefined) headers['content-type'] = 'application/json';
        if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
        for (let attempt = 1; ; attempt++) {
          let response;
          try {
            response = await win.fetch(path, {
              method,
              headers,
              body: body === undefined ? undefined : JSON.stringify(body),
              cache: 'no-store',
              credentials: 'omit',
            });
          } catch {
            if (attempt > 6) return { ok: false, status: 0, body: {} };
            await wait(Math.min(2 * attempt, 10), 'network');
            continue;
          }
          const date = Date.parse(response.headers.get('date') ?? '');
          // The Date header drops the milliseconds, so this clock runs up to a second behind the
          // server's: a countdown reaches zero only once the server's hold is surely over.
          if (Number.isFinite(date)) offsetMs = date - Date.now();
          const text = await response.text();
          let json = {};
          try {
            json = text ? JSON.parse(text) : {};
          } catch {
            json = {};
          }
          const inFlight = response.status === 409 && json.code === 'idempotency_request_in_flight';
          if ((response.status === 429 || response.status === 503 || inFlight) && attempt <= 30) {
            const retryAfter = Number(response.headers.get('retry-after'));
            await wait(
              Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : 2,
              'busy',
            );
            continue;
          }
          const code = typeof json.code === 'string' ? json.code : '';
          if (
            (response.status === 401 || response.status === 403) &&
            code.startsWith('token_') &&
            code !== 'token_scope'
          ) {
            options.onTokenRefused(code);
            throw new SessionEnded(code);
          }
          return { ok: response.ok, status: response.status, body: json };
        }
      },
    };
  }

  return {
    translate,
    formatMoney,
    formatTime,
    formatClock,
    formatDate,
    formatCountdown,
    decodeClaims,
    takeToken,
    flowStore,
    apiClient,
    SessionEnded,
  };
})();
