import { describe, expect, it } from "vitest";
import { verifyPackageId, type ReservationWithOwners } from "./verification";

const alice = { id: "u-alice", username: "alice" };
const bob = { id: "u-bob", username: "bob" };
const mallory = { id: "u-mallory", username: "mallory" };

const contosoPrefix: ReservationWithOwners = {
  pattern: "Contoso.",
  isPrefix: true,
  isPublic: false,
  owners: [alice, bob],
};

describe("verifyPackageId", () => {
  it("says which reservation and which owner make an ID verified", () => {
    expect(verifyPackageId("Contoso.Tools", [alice], [contosoPrefix])).toEqual({
      verified: true,
      sentence: "Verified: the ID prefix Contoso.* is reserved for package owner alice.",
    });
  });

  it("names every owner holding it and every matching reservation", () => {
    const exact: ReservationWithOwners = { pattern: "Contoso.Tools", isPrefix: false, isPublic: false, owners: [bob] };
    expect(verifyPackageId("contoso.tools", [alice, bob], [contosoPrefix, exact]).sentence).toBe(
      "Verified: the ID prefix Contoso.* is reserved for package owners alice and bob and the ID Contoso.Tools is reserved for package owner bob.",
    );
  });

  it("is not verified when no owner holds a matching reservation, even a public one", () => {
    const shared: ReservationWithOwners = { ...contosoPrefix, isPublic: true };
    expect(verifyPackageId("Contoso.Tools", [mallory], [shared])).toEqual({ verified: false, sentence: null });
    expect(verifyPackageId("Fabrikam.Tools", [alice], [contosoPrefix]).verified).toBe(false);
  });
});
