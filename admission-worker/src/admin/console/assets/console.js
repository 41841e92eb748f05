// Tatkal operator console. Plain browser JavaScript served as a file: no build
// step, no CDN, no inline code (the page's CSP forbids it).
//
// Auth: the operator token is kept in sessionStorage (this tab only, gone when
// it closes) and sent as "Authorization: Bearer" on every call. The live view
// is read with fetch() and a stream reader instead of EventSource, because
// EventSource cannot send headers, and a token in the URL would end up in
// proxy and access logs.

(() => {
  const storageKey = 'tatkal-admin-token';
  // The API lives beside the console (/admin/console -> /admin), also behind a path prefix.
  const apiBase = location.pathname.replace(/\/console\/?$/, '');
  const maxPoints = 120;
  const $ = (id) => document.getElementById(id);

  const palette = ['#1f5fbf', '#1e7b34', '#8a4fd8', '#c05a00', '#b3261e', '#4b5563'];
  const perSecond = (record) =>
    record.batch.admitted / Math.max(record.inputs.intervalSeconds || 1, 0.001);
  const charts = [
    {
      id: 'queue',
      title: 'Queue length',
      series: [{ label: 'Waiting', value: (r) => r.inputs.queue.waiting }],
    },
    {
      id: 'admitted',
      title: 'Admitted per second',
      series: [
        { label: 'Admitted / s', value: perSecond },
        { label: 'Controller rate / s', value: (r) => r.decision.ratePerSecond },
      ],
    },
    {
      id: 'controller',
      title: 'Controller output and operator bounds',
      series: [
        { label: 'Rate / s', value: (r) => r.decision.ratePerSecond },
        { label: 'Admit this tick', value: (r) => r.decision.admit },
        { label: 'Max / s', value: (r) => r.inputs.bounds.maxPerSecond, dashed: true },
        { label: 'Min / s', value: (r) => r.inputs.bounds.minPerSecond, dashed: true },
      ],
    },
    {
      id: 'latency',
      title: 'Booking commit p95 against target (ms)',
      series: [
        { label: 'p95', value: (r) => r.inputs.booking.commitP95Ms },
        { label: 'p50', value: (r) => r.inputs.booking.commitP50Ms },
        { label: 'Target', value: (r) => r.inputs.bounds.latencyTargetMs, dashed: true },
      ],
    },
    {
      id: 'sessions',
      title: 'Active sessions',
      series: [
        { label: 'Active', value: (r) => r.inputs.sessions.active },
        { label: 'Session cap', value: (r) => r.decision.activeSessionCap, dashed: true },
        { label: 'Operator max', value: (r) => r.inputs.bounds.maxActiveSessions, dashed: true },
      ],
    },
    {
      id: 'health',
      title: 'Controller inputs: pool, locks, errors',
      series: [
        { label: 'Pool waiting', value: (r) => r.inputs.booking.poolWaiting },
        { label: 'Lock waits', value: (r) => r.inputs.database.lockWaits },
        { label: '5xx', value: (r) => r.inputs.booking.errors5xx },
        { label: 'Timeouts', value: (r) => r.inputs.booking.timeouts },
        { label: 'In flight', value: (r) => r.inputs.booking.inFlight },
      ],
    },
  ];

  const state = {
    token: sessionStorage.getItem(storageKey),
    role: null,
    room: null,
    view: null,
    records: [],
    lastEventId: null,
    stream: null,
    refreshTimer: null,
  };

  function announce(message, isError) {
    const box = $('status');
    box.textContent = message;
    box.classList.toggle('error', Boolean(isError));
  }

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
      this.status = status;
      this.problem = problem;
    }
  }

  async function api(path, options = {}) {
    const headers = { authorization: `Bearer ${state.token}` };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(apiBase + path, {
      method: options.method || 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
    });
    if (response.ok) return response.json();
    let problem = { title: `HTTP ${response.status}` };
    try {
      problem = await response.json();
    } catch {}
    if (response.status === 401) signOut(problem.title || 'Signed out');
    throw new ApiError(response.status, problem);
  }

  // ---- charts (inline SVG, drawn here) ----
  const svgNs = 'http://www.w3.org/2000/svg';
  const width = 400;
  const height = 160;
  const pad = { left: 44, right: 8, top: 8, bottom: 16 };

  function svg(name, attributes) {
    const element = document.createElementNS(svgNs, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    return element;
  }

  function niceCeiling(value) {
    if (!(value > 0)) return 1;
    const magnitude = 10 ** Math.floor(Math.log10(value));
    for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * magnitude) return step * magnitude;
    return 10 * magnitude;
  }

  function formatNumber(value) {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    if (Math.abs(value) >= 100 || Number.isInteger(value))
      return Math.round(value).toLocaleString('en-IN');
    return value.toFixed(1);
  }

  function buildCharts() {
    const host = $('charts');
    host.replaceChildren();
    charts.forEach((chart) => {
      const figure = document.createElement('figure');
      figure.className = 'chart';
      const caption = document.createElement('figcaption');
      const title = document.createElement('span');
      title.id = `chart-${chart.id}-title`;
      title.textContent = chart.title;
      // A span, not <output>: an output is a live region, and six of them updating every
      // second would drown the one status region a screen reader should announce.
      const latest = document.createElement('span');
      latest.className = 'latest';
      latest.id = `chart-${chart.id}-value`;
      latest.textContent = '–';
      caption.append(title, latest);
      const drawing = svg('svg', {
        viewBox: `0 0 ${width} ${height}`,
        role: 'img',
        'aria-labelledby': title.id,
        preserveAspectRatio: 'none',
        id: `chart-${chart.id}`,
        'data-points': 0,
      });
      const legend = document.createElement('ul');
      legend.className = 'legend';
      chart.series.forEach((series, i) => {
        series.color = palette[i % palette.length];
        const item = document.createElement('li');
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.setAttribute('aria-hidden', 'true');
        swatch.style.background = series.color;
        item.append(swatch, series.label);
        legend.append(item);
      });
      figure.append(caption, drawing, legend);
      host.append(figure);
      chart.svg = drawing;
      chart.output = latest;
    });
  }

  function read(series, record) {
    try {
      const value = series.value(record);
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    } catch {
      return null;
    }
  }

  function drawChart(chart, records) {
    const drawing = chart.svg;
    drawing.replaceChildren();
    const values = chart.series.map((series) => records.map((record) => read(series, record)));
    const top = niceCeiling(Math.max(0, ...values.flat().filter((v) => v !== null)));
    // The window grows with the data up to maxPoints ticks, so a fresh view is not a sliver.
    const span = Math.min(maxPoints, Math.max(30, records.length));
    const x = (i) => pad.left + ((width - pad.left - pad.right) * i) / Math.max(span - 1, 1);
    const y = (v) => height - pad.bottom - ((height - pad.top - pad.bottom) * v) / top;
    for (const fraction of [0, 0.5, 1]) {
      const level = y(top * fraction);
      drawing.append(
        svg('line', {
          x1: pad.left,
          x2: width - pad.right,
          y1: level,
          y2: level,
          stroke: '#e3e6eb',
        }),
      );
      const label = svg('text', {
        x: pad.left - 4,
        y: level + 4,
        'text-anchor': 'end',
        'font-size': 10,
        fill: '#5b6270',
      });
      label.textContent = formatNumber(top * fraction);
      drawing.append(label);
    }
    // Newest point at the right edge; unknown values (null) break the line.
    const offset = span - records.length;
    chart.series.forEach((series, s) => {
      let points = [];
      const flush = () => {
        if (points.length > 0) {
          drawing.append(
            svg('polyline', {
              points: points.join(' '),
              fill: 'none',
              stroke: series.color,
              'stroke-width': 2,
              'stroke-dasharray': series.dashed ? '5 4' : 'none',
              'vector-effect': 'non-scaling-stroke',
            }),
          );
        }
        points = [];
      };
      values[s].forEach((value, i) => {
        if (value === null) flush();
        else points.push(`${x(offset + i).toFixed(1)},${y(value).toFixed(1)}`);
      });
      flush();
    });
    drawing.setAttribute('data-points', String(records.length));
    const newest = records.at(-1);
    const summary = newest
      ? chart.series
          .map((series) => `${series.label} ${formatNumber(read(series, newest))}`)
          .join(', ')
      : 'no data yet';
    chart.output.textContent = newest ? formatNumber(read(chart.series[0], newest)) : '–';
    drawing.setAttribute('aria-label', `${chart.title}: ${summary}`);
  }

  function renderDecisions() {
    for (const chart of charts) drawChart(chart, state.records);
    const rows = state.records
      .slice(-10)
      .reverse()
      .map((record) => {
        const row = document.createElement('tr');
        const cells = [
          new Date(record.atMs).toLocaleTimeString('en-IN', { hour12: false }),
          record.decision.rule,
          formatNumber(record.batch.admitted),
          formatNumber(record.decision.ratePerSecond),
          record.decision.reason,
        ];
        for (const text of cells) {
          const cell = document.createElement('td');
          cell.textContent = text;
          row.append(cell);
        }
        return row;
      });
    $('ticks').replaceChildren(...rows);
    const newest = state.records.at(-1);
    if (newest) $('f-rule').textContent = `${newest.decision.rule} — ${newest.decision.reason}`;
  }

  // ---- live view over fetch streaming ----
  function handleFrame(frame) {
    let event = 'message';
    let id = null;
    const data = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (id) state.lastEventId = id;
    setLive('live', 'ok');
    if (event === 'decision') {
      state.records.push(JSON.parse(data.join('\n')));
      if (state.records.length > maxPoints)
        state.records.splice(0, state.records.length - maxPoints);
      scheduleRender();
    } else if (event === 'problem') {
      announce(`Live view: ${JSON.parse(data.join('\n')).title}`, true);
    }
  }

  let renderQueued = false;
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      renderDecisions();
    });
  }

  function setLive(text, kind) {
    const badge = $('live');
    badge.textContent = text;
    badge.className = `badge ${kind || ''}`;
  }

  async function readStream(room, controller) {
    const headers = { authorization: `Bearer ${state.token}`, accept: 'text/event-stream' };
    if (state.lastEventId) headers['last-event-id'] = state.lastEventId;
    const response = await fetch(
      `${apiBase}/rooms/${encodeURIComponent(room)}/events?backlog=${maxPoints}`,
      {
        headers,
        signal: controller.signal,
        cache: 'no-store',
      },
    );
    if (!response.ok || !response.body) {
      if (response.status === 401) signOut('Your token is no longer valid.');
      throw new Error(`live view refused (HTTP ${response.status})`);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let watchdog;
    const arm = () => {
      clearTimeout(watchdog);
      // Heartbeats come every 15 s; silence for much longer means a dead connection.
      watchdog = setTimeout(() => controller.abort(), 45_000);
    };
    arm();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        arm();
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          handleFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } finally {
      clearTimeout(watchdog);
    }
  }

  // One live view at a time; it reconnects (resuming after the last event id) until stopped.
  function startStream(room) {
    stopStream();
    const session = { stopped: false, controller: null };
    state.stream = session;
    (async () => {
      while (!session.stopped) {
        session.controller = new AbortController();
        try {
          setLive('connecting…');
          await readStream(room, session.controller);
        } catch {}
        if (session.stopped || !state.token) return;
        setLive('reconnecting…', 'warn');
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    })();
  }

  function stopStream() {
    const session = state.stream;
    state.stream = null;
    if (session) {
      session.stopped = true;
      session.controller?.abort();
    }
  }

  // ---- room facts and controls ----
  function showRoom(live) {
    const room = live.room;
    state.view = room;
    $('f-state').textContent =
      room.state + (room.status !== room.state ? ` (set: ${room.status})` : '');
    const brake = $('f-brake');
    brake.textContent = room.emergencyBrake ? 'ON' : 'off';
    brake.className = room.emergencyBrake ? 'badge warn' : 'badge';
    $('f-drain').textContent = room.draining ? 'yes — no new places' : 'no';
    $('f-admitted').textContent = formatNumber(live.queue.admittedTotal);
    const opens = new Date(room.schedule.saleOpensAt).toLocaleString('en-IN');
    const closes = new Date(room.schedule.closesAt).toLocaleString('en-IN');
    $('f-window').textContent = `${opens} – ${closes}`;
    const brakeButton = $('btn-brake');
    brakeButton.setAttribute('aria-pressed', String(room.emergencyBrake));
    brakeButton.textContent = room.emergencyBrake ? 'Release emergency brake' : 'Emergency brake';
    $('btn-drain').textContent = room.draining ? 'Stop draining' : 'Drain';
    applyRole();
  }

  function fillBounds(room) {
    $('b-min').value = room.bounds.minPerSecond;
    $('b-max').value = room.bounds.maxPerSecond;
    $('b-active').value = room.bounds.maxActiveSessions;
    $('b-latency').value = room.bounds.latencyTargetMs;
  }

  function applyRole() {
    const readOnly = state.role !== 'operator';
    for (const control of document.querySelectorAll(
      '[data-action], #btn-brake, #bounds-form input, #bounds-save',
    )) {
      control.disabled = readOnly;
    }
    if (state.view && !readOnly) {
      $('btn-pause').disabled = !(state.view.state === 'open');
      $('btn-resume').disabled = state.view.status !== 'paused';
    }
  }

  async function refreshRoom() {
    if (!state.room) return;
    try {
      showRoom(await api(`/rooms/${encodeURIComponent(state.room)}`));
    } catch (error) {
      announce(error.message, true);
    }
  }

  async function selectRoom(room) {
    state.room = room;
    state.records = [];
    state.lastEventId = null;
    renderDecisions();
    const live = await api(`/rooms/${encodeURIComponent(room)}`);
    showRoom(live);
    fillBounds(live.room);
    startStream(room);
    clearInterval(state.refreshTimer);
    state.refreshTimer = setInterval(refreshRoom, 5000);
  }

  async function act(label, path, options) {
    try {
      const room = await api(`/rooms/${encodeURIComponent(state.room)}${path}`, options);
      announce(
        `${label}: room ${state.room} is now ${room.state}${room.emergencyBrake ? ', brake on' : ''}${room.draining ? ', draining' : ''}.`,
      );
      await refreshRoom();
      return room;
    } catch (error) {
      announce(`${label} refused — ${error.message}`, true);
      return null;
    }
  }

  // ---- sign in and out ----
  async function signIn(token) {
    state.token = token;
    try {
      const me = await api('/whoami');
      sessionStorage.setItem(storageKey, token);
      state.role = me.role;
      $('whoami').textContent = `${me.name} (${me.role})`;
      $('sign-in').hidden = true;
      $('workspace').hidden = false;
      $('sign-out').hidden = false;
      const { rooms } = await api('/rooms');
      const select = $('room-select');
      select.replaceChildren(
        ...rooms.map((room) => {
          const option = document.createElement('option');
          option.value = room.id;
          option.textContent = `${room.name} (${room.id}, ${room.state})`;
          return option;
        }),
      );
      const wanted = new URLSearchParams(location.search).get('room');
      const first = rooms.find((room) => room.id === wanted) || rooms[0];
      announce(
        `Signed in as ${me.name} (${me.role})${me.role === 'operator' ? '' : ': read-only'}. ${rooms.length} rooms.`,
      );
      if (first) {
        select.value = first.id;
        await selectRoom(first.id);
      }
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) announce(error.message, true);
    }
  }

  function signOut(reason) {
    sessionStorage.removeItem(storageKey);
    state.token = null;
    state.role = null;
    stopStream();
    clearInterval(state.refreshTimer);
    $('workspace').hidden = true;
    $('sign-in').hidden = false;
    $('sign-out').hidden = true;
    $('whoami').textContent = '';
    announce(reason || 'Signed out.', Boolean(reason));
  }

  document.addEventListener('DOMContentLoaded', () => {
    buildCharts();
    $('sign-in-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('token').value.trim();
      $('token').value = '';
      if (token) signIn(token);
    });
    $('sign-out').addEventListener('click', () => signOut());
    $('room-select').addEventListener('change', (event) => selectRoom(event.target.value));
    for (const button of document.querySelectorAll('[data-action]')) {
      button.addEventListener('click', () => {
        const action = button.dataset.action;
        if (action === 'drain') {
          const on = !state.view?.draining;
          act(on ? 'Drain' : 'Stop draining', '/drain', { method: on ? 'POST' : 'DELETE' });
        } else {
          act(button.textContent.trim(), `/${action}`, { method: 'POST' });
        }
      });
    }
    $('btn-brake').addEventListener('click', () => {
      const on = !state.view?.emergencyBrake;
      act(on ? 'Emergency brake' : 'Brake released', '/brake', { method: 'PUT', body: { on } });
    });
    $('bounds-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = {};
      for (const input of event.target.querySelectorAll('input'))
        body[input.name] = Number(input.value);
      const room = await act('Bounds saved', '/bounds', { method: 'PATCH', body });
      if (room) fillBounds(room);
    });
    if (state.token) signIn(state.token);
  });
})();
