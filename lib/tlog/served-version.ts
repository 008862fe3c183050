// What a version's log entries say about the bytes the gallery serves for it, as `verify --log`
// and the monitor both read them (pure). A version is published once; its bytes may change once
// more, when the gallery adds its repository signature to a version published without one (a
// "repository-signed" entry); from then on the gallery serves the file that entry records.
// Anything else (a second signing, a signing of a version published repository-signed already,
// a signing before the publication) is not something the gallery does, and is reported.

import type { PublishEntry, RepositorySignedEntry } from "./entry";

export interface ServedVersion {
  /** The index of the version's publication entry. */
  index: number;
  /** The SHA-512 (base64) of the file the gallery serves now, as the last entry that changed it says. */
  sha512: string;
  /** The gallery's repository certificate on that file, or null while the version is not repository-signed. */
  repositoryCertificate: string | null;
}

export function publishedVersion(index: number, entry: PublishEntry): ServedVersion {
  return { index, sha512: entry.publishedSha512, repositoryCertificate: entry.repositoryCertificate };
}

export type SigningOutcome = { ok: true; version: ServedVersion } | { ok: false; problem: string };

/** The version after a repository-signed entry at `index`, or why that entry is not one the gallery writes. */
export function afterRepositorySigning(
  version: ServedVersion | undefined,
  index: number,
  entry: RepositorySignedEntry,
): SigningOutcome {
  const name = `${entry.packageId} ${entry.version}`;
  if (!version)
    return {
      ok: false,
      problem: `Entry ${index} records a repository signature added to ${name}, which the log has not published before it.`,
    };
  if (version.repositoryCertificate !== null) {
    return {
      ok: false,
      problem: `Entry ${index} records a repository signature added to ${name}, which was already repository-signed (certificate ${version.repositoryCertificate}): the gallery signs a published version at most once, and only one published without its signature.`,
    };
  }
  return {
    ok: true,
    version: {
      index: version.index,
      sha512: entry.publishedSha512,
      repositoryCertificate: entry.repositoryCertificate,
    },
  };
}
