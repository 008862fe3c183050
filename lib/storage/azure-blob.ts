import { randomBytes } from "node:crypto";
import { Readable, Transform, type TransformCallback } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { BlobServiceClient, isRestError, type BlobClient, type ContainerClient } from "@azure/storage-blob";
import { IssueError } from "@/lib/issues";
import type { ByteRange, PackageStorage } from "@/lib/storage/package-storage";
import { assertValidStorageKey } from "@/lib/storage/keys";
import type { LocalFolderStorage } from "@/lib/storage/local-folder";
import { rangedSource } from "@/lib/storage/byte-source";
import type { ByteSource } from "@/lib/zip/source";

// Blocks of 4 MiB, two in flight: a 250 MB package is ~60 blocks, and one upload holds at
// most ~12 MiB of memory whatever the package size.
const UPLOAD_BLOCK_BYTES = 4 * 1024 * 1024;
const UPLOAD_CONCURRENCY = 2;

/** Where a storage key lives: a blob in one of the two containers, or the local staging folder. */
type Location = { kind: "blob"; blob: BlobClient } | { kind: "staging"; key: string };

export interface AzureBlobStorageOptions {
  connectionString: string;
  packagesContainer: string;
  quarantineContainer: string;
  /** The first key segment that stays on local disk: uploads being received and judged. */
  stagingFolder: string;
  /** The local folder holding those staging files. */
  staging: LocalFolderStorage;
}

function notFound(key: string): IssueError {
  return new IssueError("STORAGE_OBJECT_NOT_FOUND", `No stored file "${key}".`);
}

function isStatus(error: unknown, status: number): boolean {
  return isRestError(error) && error.statusCode === status;
}

class CountingStream extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.byteLength;
    done(null, chunk);
  }
}

/**
 * Package files in Azure Blob Storage, as nuget.org keeps them. Keys map to blobs of the same
 * name in the packages container, except "quarantine/<name>", which is "<name>" in the
 * quarantine container (refused files never share a container, or its access policy, with
 * served ones). Staging keys stay in the local folder: an upload is received and judged on
 * local disk, and "moving" it into storage is its upload to a blob (and back, on a rollback).
 */
export class AzureBlobStorage implements PackageStorage {
  private readonly packages: ContainerClient;
  private readonly quarantine: ContainerClient;
  private containersReady: Promise<void> | null = null;

  constructor(private readonly options: AzureBlobStorageOptions) {
    const service = BlobServiceClient.fromConnectionString(options.connectionString);
    this.packages = service.getContainerClient(options.packagesContainer);
    this.quarantine = service.getContainerClient(options.quarantineContainer);
  }

  /** Creates both containers (private) on first use; a failure is retried on the next call. */
  private ensureContainers(): Promise<void> {
    this.containersReady ??= Promise.all([this.packages.createIfNotExists(), this.quarantine.createIfNotExists()]).then(
      () => undefined,
      (failure: unknown) => {
        this.containersReady = null;
        throw failure;
      },
    );
    return this.containersReady;
  }

  private locate(key: string): Location {
    const [first, ...rest] = assertValidStorageKey(key);
    if (first === this.options.stagingFolder && rest.length > 0) return { kind: "staging", key };
    if (first === "quarantine" && rest.length > 0)
      return { kind: "blob", blob: this.quarantine.getBlobClient(rest.join("/")) };
    return { kind: "blob", blob: this.packages.getBlobClient(key) };
  }

  async put(key: string, content: Readable | ReadableStream<Uint8Array>): Promise<{ size: number }> {
    const place = this.locate(key);
    if (place.kind === "staging") return this.options.staging.put(place.key, content);
    await this.ensureContainers();
    const source = content instanceof Readable ? content : Readable.fromWeb(content as NodeReadableStream<Uint8Array>);
    const counter = new CountingStream();
    source.on("error", (failure) => counter.destroy(failure));
    // Blocks are staged as they arrive and the blob appears only when the block list is
    // committed at the end, so a failed stream leaves the previous object (or none) in place.
    await place.blob.getBlockBlobClient().uploadStream(source.pipe(counter), UPLOAD_BLOCK_BYTES, UPLOAD_CONCURRENCY, {
      blobHTTPHeaders: { blobContentType: "application/octet-stream" },
    });
    return { size: counter.bytes };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const place = this.locate(key);
    if (place.kind === "staging") return this.options.staging.get(place.key, range);
    if (
      range &&
      (!Number.isSafeInteger(range.start) ||
        !Number.isSafeInteger(range.end) ||
        range.start < 0 ||
        range.end < range.start)
    ) {
      throw new IssueError("RANGE_NOT_SATISFIABLE", `Bytes ${range.start}-${range.end} are not a byte range.`);
    }
    let response;
    try {
      response = range
        ? await place.blob.download(range.start, range.end - range.start + 1)
        : await place.blob.download();
    } catch (error) {
      if (isStatus(error, 404)) throw notFound(key);
      if (isStatus(error, 416))
        throw new IssueError(
          "RANGE_NOT_SATISFIABLE",
          `Bytes ${range?.start}-${range?.end} are outside the stored object.`,
        );
      throw error;
    }
    const body = response.readableStreamBody as Readable | undefined;
    if (!body) throw new Error(`Azure Blob Storage returned no body for "${key}".`);
    // A range that starts inside the blob but runs past its end is served short; the local
    // folder refuses it, and so does this, rather than hand back fewer bytes than asked for.
    const total = Number(response.contentRange?.split("/")[1]);
    if (range && Number.isSafeInteger(total) && range.end >= total) {
      body.destroy();
      throw new IssueError(
        "RANGE_NOT_SATISFIABLE",
        `Bytes ${range.start}-${range.end} are outside the ${total}-byte object.`,
      );
    }
    return body;
  }

  async open(key: string): Promise<ByteSource> {
    const place = this.locate(key);
    if (place.kind === "staging") return this.options.staging.open(place.key);
    return rangedSource(this, key);
  }

  async size(key: string): Promise<number> {
    const place = this.locate(key);
    if (place.kind === "staging") return this.options.staging.size(place.key);
    try {
      return (await place.blob.getProperties()).contentLength ?? 0;
    } catch (error) {
      if (isStatus(error, 404)) throw notFound(key);
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    const place = this.locate(key);
    if (place.kind === "staging") return this.options.staging.exists(place.key);
    return place.blob.exists();
  }

  async delete(key: string): Promise<void> {
    const place = this.locate(key);
    if (place.kind === "staging") return this.options.staging.delete(place.key);
    await place.blob.deleteIfExists();
  }

  async move(fromKey: string, toKey: string): Promise<void> {
    const from = this.locate(fromKey);
    const to = this.locate(toKey);
    if (from.kind === "staging" && to.kind === "staging") return this.options.staging.move(from.key, to.key);
    if (from.kind === "blob" && to.kind === "blob") {
      await this.ensureContainers();
      try {
        // A server-side copy within the account: the bytes never pass through this process.
        const copy = await to.blob.beginCopyFromURL(from.blob.url);
        const done = await copy.pollUntilDone();
        if (done.copyStatus !== "success")
          throw new Error(`Copying "${fromKey}" to "${toKey}" ended ${done.copyStatus ?? "without a status"}.`);
      } catch (error) {
        if (isStatus(error, 404)) throw notFound(fromKey);
        throw error;
      }
      await from.blob.deleteIfExists();
      return;
    }
    // Between the staging folder and a container: copy, then remove the source.
    await this.put(toKey, await this.get(fromKey));
    await this.delete(fromKey);
  }

  async checkWritable(): Promise<void> {
    await this.options.staging.checkWritable();
    await this.ensureContainers();
    const probe = this.packages.getBlockBlobClient(`health-checks/${randomBytes(8).toString("hex")}`);
    await probe.upload("ok", 2);
    await probe.deleteIfExists();
  }
}
