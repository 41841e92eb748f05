// Tatkal booking page, in the browser: paying and what comes of it. "Pay" asks the provider once
// per attempt (a double click does nothing more, a reload reuses the attempt's key), the page
// follows the booking until the provider's answer has arrived through the webhook, a failed
// attempt is said plainly and may be retried with a new key, and the outcome is shown:
// confirmed (PNR, coach and berth per passenger, fare), waitlisted, or expired. `ctx` is the
// page's shared state (booking.js): store and api once the session has started.
globalThis.TatkalBookingPayment = (ctx) => {
  const { kit, data, win } = ctx;
  const { t, byId, show, focusHeading, say, announce, element, problemText, berthName, fareList } =
    ctx.view;

  function showPay(booking) {
    show('s-journey', 's-pay');
    byId('pay-heading').textContent = t('payHeading', { pnr: booking.pnr });
    byId('pay-note').textContent = booking.expiresAt
      ? t('payNote', { time: kit.formatTime(data.locale, booking.expiresAt) })
      : '';
    byId('pay-fare').replaceChildren(fareList(booking.amount));
    const button = byId('pay-button');
    button.textContent = t('payButton', {
      amount: kit.formatMoney(data.locale, booking.amount.totalPaise),
    });
    button.disabled = false;
    byId('pay-failed').hidden = true;
    focusHeading('pay-heading');
  }

  let paying = false;

  async function pay() {
    const pnr = ctx.store.flow.pnr;
    // A second click while the first is under way does nothing; a retry after a reload reuses
    // the action's key, so the provider is asked once per attempt.
    if (!pnr || paying) return;
    paying = true;
    const button = byId('pay-button');
    button.disabled = true;
    button.textContent = t('paying');
    byId('pay-failed').hidden = true;
    say('');
    try {
      const answer = await ctx.api.call(
        'POST',
        `/v1/bookings/${pnr}/pay`,
        undefined,
        ctx.store.keyFor(`pay:${pnr}`, null),
      );
      if (answer.ok) {
        ctx.store.flow.paymentRef = answer.body.paymentRef;
        ctx.store.save();
        await followPayment(pnr);
      } else if (answer.body.code === 'booking_not_payable') {
        await resumeBooking(pnr);
      } else {
        say(problemText(answer.body));
        button.disabled = false;
      }
    } finally {
      paying = false;
    }
  }

  /** Waits for the provider's answer (it reaches the API through its webhook). */
  async function followPayment(pnr) {
    const button = byId('pay-button');
    for (let i = 0; i < 120; i++) {
      const answer = await ctx.api.call('GET', `/v1/bookings/${pnr}`);
      if (!answer.ok) {
        say(problemText(answer.body));
        return;
      }
      const booking = answer.body;
      if (booking.status !== 'PENDING_PAYMENT') {
        ctx.store.flow.paymentRef = null;
        ctx.store.save();
        showOutcome(booking);
        return;
      }
      const attempt = booking.payments.find(
        (payment) => payment.paymentRef === ctx.store.flow.paymentRef,
      );
      if (attempt?.status === 'FAILED') {
        // A new attempt needs a new key: the old one would replay the failed attempt's answer.
        ctx.store.forgetKey(`pay:${pnr}`);
        ctx.store.flow.paymentRef = null;
        ctx.store.save();
        byId('pay-failed').hidden = false;
        button.textContent = t('retryPayButton');
        button.disabled = false;
        announce(t('paymentFailed'));
        button.focus();
        return;
      }
      await new Promise((resolve) => win.setTimeout(resolve, 700));
    }
    button.disabled = false;
  }

  function showOutcome(booking) {
    ctx.stopCountdown();
    if (booking.status === 'PENDING_PAYMENT') {
      showPay(booking);
      if (ctx.store.flow.paymentRef) {
        byId('pay-button').disabled = true;
        byId('pay-button').textContent = t('paying');
        return followPayment(booking.pnr);
      }
      return;
    }
    if (booking.status === 'EXPIRED') {
      ctx.store.flow.pnr = null;
      ctx.store.save();
      say(t('bookingExpired'));
      return ctx.showChoose();
    }
    const confirmed = booking.status === 'CONFIRMED';
    const waitlisted = booking.status === 'WAITLISTED';
    byId('done-heading').textContent = waitlisted
      ? t('waitlistHeading')
      : confirmed
        ? t('confirmedHeading')
        : t(`status_${booking.status}`);
    byId('done-pnr').textContent = booking.pnr;
    byId('done-status').textContent = waitlisted
      ? `${t('status_WAITLISTED')} (WL ${booking.waitlistNumber})`
      : t(`status_${booking.status}`);
    const seatOf = new Map(booking.seats.map((seat) => [seat.passengerOrdinal, seat]));
    byId('done-passengers').tBodies[0].replaceChildren(
      ...booking.passengers.map((passenger) => {
        const seat = seatOf.get(passenger.ordinal);
        const place = seat
          ? `${seat.coach} / ${seat.berthNumber} (${berthName(seat.berthType)})`
          : '—';
        return element('tr', {}, [
          element('td', { text: passenger.name }),
          element('td', { text: place }),
        ]);
      }),
    );
    byId('done-fare').replaceChildren(fareList(booking.amount));
    byId('done-note').textContent = waitlisted
      ? t('waitlistNote', { n: booking.waitlistNumber })
      : confirmed
        ? t('confirmedNote')
        : '';
    say('');
    show(byId('journey-route').textContent ? 's-journey' : 's-done', 's-done');
    announce(`${byId('done-heading').textContent}. ${t('pnrLabel')} ${booking.pnr}.`);
    focusHeading('done-heading');
  }

  async function resumeBooking(pnr) {
    const answer = await ctx.api.call('GET', `/v1/bookings/${pnr}`);
    if (!answer.ok) {
      ctx.store.flow.pnr = null;
      ctx.store.save();
      say(problemText(answer.body));
      return ctx.showChoose();
    }
    await showOutcome(answer.body);
  }

  return { showPay, pay, followPayment, showOutcome, resumeBooking };
};
