import { randomBytes } from "node:crypto";
import { constants, createReadStream, createWriteStream } from "node:fs";
import { access, mkdir, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { IssueError } from "@/lib/issues";
import type { ByteRange, PackageStorage } from "@/lib/storage/package-storage";
import { assertValidStorageKey } from "@/lib/storage/keys";
import { openFileSource, type ByteSource } from "@/lib/zip/source";

// Partly written files live here, on the same file system as the objects, so the final
// rename is atomic: readers see either the old object or the whole new one.
const TEMP_DIR = ".incoming";

export class LocalFolderStorage implements PackageStorage {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    return path.join(this.root, ...assertValidStorageKey(key));
  }

  async put(key: string, content: Readable | ReadableStream<Uint8Array>): Promise<{ size: number }> {
    const target = this.pathOf(key);
    const temp = path.join(this.root, TEMP_DIR, `${randomBytes(12).toString("hex")}.part`);
    await mkdir(path.dirname(temp), { recursive: true });
    const source = content instanceof Readable ? content : Readable.fromWeb(content as NodeReadableStream<Uint8Array>);
    const file = createWriteStream(temp, { flags: "wx", flush: true });
    try {
      await pipeline(source, file);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { size: file.bytesWritten };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    const size = await this.size(key);
    if (range && (range.start < 0 || range.end < range.start || range.end >= size)) {
      throw new IssueError(
        "RANGE_NOT_SATISFIABLE",
        `Bytes ${range.start}-${range.end} are outside the ${size}-byte object.`,
      );
    }
    return createReadStream(file, range ? { start: range.start, end: range.end } : {});
  }

  async open(key: string): Promise<ByteSource> {
    try {
      return await openFileSource(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new IssueError("STORAGE_OBJECT_NOT_FOUND", `No stored file "${key}".`);
      }
      throw error;
    }
  }

  async size(key: string): Promise<number> {
    try {
      const info = await stat(this.pathOf(key));
      if (info.isFile()) return info.size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    throw new IssueError("STORAGE_OBJECT_NOT_FOUND", `No stored file "${key}".`);
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }

  async move(fromKey: string, toKey: string): Promise<void> {
    const from = this.pathOf(fromKey);
    const to = this.pathOf(toKey);
    if (!(await this.exists(fromKey))) {
      throw new IssueError("STORAGE_OBJECT_NOT_FOUND", `No stored file "${fromKey}".`);
    }
    await mkdir(path.dirname(to), { recursive: true });
    await rename(from, to);
  }

  async checkWritable(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await access(this.root, constants.W_OK);
  }
}
