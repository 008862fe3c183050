// Who may push a version (issue 5, nuget.org §2.1 step 5): a new ID makes the pusher its first
// owner; an existing ID accepts versions only from its owners. nuget.org answers a non-owner with
// its generic 401 API-key sentence; we name the package so the pusher knows what went wrong.

import { error, type ErrorIssue } from "@/lib/issues";

export interface OwnershipInput {
  packageId: string;
  isNewId: boolean;
  pusherUserId: string;
  /** The current owners of an existing ID (ignored for a new one). */
  ownerUserIds: readonly string[];
}

export function checkPackageOwnership(input: OwnershipInput): ErrorIssue[] {
  if (input.isNewId || input.ownerUserIds.includes(input.pusherUserId)) return [];
  return [
    error(
      "PACKAGE_NOT_OWNED",
      `The package '${input.packageId}' already exists and you are not one of its owners; only its owners can push new versions.`,
    ),
  ];
}
