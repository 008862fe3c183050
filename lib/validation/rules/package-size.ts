// Upload size rules: nuget.org answers 413 "The package file exceeds the size limit."; the limit
// comes from configuration (maxPackageBytes in lib/config.ts, nuget.org's 250 MB by default), and
// the message names both sizes.

import { error, type Issue } from "@/lib/issues";
import { formatSize } from "./wording";

/** A 0-byte upload and an upload above the limit are refused; anything else passes here
 * (whether the bytes are a package is the zip reader's question). */
export function checkPackageSize(sizeInBytes: number, limitInBytes: number): Issue[] {
  if (sizeInBytes === 0) {
    return [error("PACKAGE_EMPTY", "The upload is empty (0 bytes); choose a .nupkg file and try again.")];
  }
  if (sizeInBytes > limitInBytes) {
    return [
      error(
        "PACKAGE_TOO_LARGE",
        `The package is ${formatSize(sizeInBytes)} (${sizeInBytes.toLocaleString("en-US")} bytes), above this gallery's limit of ${formatSize(limitInBytes)}.`,
      ),
    ];
  }
  return [];
}
