import type { Verification } from "@/lib/packages/verification";

/**
 * A check mark with "ID reserved" for IDs inside a reservation an owner holds; says which one, to
 * pointers and screen readers. It is about who may publish under the name, never about whether a
 * version is safe, so it is slate, not the green or blue of a good signature.
 */
export function VerifiedBadge({ verification }: { verification: Verification }) {
  if (!verification.verified || verification.sentence === null) return null;
  const sentence = `${verification.sentence} This says who may publish under this ID, not whether a version is safe.`;
  return (
    <span
      data-verified
      title={sentence}
      className="inline-flex shrink-0 items-center gap-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700"
    >
      <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
        <path
          fillRule="evenodd"
          d="M10 1.5l2.1 1.6 2.6-.3 1 2.4 2.4 1-.3 2.6 1.6 2.1-1.6 2.1.3 2.6-2.4 1-1 2.4-2.6-.3L10 18.5l-2.1-1.6-2.6.3-1-2.4-2.4-1 .3-2.6L.6 9.1l1.6-2.1-.3-2.6 2.4-1 1-2.4 2.6.3L10 1.5zm-1.2 11.8l5.3-5.3-1.2-1.2-4.1 4.1-1.9-1.9-1.2 1.2 3.1 3.1z"
        />
      </svg>
      <span aria-hidden="true">ID reserved</span>
      <span className="sr-only">{sentence}</span>
    </span>
  );
}
