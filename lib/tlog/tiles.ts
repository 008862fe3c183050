// The C2SP tlog-tiles layout: tile paths, which tiles a tree of a given size has, and entry
// bundles. Pure.
//
//   tile/<L>/<N>[.p/<W>]          hashes at tree level 8L, positions N*256 .. N*256+W-1
//   tile/entries/<N>[.p/<W>]      entries N*256 .. N*256+W-1, each a big-endian uint16 length
//                                 followed by the entry's bytes
//
// <N> is written in groups of three digits, all but the last prefixed "x" (1234067 is
// x001/x234/067); W (1..255) marks a partial tile. Full tiles are 256 wide.

import { HASH_SIZE } from "./merkle";

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
const MAX_LEVEL = 63;

export type TileAddress =
  { kind: "hashes"; level: number; index: number; width: number } | { kind: "entries"; index: number; width: number };

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** The tile a request path names (the segments after "tile/"), or null when it names none. */
export function parseTilePath(segments: readonly string[]): TileAddress | null {
  if (segments.length < 2) return null;
  const [first, ...rest] = segments as [string, ...string[]];
  let level: number | null = null;
  if (first !== "entries") {
    if (!DECIMAL.test(first) || Number(first) > MAX_LEVEL) return null;
    level = Number(first);
  }
  let width = TILE_WIDTH;
  let indexSegments = rest;
  const partialAt = rest.findIndex((segment) => segment.endsWith(".p"));
  if (partialAt >= 0) {
    if (partialAt !== rest.length - 2) return null;
    const widthText = rest[rest.length - 1] as string;
    if (!DECIMAL.test(widthText) || Number(widthText) < 1 || Number(widthText) >= TILE_WIDTH) return null;
    width = Number(widthText);
    indexSegments = [...rest.slice(0, partialAt), (rest[partialAt] as string).slice(0, -2)];
  }
  if (indexSegments.length === 0 || indexSegments.length > 6) return null;
  let index = 0;
  for (const [position, segment] of indexSegments.entries()) {
    const last = position === indexSegments.length - 1;
    const digits = last ? segment : segment.startsWith("x") ? segment.slice(1) : null;
    if (digits === null || !/^[0-9]{3}$/.test(digits)) return null;
    index = index * 1000 + Number(digits);
  }
  if (!Number.isSafeInteger(index)) return null;
  return level === null ? { kind: "entries", index, width } : { kind: "hashes", level, index, width };
}

export function formatTileIndex(index: number): string {
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, "0"));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((group, position) => (position < groups.length - 1 ? `x${group}` : group)).join("/");
}

export function formatTilePath(tile: TileAddress): string {
  const partial = tile.width < TILE_WIDTH ? `.p/${tile.width}` : "";
  return `tile/${tile.kind === "entries" ? "entries" : tile.level}/${formatTileIndex(tile.index)}${partial}`;
}

/** How many hashes exist at tree level `treeLevel` in a tree of `size` leaves (complete subtrees). */
export function hashesAtLevel(size: number, treeLevel: number): number {
  return Math.floor(size / 2 ** treeLevel);
}

/**
 * The positions a tile covers, when a tree of `size` leaves has every one of them: hashes at
 * tree level 8L (or entries) from `start`, `width` of them. Null when the tree is too small.
 */
export function tileCoverage(
  tile: TileAddress,
  size: number,
): { treeLevel: number; start: number; width: number } | null {
  const treeLevel = tile.kind === "entries" ? 0 : tile.level * TILE_HEIGHT;
  const start = tile.index * TILE_WIDTH;
  const available = hashesAtLevel(size, treeLevel);
  return start + tile.width <= available ? { treeLevel, start, width: tile.width } : null;
}

export function concatHashes(hashes: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const tile = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((hash, position) => tile.set(hash, position * HASH_SIZE));
  return tile;
}

export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const bundle = new Uint8Array(entries.reduce((total, entry) => total + 2 + entry.length, 0));
  let offset = 0;
  for (const entry of entries) {
    if (entry.length > 0xffff) throw new RangeError("an entry in a bundle is at most 65535 bytes");
    bundle[offset] = entry.length >> 8;
    bundle[offset + 1] = entry.length & 0xff;
    bundle.set(entry, offset + 2);
    offset += 2 + entry.length;
  }
  return bundle;
}

export function decodeEntryBundle(bundle: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let offset = 0;
  while (offset < bundle.length) {
    if (offset + 2 > bundle.length) throw new RangeError("the entry bundle ends inside a length prefix");
    const length = ((bundle[offset] as number) << 8) | (bundle[offset + 1] as number);
    if (offset + 2 + length > bundle.length) throw new RangeError("the entry bundle ends inside an entry");
    entries.push(bundle.subarray(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  return entries;
}
