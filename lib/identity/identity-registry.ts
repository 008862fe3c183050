// Signer identities registered on accounts (issue 17, part 2): for short-lived certificates
// (Azure Trusted Signing's live about three days) an account registers once what stays the same
// from one certificate to the next, and every certificate matching it signs for the account
// (lib/validation/rules/signer-rules.ts decides; lib/identity/publication.ts records each concrete
// certificate seen under the identity). Every function takes the acting user's id, so one account
// never reaches another's identities.
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import { parseFingerprint } from "@/lib/certificates/fingerprint";
import {
  identityLabel,
  identityMatchKey,
  TRUSTED_SIGNING_EKU_ARC,
  TRUSTED_SIGNING_MARKER_EKU,
  type IdentityRule,
  type PossessionProofName,
  type SignerIdentityKindName,
  type SubjectField,
} from "@/lib/validation/rules/signer-rules";
import { identityRule } from "@/lib/validation/rules/stored-identity";

/** Subject attribute names a rule may pin, by upper case, as lib/signing/names.ts reports them; dotted OIDs name others. */
const NAMED_SUBJECT_TYPES = new Map(
  ["CN", "O", "OU", "L", "ST", "C", "serialNumber"].map((name) => [name.toUpperCase(), name]),
);
const DOTTED_OID = /^[0-2](?:\.(?:0|[1-9][0-9]{0,9})){1,20}$/;
const MAX_FIELD_VALUE_LENGTH = 256;
const MAX_SUBJECT_FIELDS = 8;

export interface IdentityRegistration {
  kind: SignerIdentityKindName;
  caFingerprint: string;
  subjectFields?: readonly SubjectField[];
  identityOid?: string | null;
}

export interface IdentityCertificate {
  sha256Fingerprint: string;
  subject: string | null;
  notBefore: string | null;
  notAfter: string | null;
  firstSeenAt: string;
}

export interface RegisteredIdentity {
  id: string;
  kind: SignerIdentityKindName;
  caFingerprint: string;
  subjectFields: SubjectField[];
  identityOid: string | null;
  label: string;
  registeredAt: string;
  provenBy: PossessionProofName | null;
  provenAt: string | null;
  /** Every concrete certificate a published version was signed with under this identity, newest first. */
  certificates: IdentityCertificate[];
}

const IDENTITY_FIELDS = {
  id: true,
  kind: true,
  caFingerprint: true,
  subjectFields: true,
  identityOid: true,
  createdAt: true,
  provenBy: true,
  provenAt: true,
  certificates: {
    orderBy: { firstSeenAt: "desc" },
    select: {
      firstSeenAt: true,
      certificate: { select: { sha256Fingerprint: true, subject: true, notBefore: true, notAfter: true } },
    },
  },
} as const;

interface IdentityRow {
  id: string;
  kind: SignerIdentityKindName;
  caFingerprint: string;
  subjectFields: string;
  identityOid: string | null;
  createdAt: Date;
  provenBy: PossessionProofName | null;
  provenAt: Date | null;
  certificates: {
    firstSeenAt: Date;
    certificate: { sha256Fingerprint: string; subject: string | null; notBefore: Date | null; notAfter: Date | null };
  }[];
}

function toRegisteredIdentity(row: IdentityRow): RegisteredIdentity {
  const rule = identityRule(row);
  return {
    id: row.id,
    kind: row.kind,
    caFingerprint: row.caFingerprint,
    subjectFields: [...rule.subjectFields],
    identityOid: row.identityOid,
    label: identityLabel(rule),
    registeredAt: row.createdAt.toISOString(),
    provenBy: row.provenBy,
    provenAt: row.provenAt?.toISOString() ?? null,
    certificates: row.certificates.map(({ firstSeenAt, certificate }) => ({
      sha256Fingerprint: certificate.sha256Fingerprint,
      subject: certificate.subject,
      notBefore: certificate.notBefore?.toISOString() ?? null,
      notAfter: certificate.notAfter?.toISOString() ?? null,
      firstSeenAt: firstSeenAt.toISOString(),
    })),
  };
}

function subjectFieldsOf(fields: readonly SubjectField[]): SubjectField[] {
  if (fields.length === 0)
    throw new IssueError(
      "SIGNER_IDENTITY_INVALID",
      "Name at least one subject field the certificates keep (for example O=Contoso Ltd), or register a Trusted Signing identity EKU instead.",
    );
  if (fields.length > MAX_SUBJECT_FIELDS)
    throw new IssueError(
      "SIGNER_IDENTITY_INVALID",
      `A signer identity pins at most ${MAX_SUBJECT_FIELDS} subject fields.`,
    );
  const seen = new Set<string>();
  return fields.map((field) => {
    const named = field.type.trim();
    const type = DOTTED_OID.test(named) ? named : NAMED_SUBJECT_TYPES.get(named.toUpperCase());
    if (!type)
      throw new IssueError(
        "SIGNER_IDENTITY_INVALID",
        `'${field.type}' is not a subject field: use CN, O, OU, L, ST, C, serialNumber or a dotted OID.`,
      );
    if (seen.has(type))
      throw new IssueError(
        "SIGNER_IDENTITY_INVALID",
        `The subject field ${type} is named twice; a certificate matches one value per field.`,
      );
    seen.add(type);
    const value = field.value.trim();
    if (value.length === 0 || value.length > MAX_FIELD_VALUE_LENGTH) {
      throw new IssueError(
        "SIGNER_IDENTITY_INVALID",
        `The value of ${type} must be 1 to ${MAX_FIELD_VALUE_LENGTH} characters, exactly as the certificates carry it.`,
      );
    }
    return { type, value };
  });
}

function trustedSigningOid(oid: string | null | undefined): string {
  const trimmed = (oid ?? "").trim();
  if (
    !DOTTED_OID.test(trimmed) ||
    !trimmed.startsWith(TRUSTED_SIGNING_EKU_ARC) ||
    trimmed === TRUSTED_SIGNING_MARKER_EKU
  ) {
    throw new IssueError(
      "SIGNER_IDENTITY_INVALID",
      `A Trusted Signing identity is the EKU under ${TRUSTED_SIGNING_EKU_ARC} that is not ${TRUSTED_SIGNING_MARKER_EKU} (for example ${TRUSTED_SIGNING_EKU_ARC}990309390.766961637.194916062.941502583); it is listed in the certificate's Enhanced Key Usage.`,
    );
  }
  return trimmed;
}

/** The rule as the gallery stores it: fingerprint normalised, fields checked, the EKU under Microsoft's arc. */
export function identityRuleOf(registration: IdentityRegistration): IdentityRule {
  const caFingerprint = parseFingerprint(registration.caFingerprint);
  if (registration.kind === "TRUSTED_SIGNING_EKU")
    return {
      kind: registration.kind,
      caFingerprint,
      subjectFields: [],
      identityOid: trustedSigningOid(registration.identityOid),
    };
  return {
    kind: registration.kind,
    caFingerprint,
    subjectFields: subjectFieldsOf(registration.subjectFields ?? []),
    identityOid: null,
  };
}

export async function listSignerIdentities(db: Db, userId: string): Promise<RegisteredIdentity[]> {
  const rows = await db.signerIdentity.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: IDENTITY_FIELDS,
  });
  return rows.map(toRegisteredIdentity);
}

/**
 * Registers the identity on the account, awaiting proof of possession (a challenge, or the first
 * push of a certificate of it the gallery has not seen). The unique (user, match key) index
 * decides duplicates, so two simultaneous requests cannot both succeed.
 */
export async function registerSignerIdentity(
  db: Db,
  userId: string,
  registration: IdentityRegistration,
): Promise<RegisteredIdentity> {
  const rule = identityRuleOf(registration);
  const matchKey = identityMatchKey(rule);
  try {
    const row = await db.signerIdentity.create({
      data: {
        userId,
        kind: rule.kind,
        caFingerprint: rule.caFingerprint,
        subjectFields: JSON.stringify(rule.subjectFields),
        identityOid: rule.identityOid,
        matchKey,
      },
      select: IDENTITY_FIELDS,
    });
    return toRegisteredIdentity(row);
  } catch (caught) {
    const existing = await db.signerIdentity.findUnique({
      where: { userId_matchKey: { userId, matchKey } },
      select: { id: true },
    });
    if (existing)
      throw new IssueError("SIGNER_IDENTITY_EXISTS", "This signer identity is already registered on your account.");
    throw caught;
  }
}

/** Removes one of the user's identities; someone else's is reported as not found. Versions it let through keep their record. */
export async function removeSignerIdentity(db: Db, userId: string, identityId: string): Promise<void> {
  const { count } = await db.signerIdentity.deleteMany({ where: { id: identityId, userId } });
  if (count === 0)
    throw new IssueError("SIGNER_IDENTITY_NOT_FOUND", "No such signer identity is registered on your account.");
}
