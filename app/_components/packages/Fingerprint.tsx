import { displayFingerprint } from "@/lib/certificates/fingerprint";

/** A certificate fingerprint in the site's one form: upper-case hex pairs joined by colons, wrapping anywhere on a phone. */
export function Fingerprint({ hex, id, className = "text-xs" }: { hex: string; id?: string; className?: string }) {
  return (
    <code id={id} data-fingerprint className={`font-mono break-all ${className}`}>
      {displayFingerprint(hex)}
    </code>
  );
}
