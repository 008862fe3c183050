// nuget.org's upload rule for countersignatures (reference: signing format §4, gallery behaviour
// §2.4 step 4, its validation issue 7 "Author countersignatures are not supported."): a
// countersignature with the author commitment type (proof of origin) is refused. NuGet's client
// ignores such a countersignature when it verifies, so nobody who installs the package would
// ever check it, yet the package page would carry a second "author" that nothing vouches for.
// The one countersignature NuGet defines is the repository's, which the gallery adds itself.
//
// Judged on the package as uploaded, before other repositories' signatures are taken off, as
// nuget.org checks it before stripping them.

import { error, type Issue } from "@/lib/issues";
import type { SignatureReport } from "@/lib/signing/report";

export function checkAuthorCountersignatures(report: SignatureReport): Issue[] {
  const authors = (report.otherCountersignatureKinds ?? []).filter((kind) => kind === "author").length;
  if (authors === 0) return [];
  const which = authors === 1 ? "a countersignature" : `${authors} countersignatures`;
  return [
    error(
      "AUTHOR_COUNTERSIGNATURE",
      `The package signature carries ${which} with the author commitment type; like nuget.org, this gallery does not accept author countersignatures (NuGet ignores them, so nobody could rely on one). Sign the package once, with an author signature only, and push it again.`,
    ),
  ];
}
