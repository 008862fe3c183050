// Reading single attributes back out of the RFC 4514 subject and issuer strings the signature
// engine stores (lib/signing/names.ts writes them), e.g. the CN a badge shows. Browser-safe.

/** Splits "CN=A\, B,O=C" into its attribute-value pairs, undoing RFC 4514 escapes. */
export function parseDistinguishedName(dn: string): Array<{ type: string; value: string }> {
  const attributes: Array<{ type: string; value: string }> = [];
  let current = "";
  let index = 0;
  const finish = () => {
    const equals = current.indexOf("=");
    if (equals > 0) attributes.push({ type: current.slice(0, equals).trim(), value: current.slice(equals + 1) });
    current = "";
  };
  while (index < dn.length) {
    const character = dn[index] ?? "";
    if (character === "\\") {
      const pair = dn.slice(index + 1, index + 3);
      // "\2C" is a hex-escaped byte; "\," an escaped special character.
      if (/^[0-9a-fA-F]{2}$/.test(pair)) {
        current += String.fromCharCode(parseInt(pair, 16));
        index += 3;
      } else {
        current += dn[index + 1] ?? "";
        index += 2;
      }
      continue;
    }
    // "+" joins the values of a multi-valued RDN: each is an attribute of its own here.
    if (character === "," || character === "+") finish();
    else current += character;
    index += 1;
  }
  finish();
  return attributes;
}

/** The first value of an attribute type ("CN", "O"), case-insensitively; null when absent. */
export function nameAttribute(dn: string, type: string): string | null {
  const wanted = type.toUpperCase();
  return parseDistinguishedName(dn).find((attribute) => attribute.type.toUpperCase() === wanted)?.value ?? null;
}

/** What to call a certificate's holder in one phrase: its CN, else its O, else the whole name. */
export function displayName(dn: string): string {
  return nameAttribute(dn, "CN") ?? nameAttribute(dn, "O") ?? dn;
}

/** A value as RFC 4514 escapes it, so a "," inside a value never reads as a separator. */
function escapeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;]/g, (character) => `\\${character}`)
    .replace(/^([ #])/, "\\$1")
    .replace(/ $/, "\\ ");
}

/**
 * The one form every page writes a distinguished name in: the CN first, then the other
 * attributes in the stored order, separated by ", " ("CN=Contoso Signing, O=Contoso\, Inc.,
 * C=US"), as `dotnet nuget verify` and Windows print them.
 */
export function formatDistinguishedName(dn: string): string {
  const attributes = parseDistinguishedName(dn);
  return attributes.length === 0 ? dn : formatNameAttributes(attributes);
}

/** Attribute-value pairs (some of a name's, as a signer identity lists them) in formatDistinguishedName's form. */
export function formatNameAttributes(attributes: ReadonlyArray<{ type: string; value: string }>): string {
  const isCommonName = (attribute: { type: string }) => attribute.type.toUpperCase() === "CN";
  return [...attributes.filter(isCommonName), ...attributes.filter((attribute) => !isCommonName(attribute))]
    .map((attribute) => `${attribute.type}=${escapeValue(attribute.value)}`)
    .join(", ");
}
