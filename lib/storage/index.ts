// Package file storage behind a small interface: the local folder by default, Azure Blob
// Storage when configured (so several app instances can share one store), same callers. The
// process's one store is built in the composition root (lib/services.ts getStorage).
export type { ByteRange, PackageStorage } from "@/lib/storage/package-storage";
