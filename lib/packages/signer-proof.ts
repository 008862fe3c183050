// What a package page says about who vouched for a version's signer (issue 17): whose registered
// certificate or signer identity let the author signature through, how that account proved it
// holds the key, and whether that account is the one that uploaded the version. Read from the
// SignerAuthorization recorded when the version was published; versions published before it was
// recorded, or published by an administrator's approval, have none and say so.
import { z } from "zod";

const StoredAuthorization = z.object({
  username: z.string(),
  via: z.enum(["certificate", "identity"]),
  identityLabel: z.string().nullable(),
  proof: z.enum(["CHALLENGE", "FIRST_PUSH"]),
});

export interface SignerProofView {
  /** "uploader": the uploading account's own proven registration; "owner": another owner's; "none": nobody's on record. */
  by: "uploader" | "owner" | "none";
  /** The signer identity that matched, when the version was let through by one. */
  identityLabel: string | null;
  sentence: string;
}

const PROOF_WORDS = {
  CHALLENGE: "by signing a one-time challenge",
  FIRST_PUSH: "by the first push the gallery saw signed with that key",
} as const;

/** The view for a signed version, from its stored authorization (JSON text) and its publisher. */
export function signerProof(storedAuthorization: string | null, publisher: string): SignerProofView {
  let parsed: z.infer<typeof StoredAuthorization> | null = null;
  try {
    parsed = storedAuthorization ? StoredAuthorization.parse(JSON.parse(storedAuthorization)) : null;
  } catch {
    parsed = null;
  }
  if (!parsed) {
    return {
      by: "none",
      identityLabel: null,
      sentence: `No proven registration of this signer is on record for it: it was published before proof of possession was recorded, or by an administrator's approval. The uploading account was '${publisher}'.`,
    };
  }
  const what = parsed.via === "identity" ? `signer identity ${parsed.identityLabel ?? ""}`.trim() : "certificate";
  const how = PROOF_WORDS[parsed.proof];
  if (parsed.username === publisher) {
    return {
      by: "uploader",
      identityLabel: parsed.identityLabel,
      sentence: `Signer proven by the uploading account '${publisher}': it registered this ${what} and proved holding the key ${how}.`,
    };
  }
  return {
    by: "owner",
    identityLabel: parsed.identityLabel,
    sentence: `Signer not proven by the uploading account '${publisher}', but by the owner '${parsed.username}', who registered this ${what} and proved holding the key ${how}.`,
  };
}
