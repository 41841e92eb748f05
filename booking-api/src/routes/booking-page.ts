// The booking page and its assets. Nothing here needs the admission token: the page is the same
// for everyone, and the token reaches only the JSON API, as a Bearer header.
import { assetHeaders, pageHeaders } from '@tatkal/waiting-room/page/headers';
import { chooseLang } from '@tatkal/waiting-room/page/i18n';
import { Hono } from 'hono';
import { assets } from '../page/assets.ts';
import { renderBookPage } from '../page/book-page.ts';

const roomPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
const journeyPattern = /^[1-9][0-9]{0,9}$/;

export function bookingPageRoutes(options: { waitingRoomUrl: string }) {
  const app = new Hono();

  app.get('/book/assets/:file', (c) => {
    const asset = assets.get(c.req.param('file'));
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, assetHeaders(asset));
  });

  app.get('/book', (c) => {
    const lang = chooseLang(c.req.query('lang'), c.req.header('accept-language'));
    // Query values only steer links and the first API call; anything odd is ignored, not echoed.
    const room = c.req.query('room');
    const journey = c.req.query('journey');
    const body = renderBookPage({
      lang,
      room: room && roomPattern.test(room) ? room : null,
      journeyId: journey && journeyPattern.test(journey) ? Number(journey) : null,
      waitingRoomUrl: options.waitingRoomUrl,
    });
    return c.body(body, 200, { ...pageHeaders, vary: 'Accept-Language' });
  });

  return app;
}
