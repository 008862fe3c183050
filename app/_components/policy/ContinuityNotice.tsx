// The signer-continuity notice of a version: a warning when the signer changed to one nobody
// registered together with the previous one, or the signature was dropped; a note for a renewed
// certificate or a first signature.
import type { ContinuityView } from "@/lib/packages/version-trust";

export function ContinuityNotice({ continuity }: { continuity: ContinuityView }) {
  const { notice } = continuity;
  if (!notice) return null;
  const className =
    notice.level === "warning"
      ? "border-amber-400 bg-amber-50 text-amber-950"
      : "border-sky-300 bg-sky-50 text-sky-950";
  return (
    <div
      data-continuity={continuity.value}
      role={notice.level === "warning" ? "alert" : "note"}
      className={`rounded border p-3 text-sm ${className}`}
    >
      <p className="font-semibold">{notice.level === "warning" ? "Signer changed" : "Signer note"}</p>
      <p>{notice.sentence}</p>
    </div>
  );
}
