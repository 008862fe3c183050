// The canonical encoding of the publication log's entries (the bytes each leaf hashes). Pure.
//
// An entry is UTF-8 text: a header line, then one "<key> <value>" line per field in the fixed
// order of its kind, every line (the last too) ending in a newline (0x0A). Values are never
// empty and hold no control characters; times are UTC ISO 8601 with milliseconds, exactly as
// JavaScript's toISOString writes them; hashes are base64 (as NuGet writes packageHash);
// certificate fingerprints are lower-case hex SHA-256 of the DER certificate, or "none".
// Exactly one encoding is accepted for each entry: parseEntry re-encodes what it read and
// refuses the bytes unless they are identical.
//
//   signet-log-entry v1              signet-log-entry v1
//   kind publish                     kind unlist            (or relist)
//   package-id Contoso.Utilities     package-id Contoso.Utilities
//   version 1.2.0                    version 1.2.0
//   published-sha512 <base64>        by <username>
//   uploaded-sha512 <base64>         time 2026-11-23T10:15:00.000Z
//   author-signer <hex>|none
//   repository-certificate <hex>|none      signet-log-entry v1
//   owner <username>  (one line per owner,   kind certificate-compromised
//                      sorted)               certificate <hex>
//   time 2026-11-23T10:00:00.000Z            compromised-from 2026-11-01T00:00:00.000Z
//                                            time 2026-11-23T11:00:00.000Z
//
//   signet-log-entry v1                      signet-log-entry v1
//   kind certificate-compromise-cleared      kind repository-signed
//   certificate <hex>                        package-id Contoso.Utilities
//   time 2026-11-24T09:00:00.000Z            version 1.2.0
//                                            published-sha512 <base64>
//                                            repository-certificate <hex>
//                                            time 2026-12-01T08:00:00.000Z
//
// "published-sha512" is the SHA-512 of the file the gallery serves; "uploaded-sha512" that of the
// bytes the author uploaded (the same while the gallery publishes files as uploaded);
// "repository-certificate" is the signer of the published file's repository signature.
//
// "repository-signed" records the one change a published version's bytes may undergo: a version
// published before the gallery repository-signed what it publishes (its publication says
// "repository-certificate none") gets the gallery's repository signature later
// (`npm run repo-sign:backfill`), in the same transaction that makes the gallery serve the signed
// file. From that entry on the gallery serves the file whose SHA-512 it records, signed with the
// certificate it names; the package's content (and NuGet's content hash) is unchanged.

export const ENTRY_HEADER = "signet-log-entry v1";
/** Entry bundles (C2SP tlog-tiles) prefix each entry with a 16-bit length. */
export const MAX_ENTRY_BYTES = 0xffff;

export interface PublishEntry {
  kind: "publish";
  packageId: string;
  version: string;
  publishedSha512: string;
  uploadedSha512: string;
  authorSigner: string | null;
  repositoryCertificate: string | null;
  owners: string[];
  time: Date;
}

export interface ListingEntry {
  kind: "unlist" | "relist";
  packageId: string;
  version: string;
  by: string;
  time: Date;
}

export interface CompromiseEntry {
  kind: "certificate-compromised";
  certificate: string;
  compromisedFrom: Date;
  time: Date;
}

export interface CompromiseClearedEntry {
  kind: "certificate-compromise-cleared";
  certificate: string;
  time: Date;
}

export interface RepositorySignedEntry {
  kind: "repository-signed";
  packageId: string;
  version: string;
  /** The SHA-512 of the file the gallery serves from this entry on. */
  publishedSha512: string;
  repositoryCertificate: string;
  time: Date;
}

export type LogEntry = PublishEntry | ListingEntry | CompromiseEntry | CompromiseClearedEntry | RepositorySignedEntry;
export type LogEntryKind = LogEntry["kind"];

export class EntryError extends Error {
  override name = "EntryError";
}

const FINGERPRINT = /^[0-9a-f]{64}$/;
const SHA512_BASE64 = /^[A-Za-z0-9+/]{86}==$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function text(key: string, value: string): string {
  if (value === "" || /[\u0000-\u001f\u007f]/.test(value))
    throw new EntryError(`the ${key} field must be non-empty text on one line`);
  return value;
}

function sha512(key: string, value: string): string {
  if (!SHA512_BASE64.test(value)) throw new EntryError(`the ${key} field must be a SHA-512 hash in base64`);
  return value;
}

function fingerprint(key: string, value: string): string {
  if (!FINGERPRINT.test(value)) throw new EntryError(`the ${key} field must be a lower-case hex SHA-256 fingerprint`);
  return value;
}

function optionalFingerprint(key: string, value: string | null): string {
  return value === null ? "none" : fingerprint(key, value);
}

function time(key: string, value: Date): string {
  if (Number.isNaN(value.getTime())) throw new EntryError(`the ${key} field is not a valid time`);
  return value.toISOString();
}

function fields(entry: LogEntry): [string, string][] {
  switch (entry.kind) {
    case "publish": {
      const owners = [...entry.owners].sort();
      return [
        ["package-id", text("package-id", entry.packageId)],
        ["version", text("version", entry.version)],
        ["published-sha512", sha512("published-sha512", entry.publishedSha512)],
        ["uploaded-sha512", sha512("uploaded-sha512", entry.uploadedSha512)],
        ["author-signer", optionalFingerprint("author-signer", entry.authorSigner)],
        ["repository-certificate", optionalFingerprint("repository-certificate", entry.repositoryCertificate)],
        ...owners.map((owner): [string, string] => ["owner", text("owner", owner)]),
        ["time", time("time", entry.time)],
      ];
    }
    case "unlist":
    case "relist":
      return [
        ["package-id", text("package-id", entry.packageId)],
        ["version", text("version", entry.version)],
        ["by", text("by", entry.by)],
        ["time", time("time", entry.time)],
      ];
    case "certificate-compromised":
      return [
        ["certificate", fingerprint("certificate", entry.certificate)],
        ["compromised-from", time("compromised-from", entry.compromisedFrom)],
        ["time", time("time", entry.time)],
      ];
    case "certificate-compromise-cleared":
      return [
        ["certificate", fingerprint("certificate", entry.certificate)],
        ["time", time("time", entry.time)],
      ];
    case "repository-signed":
      return [
        ["package-id", text("package-id", entry.packageId)],
        ["version", text("version", entry.version)],
        ["published-sha512", sha512("published-sha512", entry.publishedSha512)],
        ["repository-certificate", fingerprint("repository-certificate", entry.repositoryCertificate)],
        ["time", time("time", entry.time)],
      ];
  }
}

export function encodeEntry(entry: LogEntry): Uint8Array<ArrayBuffer> {
  const lines = [ENTRY_HEADER, `kind ${entry.kind}`, ...fields(entry).map(([key, value]) => `${key} ${value}`)];
  const bytes = new TextEncoder().encode(`${lines.join("\n")}\n`);
  if (bytes.length > MAX_ENTRY_BYTES) throw new EntryError(`a log entry is at most ${MAX_ENTRY_BYTES} bytes`);
  return bytes;
}

function readTime(value: string): Date {
  if (!ISO_TIME.test(value)) throw new EntryError(`"${value}" is not a UTC time with milliseconds`);
  return new Date(value);
}

const fromNone = (value: string) => (value === "none" ? null : value);

/** Decodes an entry's bytes; refuses anything that is not exactly the canonical encoding. */
export function parseEntry(bytes: Uint8Array): LogEntry {
  if (bytes.length > MAX_ENTRY_BYTES) throw new EntryError("the log entry is too large");
  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new EntryError("the log entry is not UTF-8 text");
  }
  if (!decoded.endsWith("\n")) throw new EntryError("the log entry does not end with a newline");
  const lines = decoded.slice(0, -1).split("\n");
  if (lines[0] !== ENTRY_HEADER) throw new EntryError(`the log entry does not start with "${ENTRY_HEADER}"`);
  const pairs = lines.slice(1).map((line) => {
    const space = line.indexOf(" ");
    if (space <= 0) throw new EntryError(`the log entry line "${line.slice(0, 40)}" is not "<key> <value>"`);
    return [line.slice(0, space), line.slice(space + 1)] as const;
  });
  const [kindPair, ...rest] = pairs;
  if (!kindPair || kindPair[0] !== "kind") throw new EntryError("the log entry has no kind");
  const values = new Map<string, string>();
  const owners: string[] = [];
  for (const [key, value] of rest) {
    if (key === "owner") owners.push(value);
    else if (values.has(key)) throw new EntryError(`the log entry repeats ${key}`);
    else values.set(key, value);
  }
  const get = (key: string) => {
    const value = values.get(key);
    if (value === undefined) throw new EntryError(`the log entry has no ${key}`);
    return value;
  };
  let entry: LogEntry;
  switch (kindPair[1]) {
    case "publish":
      entry = {
        kind: "publish",
        packageId: get("package-id"),
        version: get("version"),
        publishedSha512: get("published-sha512"),
        uploadedSha512: get("uploaded-sha512"),
        authorSigner: fromNone(get("author-signer")),
        repositoryCertificate: fromNone(get("repository-certificate")),
        owners,
        time: readTime(get("time")),
      };
      break;
    case "unlist":
    case "relist":
      entry = {
        kind: kindPair[1],
        packageId: get("package-id"),
        version: get("version"),
        by: get("by"),
        time: readTime(get("time")),
      };
      break;
    case "certificate-compromised":
      entry = {
        kind: "certificate-compromised",
        certificate: get("certificate"),
        compromisedFrom: readTime(get("compromised-from")),
        time: readTime(get("time")),
      };
      break;
    case "certificate-compromise-cleared":
      entry = { kind: "certificate-compromise-cleared", certificate: get("certificate"), time: readTime(get("time")) };
      break;
    case "repository-signed":
      entry = {
        kind: "repository-signed",
        packageId: get("package-id"),
        version: get("version"),
        publishedSha512: get("published-sha512"),
        repositoryCertificate: get("repository-certificate"),
        time: readTime(get("time")),
      };
      break;
    default:
      throw new EntryError(`the log entry's kind "${kindPair[1].slice(0, 40)}" is not one this log writes`);
  }
  const canonical = encodeEntry(entry);
  if (Buffer.compare(Buffer.from(canonical), Buffer.from(bytes)) !== 0)
    throw new EntryError("the log entry is not in canonical form (field order, sorting or spelling)");
  return entry;
}
