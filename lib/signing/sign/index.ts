// Creating the gallery's repository signature (as nuget.org does): a repository
// countersignature on an author-signed package, a repository primary signature on an unsigned
// one, each timestamped. Pure like the rest of lib/signing: the key, the certificates and the
// function that reaches a timestamp authority are passed in; the package is a ByteSource and
// the result is a recipe over it, streamed by whoever stores it.
//
// Other repositories' signatures are not kept (nuget.org's rule): a repository countersignature
// is removed before the gallery's is added (NuGet allows only one), and a package whose primary
// signature is another repository's is signed as the unsigned package underneath it.

import type { ByteSource } from "@/lib/zip/source";
import { hashPieces } from "../package-hash";
import {
  readPackageForSigning,
  signedPackageSource,
  unsignedPackageSource,
  type UnsignedPackage,
} from "./package-file";
import {
  addRepositoryCountersignature,
  createRepositoryPrimarySignature,
  primarySignatureOf,
  removeRepositoryCountersignatures,
} from "./signed-data";
import type { RepositorySignatureOptions } from "./signer-info";

export type { RepositorySignatureOptions, RepositorySigningKey } from "./signer-info";
export type { Timestamper } from "./timestamp";

/** Which repository signature a package carried before the gallery's: none, a countersignature, or the primary signature. */
export type RemovedRepositorySignature = "none" | "countersignature" | "primary";

export interface RepositorySignedPackage {
  package: ByteSource;
  placement: "primary" | "countersignature";
  removed: RemovedRepositorySignature;
}

async function sha256Of(unsigned: UnsignedPackage): Promise<Uint8Array> {
  const pieces = [
    ...unsigned.localEntries,
    ...unsigned.centralDirectory,
    { kind: "bytes" as const, bytes: unsigned.endOfCentralDirectory },
  ];
  const hash = (await hashPieces(unsigned.base, pieces, ["sha256"])).get("sha256");
  if (!hash) throw new Error("SHA-256 was not computed");
  return hash;
}

async function primarySigned(
  unsigned: UnsignedPackage,
  options: RepositorySignatureOptions,
  now: Date,
): Promise<ByteSource> {
  const p7s = await createRepositoryPrimarySignature(await sha256Of(unsigned), { ...options, now });
  return signedPackageSource(unsigned, p7s, now);
}

/** The package with the gallery's repository signature; `source` must stay open while the result is read. */
export async function repositorySignPackage(
  source: ByteSource,
  options: RepositorySignatureOptions,
): Promise<RepositorySignedPackage> {
  const now = options.now ?? new Date();
  const { unsigned, signature } = await readPackageForSigning(source);
  if (signature === null)
    return { package: await primarySigned(unsigned, options, now), placement: "primary", removed: "none" };
  if (primarySignatureOf(signature).kind === "repository") {
    return { package: await primarySigned(unsigned, options, now), placement: "primary", removed: "primary" };
  }
  const { removed } = removeRepositoryCountersignatures(signature);
  const p7s = await addRepositoryCountersignature(signature, { ...options, now });
  return {
    package: signedPackageSource(unsigned, p7s, now),
    placement: "countersignature",
    removed: removed > 0 ? "countersignature" : "none",
  };
}

/**
 * The package as the gallery will sign it: without any repository signature (an author
 * signature keeps everything else). What an upload is judged on.
 */
export async function withoutRepositorySignatures(
  source: ByteSource,
  now = new Date(),
): Promise<{ package: ByteSource; removed: RemovedRepositorySignature }> {
  const { unsigned, signature } = await readPackageForSigning(source);
  if (signature === null) return { package: source, removed: "none" };
  if (primarySignatureOf(signature).kind === "repository")
    return { package: unsignedPackageSource(unsigned), removed: "primary" };
  const stripped = removeRepositoryCountersignatures(signature);
  if (stripped.removed === 0) return { package: source, removed: "none" };
  return { package: signedPackageSource(unsigned, stripped.p7s, now), removed: "countersignature" };
}
