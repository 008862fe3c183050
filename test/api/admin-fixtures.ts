// Shared by the admin API tests that need refused uploads: a scratch storage folder for the
// app's modules, and pushes of generated packages through the real upload pipeline.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { beforeAll, vi } from "vitest";
import type { Db } from "@/lib/db";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { forgetServices } from "@/test/support/services";
import { services } from "@/lib/services";

/** Points the app's package storage at a fresh folder; call before useAppDatabase, which resets the modules. */
export function useScratchStorage(): void {
  beforeAll(() => {
    vi.stubEnv("SIGNET_STORAGE_DIR", mkdtempSync(path.join(tmpdir(), "signet-admin-storage-")));
    forgetServices("storage");
  });
}

export interface PushedPackage {
  attemptId: string;
  status: "accepted" | "rejected";
  bytes: Uint8Array;
}

/**
 * Pushes a generated unsigned package as `uploaderId` through submitPackage. The pipeline is
 * imported here, after the module reset, so it shares the app's database and storage.
 */
export async function pushTestPackage(
  db: Db,
  uploaderId: string,
  packageId: string,
  version: string,
): Promise<PushedPackage> {
  const uploads = await import("@/lib/uploads");
  const { getStorage } = await import("@/lib/services");
  const bytes = buildUnsignedPackage({ id: packageId, version });
  const received = await uploads.receivePackageStream(Readable.from([bytes]), {
    maxBytes: 10_000_000,
    staging: services.staging,
  });
  try {
    const outcome = await uploads.submitPackage(db, getStorage(), received, {
      ...services.judging(),
      uploaderId,
      source: "API",
    });
    return { attemptId: outcome.attemptId, status: outcome.status, bytes };
  } finally {
    await uploads.discardReceivedPackage(received);
  }
}
