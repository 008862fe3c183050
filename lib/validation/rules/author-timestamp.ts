// nuget.org's upload policy on top of the client's verdict (reference: gallery behaviour §2.4
// step 8, allowNoTimestamp=false and allowMultipleTimestamps=false): an author signature must
// carry exactly one timestamp, and it must be valid. The client itself only warns (NU3027)
// about a missing timestamp, so a package it accepts can still be refused here.
//
// Why the gallery insists: the timestamp is the only proof of when the package was signed. It
// keeps the signature valid after the certificate expires, and it is the time a compromise
// mark is judged against; without it the gallery can only vouch for when it received the file.
//
// Multiple timestamps are refused too, as nuget.org does: NuGet judges the signature by its
// first timestamp alone, so a second one is never checked by anyone who installs the
// package, and two times on one signature leave a reader guessing which one counts.
//
// Repository signatures are not covered: this rule is about what an author must prove.

import { error, type Issue } from "@/lib/issues";
import type { SignatureReport } from "@/lib/signing/report";

const RESIGN =
  "Sign the package again with a timestamp server: dotnet nuget sign <package> --timestamper <RFC 3161 URL> (with your certificate options).";
const WHY =
  "Like nuget.org, this gallery requires exactly one valid RFC 3161 timestamp on the author signature: it proves when the package was signed.";

export function checkAuthorTimestamp(report: SignatureReport): Issue[] {
  const author = report.author;
  if (author?.kind !== "author") return [];
  const { timestamps } = author;
  if (timestamps.length > 1) {
    return [
      error(
        "AUTHOR_TIMESTAMP_MULTIPLE",
        `The author signature carries ${timestamps.length} timestamps. ${WHY} ${RESIGN}`,
      ),
    ];
  }
  if (timestamps.length === 0) {
    return [error("AUTHOR_TIMESTAMP_MISSING", `The author signature has no readable timestamp. ${WHY} ${RESIGN}`)];
  }
  if (!timestamps[0]?.valid) {
    return [
      error(
        "AUTHOR_TIMESTAMP_INVALID",
        `The author signature's timestamp is not valid (the errors above say why). ${WHY} ${RESIGN}`,
      ),
    ];
  }
  return [];
}
