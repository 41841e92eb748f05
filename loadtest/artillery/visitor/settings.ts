// What the journey scenario runs against, read once from the environment of the artillery
// process. The scenario drives a real stack, so it refuses any address that is not loopback:
// a load test pointed at someone else's server by a typo is an attack.

export interface JourneySettings {
  /** The waiting room, e.g. http://127.0.0.1:8080. */
  waitingRoomUrl: string;
  /** The booking API, e.g. http://127.0.0.1:8081. */
  bookingUrl: string;
  room: string;
  /** A JSON file of seats to name in holds (see seat-map.ts); without it, named-seat visitors ask for berths. */
  seatMapFile: string | undefined;
  /** A visitor still waiting after this long is a failed visit, not a patient one. */
  maxWaitSeconds: number;
  /**
   * Give each visitor its own source address in 127.0.0.0/8, as a crowd arrives from many
   * addresses; otherwise the waiting room's per-address join limit sees one client.
   */
  spreadAddresses: boolean;
}

const roomPattern = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  const octets = host.split('.');
  return (
    octets.length === 4 &&
    octets[0] === '127' &&
    octets.every((octet) => /^[0-9]{1,3}$/.test(octet) && Number(octet) <= 255)
  );
}

function loopbackUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name} must be an http(s) URL, not ${url.protocol}`);
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new Error(`${name} must be a loopback address (127.0.0.0/8, ::1, localhost): ${value}`);
  }
  return url.origin;
}

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number: ${value}`);
  return n;
}

export function journeySettings(env: Record<string, string | undefined>): JourneySettings {
  const waitingRoomUrl = loopbackUrl(
    'TATKAL_WAITING_ROOM_URL',
    env.TATKAL_WAITING_ROOM_URL ?? 'http://127.0.0.1:8080',
  );
  const room = env.TATKAL_ROOM ?? 'demo';
  if (!roomPattern.test(room)) throw new Error(`TATKAL_ROOM is not a room slug: ${room}`);
  const spread = env.TATKAL_SPREAD_ADDRESSES ?? 'auto';
  if (!['auto', 'on', 'off'].includes(spread)) {
    throw new Error(`TATKAL_SPREAD_ADDRESSES must be auto, on or off: ${spread}`);
  }
  return {
    waitingRoomUrl,
    bookingUrl: loopbackUrl(
      'TATKAL_BOOKING_URL',
      env.TATKAL_BOOKING_URL ?? 'http://127.0.0.1:8081',
    ),
    room,
    seatMapFile: env.TATKAL_SEAT_MAP || undefined,
    maxWaitSeconds: positive('TATKAL_MAX_WAIT_SECONDS', env.TATKAL_MAX_WAIT_SECONDS ?? '300'),
    // Source addresses other than 127.0.0.1 reach only an IPv4 loopback listener.
    spreadAddresses:
      spread === 'on' || (spread === 'auto' && new URL(waitingRoomUrl).hostname.startsWith('127.')),
  };
}

/** A random source address in 127.1.1.1-127.254.254.254: never 127.0.0.1, the one every tool uses. */
export function crowdAddress(random: () => number = Math.random): string {
  const octet = () => 1 + Math.floor(random() * 254);
  return `127.${octet()}.${octet()}.${octet()}`;
}
