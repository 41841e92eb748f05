// The booking page's script and stylesheets, read once at start and served under
// content-hashed names (cacheable for a year, a deploy reaches everyone at once). The queue
// page's stylesheet and icon come from the waiting room package, so both pages share one look.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Asset {
  body: string;
  contentType: string;
  cacheControl: string;
}

const immutable = 'public, max-age=31536000, immutable';

function load(file: string, url: URL, contentType: string) {
  const body = readFileSync(url, 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const dot = file.lastIndexOf('.');
  const hashed = `${file.slice(0, dot)}.${hash}${file.slice(dot)}`;
  return {
    url: `/book/assets/${hashed}`,
    entries: [[hashed, { body, contentType, cacheControl: immutable }]] as Array<[string, Asset]>,
  };
}

const own = (file: string) => new URL(`./assets/${file}`, import.meta.url);
const queuePage = (file: string) =>
  new URL(import.meta.resolve(`@tatkal/waiting-room/page/assets/${file}`));

const kitScript = load('booking-kit.js', own('booking-kit.js'), 'text/javascript; charset=utf-8');
const viewScript = load(
  'booking-view.js',
  own('booking-view.js'),
  'text/javascript; charset=utf-8',
);
const chooseScript = load(
  'booking-choose.js',
  own('booking-choose.js'),
  'text/javascript; charset=utf-8',
);
const paymentScript = load(
  'booking-payment.js',
  own('booking-payment.js'),
  'text/javascript; charset=utf-8',
);
const script = load('booking.js', own('booking.js'), 'text/javascript; charset=utf-8');
const stylesheet = load('booking.css', own('booking.css'), 'text/css; charset=utf-8');
const queueStylesheet = load('queue.css', queuePage('queue.css'), 'text/css; charset=utf-8');
const icon = load('favicon.svg', queuePage('favicon.svg'), 'image/svg+xml');

/** In order: helpers, view, the steps, then the page that joins them (deferred: run in order). */
export const scriptUrls = [
  kitScript.url,
  viewScript.url,
  chooseScript.url,
  paymentScript.url,
  script.url,
];
/** The queue page's stylesheet first, then the booking page's additions. */
export const stylesheetUrls = [queueStylesheet.url, stylesheet.url];
export const iconUrl = icon.url;
export const assets: ReadonlyMap<string, Asset> = new Map([
  ...kitScript.entries,
  ...viewScript.entries,
  ...chooseScript.entries,
  ...paymentScript.entries,
  ...script.entries,
  ...stylesheet.entries,
  ...queueStylesheet.entries,
  ...icon.entries,
]);
