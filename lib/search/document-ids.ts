// On SQLite, a search document's id (also the rowid of its full-text rows) orders the documents
// by downloads, most first, and carries the flags every search tests:
// - the high bits are a bucket of the download count, the bits below them a sequence number
//   within the bucket, so FTS5, which returns matches in rowid order and can stop after the first
//   N, gives "the most downloaded N matches" without reading every match: the first N matches in
//   id order, plus the rest of the N-th one's bucket (search.ts). That holds because a lower
//   bucket always means more downloads; within a bucket the order is arbitrary, and the exact
//   order is then taken from the downloads column.
// - the lowest bits are the document's variants (variants.ts) and whether its version's signing
//   is trusted, so a search tests them on the rowid FTS5 gives: reading each match's document
//   to test them cost more than matching the words (about 1.3 µs a document, a common word's
//   thousand matches 1.3 ms).
// Buckets are 1/16 of a doubling wide (a 4.4% step), so a daily roll-up moves only the documents
// whose count grew past their bucket, each written anew (search-index.ts: setPackageDownloads).
// A document's variants and signing never change in place either: any change writes it anew.
// PostgreSQL keeps plain serial ids and tests its columns: its index scans are not in rowid order.
// Pure: no database.

/** Below the sequence: the variants' bits (1 to 32) and TRUSTED_FLAG. */
const FLAG_BITS = 7;
const FLAGS_SIZE = 2 ** FLAG_BITS;
export const TRUSTED_FLAG = 64;
/** Below the bucket: 36 bits of sequence and the flags. */
export const BUCKET_BITS = 43;
export const BUCKET_SIZE = 2 ** BUCKET_BITS;
const BUCKETS_PER_DOUBLING = 16;
/** Above any bucket (2^53 downloads are bucket 848); the last id of its bucket is 2^53 - 1, the largest exact number. */
const LAST_BUCKET = 1023;

export function downloadsBucket(downloads: bigint): number {
  return Math.floor(Math.log2(Number(downloads) + 1) * BUCKETS_PER_DOUBLING);
}

/** The first id of the documents with this many downloads; ids below it belong to more downloaded documents. */
export function firstIdFor(downloads: bigint): number {
  return (LAST_BUCKET - downloadsBucket(downloads)) * BUCKET_SIZE;
}

/** Whether a document's id still orders it rightly for this many downloads. */
export function idFits(id: number, downloads: bigint): boolean {
  const first = firstIdFor(downloads);
  return id >= first && id < first + BUCKET_SIZE;
}

/** The flags of a document showing these variants (their bits), its version's signing trusted or not. */
export function documentFlags(variants: number, trusted: boolean): number {
  if (variants <= 0 || variants >= TRUSTED_FLAG)
    throw new Error(`Search documents: variants ${variants} do not fit an id.`);
  return variants | (trusted ? TRUSTED_FLAG : 0);
}

export interface IdRequest {
  downloads: bigint;
  /** documentFlags. */
  flags: number;
}

/**
 * Ids for new documents, given the highest id already used in each bucket (by first id; absent
 * when the bucket is empty): each the next sequence number in its bucket, with its flags.
 */
export function allocateIds(requests: readonly IdRequest[], lastUsed: ReadonlyMap<number, number>): number[] {
  const nextSequence = new Map<number, number>();
  return requests.map(({ downloads, flags }) => {
    const first = firstIdFor(downloads);
    const last = lastUsed.get(first);
    const sequence = nextSequence.get(first) ?? (last === undefined ? 0 : Math.floor((last - first) / FLAGS_SIZE) + 1);
    if (sequence >= BUCKET_SIZE / FLAGS_SIZE) throw new Error(`Search documents: bucket ${first} has no free id left.`);
    nextSequence.set(first, sequence + 1);
    return first + sequence * FLAGS_SIZE + flags;
  });
}
