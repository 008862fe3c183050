// Merkle tree math of the publication log, as RFC 6962 section 2.1 / RFC 9162 section 2.1
// define it: SHA-256, leaf hash H(0x00 || entry), interior node H(0x01 || left || right), and
// the tree of n leaves split at the largest power of two below n. Pure: no storage, no I/O.
//
// The log stores the hash of every complete subtree ("node" below: level L, index N covers the
// leaves [N * 2^L, (N + 1) * 2^L)). Every hash a proof or a root needs is either such a node or
// the hash of a range that ends at the tree's right edge, which is the fold of the complete
// subtrees the range splits into. So each operation here comes in two halves: which nodes it
// needs (the caller fetches them in one batch), and how to combine them.
//
// Sizes and indexes are plain numbers; every step uses arithmetic that is exact up to 2^53
// (no 32-bit bit operators).

import { createHash } from "node:crypto";

export const HASH_SIZE = 32;

export type Hash = Uint8Array<ArrayBuffer>;

/** A complete subtree: `level` is its height, `index` its position among subtrees of that height. */
export interface NodeId {
  level: number;
  index: number;
}

export interface StoredNode extends NodeId {
  hash: Hash;
}

/** A half-open range of leaf positions [start, end). */
export interface LeafRange {
  start: number;
  end: number;
}

export function sha256(...parts: Uint8Array[]): Hash {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

export function leafHash(entry: Uint8Array): Hash {
  return sha256(LEAF_PREFIX, entry);
}

export function nodeHash(left: Hash, right: Hash): Hash {
  return sha256(NODE_PREFIX, left, right);
}

/** The root of the empty tree: the hash of no bytes. */
export const EMPTY_TREE_ROOT: Hash = sha256();

function isSize(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function assertSize(value: number, what: string): void {
  if (!isSize(value)) throw new RangeError(`${what} must be a whole number from 0, got ${value}`);
}

/** The largest power of two strictly below n (n >= 2): where RFC 6962 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

/**
 * The complete subtrees [start, end) splits into under RFC 6962's recursion, left to right:
 * one per set bit of the length, largest first. `start` must be aligned the way every range in
 * a proof is (a multiple of the largest power of two not above the length).
 */
export function rangeNodes({ start, end }: LeafRange): NodeId[] {
  const nodes: NodeId[] = [];
  let position = start;
  while (position < end) {
    let width = 1;
    let level = 0;
    while (width * 2 <= end - position) {
      width *= 2;
      level += 1;
    }
    if (position % width !== 0)
      throw new RangeError(`the range [${start}, ${end}) is not aligned to complete subtrees`);
    nodes.push({ level, index: position / width });
    position += width;
  }
  return nodes;
}

/** MTH of a range from the hashes of its rangeNodes: folded from the right. */
export function foldRange(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_TREE_ROOT;
  let folded = hashes[hashes.length - 1] as Hash;
  for (let i = hashes.length - 2; i >= 0; i--) folded = nodeHash(hashes[i] as Hash, folded);
  return folded;
}

/** The complete subtrees of a tree of `size` leaves (its "compact range"), largest first. */
export function compactRangeNodes(size: number): NodeId[] {
  assertSize(size, "tree size");
  return rangeNodes({ start: 0, end: size });
}

/**
 * RFC 9162 section 2.1.3.1 PATH(index, D[0:size]) as the ranges whose hashes make the proof,
 * in proof order (nearest the leaf first).
 */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  assertSize(size, "tree size");
  if (!isSize(index) || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size} leaves`);
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
    }
  }
  return ranges.reverse();
}

/**
 * RFC 9162 section 2.1.4.1 PROOF(size1, D[0:size2]) as the ranges whose hashes make the
 * proof, in proof order. Empty when size1 is 0 or equals size2.
 */
export function consistencyProofRanges(size1: number, size2: number): LeafRange[] {
  assertSize(size1, "first tree size");
  assertSize(size2, "second tree size");
  if (size1 > size2) throw new RangeError(`a tree of ${size1} leaves cannot precede one of ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = size2;
  let m = size1;
  // SUBPROOF(m, D[start:end], startFromOldRoot)
  let startFromOldRoot = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
      m -= k;
      startFromOldRoot = false;
    }
  }
  if (!startFromOldRoot) ranges.push({ start, end });
  return ranges.reverse();
}

/** Every node the ranges need, without repeats, in a stable order. */
export function nodesOfRanges(ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Set<string>();
  const nodes: NodeId[] = [];
  for (const range of ranges) {
    for (const node of rangeNodes(range)) {
      const key = nodeKey(node);
      if (!seen.has(key)) {
        seen.add(key);
        nodes.push(node);
      }
    }
  }
  return nodes;
}

export function nodeKey({ level, index }: NodeId): string {
  return `${level}/${index}`;
}

/** Looks up stored node hashes; throws when one a computation needs is missing. */
export type NodeLookup = (node: NodeId) => Hash;

/** A lookup over fetched nodes, as the storage layer returns them. */
export function lookupFrom(nodes: Iterable<StoredNode>): NodeLookup {
  const byKey = new Map<string, Hash>();
  for (const node of nodes) byKey.set(nodeKey(node), node.hash);
  return (node) => {
    const hash = byKey.get(nodeKey(node));
    if (!hash) throw new Error(`the log has no stored hash for subtree ${nodeKey(node)}`);
    return hash;
  };
}

/** The hashes of the given ranges (proof elements), from the stored nodes. */
export function hashRanges(ranges: readonly LeafRange[], lookup: NodeLookup): Hash[] {
  return ranges.map((range) => foldRange(rangeNodes(range).map(lookup)));
}

/** The tree's root from its compact range (the hashes of compactRangeNodes(size)). */
export function rootFromCompactRange(compactRange: readonly Hash[]): Hash {
  return foldRange(compactRange);
}

export interface Appended {
  /** The leaf's own node and every subtree it completes, to be stored. */
  nodes: StoredNode[];
  /** The compact range of the tree with the leaf. */
  compactRange: Hash[];
  root: Hash;
}

/**
 * Appends one leaf to a tree of `size` leaves whose compact range is given: O(log n) hashing,
 * and only the nodes this leaf completes are new (on average two).
 */
export function appendLeaf(size: number, compactRange: readonly Hash[], leaf: Hash): Appended {
  assertSize(size, "tree size");
  const expected = compactRangeNodes(size).length;
  if (compactRange.length !== expected)
    throw new Error(`a tree of ${size} leaves has ${expected} compact range hashes, got ${compactRange.length}`);
  const range = [...compactRange];
  const nodes: StoredNode[] = [{ level: 0, index: size, hash: leaf }];
  let hash = leaf;
  let level = 0;
  let index = size;
  while (isOdd(index)) {
    hash = nodeHash(range.pop() as Hash, hash);
    level += 1;
    index = half(index);
    nodes.push({ level, index, hash });
  }
  range.push(hash);
  return { nodes, compactRange: range, root: foldRange(range) };
}

function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

function wellFormed(proof: readonly Hash[]): boolean {
  return proof.every((hash) => hash.length === HASH_SIZE);
}

/** RFC 9162 section 2.1.3.2: the root an inclusion proof leads to, or null when it cannot be one. */
export function rootFromInclusionProof(index: number, size: number, leaf: Hash, proof: readonly Hash[]): Hash | null {
  if (!isSize(index) || !isSize(size) || index >= size || leaf.length !== HASH_SIZE || !wellFormed(proof)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): boolean {
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  return computed !== null && equalHashes(computed, root);
}

/** RFC 9162 section 2.1.4.2, with the trivial cases (size1 of 0, or equal sizes) spelled out. */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Hash[],
  root1: Hash,
  root2: Hash,
): boolean {
  if (!isSize(size1) || !isSize(size2) || size1 > size2 || !wellFormed(proof)) return false;
  if (size1 === size2) return proof.length === 0 && equalHashes(root1, root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Hash;
  let sr = path[0] as Hash;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalHashes(fr, root1) && equalHashes(sr, root2);
}

function isPowerOfTwo(n: number): boolean {
  let value = n;
  while (value > 1 && !isOdd(value)) value = half(value);
  return value === 1;
}
