// What the upload rules read of the gallery's records, and nothing more: the judge is handed an
// object that answers these questions (lib/uploads/judge-records.ts reads them from the
// database), so lib/validation stays free of database code and a test can answer them itself.
import type { PrefixReservationRule } from "./rules/prefix-reservation";
import type { SigningAccount } from "./rules/signing-requirements";

export interface PackageRecords {
  /** The ID's registration, or null when the ID is new. */
  registration: {
    /** Its owners, first owner first. */
    owners: SigningAccount[];
    requiredSigner: SigningAccount | null;
    /** Whether the version being judged is already published. */
    versionExists: boolean;
  } | null;
  uploader: SigningAccount;
  /** Every reservation that could match the ID. */
  reservations: PrefixReservationRule[];
}

export interface CertificateCompromise {
  compromisedAt: Date;
  reason: string | null;
}

/** What the gallery has seen of a signer before this upload (the first-push rule, lib/validation/rules/signer-rules.ts). */
export interface SignerHistory {
  certificateFirstSeen: boolean;
  identitiesSeen: ReadonlySet<string>;
}

export interface JudgeRecords {
  /** The records of an ID and normalised version for this uploader; fails with UPLOADER_NOT_FOUND when the account is gone. */
  packageRecords(packageId: string, version: string, uploaderId: string): Promise<PackageRecords>;
  /** When the certificate with this SHA-256 fingerprint was marked compromised, or null. */
  certificateCompromise(sha256Fingerprint: string): Promise<CertificateCompromise | null>;
  /**
   * Whether the gallery has seen this signing key before (a published version signed with the
   * certificate, or someone's proven registration of it), and which of these signer-identity
   * match keys already had a certificate recorded or proven under them (by any account).
   */
  signerHistory(sha256Fingerprint: string, identityMatchKeys: readonly string[]): Promise<SignerHistory>;
}
