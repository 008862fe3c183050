// A signer identity as stored (subject fields as JSON text) turned into the rule the pure
// matcher reads. Stored text that is not the JSON it should be matches nothing rather than
// failing every push of the account.
import { z } from "zod";
import type { IdentityRule, SignerIdentityKindName } from "./signer-rules";

const StoredSubjectFields = z.array(z.object({ type: z.string(), value: z.string() }));

export interface StoredIdentity {
  kind: SignerIdentityKindName;
  caFingerprint: string;
  subjectFields: string;
  identityOid: string | null;
}

export function identityRule(stored: StoredIdentity): IdentityRule {
  let subjectFields: IdentityRule["subjectFields"] = [];
  try {
    subjectFields = StoredSubjectFields.parse(JSON.parse(stored.subjectFields));
  } catch {
    subjectFields = [];
  }
  return { kind: stored.kind, caFingerprint: stored.caFingerprint, subjectFields, identityOid: stored.identityOid };
}
