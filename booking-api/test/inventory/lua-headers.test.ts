// The Lua files' headers are the scripts' contract (STYLE: Redis and Lua): each names all
// eight KEYS in the order inventoryKeyList passes them, says what it returns, pulls in the
// shared helpers, and every error code it documents is the one InventoryCode gives that name.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InventoryCode } from '../../src/inventory/index.ts';
import { scriptSource } from '../../src/inventory/scripts.ts';

const luaDir = new URL('../../src/lua/', import.meta.url);
const scripts = readdirSync(luaDir).filter((file) => file.endsWith('.lua'));
const keyNames = ['meta', 'seats', 'pools', 'counts', 'taken', 'holds', 'expiries', 'tokens'];

describe.each(scripts)('%s', (file) => {
  const source = readFileSync(new URL(file, luaDir), 'utf8');
  const header = /^--\[\[([\s\S]*?)\]\]/.exec(source)?.[1] ?? '';

  it('opens with a header naming every KEYS[i] in order and what it returns', () => {
    const keys = [...header.matchAll(/^ {2}KEYS\[(\d)\] (\w+)/gm)].map(
      ([, i, name]) => `${i} ${name}`,
    );
    expect(keys).toEqual(keyNames.map((name, i) => `${i + 1} ${name}`));
    expect(header).toMatch(/Returns/);
  });

  it('documents its error codes with the numbers InventoryCode gives them', () => {
    // "-8 HoldIdInUse", "{-4, seatId, ...}  UnknownSeat", "-2 (InventoryMissing)"
    const documented = [...header.matchAll(/(-\d+)[^\n]*?\b([A-Z][a-z]+[A-Z][A-Za-z]*)\b/g)]
      .map(([, code, name]) => ({ name: name ?? '', code: Number(code) }))
      .filter(({ name }) => name in InventoryCode);
    for (const { name, code } of documented) {
      expect({ name, code }).toEqual({
        name,
        code: InventoryCode[name as keyof typeof InventoryCode],
      });
    }
    if (/Errors/.test(header)) expect(documented.length).toBeGreaterThan(0);
  });

  it('is spliced with the shared helpers and has no include left', () => {
    const spliced = scriptSource(file);
    expect(spliced).toContain('local function setSeat');
    expect(spliced).not.toMatch(/^--- @include/m);
  });
});

it('finds every script (the loop above is not empty)', () => {
  expect(scripts).toHaveLength(13);
});
