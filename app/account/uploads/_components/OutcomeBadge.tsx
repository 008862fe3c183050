// An upload attempt's status as its author reads it. "Refused" rather than the stored
// REJECTED: it is the gallery's decision about the package, not an error in the upload.
import type { UploadStatusName } from "@/lib/uploads";

const OUTCOMES: Record<UploadStatusName, { label: string; style: string }> = {
  PREVIEW: { label: "Preview", style: "bg-slate-100 text-slate-700" },
  ACCEPTED: { label: "Accepted", style: "bg-green-100 text-green-800" },
  REJECTED: { label: "Refused", style: "bg-red-100 text-red-800" },
  APPROVED: { label: "Approved", style: "bg-blue-100 text-blue-800" },
  DELETED: { label: "Deleted", style: "bg-slate-200 text-slate-600" },
};

export function OutcomeBadge({ status }: { status: UploadStatusName }) {
  const outcome = OUTCOMES[status];
  return (
    <span
      data-outcome={status}
      className={`whitespace-nowrap rounded px-2 py-0.5 text-xs font-medium ${outcome.style}`}
    >
      {outcome.label}
    </span>
  );
}
