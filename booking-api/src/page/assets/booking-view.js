// Tatkal booking page, in the browser: the view helpers every screen uses. Sections shown one
// set at a time, the error line and the screen-reader announcements, elements built without
// markup strings (so no data can become markup), the fare breakdown, and the passenger
// fieldsets with the API's validation messages shown by each field. Loaded after
// booking-kit.js and before booking.js.
globalThis.TatkalBookingView = (doc, data, kit) => {
  const t = (key, params) => kit.translate(data.strings, key, params);
  const byId = (id) => doc.getElementById(id);
  const sections = [
    's-loading',
    's-journey',
    's-choose',
    's-held',
    's-waitlist-form',
    's-pay',
    's-done',
    's-stop',
  ];
  const berthTypes = ['LB', 'MB', 'UB', 'SL', 'SU'];
  const genders = ['F', 'M', 'T'];

  function show(...visible) {
    for (const id of sections) byId(id).hidden = !visible.includes(id);
  }

  function focusHeading(id) {
    const heading = byId(id);
    if (heading) heading.focus({ preventScroll: false });
  }

  /** The page's one error line (role=alert); brought into view, as the action may be far below. */
  function say(text) {
    const alert = byId('alert');
    alert.textContent = text ?? '';
    if (text) alert.scrollIntoView({ block: 'nearest' });
  }

  function announce(text) {
    byId('announce').textContent = text;
  }

  function element(tag, attributes = {}, children = []) {
    const node = doc.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === false || value === null || value === undefined) continue;
      if (name === 'text') node.textContent = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) node.append(child);
    return node;
  }

  /** A problem's words: the page's own for the codes it knows, the API's otherwise. */
  function problemText(problem) {
    const local = data.problems[problem.code];
    const text =
      [local?.title ?? problem.title, local?.detail ?? problem.detail].filter(Boolean).join(': ') ||
      t('unexpected');
    return problem.requestId ? `${text} ${t('errorReference', { id: problem.requestId })}` : text;
  }

  function berthName(type) {
    return t(`berth_${type}`);
  }

  function fareList(amount) {
    const rows = [
      ['fareBase', amount.baseFarePaise],
      ['fareTatkal', amount.tatkalChargePaise],
      ['farePremium', amount.premiumSurchargePaise],
    ];
    const list = element('dl', { class: 'fare', 'aria-label': t('fareHeading') });
    for (const [key, paise] of rows) {
      list.append(
        element('dt', { text: t(key) }),
        element('dd', { text: kit.formatMoney(data.locale, paise) }),
      );
    }
    list.append(
      element('dt', { class: 'total', text: t('fareTotal') }),
      element('dd', {
        class: 'total',
        id: 'fare-total',
        text: kit.formatMoney(data.locale, amount.totalPaise),
      }),
    );
    return list;
  }

  function passengerFields(prefix, index, values) {
    const n = index + 1;
    const id = (field) => `${prefix}${n}-${field}`;
    const error = (field) => element('span', { class: 'field-error', id: id(`${field}-error`) });
    const input = (field, attributes) =>
      element('input', {
        id: id(field),
        name: field,
        'aria-describedby': id(`${field}-error`),
        ...attributes,
      });
    const select = (field, options, value) => {
      const node = element(
        'select',
        { id: id(field), name: field, 'aria-describedby': id(`${field}-error`) },
        options,
      );
      node.value = value ?? '';
      return node;
    };
    const name = input('name', {
      type: 'text',
      autocomplete: 'name',
      maxlength: '80',
      value: values?.name ?? '',
    });
    const age = input('age', {
      type: 'number',
      inputmode: 'numeric',
      min: '0',
      max: '125',
      value: values?.age ?? '',
    });
    const gender = select(
      'gender',
      [
        element('option', { value: '', text: '—' }),
        ...genders.map((g) => element('option', { value: g, text: t(`gender_${g}`) })),
      ],
      values?.gender,
    );
    const preference = select(
      'berthPreference',
      [
        element('option', { value: '', text: t('noPreference') }),
        ...berthTypes.map((type) => element('option', { value: type, text: berthName(type) })),
      ],
      values?.berthPreference,
    );
    const field = (label, control, key) =>
      element('label', { class: 'field', for: control.id }, [label, control, error(key)]);
    return element('fieldset', { class: 'passenger', 'data-passenger': index }, [
      element('legend', { text: t('passengerLegend', { n }) }),
      field(t('nameLabel'), name, 'name'),
      element('div', { class: 'passenger-row' }, [
        field(t('ageLabel'), age, 'age'),
        field(t('genderLabel'), gender, 'gender'),
      ]),
      field(t('preferenceLabel', { n }), preference, 'berthPreference'),
    ]);
  }

  function readPassengers(container) {
    return [...container.querySelectorAll('fieldset.passenger')].map((fieldset) => {
      const value = (name) => fieldset.querySelector(`[name="${name}"]`).value;
      const age = value('age').trim();
      return {
        name: value('name'),
        age: age === '' ? null : Number(age),
        gender: value('gender') || null,
        berthPreference: value('berthPreference') || null,
      };
    });
  }

  function clearFieldErrors(container) {
    for (const node of container.querySelectorAll('.field-error')) node.textContent = '';
    for (const node of container.querySelectorAll('[aria-invalid]'))
      node.removeAttribute('aria-invalid');
  }

  /** The API's 422 errors, each by its field ("passengers.1.age"), in the visitor's language. */
  function showFieldErrors(container, prefix, errors) {
    const loose = [];
    let first = null;
    for (const { path, message } of errors) {
      const match = /^passengers\.(\d+)\.(\w+)$/.exec(path);
      const control = match ? byId(`${prefix}${Number(match[1]) + 1}-${match[2]}`) : null;
      const text = data.messages[message] ?? message;
      if (!control || !container.contains(control)) {
        loose.push(text);
        continue;
      }
      control.setAttribute('aria-invalid', 'true');
      const slot = byId(`${control.id}-error`);
      slot.textContent = slot.textContent ? `${slot.textContent}; ${text}` : text;
      first = first ?? control;
    }
    say([t('fixFields'), ...loose].join(' '));
    first?.focus();
  }

  return {
    t,
    byId,
    berthTypes,
    show,
    focusHeading,
    say,
    announce,
    element,
    problemText,
    berthName,
    fareList,
    passengerFields,
    readPassengers,
    clearFieldErrors,
    showFieldErrors,
  };
};
