import { formatDistinguishedName, formatNameAttributes } from "@/lib/signing/distinguished-name";

type NameText = { value: string } | { attributes: ReadonlyArray<{ type: string; value: string }> };

/**
 * A certificate's subject or issuer (or the attributes of one a signer identity names) in the
 * site's one form: CN first, ", " between attributes. Wraps on a phone.
 */
export function DistinguishedName({ className = "", ...name }: NameText & { className?: string }) {
  return (
    <span data-dn className={`break-words ${className}`}>
      {"value" in name ? formatDistinguishedName(name.value) : formatNameAttributes(name.attributes)}
    </span>
  );
}
