// What must hold of the publication log in any committed state, whatever crashed when: the
// head's size is the number of entries, numbered 0..size-1; the stored tree is the tree of the
// entries' bytes; every version names its own publication entry (same ID and version) and every
// publication entry belongs to exactly one version; the file hash a version row serves is the
// one its last publication or repository-signing entry records.
import type { Db } from "@/lib/db";
import { parseEntry, type LogEntry } from "@/lib/tlog/entry";
import { appendLeaf, leafHash, type Hash } from "@/lib/tlog/merkle";
import { readEntries, readTreeHead } from "@/lib/tlog/store";

/** Every broken invariant, one sentence each; empty when the log is sound. */
export async function logInvariantViolations(db: Db): Promise<string[]> {
  const problems: string[] = [];
  const head = await readTreeHead(db);
  const count = await db.logEntry.count();
  const highest = await db.logEntry.aggregate({ _max: { index: true } });
  if (count !== head.size) problems.push(`the head says ${head.size} entries, the table has ${count}`);
  if ((highest._max.index ?? -1) !== count - 1) problems.push(`entries are not numbered 0..${count - 1}`);
  const entries = await readEntries(db, 0, head.size);
  let range: Hash[] = [];
  let nodes = 0;
  entries.forEach((data, index) => {
    const appended = appendLeaf(index, range, leafHash(data));
    range = appended.compactRange;
    nodes += appended.nodes.length;
    const root = appended.root;
    if (index === entries.length - 1 && Buffer.compare(Buffer.from(root), Buffer.from(head.root)) !== 0)
      problems.push("the stored root is not the root of the stored entries");
  });
  if ((await db.logNode.count()) !== nodes)
    problems.push(`the tree stores ${await db.logNode.count()} hashes, not ${nodes}`);
  const parsed = entries.map((data) => parseEntry(data));
  const versions = await db.packageVersion.findMany({
    select: { logIndex: true, version: true, sha512: true, registration: { select: { packageIdLower: true } } },
  });
  const claimed = new Set<number>();
  for (const version of versions) {
    const name = `${version.registration.packageIdLower} ${version.version}`;
    if (version.logIndex === null) {
      problems.push(`${name} is served but not logged`);
      continue;
    }
    claimed.add(version.logIndex);
    const entry = parsed[version.logIndex] as LogEntry;
    if (
      entry.kind !== "publish" ||
      entry.packageId.toLowerCase() !== version.registration.packageIdLower ||
      entry.version !== version.version
    ) {
      problems.push(`${name} names entry ${version.logIndex}, which is not its publication`);
      continue;
    }
    const servedAs = parsed
      .filter(
        (later) =>
          (later.kind === "publish" || later.kind === "repository-signed") &&
          later.packageId.toLowerCase() === version.registration.packageIdLower &&
          later.version === version.version,
      )
      .at(-1);
    if (servedAs && "publishedSha512" in servedAs && servedAs.publishedSha512 !== version.sha512) {
      problems.push(`${name} serves SHA-512 ${version.sha512}, but its last entry records ${servedAs.publishedSha512}`);
    }
  }
  parsed.forEach((entry, index) => {
    if (entry.kind === "publish" && !claimed.has(index)) problems.push(`publication entry ${index} has no version`);
  });
  return problems;
}
