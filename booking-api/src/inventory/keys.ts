// Every Redis key of the seat inventory is built here. A journey's keys share the hash tag
// `{journey:<id>}`, so every inventory script runs in one Redis Cluster slot. The deployment
// prefix (REDIS_KEY_PREFIX) and the layout version sit outside the tag.

export const layoutVersion = 'bk:v1';

export interface InventoryKeys {
  /** Hash: ready ("1" once built), builtAtMs, seats, soldSeq (stamps sold seats). */
  meta: string;
  /** Hash seat id -> "<class>|<quota>|<coach>|<berth number>|<berth type>", written by rebuilds only. */
  seats: string;
  /** Hash "<class>|<quota>" -> comma-separated seat ids in allocation order (coach, berth). */
  pools: string;
  /** Hash "<class>|<quota>:total|held|sold" -> count, kept exact by every seat transition. */
  counts: string;
  /** Hash seat id -> hold id (held) or "!<n>" (sold); a free seat has no field. */
  taken: string;
  /** Hash hold id -> JSON record {st, exp, sub, jti, seats, at, keep?}. */
  holds: string;
  /** Sorted set hold id -> when its record goes: the hold's expiry, or a booked hold's retention. */
  expiries: string;
  /** Hash token jti -> id of the token's hold (the one live hold a token may have). */
  tokens: string;
}

/** The keys in the order every inventory script takes them as KEYS[1..8]. */
export type InventoryKeyList = [
  meta: string,
  seats: string,
  pools: string,
  counts: string,
  taken: string,
  holds: string,
  expiries: string,
  tokens: string,
];

export function inventoryKeys(prefix: string, journeyId: number): InventoryKeys {
  if (!Number.isSafeInteger(journeyId) || journeyId < 1) {
    throw new RangeError(`journeyId must be a positive integer, got ${journeyId}`);
  }
  const base = `${prefix}:${layoutVersion}:{journey:${journeyId}}`;
  return {
    meta: `${base}:meta`,
    seats: `${base}:seats`,
    pools: `${base}:pools`,
    counts: `${base}:counts`,
    taken: `${base}:taken`,
    holds: `${base}:holds`,
    expiries: `${base}:expiries`,
    tokens: `${base}:tokens`,
  };
}

export function inventoryKeyList(keys: InventoryKeys): InventoryKeyList {
  return [
    keys.meta,
    keys.seats,
    keys.pools,
    keys.counts,
    keys.taken,
    keys.holds,
    keys.expiries,
    keys.tokens,
  ];
}

/** Every key of a journey's inventory matches this pattern (for audits and tests). */
export function inventoryKeyPattern(prefix: string, journeyId: number): string {
  return `${prefix}:${layoutVersion}:{journey:${journeyId}}:*`;
}

// The key lists of the journeys a process serves, built once: the hold path runs per request
// and a journey's keys never change. Bounded, as the prefix comes from callers.
const keyListCache = new Map<string, Readonly<InventoryKeyList>>();
const keyListCacheMax = 10_000;

/** inventoryKeyList(inventoryKeys(prefix, journeyId)), cached; the same list for every call. */
export function journeyKeyList(prefix: string, journeyId: number): Readonly<InventoryKeyList> {
  const cacheKey = `${journeyId}:${prefix}`;
  let list = keyListCache.get(cacheKey);
  if (list === undefined) {
    list = Object.freeze(inventoryKeyList(inventoryKeys(prefix, journeyId)));
    if (keyListCache.size >= keyListCacheMax) keyListCache.clear();
    keyListCache.set(cacheKey, list);
  }
  return list;
}
