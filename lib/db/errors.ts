// What a failed query means, read from Prisma's error codes. Both generated clients report the
// same codes, but their error classes differ, so the code is read rather than the class checked.

function prismaCode(failure: unknown): unknown {
  return typeof failure === "object" && failure !== null ? (failure as { code?: unknown }).code : undefined;
}

/** A unique index refused the row (P2002): someone else wrote it first. */
export function isUniqueViolation(failure: unknown): boolean {
  return prismaCode(failure) === "P2002";
}

/**
 * The database stayed busy past the client's patience (P1008): on SQLite, another writer held the
 * lock for the whole busy timeout. Nothing was written; the same request may succeed moments later.
 */
export function isDatabaseBusy(failure: unknown): boolean {
  return prismaCode(failure) === "P1008";
}
