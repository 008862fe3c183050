// Package file storage behind a small interface: the local folder by default, Azure Blob
// Storage when configured (so several app instances can share one store), same callers.
import { azureBlobSettings, storageDir } from "@/lib/config";
import { AzureBlobStorage } from "@/lib/storage/azure-blob";
import { LocalFolderStorage } from "@/lib/storage/local-folder";
import { STAGING_FOLDER } from "@/lib/storage/keys";
import type { PackageStorage } from "@/lib/storage/package-storage";

export type { ByteRange, PackageStorage } from "@/lib/storage/package-storage";

const holder = globalThis as typeof globalThis & { signetStorage?: PackageStorage };

function configuredStorage(): PackageStorage {
  const local = new LocalFolderStorage(storageDir());
  const azure = azureBlobSettings();
  return azure ? new AzureBlobStorage({ ...azure, stagingFolder: STAGING_FOLDER, staging: local }) : local;
}

export function getStorage(): PackageStorage {
  holder.signetStorage ??= configuredStorage();
  return holder.signetStorage;
}
