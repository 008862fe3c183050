// A monitor of a gallery's publication log, as rekor-monitor watches identities: it follows the
// log from the checkpoint it saved last time, proves the new checkpoint extends it, and reports
// every new entry about the package ID prefixes and signer certificates it watches.
//
// Consistency is checked from the entries themselves: the state keeps the saved tree's compact
// range (the hashes of its complete subtrees, which fold to the saved root), the monitor appends
// the leaf hash of every new entry it reads from the entry bundles (C2SP tlog-tiles), and the
// result must be the new checkpoint's root. That holds only if the new tree is the old tree
// plus exactly these entries: the guarantee of an RFC 9162 consistency proof, and also that the
// entries read are the ones the checkpoint commits to.
//
// For each watched version it keeps the file the gallery should serve: the published one, or the
// repository-signed one from the entry that records the gallery signing it (served-version.ts).

import { createHash } from "node:crypto";
import { openCheckpoint, type Checkpoint } from "./checkpoint";
import { fetchBytes, fetchCheckpoint, LogCheckError, MAX_BUNDLE_BYTES, type LogEndpoint } from "./client";
import { EntryError, parseEntry, type LogEntry } from "./entry";
import { appendLeaf, compactRangeNodes, EMPTY_TREE_ROOT, leafHash, rootFromCompactRange, type Hash } from "./merkle";
import { afterRepositorySigning, publishedVersion, type ServedVersion } from "./served-version";
import { decodeEntryBundle, formatTilePath, TILE_WIDTH } from "./tiles";

/** What a monitor keeps between runs (JSON). */
export interface MonitorState {
  /** The last checkpoint verified, as the log signed it. */
  checkpoint: string;
  /** Base64 hashes of that tree's complete subtrees, largest first. */
  compactRange: string[];
  /** The watched versions seen so far, by "<id lower>/<version lower>": where each was published and the file it is served as now. */
  publications: Record<string, ServedVersion>;
}

export interface WatchRules {
  /** Package ID prefixes, matched without regard to case ("Contoso." watches Contoso.*). */
  idPrefixes: string[];
  /** SHA-256 certificate fingerprints (lower-case hex): author signers, repository certificates, compromise marks. */
  signers: string[];
}

export interface MonitorReport {
  origin: string;
  previousSize: number;
  size: number;
  /** One line per new entry the rules match. */
  matches: string[];
  /** Everything wrong, one sentence each; the state is only advanced when there is none. */
  problems: string[];
  /** The state to save: advanced to the new checkpoint, or the old one kept. */
  state: MonitorState | null;
}

const fromBase64 = (text: string): Hash => new Uint8Array(Buffer.from(text, "base64"));
const toBase64 = (hash: Hash) => Buffer.from(hash).toString("base64");

const versionKey = (entry: { packageId: string; version: string }) =>
  `${entry.packageId.toLowerCase()}/${entry.version.toLowerCase()}`;

function watchesId(entry: LogEntry, rules: WatchRules): boolean {
  return (
    "packageId" in entry &&
    rules.idPrefixes.some((prefix) => entry.packageId.toLowerCase().startsWith(prefix.toLowerCase()))
  );
}

/** Whether the rules watch the entry; a version watched since its publication stays watched. */
function matches(entry: LogEntry, rules: WatchRules, watched: Record<string, ServedVersion>): boolean {
  const prefixMatch = watchesId(entry, rules);
  const signerMatch =
    entry.kind === "publish"
      ? rules.signers.includes(entry.authorSigner ?? "") || rules.signers.includes(entry.repositoryCertificate ?? "")
      : entry.kind === "repository-signed"
        ? rules.signers.includes(entry.repositoryCertificate) || versionKey(entry) in watched
        : entry.kind === "certificate-compromised" || entry.kind === "certificate-compromise-cleared"
          ? rules.signers.includes(entry.certificate)
          : false;
  return prefixMatch || signerMatch;
}

export function describeEntry(index: number, entry: LogEntry): string {
  const at = entry.time.toISOString();
  switch (entry.kind) {
    case "publish":
      return `entry ${index}: publish ${entry.packageId} ${entry.version} at ${at} by ${entry.owners.join(",") || "(no owners)"}; sha512 ${entry.publishedSha512}; author signer ${entry.authorSigner ?? "none"}; repository certificate ${entry.repositoryCertificate ?? "none"}`;
    case "unlist":
    case "relist":
      return `entry ${index}: ${entry.kind} ${entry.packageId} ${entry.version} at ${at} by ${entry.by}`;
    case "certificate-compromised":
      return `entry ${index}: certificate ${entry.certificate} marked compromised from ${entry.compromisedFrom.toISOString()} at ${at}`;
    case "certificate-compromise-cleared":
      return `entry ${index}: certificate ${entry.certificate} compromise mark cleared at ${at}`;
    case "repository-signed":
      return `entry ${index}: repository-signed ${entry.packageId} ${entry.version} at ${at}; sha512 ${entry.publishedSha512}; repository certificate ${entry.repositoryCertificate}`;
  }
}

/** The saved checkpoint and its compact range, checked against each other and the pinned key. */
function savedTree(endpoint: LogEndpoint, state: MonitorState | null): { checkpoint: Checkpoint; range: Hash[] } {
  if (!state) return { checkpoint: { origin: endpoint.verifier.name, size: 0, root: EMPTY_TREE_ROOT }, range: [] };
  const checkpoint = openCheckpoint(state.checkpoint, endpoint.verifier);
  const range = state.compactRange.map(fromBase64);
  const root = rootFromCompactRange(range);
  if (
    range.length !== compactRangeNodes(checkpoint.size).length ||
    Buffer.compare(Buffer.from(root), Buffer.from(checkpoint.root)) !== 0
  ) {
    throw new LogCheckError(
      "MONITOR_STATE_INVALID",
      "The saved state's compact range does not fold to its checkpoint's root: the state file was damaged.",
    );
  }
  return { checkpoint, range };
}

/** Entries [start, end) from the entry bundles. */
async function readEntries(endpoint: LogEndpoint, start: number, end: number): Promise<Uint8Array[]> {
  const entries: Uint8Array[] = [];
  for (let tile = Math.floor(start / TILE_WIDTH); tile * TILE_WIDTH < end; tile++) {
    const width = Math.min(TILE_WIDTH, end - tile * TILE_WIDTH);
    const path = formatTilePath({ kind: "entries", index: tile, width });
    const body = await fetchBytes(endpoint, `log/${path}`, MAX_BUNDLE_BYTES);
    if (!body)
      throw new LogCheckError(
        "LOG_TILE_MISSING",
        `The log does not serve ${path}, which its checkpoint of size ${end} requires.`,
      );
    let bundle: Uint8Array[];
    try {
      bundle = decodeEntryBundle(body);
    } catch {
      throw new LogCheckError("LOG_TILE_INVALID", `${path} is not a valid entry bundle.`);
    }
    if (bundle.length !== width)
      throw new LogCheckError("LOG_TILE_INVALID", `${path} holds ${bundle.length} entries, not ${width}.`);
    entries.push(...bundle.slice(Math.max(0, start - tile * TILE_WIDTH)));
  }
  return entries;
}

/** SHA-512 (base64) of what the gallery serves for a version, or null when it serves nothing. */
async function servedSha512(
  endpoint: LogEndpoint,
  entry: { packageId: string; version: string },
): Promise<string | null> {
  const id = encodeURIComponent(entry.packageId.toLowerCase());
  const version = encodeURIComponent(entry.version.toLowerCase());
  const url = new URL(`v3-flatcontainer/${id}/${version}/${id}.${version}.nupkg`, endpoint.galleryUrl);
  const response = await fetch(url, { signal: AbortSignal.timeout(endpoint.timeoutMs ?? 120_000) });
  if (response.status === 404 || !response.body) return null;
  if (!response.ok) throw new LogCheckError("LOG_UNREACHABLE", `${url.href} answered ${response.status}.`);
  const hash = createHash("sha512");
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) hash.update(read.value);
  return hash.digest("base64");
}

export interface FollowOptions {
  /** Download each version a new matching entry published or repository-signed, and compare its SHA-512 with the last the log records for it. */
  checkFiles: boolean;
}

/** Follows the log from `state` (null: from the empty tree) and reports what the rules watch. */
export async function followLog(
  endpoint: LogEndpoint,
  state: MonitorState | null,
  rules: WatchRules,
  options: FollowOptions,
): Promise<MonitorReport> {
  const saved = savedTree(endpoint, state);
  const latest = await fetchCheckpoint(endpoint);
  const report: MonitorReport = {
    origin: latest.checkpoint.origin,
    previousSize: saved.checkpoint.size,
    size: latest.checkpoint.size,
    matches: [],
    problems: [],
    state,
  };
  if (latest.checkpoint.size < saved.checkpoint.size) {
    report.problems.push(
      `The log's checkpoint has ${latest.checkpoint.size} entries, fewer than the ${saved.checkpoint.size} of the saved one: the log was rolled back or forked.`,
    );
    return report;
  }
  const data = await readEntries(endpoint, saved.checkpoint.size, latest.checkpoint.size);
  let range = saved.range;
  data.forEach(
    (entry, offset) => (range = appendLeaf(saved.checkpoint.size + offset, range, leafHash(entry)).compactRange),
  );
  if (Buffer.compare(Buffer.from(rootFromCompactRange(range)), Buffer.from(latest.checkpoint.root)) !== 0) {
    report.problems.push(
      saved.checkpoint.size === 0
        ? `The log's entries do not hash to the root its checkpoint (size ${latest.checkpoint.size}) signs: an entry was changed, removed or inserted after it was logged.`
        : `The log's checkpoint (size ${latest.checkpoint.size}) is not consistent with the saved one (size ${saved.checkpoint.size}) extended by the new entries: the log's history was rewritten, or it forked.`,
    );
    return report;
  }
  const publications = { ...(state?.publications ?? {}) };
  /** The file each version is served as, by the last new entry that set it: checked once every new entry is read. */
  const changed = new Map<string, { packageId: string; version: string; sha512: string; index: number }>();
  for (const [offset, bytes] of data.entries()) {
    const index = saved.checkpoint.size + offset;
    let entry: LogEntry;
    try {
      entry = parseEntry(bytes);
    } catch (failure) {
      if (!(failure instanceof EntryError)) throw failure;
      report.problems.push(`Entry ${index} is not a valid log entry: ${failure.message}.`);
      continue;
    }
    if (!matches(entry, rules, publications)) continue;
    report.matches.push(describeEntry(index, entry));
    if (entry.kind !== "publish" && entry.kind !== "repository-signed") continue;
    const key = versionKey(entry);
    const earlier = publications[key];
    if (entry.kind === "publish") {
      if (earlier) {
        report.problems.push(
          `Entry ${index} publishes ${entry.packageId} ${entry.version} again (first published at entry ${earlier.index}): a published version's bytes must never change.`,
        );
        continue;
      }
      publications[key] = publishedVersion(index, entry);
    } else if (earlier || watchesId(entry, rules)) {
      const outcome = afterRepositorySigning(earlier, index, entry);
      if (!outcome.ok) {
        report.problems.push(outcome.problem);
        continue;
      }
      publications[key] = outcome.version;
    }
    // (A signing watched for its certificate alone: its version's publication was not watched, so
    // the state has nothing to check it against but its file.)
    changed.set(key, { packageId: entry.packageId, version: entry.version, sha512: entry.publishedSha512, index });
  }
  if (options.checkFiles) {
    for (const logged of changed.values()) {
      const served = await servedSha512(endpoint, logged);
      if (served === null)
        report.problems.push(
          `The gallery no longer serves ${logged.packageId} ${logged.version}, logged at entry ${logged.index}.`,
        );
      else if (served !== logged.sha512) {
        report.problems.push(
          `The gallery serves ${logged.packageId} ${logged.version} with SHA-512 ${served}, but the log's last entry for it (entry ${logged.index}) records ${logged.sha512}: the stored file was changed.`,
        );
      }
    }
  }
  // Advanced only when everything checked out, so a problem is reported again on every run.
  if (report.problems.length === 0)
    report.state = { checkpoint: latest.note, compactRange: range.map(toBase64), publications };
  return report;
}
