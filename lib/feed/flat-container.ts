// The flat container (PackageBaseAddress/3.0.0): what restore and the package pages download
// from (versions, .nupkg, .nuspec). Addresses are lower-case IDs and normalised lower-case versions, as NuGet builds them.
import type { Readable } from "node:stream";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import type { DownloadOf } from "@/lib/jobs/downloads";
import type { ByteRange, PackageStorage } from "@/lib/storage";
import { compareVersions, parseVersion } from "@/lib/versioning/version";

/** The response header carrying a .nupkg's uploaded SHA-512 (a Signet extension of PackageBaseAddress). */
export const UPLOADED_SHA512_HEADER = "X-Signet-Uploaded-Sha512";

/**
 * How caches may keep a flat-container file. A version's manifest never changes, and neither do
 * a version's package bytes once they carry the gallery's repository signature: those are
 * immutable for a year. A version published before repository signing is signed later by the
 * backfill, which changes its bytes, so until then caches must revalidate; its entity tag is the
 * SHA-512 of the bytes served (what the publication log records), so the change is a new tag.
 */
export interface FlatContainerCaching {
  immutable: boolean;
  /** A quoted strong entity tag, or null when the file has none. */
  entityTag: string | null;
}

const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "public, no-cache";

export function cacheControl(caching: FlatContainerCaching): string {
  return caching.immutable ? IMMUTABLE : REVALIDATE;
}

/** One file of the flat container: a version's .nupkg or its .nuspec, opened only when its bytes are wanted (not for HEAD, nor a 304), whole or one byte range of it. */
export interface FlatContainerFile {
  fileName: string;
  contentType: string;
  size: number;
  open(range?: ByteRange): Promise<ReadableStream<Uint8Array>>;
  caching: FlatContainerCaching;
  /** For a .nupkg: base64 SHA-512 of the file as the author uploaded it, before the gallery's repository signature. */
  uploadedSha512?: string;
  /** For a .nupkg: the version a download of it counts for. */
  downloadOf?: DownloadOf;
}

/**
 * Every version of the package, unlisted ones included, oldest first, in the lower-case form
 * clients put in URLs; null when the gallery has none. Unlisted versions stay here as on
 * nuget.org: restore reads this list even for an exact version, so leaving one out would break
 * every build that pins it. Hiding them is search's and the registration's job (listed: false).
 * (NuGet documents that floating ranges such as 1.* resolve over this list, listed or not.)
 */
export async function listFeedVersions(db: Db, packageIdLower: string): Promise<{ versions: string[] } | null> {
  const rows = await db.packageVersion.findMany({
    where: { registration: { packageIdLower } },
    select: { version: true },
  });
  if (rows.length === 0) return null;
  return {
    versions: rows
      .map((row) => parseVersion(row.version))
      .sort(compareVersions)
      .map((version) => version.original.toLowerCase()),
  };
}

/** The expected file name of a version's package in the flat container. */
export function flatContainerFileName(packageIdLower: string, versionLower: string): string {
  return `${packageIdLower}.${versionLower}.nupkg`;
}

export function flatContainerPackagePath(packageId: string, version: string): string {
  const id = packageId.toLowerCase();
  const lowerVersion = version.toLowerCase();
  return `/v3-flatcontainer/${encodeURIComponent(id)}/${encodeURIComponent(lowerVersion)}/${encodeURIComponent(flatContainerFileName(id, lowerVersion))}`;
}

function packageNotFound(packageId: string, version: string): IssueError {
  return new IssueError(
    "PACKAGE_NOT_FOUND",
    `A package with ID '${packageId}' and version '${version}' does not exist.`,
  );
}

/**
 * A published version's file: the .nupkg streamed from storage, or the manifest (which tools
 * read without downloading the package); PACKAGE_NOT_FOUND for an unknown version or a file name
 * that is not one of the two the version's address implies. Unlisted versions stay downloadable,
 * as on nuget.org: unlisting hides a version from lists, it does not break builds that pin it.
 */
export async function findFlatContainerFile(
  db: Db,
  storage: PackageStorage,
  address: { packageId: string; version: string; fileName: string },
): Promise<FlatContainerFile> {
  const packageIdLower = address.packageId.toLowerCase();
  const versionLower = address.version.toLowerCase();
  const requested = address.fileName.toLowerCase();
  const packageFile = flatContainerFileName(packageIdLower, versionLower);
  const manifestFile = `${packageIdLower}.nuspec`;
  const row =
    requested === packageFile || requested === manifestFile
      ? await db.packageVersion.findFirst({
          where: { registration: { packageIdLower }, versionLower },
          select: {
            id: true,
            registrationId: true,
            storageKey: true,
            nuspecXml: true,
            sha512: true,
            uploadedSha512: true,
            repositoryCertificateId: true,
          },
        })
      : null;
  if (!row) throw packageNotFound(address.packageId, address.version);
  if (requested === manifestFile) {
    const manifest = new TextEncoder().encode(row.nuspecXml);
    return {
      fileName: manifestFile,
      contentType: "application/xml",
      size: manifest.byteLength,
      open: async (range) => new Blob([range ? manifest.subarray(range.start, range.end + 1) : manifest]).stream(),
      caching: { immutable: true, entityTag: null },
    };
  }
  // The size comes from storage, not the database row, so Content-Length always matches the bytes sent.
  const size = await storage.size(row.storageKey);
  return {
    fileName: packageFile,
    contentType: "application/octet-stream",
    size,
    open: async (range) => pulledWebStream(await storage.get(row.storageKey, range)),
    caching: { immutable: row.repositoryCertificateId !== null, entityTag: `"${row.sha512}"` },
    uploadedSha512: row.uploadedSha512 ?? row.sha512,
    downloadOf: { registrationId: row.registrationId, packageVersionId: row.id },
  };
}

/**
 * The file as a web stream for a Response, read only as fast as the client takes it. Unlike
 * Readable.toWeb, nothing is pushed into the stream after a client hangs up (which made Node
 * throw "Controller is already closed" outside any handler); cancelling closes the file.
 */
export function pulledWebStream(file: Readable): ReadableStream<Uint8Array> {
  const chunks = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    },
    cancel() {
      file.destroy();
    },
  });
}
