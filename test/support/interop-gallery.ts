// The gallery as the real-client interop tests run it: route handlers served over HTTP from the
// test process (test/interop/push-gallery.ts), judging uploads against the test PKI's roots, with
// its data (storage, the development repository certificate and timestamp authority) in a
// folder of the test's own, and optionally behind a TLS front (NuGet reads RepositorySignatures
// only over https), whose address is then the gallery's public one. The gallery's per-process
// singletons (storage, trust store, repository signer) are dropped before and after, so they are
// built from this configuration and do not leak into the next test file.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { vi } from "vitest";
import type { RunningGallery } from "@/test/interop/push-gallery";
import { certificatePem, type TestCertificate } from "./pki";
import { startTlsFront, type TlsFront } from "./tls-front";
import { forgetServices } from "@/test/support/services";

export interface InteropGalleryOptions {
  /** A folder the test owns: the gallery's data folder goes under it. */
  directory: string;
  /** The root that author signatures must chain to. */
  codeSigningRoot: TestCertificate;
  /** The root that timestamps must chain to. */
  timestampingRoot: TestCertificate;
  /** Serve it over https as well, announcing the https address as the gallery's. */
  tls?: boolean;
}

export interface InteropGallery {
  /** The gallery itself over plain http (for the test's own requests). */
  gallery: RunningGallery;
  /** The TLS front when asked for, else null. */
  front: TlsFront | null;
  /** The address clients are given: the TLS front's when there is one. */
  publicOrigin: string;
  serviceIndexUrl: string;
  /** SIGNET_DATA_DIR: the development repository certificate lands under repository-signing/. */
  dataDirectory: string;
  close(): Promise<void>;
}

function dropGallerySingletons(): void {
  forgetServices("storage", "trustStore", "repositorySigner");
}

/** Configures (through the environment, for this test file) and starts the gallery; call in beforeAll after the database is in place. */
export async function startInteropGallery(
  options: InteropGalleryOptions & { tls: true },
): Promise<InteropGallery & { front: TlsFront }>;
export async function startInteropGallery(options: InteropGalleryOptions): Promise<InteropGallery>;
export async function startInteropGallery(options: InteropGalleryOptions): Promise<InteropGallery> {
  const dataDirectory = path.join(options.directory, "gallery-data");
  await mkdir(dataDirectory, { recursive: true });
  const roots = {
    codeSigning: path.join(dataDirectory, "code-signing-roots.pem"),
    timestamping: path.join(dataDirectory, "timestamping-roots.pem"),
  };
  await writeFile(roots.codeSigning, certificatePem(options.codeSigningRoot));
  await writeFile(roots.timestamping, certificatePem(options.timestampingRoot));
  vi.stubEnv("SIGNET_CODE_SIGNING_ROOTS", roots.codeSigning);
  vi.stubEnv("SIGNET_TIMESTAMPING_ROOTS", roots.timestamping);
  vi.stubEnv("SIGNET_DATA_DIR", dataDirectory);
  vi.stubEnv("SIGNET_STORAGE_DIR", path.join(dataDirectory, "packages"));
  dropGallerySingletons();

  const gallery = await (await import("@/test/interop/push-gallery")).startPushGallery();
  let front: TlsFront | null = null;
  if (options.tls) {
    const tlsDirectory = path.join(options.directory, "tls");
    await mkdir(tlsDirectory, { recursive: true });
    front = await startTlsFront(gallery.origin, tlsDirectory);
  }
  // The public address: what the service index announces and the repository signatures name
  // (empty: the address each request came to).
  vi.stubEnv("NEXTAUTH_URL", front?.origin ?? "");
  const publicOrigin = front?.origin ?? gallery.origin;
  return {
    gallery,
    front,
    publicOrigin,
    serviceIndexUrl: `${publicOrigin}/v3/index.json`,
    dataDirectory,
    async close() {
      await front?.close();
      await gallery.close();
      dropGallerySingletons();
    },
  };
}
