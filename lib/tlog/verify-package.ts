// `npm run verify -- --log <gallery-url> file.nupkg`: the file's own ID and version (from its
// manifest) and SHA-512, checked against the gallery's publication log (client.ts). Loaded by
// the verify CLI only when --log is given.

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { IssueError } from "@/lib/issues";
import { parseNuspec } from "@/lib/nuspec/parse-nuspec";
import { readNuspecXml } from "@/lib/nuspec/read-nuspec";
import { normalizeVersion, parseVersion } from "@/lib/versioning/version";
import { readCentralDirectory } from "@/lib/zip/central-directory";
import type { ByteSource } from "@/lib/zip/source";
import { checkPackageFile, LogCheckError, type PackageFileFacts, type PackageLogReport } from "./client";
import { NoteError, parseVerifierKey } from "./note";

async function fileSha512(path: string): Promise<string> {
  const hash = createHash("sha512");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("base64");
}

async function packageFacts(path: string, source: ByteSource): Promise<PackageFileFacts> {
  try {
    const metadata = parseNuspec(await readNuspecXml(source, await readCentralDirectory(source)));
    if (!metadata.id || !metadata.version)
      throw new IssueError("NUSPEC_MISSING_FIELD", "The package's manifest names no ID or version.");
    return {
      packageId: metadata.id,
      version: normalizeVersion(parseVersion(metadata.version)),
      sha512: await fileSha512(path),
    };
  } catch (failure) {
    if (failure instanceof IssueError)
      throw new LogCheckError(failure.code, `Cannot read the package's ID and version: ${failure.message}`);
    throw failure;
  }
}

export type LogVerdict = { ok: true; report: PackageLogReport } | { ok: false; code: string; message: string };

/** Checks the package at `path` (its bytes in `source`) against the log of the gallery at `galleryUrl`, pinned to `verifierKey`. */
export async function verifyPackageLog(
  path: string,
  source: ByteSource,
  galleryUrl: string,
  verifierKey: string,
): Promise<LogVerdict> {
  try {
    const verifier = parseVerifierKey(verifierKey);
    const base = new URL(galleryUrl.endsWith("/") ? galleryUrl : `${galleryUrl}/`);
    return {
      ok: true,
      report: await checkPackageFile({ galleryUrl: base, verifier }, await packageFacts(path, source)),
    };
  } catch (failure) {
    if (failure instanceof LogCheckError) return { ok: false, code: failure.code, message: failure.message };
    if (failure instanceof NoteError)
      return { ok: false, code: "LOG_KEY_INVALID", message: `The log key is not usable: ${failure.message}.` };
    if (failure instanceof TypeError && /URL/i.test(failure.message))
      return { ok: false, code: "LOG_URL_INVALID", message: `"${galleryUrl}" is not a gallery URL.` };
    throw failure;
  }
}

export function describeLogVerdict(verdict: LogVerdict): string[] {
  if (!verdict.ok) return [`log: NOT VERIFIED`, `error   ${verdict.code}: ${verdict.message}`];
  const { report } = verdict;
  const { entry, index } = report.publication;
  const matches = (logged: { index: number }) =>
    report.matched.index === logged.index ? "; the file's SHA-512 matches" : "";
  const lines = [
    `log: logged as entry ${index} of ${report.origin} (tree size ${report.treeSize}, checkpoint signature and inclusion proof verified)`,
    `  published:   ${entry.time.toISOString()} by ${entry.owners.join(", ") || "(no owners)"}${matches(report.publication)}`,
  ];
  for (const later of report.later) {
    if (later.entry.kind === "unlist" || later.entry.kind === "relist")
      lines.push(
        `  ${later.entry.kind}ed:    ${later.entry.time.toISOString()} by ${later.entry.by} (entry ${later.index})`,
      );
    if (later.entry.kind === "repository-signed") {
      lines.push(
        `  repository-signed: ${later.entry.time.toISOString()} by the gallery, certificate ${later.entry.repositoryCertificate} (entry ${later.index})${matches(later)}`,
      );
    }
  }
  if (report.supersededBy) {
    lines.push(
      `  note: this is the file as published; since entry ${report.supersededBy.index} the gallery serves it repository-signed (SHA-512 ${report.supersededBy.entry.publishedSha512}), with the same content`,
    );
  }
  return lines;
}
