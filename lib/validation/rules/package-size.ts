// Upload size rules. nuget.org caps requests at 250 MB in IIS (maxAllowedContentLength
// 262,144,000 bytes) and answers 413 "The package file exceeds the size limit."; we use the same
// default but take the limit from configuration, and also name the sizes in the message.

import { error, type Issue } from "@/lib/issues";
import { formatSize } from "./wording";

export const DEFAULT_PACKAGE_SIZE_LIMIT = 250 * 1024 * 1024;

/** A 0-byte upload and an upload above the limit are refused; anything else passes here
 * (whether the bytes are a package is the zip reader's question). */
export function checkPackageSize(sizeInBytes: number, limitInBytes: number = DEFAULT_PACKAGE_SIZE_LIMIT): Issue[] {
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
