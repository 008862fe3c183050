// The gallery's composition root (lib/services.ts) lives on globalThis, so it outlives
// vi.resetModules: tests that change the environment the app's modules read (a scratch database,
// a storage folder, trust roots) drop what it built. It is reached through globalThis so that
// lib/services is not imported before the environment is in place.
import type { ConfiguredDependency, GalleryServices } from "@/lib/services";

const holder = globalThis as { signetServices?: GalleryServices };

/** The named dependencies are built afresh on their next use. */
export function forgetServices(...names: ConfiguredDependency[]): void {
  holder.signetServices?.forget(...names);
}

/**
 * Stops the job queue and timers, writes the downloads counted so far and disconnects the
 * database the app's modules used; the next use builds them afresh. The object itself stays, so
 * a test's own import of lib/services keeps reaching the one the app's modules use.
 */
export async function closeServices(): Promise<void> {
  await holder.signetServices?.close();
}
