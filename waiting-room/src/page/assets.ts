// The page's script and stylesheet, read once at start and served under
// content-hashed names, so browsers and CDNs may keep them for a year and a
// deploy still reaches everyone at once.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Asset {
  body: string;
  contentType: string;
  cacheControl: string;
}

const immutable = 'public, max-age=31536000, immutable';

function load(file: string, contentType: string): { url: string; entries: Array<[string, Asset]> } {
  const body = readFileSync(new URL(`./assets/${file}`, import.meta.url), 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const dot = file.lastIndexOf('.');
  const hashed = `${file.slice(0, dot)}.${hash}${file.slice(dot)}`;
  return {
    url: `/assets/${hashed}`,
    entries: [
      [hashed, { body, contentType, cacheControl: immutable }],
      // The unhashed name, for anyone who links it by hand: short-lived.
      [file, { body, contentType, cacheControl: 'public, max-age=300' }],
    ],
  };
}

const script = load('queue.js', 'text/javascript; charset=utf-8');
const stylesheet = load('queue.css', 'text/css; charset=utf-8');
const icon = load('favicon.svg', 'image/svg+xml');

export const scriptUrl = script.url;
export const stylesheetUrl = stylesheet.url;
export const iconUrl = icon.url;
export const assets: ReadonlyMap<string, Asset> = new Map([
  ...script.entries,
  ...stylesheet.entries,
  ...icon.entries,
]);
