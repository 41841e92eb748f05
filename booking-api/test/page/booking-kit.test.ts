// The booking page's helper script runs here in a bare V8 context (no DOM, no network): the
// idempotency key kept per action, the token's claims read for display, the countdown's wording,
// and the token's trip from the fragment to session storage and out of the address bar.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bookingStrings, hindiMessages } from '../../src/page/i18n.ts';

interface Store {
  flow: Record<string, unknown>;
  keyFor(action: string, body: unknown): string;
  forgetKey(action: string): void;
}
interface Kit {
  formatCountdown(ms: number): string;
  decodeClaims(token: string): Record<string, unknown> | null;
  flowStore(win: unknown, jti: string): Store;
  takeToken(win: unknown): string | null;
}

const source = readFileSync(
  new URL('../../src/page/assets/booking-kit.js', import.meta.url),
  'utf8',
);

function load(): Kit {
  const context: Record<string, unknown> = { atob, TextDecoder };
  context.globalThis = context;
  runInNewContext(source, context);
  return context.TatkalBookingKit as Kit;
}

/** The window parts the helpers use: session storage, history and a UUID source. */
function fakeWindow(hash = '') {
  const storage = new Map<string, string>();
  let uuids = 0;
  const win = {
    location: { hash, pathname: '/book', search: '?room=demo' },
    replaced: [] as string[],
    history: {
      replaceState: (_state: unknown, _title: string, url: string) => {
        win.replaced.push(url);
        win.location.hash = '';
      },
    },
    sessionStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => storage.set(key, value),
    },
    crypto: { randomUUID: () => `uuid-${++uuids}` },
  };
  return { win, storage };
}

const kit = load();

describe('booking page helpers', () => {
  it('keeps one Idempotency-Key per action and body, across a reload, until it is dropped', () => {
    const { win } = fakeWindow();
    const store = kit.flowStore(win, 'jti-1');
    const hold = { journeyId: 1, classCode: '3A', quota: 'TQ', seatIds: [5, 6] };
    const first = store.keyFor('hold', hold);
    expect(store.keyFor('hold', { ...hold })).toBe(first);
    // After a reload (a new store over the same storage) the same action gets the same key.
    const reloaded = kit.flowStore(win, 'jti-1');
    expect(reloaded.keyFor('hold', hold)).toBe(first);
    // Another body is another request: a new key.
    const other = reloaded.keyFor('hold', { ...hold, seatIds: [7] });
    expect(other).not.toBe(first);
    // A dropped key (a failed payment) is never reused.
    reloaded.forgetKey('hold');
    expect(reloaded.keyFor('hold', { ...hold, seatIds: [7] })).not.toBe(other);
    // Another admission has its own flow.
    expect(kit.flowStore(win, 'jti-2').keyFor('hold', hold)).not.toBe(first);
  });

  it('moves the token from the fragment to session storage and out of the address bar', () => {
    const { win, storage } = fakeWindow('#token=eyJ.abc_-.sig');
    expect(kit.takeToken(win)).toBe('eyJ.abc_-.sig');
    expect(win.replaced).toEqual(['/book?room=demo']);
    expect(storage.get('tatkal-booking:token')).toBe('eyJ.abc_-.sig');
    // Later loads of the page (no fragment) find it in this tab's storage.
    expect(kit.takeToken(win)).toBe('eyJ.abc_-.sig');
    expect(win.replaced).toHaveLength(1);
    expect(kit.takeToken(fakeWindow('#other=1').win)).toBeNull();
  });

  it('reads the claims of a JWT for display, and nothing from a malformed one', () => {
    const payload = Buffer.from(
      JSON.stringify({ jti: 'j', exp: 1_800_000_000, name: 'सीता' }),
    ).toString('base64url');
    expect(kit.decodeClaims(`e30.${payload}.sig`)).toEqual({
      jti: 'j',
      exp: 1_800_000_000,
      name: 'सीता',
    });
    expect(kit.decodeClaims('not-a-token')).toBeNull();
    expect(kit.decodeClaims('a.!!!.c')).toBeNull();
  });

  it('words the countdown in whole seconds left, never below zero', () => {
    expect(kit.formatCountdown(300_000)).toBe('5:00');
    expect(kit.formatCountdown(299_999)).toBe('4:59');
    expect(kit.formatCountdown(61_000)).toBe('1:01');
    expect(kit.formatCountdown(999)).toBe('0:00');
    expect(kit.formatCountdown(-5_000)).toBe('0:00');
  });

  it('has every string in Hindi, with the same parameters as in English', () => {
    const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, english] of Object.entries(bookingStrings.en)) {
      const hindi = bookingStrings.hi[key as keyof typeof bookingStrings.en];
      expect(hindi, key).toBeTruthy();
      expect(params(hindi), key).toEqual(params(english));
    }
    expect(Object.values(hindiMessages).every((text) => text.length > 0)).toBe(true);
  });
});
