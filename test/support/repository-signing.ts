// A repository signing key from a test PKI and a timestamper that asks the project's authority
// in process: what lib/signing/sign needs, without files or network.

import type { RepositorySignatureOptions, RepositorySigningKey, Timestamper } from "@/lib/signing/sign";
import { respondToTimestampRequest, type TimestampAuthority } from "@/lib/timestamping";
import type { RepositorySigner } from "@/lib/trust/repository-signing";
import { chainOf, signingKeyFor, type TestCertificate } from "./pki";

export async function repositorySigningKey(certificate: TestCertificate): Promise<RepositorySigningKey> {
  return {
    certificate: certificate.certificate,
    issuers: chainOf(certificate)
      .slice(1)
      .map((issuer) => issuer.certificate),
    privateKey: await signingKeyFor(certificate.key, "SHA-256"),
  };
}

export function inProcessTimestamper(authority: TimestampAuthority): Timestamper {
  return (request) => respondToTimestampRequest(authority, request);
}

export async function repositorySignatureOptions(
  certificate: TestCertificate,
  authority: TimestampAuthority,
  overrides: Partial<RepositorySignatureOptions> = {},
): Promise<RepositorySignatureOptions> {
  return {
    key: await repositorySigningKey(certificate),
    serviceIndexUrl: "https://gallery.example/v3/index.json",
    owners: ["alice", "bob"],
    timestamper: inProcessTimestamper(authority),
    ...overrides,
  };
}

/** A served package without the gallery's repository signature: for an unsigned upload, exactly the uploaded bytes. */
export async function withoutRepositorySignature(served: Uint8Array): Promise<Uint8Array> {
  const { withoutRepositorySignatures } = await import("@/lib/signing/sign");
  const { bufferSource } = await import("@/lib/zip/source");
  const { package: stripped } = await withoutRepositorySignatures(bufferSource(served));
  return stripped.read(0, stripped.size);
}

/** A gallery repository signer over a test certificate and authority: no files, no roots of its own. */
export async function testRepositorySigner(
  certificate: TestCertificate,
  authority: TimestampAuthority,
): Promise<RepositorySigner> {
  return {
    key: await repositorySigningKey(certificate),
    timestamper: inProcessTimestamper(authority),
    timestampAuthority: "the test authority",
    ownRoots: { codeSigningRoots: [], timestampingRoots: [] },
    development: null,
  };
}
