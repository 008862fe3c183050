import Link from "next/link";

/** Owner usernames, each a search for that owner's packages. */
export function OwnerLinks({ owners }: { owners: string[] }) {
  return owners.map((owner, index) => (
    <span key={owner}>
      {index > 0 ? ", " : null}
      <Link href={`/packages?q=${encodeURIComponent(owner)}`}>{owner}</Link>
    </span>
  ));
}
