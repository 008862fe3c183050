import { describe, expect, it } from "vitest";
import { checkPackageOwnership } from "./package-ownership";

describe("checkPackageOwnership", () => {
  it("lets anyone create a new ID (the pusher becomes its owner)", () => {
    expect(
      checkPackageOwnership({ packageId: "New.Package", isNewId: true, pusherUserId: "u1", ownerUserIds: [] }),
    ).toEqual([]);
  });

  it("lets an owner push a version of an existing ID", () => {
    expect(
      checkPackageOwnership({ packageId: "Old", isNewId: false, pusherUserId: "u2", ownerUserIds: ["u1", "u2"] }),
    ).toEqual([]);
  });

  it("refuses a version of an existing ID from someone who does not own it", () => {
    expect(
      checkPackageOwnership({ packageId: "Old", isNewId: false, pusherUserId: "u3", ownerUserIds: ["u1", "u2"] }),
    ).toEqual([
      {
        code: "PACKAGE_NOT_OWNED",
        level: "error",
        message:
          "The package 'Old' already exists and you are not one of its owners; only its owners can push new versions.",
      },
    ]);
  });
});
