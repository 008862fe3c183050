// Certificate registration tells the truth early: whether the certificate chains to a root this
// gallery trusts for code signing, which root, and what to do when it does not. The same chain
// building judges packages at push, so a certificate said to be untrusted here is refused there.
import { checkCertificateChain } from "./chain-check";
import { parseCertificate } from "./certificates";
import { formatName } from "./names";

export type ChainTrustStatus = "trusted" | "untrusted-root" | "incomplete" | "broken";

export interface ChainTrust {
  status: ChainTrustStatus;
  /** The trusted root it chains to, or the untrusted root it ends in. */
  root: string | null;
  message: string;
}

const ROOTS_HINT = "the roots this gallery trusts are listed on the Certificates page";

/** The verdict on `leaf` (DER) with the intermediates the author gave, against `roots`. */
export async function chainTrust(
  leaf: Uint8Array,
  intermediates: readonly Uint8Array[],
  roots: readonly Uint8Array[],
): Promise<ChainTrust> {
  const check = await checkCertificateChain(leaf, intermediates, roots, new Date());
  const top = check.certificates[check.certificates.length - 1]?.subject ?? null;
  if (check.trusted) {
    return {
      status: "trusted",
      root: top,
      message: `It chains to '${top}', a root this gallery trusts for code signing, so packages it signs (with a timestamp) can be accepted.`,
    };
  }
  if (check.problemKinds.includes("untrusted-root")) {
    return {
      status: "untrusted-root",
      root: top,
      message: `It chains to the root '${top}', which this gallery does not trust, so packages signed with it will be refused (NU3018). Use a code-signing certificate from a CA whose root is trusted (${ROOTS_HINT}), or ask the gallery's administrators to trust this root.`,
    };
  }
  if (check.problemKinds.includes("partial-chain")) {
    const issuer = check.certificates[check.certificates.length - 1]?.issuer ?? "its issuer";
    return {
      status: "incomplete",
      root: null,
      message: `Its issuer '${issuer}' is neither a trusted root nor among the certificates given, so the chain cannot be checked yet. Paste the intermediate certificates after this one (one PEM bundle) to check now; signed packages carry them, so the first push checks it in any case (${ROOTS_HINT}).`,
    };
  }
  return {
    status: "broken",
    root: null,
    message: `Its chain is broken: ${check.problems.join(" ")} Packages signed with it will be refused.`,
  };
}

let cachedRoots: { list: readonly Uint8Array[]; subjects: string[] } | null = null;

/** The subjects of the trusted code-signing roots, sorted, for the registration page. */
export function trustedRootSubjects(roots: readonly Uint8Array[]): string[] {
  if (cachedRoots?.list === roots) return cachedRoots.subjects;
  const subjects = roots.flatMap((der) => {
    try {
      return [formatName(parseCertificate(der).subject)];
    } catch {
      return [];
    }
  });
  const sorted = [...new Set(subjects)].sort((a, b) => a.localeCompare(b));
  cachedRoots = { list: roots, subjects: sorted };
  return sorted;
}
