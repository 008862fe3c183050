// Checking a gallery's publication log from outside, trusting nothing it says without proof:
// every checkpoint must carry a valid signature by the pinned log key, every entry an inclusion
// proof under it. Used by `npm run verify -- --log` and `npm run tlog:monitor`. No database, no
// Next.js: only HTTP, with every response size-limited before it is read.

import { openCheckpoint, type Checkpoint } from "./checkpoint";
import { EntryError, parseEntry, type LogEntry, type PublishEntry, type RepositorySignedEntry } from "./entry";
import { leafHash, verifyInclusion, type Hash } from "./merkle";
import { NoteError, type NoteVerifier } from "./note";
import { afterRepositorySigning, publishedVersion, type ServedVersion } from "./served-version";

export class LogCheckError extends Error {
  override name = "LogCheckError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LogEndpoint {
  /** The gallery's address, e.g. https://gallery.example/ (the log lives under it). */
  galleryUrl: URL;
  verifier: NoteVerifier;
  timeoutMs?: number;
}

const MAX_JSON_BYTES = 4 * 1024 * 1024;
const MAX_NOTE_BYTES = 64 * 1024;
/** A full entry bundle: 256 entries of at most 65,535 bytes each, with their lengths. */
export const MAX_BUNDLE_BYTES = 256 * (2 + 0xffff);

/** GET <gallery>/<path>; the body up to `maxBytes` (refused beyond), or null on 404. */
export async function fetchBytes(endpoint: LogEndpoint, path: string, maxBytes: number): Promise<Uint8Array | null> {
  const url = new URL(path, endpoint.galleryUrl);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(endpoint.timeoutMs ?? 30_000), redirect: "follow" });
  } catch (failure) {
    throw new LogCheckError("LOG_UNREACHABLE", `Could not reach ${url.href}: ${(failure as Error).message}.`);
  }
  if (response.status === 404) return null;
  if (!response.ok || !response.body)
    throw new LogCheckError("LOG_UNREACHABLE", `${url.href} answered ${response.status} ${response.statusText}.`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    total += read.value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new LogCheckError("LOG_RESPONSE_TOO_LARGE", `${url.href} sent more than ${maxBytes} bytes.`);
    }
    chunks.push(read.value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function openSignedCheckpoint(endpoint: LogEndpoint, note: string): Checkpoint {
  try {
    return openCheckpoint(note, endpoint.verifier);
  } catch (failure) {
    if (failure instanceof NoteError)
      throw new LogCheckError(
        "LOG_CHECKPOINT_INVALID",
        `The log's checkpoint is not signed by the pinned key: ${failure.message}.`,
      );
    throw failure;
  }
}

export interface SignedCheckpoint {
  note: string;
  checkpoint: Checkpoint;
}

export async function fetchCheckpoint(endpoint: LogEndpoint): Promise<SignedCheckpoint> {
  const body = await fetchBytes(endpoint, "log/checkpoint", MAX_NOTE_BYTES);
  if (!body)
    throw new LogCheckError(
      "LOG_UNREACHABLE",
      `${new URL("log/checkpoint", endpoint.galleryUrl).href} does not exist: is this a Signet gallery?`,
    );
  const note = new TextDecoder().decode(body);
  return { note, checkpoint: openSignedCheckpoint(endpoint, note) };
}

interface ProvedEntryJson {
  index: number;
  data: string;
  inclusionProof: string[];
}

interface VersionEntriesJson {
  checkpoint: string;
  treeSize: number;
  entries: ProvedEntryJson[];
}

function isVersionEntriesJson(value: unknown): value is VersionEntriesJson {
  const candidate = value as VersionEntriesJson;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.checkpoint === "string" &&
    Array.isArray(candidate.entries) &&
    candidate.entries.every(
      (entry) =>
        Number.isSafeInteger(entry?.index) &&
        typeof entry.data === "string" &&
        Array.isArray(entry.inclusionProof) &&
        entry.inclusionProof.every((hash) => typeof hash === "string"),
    )
  );
}

const fromBase64 = (text: string): Hash => new Uint8Array(Buffer.from(text, "base64"));

export interface LoggedEntry {
  index: number;
  entry: LogEntry;
}

/** An entry whose inclusion under the checkpoint is proved, decoded (canonical form only). */
function provedEntry(checkpoint: Checkpoint, proved: ProvedEntryJson): LoggedEntry {
  const data = fromBase64(proved.data);
  if (
    !verifyInclusion(
      proved.index,
      checkpoint.size,
      leafHash(data),
      proved.inclusionProof.map(fromBase64),
      checkpoint.root,
    )
  ) {
    throw new LogCheckError(
      "LOG_PROOF_INVALID",
      `Entry ${proved.index} as the gallery sent it is not in the tree its signed checkpoint (size ${checkpoint.size}) commits to: the stored entry or its proof was changed.`,
    );
  }
  try {
    return { index: proved.index, entry: parseEntry(data) };
  } catch (failure) {
    if (failure instanceof EntryError)
      throw new LogCheckError(
        "LOG_ENTRY_INVALID",
        `Entry ${proved.index} is not a valid log entry: ${failure.message}.`,
      );
    throw failure;
  }
}

export interface PackageFileFacts {
  packageId: string;
  version: string;
  /** Base64 SHA-512 of the file being checked. */
  sha512: string;
}

export interface PackageLogReport {
  origin: string;
  treeSize: number;
  publication: { index: number; entry: PublishEntry };
  /** The entry that records this file's SHA-512: the publication, or the repository signing the gallery added later. */
  matched: { index: number; entry: PublishEntry | RepositorySignedEntry };
  /** The later entry from which the gallery serves other bytes (its repository-signed file), when this file is the one published before it. */
  supersededBy: { index: number; entry: RepositorySignedEntry } | null;
  /** Unlistings, relistings and repository signings logged since the publication, oldest first. */
  later: LoggedEntry[];
}

type ServingEntry = { index: number; entry: PublishEntry | RepositorySignedEntry };

/** The version's entries that set the bytes it is served as (publication, repository signing), checked in order. */
function servingEntries(entries: LoggedEntry[], file: PackageFileFacts): ServingEntry[] {
  const publications = entries.filter(
    (logged): logged is { index: number; entry: PublishEntry } => logged.entry.kind === "publish",
  );
  if (publications.length === 0)
    throw new LogCheckError(
      "LOG_NOT_LOGGED",
      `The gallery's log has no publication of ${file.packageId} ${file.version}.`,
    );
  if (publications.length > 1) {
    throw new LogCheckError(
      "LOG_DUPLICATE_PUBLICATION",
      `The log records ${publications.length} publications of ${file.packageId} ${file.version} (entries ${publications.map((logged) => logged.index).join(", ")}): a published version's bytes must never change.`,
    );
  }
  const serving: ServingEntry[] = [];
  let version: ServedVersion | undefined;
  for (const logged of [...entries].sort((a, b) => a.index - b.index)) {
    if (logged.entry.kind === "publish") {
      version = publishedVersion(logged.index, logged.entry);
      serving.push({ index: logged.index, entry: logged.entry });
    } else if (logged.entry.kind === "repository-signed") {
      const outcome = afterRepositorySigning(version, logged.index, logged.entry);
      if (!outcome.ok) throw new LogCheckError("LOG_REPOSITORY_SIGNING_INVALID", outcome.problem);
      version = outcome.version;
      serving.push({ index: logged.index, entry: logged.entry });
    }
  }
  return serving;
}

/**
 * Checks a package file against the gallery's log: the gallery's entries for its ID and version
 * must be included under a checkpoint signed by the pinned key, there must be exactly one
 * publication among them (and at most the one repository signing the gallery adds to a version
 * published without it), and one of them must record this file's SHA-512: the bytes served
 * since the last of them, or the bytes published before a repository signing replaced them.
 */
export async function checkPackageFile(endpoint: LogEndpoint, file: PackageFileFacts): Promise<PackageLogReport> {
  const path = `api/log/packages/${encodeURIComponent(file.packageId)}/${encodeURIComponent(file.version)}`;
  const body = await fetchBytes(endpoint, path, MAX_JSON_BYTES);
  if (!body)
    throw new LogCheckError(
      "LOG_NOT_LOGGED",
      `The gallery's log has no entry for ${file.packageId} ${file.version}: the gallery does not vouch for this package in its log.`,
    );
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new LogCheckError(
      "LOG_RESPONSE_INVALID",
      "The gallery's answer about the package's log entries is not JSON.",
    );
  }
  if (!isVersionEntriesJson(json))
    throw new LogCheckError(
      "LOG_RESPONSE_INVALID",
      "The gallery's answer about the package's log entries does not have the expected fields.",
    );
  const checkpoint = openSignedCheckpoint(endpoint, json.checkpoint);
  const entries = json.entries.map((proved) => provedEntry(checkpoint, proved));
  const forThisVersion = (entry: LogEntry) =>
    "packageId" in entry &&
    entry.packageId.toLowerCase() === file.packageId.toLowerCase() &&
    entry.version.toLowerCase() === file.version.toLowerCase();
  const stray = entries.find(({ entry }) => !forThisVersion(entry));
  if (stray)
    throw new LogCheckError(
      "LOG_RESPONSE_INVALID",
      `The gallery answered with entry ${stray.index}, which is not about ${file.packageId} ${file.version}.`,
    );
  const serving = servingEntries(entries, file);
  const [publication] = serving as [{ index: number; entry: PublishEntry }, ...ServingEntry[]];
  const current = serving[serving.length - 1] as ServingEntry;
  const matched = serving.find((logged) => logged.entry.publishedSha512 === file.sha512);
  if (!matched) {
    throw new LogCheckError(
      "LOG_FILE_MISMATCH",
      `This file's SHA-512 is ${file.sha512}, but the log records ${current.entry.publishedSha512} for ${current.entry.packageId} ${current.entry.version} (entry ${current.index})${serving.length > 1 ? `, and ${publication.entry.publishedSha512} as first published (entry ${publication.index})` : ""}: this is not a file the gallery published.`,
    );
  }
  return {
    origin: checkpoint.origin,
    treeSize: checkpoint.size,
    publication,
    matched,
    supersededBy: matched === current ? null : (current as { index: number; entry: RepositorySignedEntry }),
    later: entries.filter((logged) => logged.entry.kind !== "publish"),
  };
}
