// On SQLite, a search document's id (also the rowid of its full-text rows) orders the documents
// by downloads, most first: the id's high bits are a bucket of the download count, the low bits
// a sequence number within the bucket. FTS5 returns matches in rowid order and can stop after
// the first N, so "the most downloaded N matches" is read without reading every match: the
// first N matches in id order, plus the rest of the N-th one's bucket (search.ts). That holds
// because a lower bucket always means more downloads; within a bucket the order is arbitrary,
// and the exact order is then taken from the downloads column.
// Buckets are 1/16 of a doubling wide (a 4.4% step), so a daily roll-up moves only the documents
// whose count grew past their bucket, each written anew (search-index.ts: setPackageDownloads).
// PostgreSQL keeps plain serial ids: its index scans are not in rowid order.
// Pure: no database.

export const SEQUENCE_BITS = 32;
const SEQUENCE_SIZE = 2 ** SEQUENCE_BITS;
const BUCKETS_PER_DOUBLING = 16;
/** Above any bucket: 2^53 downloads are bucket 848. */
const LAST_BUCKET = 1023;

export function downloadsBucket(downloads: bigint): number {
  return Math.floor(Math.log2(Number(downloads) + 1) * BUCKETS_PER_DOUBLING);
}

/** The first id of the documents with this many downloads; ids below it belong to more downloaded documents. */
export function firstIdFor(downloads: bigint): number {
  return (LAST_BUCKET - downloadsBucket(downloads)) * SEQUENCE_SIZE;
}

/** Whether a document's id still orders it rightly for this many downloads. */
export function idFits(id: number, downloads: bigint): boolean {
  const first = firstIdFor(downloads);
  return id >= first && id < first + SEQUENCE_SIZE;
}

/**
 * Ids for new documents of these download counts, given the highest id already used in each
 * bucket (by first id; absent when the bucket is empty): each next in its bucket.
 */
export function allocateIds(downloads: readonly bigint[], lastUsed: ReadonlyMap<number, number>): number[] {
  const next = new Map<number, number>();
  return downloads.map((count) => {
    const first = firstIdFor(count);
    const id = next.get(first) ?? (lastUsed.has(first) ? (lastUsed.get(first) as number) + 1 : first);
    if (id >= first + SEQUENCE_SIZE) throw new Error(`Search documents: bucket ${first} has no free id left.`);
    next.set(first, id + 1);
    return id;
  });
}
