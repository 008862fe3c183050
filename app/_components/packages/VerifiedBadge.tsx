import type { Verification } from "@/lib/packages/verification";

/** A check mark for IDs inside a reservation an owner holds; says which one, to pointers and screen readers. */
export function VerifiedBadge({ verification }: { verification: Verification }) {
  if (!verification.verified || verification.sentence === null) return null;
  return (
    <span data-verified title={verification.sentence} className="inline-flex shrink-0 items-center text-accent">
      <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5" fill="currentColor">
        <path
          fillRule="evenodd"
          d="M10 1.5l2.1 1.6 2.6-.3 1 2.4 2.4 1-.3 2.6 1.6 2.1-1.6 2.1.3 2.6-2.4 1-1 2.4-2.6-.3L10 18.5l-2.1-1.6-2.6.3-1-2.4-2.4-1 .3-2.6L.6 9.1l1.6-2.1-.3-2.6 2.4-1 1-2.4 2.6.3L10 1.5zm-1.2 11.8l5.3-5.3-1.2-1.2-4.1 4.1-1.9-1.9-1.2 1.2 3.1 3.1z"
        />
      </svg>
      <span className="sr-only">{verification.sentence}</span>
    </span>
  );
}
