// Revocation as a fact about how the gallery checks, not a warning about one package: the
// engine reports "revocation checking is offline" once per chain it built (signer, timestamp
// authority, repository), which read as four orange warnings on every signed package. They
// become one neutral line saying when the signature was checked and how.
import { isOfflineRevocationNotice } from "@/lib/signing/revocation";
import type { Issue } from "@/lib/issues";
import { Time } from "./Time";

/** The issues without the offline-revocation notices, and whether there were any. */
export function withoutRevocationNotices(issues: readonly Issue[]): { issues: Issue[]; checkedOffline: boolean } {
  const remaining = issues.filter((issue) => !isOfflineRevocationNotice(issue));
  return { issues: remaining, checkedOffline: remaining.length < issues.length };
}

export function RevocationNote({ checkedAt }: { checkedAt: Date | string | null }) {
  return (
    <p data-revocation-note className="rounded border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700">
      <span className="font-medium">Revocation:</span> checked{" "}
      {checkedAt ? <Time value={checkedAt} /> : "when the package was received"} against the gallery&apos;s own records
      only (certificates its administrators marked compromised); the gallery does not ask certificate authorities online
      (OCSP or CRL).
    </p>
  );
}
