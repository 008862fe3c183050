// Who may sign a package, with nuget.org's rules (NuGetGallery's PackageRegistrationExtensions),
// where "certificates" means an account's registered signers (certificates and signer
// identities, signer-rules.ts) and "registered" means registered and proven:
//   IsSigningRequired:                  required signer S set → S has certificates;
//                                       otherwise → EVERY owner has certificates.
//   IsAcceptableSigningCertificate(t):  S set → t is registered to S;
//                                       otherwise → t is registered to ANY owner.
// So an owner without certificates keeps unsigned pushes possible for everyone, and a required
// signer without certificates means every author-signed package is refused. A repository-only
// signature counts as unsigned (§2.4 step 6). The required signer is kept even when that account
// stops being an owner, which is why it is passed in whole rather than looked up among the owners.
// Deliberate difference: nuget.org accepts such packages at push and fails them later in
// asynchronous validation with "Read more..." texts; we refuse at upload and say who must
// register which certificate.

import {
  decideSigner,
  identityLabel,
  type RegisteredSigner,
  type SignerAuthorization,
  type SignerFacts,
  type SigningAccount,
} from "@/lib/validation/rules/signer-rules";
import { error, type Issue } from "@/lib/issues";
import { quotedList } from "./wording";

export type { SigningAccount } from "@/lib/validation/rules/signer-rules";

export interface SigningPolicyInput {
  owners: readonly SigningAccount[];
  /** The package's required signer ("signing owner"), when one is set. */
  requiredSigner?: SigningAccount;
}

export interface SigningPolicy {
  /** False when IsSigningRequired holds. */
  acceptsUnsigned: boolean;
  /** The accounts whose registered certificates may author-sign the package. */
  acceptedSigners: SigningAccount[];
  /** The sentence a package's manage page shows. */
  sentence: string;
}

export type SignatureFacts =
  | { signatureKind: "unsigned" | "repository-only" }
  | {
      signatureKind: "author";
      signer: SignerFacts;
    };

export type SigningRequirementsInput = SigningPolicyInput & SignatureFacts;

function hasCertificates(account: SigningAccount): boolean {
  return account.signers.length > 0;
}

function usernames(accounts: readonly SigningAccount[]): string {
  return quotedList(
    accounts.map((account) => account.username),
    "or",
  );
}

function policySentence(
  input: SigningPolicyInput,
  acceptedSigners: readonly SigningAccount[],
  acceptsUnsigned: boolean,
): string {
  const signer = input.requiredSigner;
  if (signer !== undefined && !hasCertificates(signer)) {
    return `Packages must be unsigned: '${signer.username}' is the required signer but has registered no certificate.`;
  }
  if (acceptedSigners.length === 0) {
    // nuget.org's "every owner has certificates" holds vacuously for a package left without owners.
    return acceptsUnsigned
      ? "Unsigned packages are accepted; signed packages are refused until an owner registers the signing certificate."
      : "No package can be accepted: the package has no owners, so nobody may sign it.";
  }
  const certificateOf = `a certificate registered to ${usernames(acceptedSigners)}`;
  return acceptsUnsigned
    ? `Packages may be unsigned, or signed with ${certificateOf}.`
    : `Packages must be signed with ${certificateOf}.`;
}

/** The package's signing policy: whether unsigned packages are accepted, whose certificates
 * may sign, and the sentence that says so. */
export function describeSigningPolicy(input: SigningPolicyInput): SigningPolicy {
  const signer = input.requiredSigner;
  const acceptsUnsigned = signer === undefined ? !input.owners.every(hasCertificates) : !hasCertificates(signer);
  const acceptedSigners =
    signer === undefined ? input.owners.filter(hasCertificates) : hasCertificates(signer) ? [signer] : [];
  return { acceptsUnsigned, acceptedSigners, sentence: policySentence(input, acceptedSigners, acceptsUnsigned) };
}

function unsignedIssue(input: SigningRequirementsInput, policy: SigningPolicy): Issue {
  if (policy.acceptedSigners.length === 0) return error("PACKAGE_NOT_SIGNED", policy.sentence);
  const repositoryOnly =
    input.signatureKind === "repository-only"
      ? " A repository signature alone does not count: the package needs an author signature."
      : "";
  const reason =
    input.requiredSigner === undefined ? ", because every owner of the package has registered a certificate" : "";
  return error(
    "PACKAGE_NOT_SIGNED",
    `This package must be signed with a certificate registered to ${usernames(policy.acceptedSigners)}${reason}.${repositoryOnly}`,
  );
}

function describeRegistration(registered: RegisteredSigner): string {
  return registered.kind === "certificate"
    ? "this certificate"
    : `the signer identity ${identityLabel(registered.rule)}`;
}

function unprovenSignerIssue(fingerprint: string, account: SigningAccount, registered: RegisteredSigner): Issue {
  return error(
    "SIGNER_NOT_PROVEN",
    `The package was signed with certificate ${fingerprint}. '${account.username}' registered ${describeRegistration(registered)} but has not proven holding its private key, and a push proves it only the first time the gallery sees the key, which is not now. Prove it on the Certificates page (sign the one-time challenge with dotnet nuget sign or openssl cms), then push again.`,
  );
}

function unregisteredSignerIssue(input: SigningRequirementsInput, fingerprint: string): Issue {
  const signed = `The package was signed with certificate ${fingerprint}`;
  const signer = input.requiredSigner;
  if (signer !== undefined && !hasCertificates(signer)) {
    return error(
      "SIGNER_NOT_REGISTERED",
      `${signed}, but '${signer.username}', the package's required signer, has registered no certificate, so signed packages are refused. '${signer.username}' must register this certificate, or the package must be pushed unsigned.`,
    );
  }
  if (signer !== undefined) {
    return error(
      "SIGNER_NOT_REGISTERED",
      `${signed}, which is not registered to '${signer.username}', the package's required signer. Sign with a certificate registered to '${signer.username}', or have '${signer.username}' register this one.`,
    );
  }
  const owners = input.owners.map((owner) => owner.username);
  if (owners.length === 0)
    return error("SIGNER_NOT_REGISTERED", `${signed}, but the package has no owners who could register it.`);
  return error(
    "SIGNER_NOT_REGISTERED",
    `${signed}, which is not registered to any owner of the package (${quotedList(owners, "or")}). An owner must register this certificate on their account before packages signed with it are accepted.`,
  );
}

/**
 * Whose registration lets the author signature through (the first accepted signer that allows
 * it), with each refused signer's decision; null for unsigned packages.
 */
function judgeSigner(
  input: SigningRequirementsInput & { signatureKind: "author" },
  policy: SigningPolicy,
): {
  authorization: SignerAuthorization | null;
  unproven: { account: SigningAccount; registered: RegisteredSigner } | null;
} {
  let unproven: { account: SigningAccount; registered: RegisteredSigner } | null = null;
  for (const account of policy.acceptedSigners) {
    const decision = decideSigner(account, input.signer);
    if (decision.allowed) return { authorization: decision.authorization, unproven: null };
    if (decision.unproven && !unproven) unproven = { account, registered: decision.unproven };
  }
  return { authorization: null, unproven };
}

/** Whose registration (and which proof) lets the package's author signature through; null when none does or it is unsigned. */
export function authorizeSigner(input: SigningRequirementsInput): SignerAuthorization | null {
  if (input.signatureKind !== "author") return null;
  return judgeSigner(input, describeSigningPolicy(input)).authorization;
}

/** Whether the package's signature (or lack of one) satisfies its signing policy; the issues
 * name who must register or prove what. Whether the signature itself is valid is the engine's question. */
export function judgeSigningRequirements(input: SigningRequirementsInput): Issue[] {
  const policy = describeSigningPolicy(input);
  if (input.signatureKind !== "author") return policy.acceptsUnsigned ? [] : [unsignedIssue(input, policy)];
  const fingerprint = input.signer.fingerprint.replace(/[\s:]/g, "").toLowerCase();
  const { authorization, unproven } = judgeSigner(input, policy);
  if (authorization) return [];
  if (unproven) return [unprovenSignerIssue(fingerprint, unproven.account, unproven.registered)];
  return [unregisteredSignerIssue(input, fingerprint)];
}
