// Chain building from a signer certificate to a configured set of trusted roots, using the
// certificates the signature (or timestamp token) carries as intermediates. It mirrors what
// NuGet asks of X509Chain (reference §6.1): issuer found by name and key identifier, each
// signature verified, the leaf allowed for the purpose (code signing or timestamping), the
// chain ending in a trusted root. Time validity is deliberately not judged here: NuGet builds
// with NotTimeValid ignored and judges the signer against its timestamp instead (NU3037).

import * as pkijs from "pkijs";
import type { ChainReport } from "./report";
import { allowsUsage, authorityKeyIdentifier, certificateDer, describeCertificate, publicKeyInfoDer, subjectKeyIdentifier } from "./certificates";
import { formatName, nameBytes, sameBytes } from "./names";
import type { TrustAnchors } from "./trust-anchors";

/** Real chains are 2–4 certificates; the cap only stops loops through hostile certificate sets. */
const MAX_CHAIN_LENGTH = 8;

export type ChainProblemKind = "untrusted-root" | "partial-chain" | "bad-signature" | "wrong-usage" | "too-long";

export interface ChainProblem {
  kind: ChainProblemKind;
  message: string;
}

export interface BuiltChain {
  /** Leaf first, as far as it could be built. */
  certificates: pkijs.Certificate[];
  trusted: boolean;
  problems: ChainProblem[];
}

export interface ChainRequest {
  /** Intermediates (and possibly roots) offered by the signature or token. */
  pool: readonly pkijs.Certificate[];
  trustedRoots: TrustAnchors;
  /** Extended key usage the leaf must allow (timestamping); signers' usage is a certificate rule instead. */
  usage?: { oid: string; description: string };
}

/** A trusted root itself, or a certificate with a trusted root's name and key (a re-issued root). */
function isTrustedRoot(certificate: pkijs.Certificate, trustedRoots: TrustAnchors): boolean {
  const der = certificateDer(certificate);
  return trustedRoots
    .withSubject(nameBytes(certificate.subject))
    .some((root) => sameBytes(certificateDer(root), der) || sameBytes(publicKeyInfoDer(root), publicKeyInfoDer(certificate)));
}

function isSelfIssued(certificate: pkijs.Certificate): boolean {
  return sameBytes(nameBytes(certificate.subject), nameBytes(certificate.issuer));
}

async function signedBy(child: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean> {
  try {
    return await child.verify(issuer);
  } catch {
    return false;
  }
}

/** Candidates whose subject is the child's issuer and whose key identifier fits its authority key identifier. */
function issuerCandidates(child: pkijs.Certificate, candidates: readonly pkijs.Certificate[]): pkijs.Certificate[] {
  const issuerName = nameBytes(child.issuer);
  const authorityKeyId = authorityKeyIdentifier(child);
  return candidates.filter((candidate) => {
    if (!sameBytes(nameBytes(candidate.subject), issuerName)) return false;
    const keyId = subjectKeyIdentifier(candidate);
    return authorityKeyId === null || keyId === null || sameBytes(authorityKeyId, keyId);
  });
}

export async function buildChain(leaf: pkijs.Certificate, request: ChainRequest): Promise<BuiltChain> {
  const certificates = [leaf];
  const problems: ChainProblem[] = [];
  if (request.usage && !allowsUsage(leaf, request.usage.oid)) {
    problems.push({ kind: "wrong-usage", message: `The certificate '${formatName(leaf.subject)}' is not valid for ${request.usage.description}.` });
  }
  for (;;) {
    const current = certificates[certificates.length - 1] as pkijs.Certificate;
    if (isTrustedRoot(current, request.trustedRoots)) return { certificates, trusted: problems.length === 0, problems };
    if (isSelfIssued(current)) {
      problems.push({ kind: "untrusted-root", message: `The chain ends in the root '${formatName(current.subject)}', which is not a trusted root.` });
      break;
    }
    if (certificates.length >= MAX_CHAIN_LENGTH) {
      problems.push({ kind: "too-long", message: `The chain is longer than ${MAX_CHAIN_LENGTH} certificates.` });
      break;
    }
    // Trusted roots are offered first so a root also present in the signature is recognised as trusted.
    const candidates = [...request.trustedRoots.withSubject(nameBytes(current.issuer)), ...request.pool];
    const unused = issuerCandidates(current, candidates).filter((candidate) => !certificates.some((seen) => sameBytes(certificateDer(seen), certificateDer(candidate))));
    let issuer: pkijs.Certificate | undefined;
    for (const candidate of unused) {
      if (await signedBy(current, candidate)) {
        issuer = candidate;
        break;
      }
    }
    if (!issuer) {
      const kind: ChainProblemKind = unused.length > 0 ? "bad-signature" : "partial-chain";
      const message =
        kind === "bad-signature"
          ? `The signature on '${formatName(current.subject)}' does not verify with its issuer's key.`
          : `The issuer '${formatName(current.issuer)}' of '${formatName(current.subject)}' was not found among the signature's certificates or the trusted roots (partial chain).`;
      problems.push({ kind, message });
      break;
    }
    certificates.push(issuer);
  }
  return { certificates, trusted: false, problems };
}

export async function describeChain(chain: BuiltChain): Promise<ChainReport> {
  return {
    certificates: await Promise.all(chain.certificates.map(describeCertificate)),
    trusted: chain.trusted,
    problems: chain.problems.map((problem) => problem.message),
  };
}
