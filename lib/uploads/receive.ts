// Taking a package off the wire. The bytes go straight to a staging file under the storage
// root (the same file system as published packages, so publishing is a rename), hashed with
// SHA-512 as they pass; the size limit is enforced while streaming, so an oversized upload
// costs at most the limit in disk and never sits in memory.

import { createHash, randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { mkdir, open, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { storageDir } from "@/lib/config";
import { IssueError } from "@/lib/issues";
import { STAGING_FOLDER } from "@/lib/storage/keys";
import { formatSize } from "@/lib/validation/rules/wording";

export { STAGING_FOLDER };

/**
 * This process's staging files: those it is writing or judging, which the abandoned-file sweep
 * leaves alone, and when it last tidied uploads (lib/uploads/housekeeping.ts). The process's one
 * is built in lib/services.ts.
 */
export class StagingFiles {
  readonly inFlight = new Set<string>();
  lastTidiedAt: number | undefined;
}

export interface ReceivedPackage {
  /** The staging files it is one of: discarding it ends its protection from the sweep. */
  staging: StagingFiles;
  /** The staging file on disk. */
  path: string;
  /** The same file as a storage key ("incoming/<random>.nupkg"), so storage.move can publish it. */
  stagingKey: string;
  size: number;
  /** Base64 SHA-512 of the whole file (what the gallery serves as the package hash). */
  sha512: string;
}

export interface ReceiveOptions {
  maxBytes: number;
  staging: StagingFiles;
}

export type PackageBody = ReadableStream<Uint8Array> | Readable | AsyncIterable<Uint8Array>;

function packageTooLarge(maxBytes: number): IssueError {
  return new IssueError(
    "PACKAGE_TOO_LARGE",
    `The package file exceeds this gallery's size limit of ${formatSize(maxBytes)}.`,
  );
}

function packageEmpty(): IssueError {
  return new IssueError("PACKAGE_EMPTY", "The upload is empty (0 bytes); choose a .nupkg file and try again.");
}

/** Counts and hashes the bytes passing through, and fails the stream once they exceed the limit. */
class MeasuringStream extends Transform {
  readonly hash = createHash("sha512");
  size = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.byteLength;
    if (this.size > this.maxBytes) {
      done(packageTooLarge(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }
}

function toNodeReadable(body: PackageBody): Readable {
  if (body instanceof Readable) return body;
  if (typeof (body as ReadableStream<Uint8Array>).getReader === "function") {
    return Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
  }
  return Readable.from(body as AsyncIterable<Uint8Array>);
}

// Staging files are named "<host>+<pid>+<random>.nupkg" after the process writing them, so a
// sweep knows whose they are: this process's own uploads in flight are in StagingFiles.inFlight
// until they are discarded, and a file of a process on this host that no longer runs is debris.
const HOST =
  hostname()
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-") || "host";

function newStagingKey(): string {
  return `${STAGING_FOLDER}/${HOST}+${process.pid}+${randomBytes(16).toString("hex")}.nupkg`;
}

function stagingName(stagingKey: string): string {
  return stagingKey.slice(STAGING_FOLDER.length + 1);
}

/**
 * Streams a request body (or any byte stream) to a staging file. Throws PACKAGE_TOO_LARGE as
 * soon as more than `maxBytes` arrive and PACKAGE_EMPTY for no bytes; the staging file is
 * removed on every failure, including a client that disconnects midway.
 */
export async function receivePackageStream(
  body: PackageBody | null,
  options: ReceiveOptions,
): Promise<ReceivedPackage> {
  if (body === null) throw packageEmpty();
  const { inFlight } = options.staging;
  const stagingKey = newStagingKey();
  const file = path.join(storageDir(), ...stagingKey.split("/"));
  inFlight.add(stagingName(stagingKey));
  const measuring = new MeasuringStream(options.maxBytes);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    // Opened before the first byte is read: a write stream opens its file in the background, so a
    // body refused at its first chunk (one over the limit) could create the file after the removal
    // below, leaving it behind.
    const handle = await open(file, "wx");
    await pipeline(toNodeReadable(body), measuring, handle.createWriteStream());
  } catch (failure) {
    await rm(file, { force: true });
    inFlight.delete(stagingName(stagingKey));
    if (failure instanceof IssueError) throw failure;
    throw new IssueError("UPLOAD_INTERRUPTED", "The upload stopped before the whole package arrived; try again.");
  }
  if (measuring.size === 0) {
    await rm(file, { force: true });
    inFlight.delete(stagingName(stagingKey));
    throw packageEmpty();
  }
  return {
    staging: options.staging,
    path: file,
    stagingKey,
    size: measuring.size,
    sha512: measuring.hash.digest("base64"),
  };
}

/**
 * The first file part of a multipart/form-data request (the NuGet client sends exactly one),
 * streamed like `receivePackageStream`. Fields before it are skipped; nothing after it is read.
 */
export async function receiveMultipartPackage(request: Request, options: ReceiveOptions): Promise<ReceivedPackage> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    throw new IssueError(
      "UNSUPPORTED_MEDIA_TYPE",
      "Send the package as multipart/form-data with the .nupkg as its file part.",
    );
  }
  if (request.body === null) throw packageEmpty();
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { "content-type": contentType }, limits: { files: 1 } });
  } catch {
    throw new IssueError(
      "MULTIPART_INVALID",
      "The multipart request cannot be read: its content type has no boundary.",
    );
  }
  const firstFile = new Promise<Readable>((resolve, reject) => {
    parser.on("file", (_name, stream) => {
      // The body can end (and busboy fail the part) before the staging pipeline is attached;
      // the pipeline still sees that failure from the stream's errored state, so an early
      // error event needs no handler of its own beyond not crashing the process.
      stream.on("error", () => undefined);
      resolve(stream);
    });
    parser.on("error", () => reject(new IssueError("MULTIPART_INVALID", "The multipart request body is malformed.")));
    parser.on("close", () =>
      reject(new IssueError("PACKAGE_MISSING", "The multipart request has no file part; attach the .nupkg file.")),
    );
  });
  const body = toNodeReadable(request.body);
  body.on("error", (failure) => parser.destroy(failure));
  body.pipe(parser);
  try {
    return await receivePackageStream(await firstFile, options);
  } finally {
    // Whatever happened to the file part, stop reading the request.
    body.unpipe(parser);
    body.destroy();
  }
}

/** Removes the staging file; safe to call for a file that was already published or removed. */
export async function discardReceivedPackage(received: ReceivedPackage): Promise<void> {
  await rm(received.path, { force: true });
  received.staging.inFlight.delete(stagingName(received.stagingKey));
}

/**
 * How long a staging file of another running process (or of another host sharing the storage
 * folder) may sit unchanged before it counts as abandoned. A live upload writes to its file as
 * bytes arrive and is judged and moved within its request, so an hour without a write is a
 * process that is gone, not a slow client.
 */
export const STAGING_FILE_IDLE_MS = 60 * 60 * 1000;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (failure) {
    return (failure as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether a staging file may go: never one this process is writing or judging. */
function isAbandoned(staging: StagingFiles, name: string, idleMs: number): boolean {
  if (staging.inFlight.has(name)) return false;
  const [host, pid] = name.split("+");
  const writer = Number(pid);
  // A process on this host that has stopped (crashed, killed) will never come back for its files.
  if (host === HOST && Number.isSafeInteger(writer) && writer !== process.pid && !isRunning(writer)) return true;
  return idleMs >= STAGING_FILE_IDLE_MS;
}

/**
 * Removes the staging files nobody will come back for: those of processes on this host that no
 * longer run (at startup, everything a crash left), and any other left unchanged for
 * STAGING_FILE_IDLE_MS. Files of uploads in flight in this process are never touched.
 */
export async function removeAbandonedStagingFiles(staging: StagingFiles, now = new Date()): Promise<number> {
  const folder = path.join(storageDir(), STAGING_FOLDER);
  const names = await readdir(folder).catch((failure: NodeJS.ErrnoException) => {
    if (failure.code === "ENOENT") return [];
    throw failure;
  });
  const removed = await Promise.all(
    names.map(async (name) => {
      const file = path.join(folder, name);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile() || !isAbandoned(staging, name, now.getTime() - info.mtimeMs)) return false;
      await rm(file, { force: true });
      return true;
    }),
  );
  return removed.filter(Boolean).length;
}
