// What every package store offers (the local folder, Azure Blob Storage): its own module, so the
// stores and lib/storage/index.ts, which picks one, do not import each other.
import type { Readable } from "node:stream";
import type { ByteSource } from "@/lib/zip/source";

/** Inclusive byte range, as in an HTTP Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface PackageStorage {
  /** Stores the stream under `key` (replacing any object there) and reports its size. */
  put(key: string, content: Readable | ReadableStream<Uint8Array>): Promise<{ size: number }>;
  /** Streams the object, or one byte range of it; fails with STORAGE_OBJECT_NOT_FOUND. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /**
   * Random access to the object, for the zip and signature readers: each read is a ranged read
   * of the stored object, never a copy of it; fails with STORAGE_OBJECT_NOT_FOUND. Close it after.
   */
  open(key: string): Promise<ByteSource>;
  /** Size in bytes; fails with STORAGE_OBJECT_NOT_FOUND. */
  size(key: string): Promise<number>;
  exists(key: string): Promise<boolean>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Renames an object (e.g. out of quarantine), replacing any object at `toKey`. */
  move(fromKey: string, toKey: string): Promise<void>;
  /** Throws when the storage cannot be written to (used by the health check). */
  checkWritable(): Promise<void>;
}
