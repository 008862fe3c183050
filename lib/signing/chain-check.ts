// A certificate's chain against trusted roots on its own, outside any signature: what
// certificate registration tells the author before the first push (the same chain building the
// package verifier does, with the intermediates the author supplied).
import { parseCertificate } from "./certificates";
import { buildChain, describeChain, type ChainProblemKind } from "./chain";
import type { ChainReport } from "./report";
import { OID } from "./oids";
import { anchorsFor } from "./verify";

export interface CertificateChainCheck extends ChainReport {
  problemKinds: ChainProblemKind[];
}

/** The chain of `leaf` for code signing, its issuing certificates judged at `at`. */
export async function checkCertificateChain(
  leaf: Uint8Array,
  intermediates: readonly Uint8Array[],
  roots: readonly Uint8Array[],
  at: Date,
): Promise<CertificateChainCheck> {
  const pool = intermediates.map((der) => parseCertificate(der));
  const chain = await buildChain(parseCertificate(leaf), {
    pool,
    trustedRoots: anchorsFor(roots),
    usage: { oid: OID.codeSigningUsage, description: "code signing" },
    at,
  });
  return { ...(await describeChain(chain)), problemKinds: chain.problems.map((problem) => problem.kind) };
}
