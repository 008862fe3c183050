import { describe, expect, it } from "vitest";
import {
  displayReservationPattern,
  isVerifiedPackage,
  judgePrefixReservation,
  matchReservations,
  type PrefixReservationRule,
} from "./prefix-reservation";

const contoso: PrefixReservationRule = { pattern: "Contoso.", isPrefix: true, isPublic: false, ownerIds: ["alice"] };
const contosoAspNet: PrefixReservationRule = {
  pattern: "Contoso.AspNet.",
  isPrefix: true,
  isPublic: false,
  ownerIds: ["bob"],
};
const exactJson: PrefixReservationRule = { pattern: "Json", isPrefix: false, isPublic: false, ownerIds: ["carol"] };
const publicCommunity: PrefixReservationRule = {
  pattern: "Community.",
  isPrefix: true,
  isPublic: true,
  ownerIds: ["dave"],
};
const ownerless: PrefixReservationRule = { pattern: "System.", isPrefix: true, isPublic: false, ownerIds: [] };
const all = [contoso, contosoAspNet, exactJson, publicCommunity, ownerless];

describe("matchReservations", () => {
  it("matches prefixes by start and exact reservations by the whole ID, ignoring case", () => {
    expect(matchReservations("contoso.aspnet.mvc", all)).toEqual([contoso, contosoAspNet]);
    expect(matchReservations("JSON", all)).toEqual([exactJson]);
    expect(matchReservations("Json.Extras", all)).toEqual([]);
    expect(matchReservations("Fabrikam", all)).toEqual([]);
    expect(matchReservations("Fabrikam.Contoso.Core", all)).toEqual([]);
  });

  it("matches a prefix without a trailing dot against longer words too, as nuget.org does", () => {
    const bare: PrefixReservationRule = { pattern: "Contoso", isPrefix: true, isPublic: false, ownerIds: [] };
    expect(matchReservations("ContosoFoo", [bare])).toEqual([bare]);
  });

  it("shows prefixes with a trailing star", () => {
    expect(displayReservationPattern(contoso)).toBe("Contoso.*");
    expect(displayReservationPattern(exactJson)).toBe("Json");
  });
});

describe("judgePrefixReservation for a new ID", () => {
  it("allows an ID outside every reservation, without the checkmark", () => {
    expect(
      judgePrefixReservation({ packageId: "Fabrikam.Core", isNewId: true, ownerUserIds: ["eve"], reservations: all }),
    ).toEqual({
      issues: [],
      verified: false,
    });
  });

  it("allows and verifies the reservation's owner", () => {
    expect(
      judgePrefixReservation({ packageId: "Contoso.Core", isNewId: true, ownerUserIds: ["alice"], reservations: all }),
    ).toEqual({
      issues: [],
      verified: true,
    });
  });

  it("is satisfied by owning any one of several matching reservations", () => {
    const byBroader = judgePrefixReservation({
      packageId: "Contoso.AspNet.Mvc",
      isNewId: true,
      ownerUserIds: ["alice"],
      reservations: all,
    });
    const byNarrower = judgePrefixReservation({
      packageId: "Contoso.AspNet.Mvc",
      isNewId: true,
      ownerUserIds: ["bob"],
      reservations: all,
    });
    expect(byBroader).toEqual({ issues: [], verified: true });
    expect(byNarrower).toEqual({ issues: [], verified: true });
  });

  it("refuses someone else and names the reservation and the way out", () => {
    const verdict = judgePrefixReservation({
      packageId: "contoso.Core",
      isNewId: true,
      ownerUserIds: ["eve"],
      reservations: all,
    });
    expect(verdict.verified).toBe(false);
    expect(verdict.issues).toEqual([
      {
        code: "PACKAGE_ID_RESERVED",
        level: "error",
        message:
          "The package ID 'contoso.Core' falls under the reserved namespace 'Contoso.*', where only the namespace's owners may create new packages. Ask an owner of the namespace for access, or choose a different package ID.",
      },
    ]);
  });

  it("names every matching reservation when several block the ID", () => {
    const [issue] = judgePrefixReservation({
      packageId: "Contoso.AspNet.Mvc",
      isNewId: true,
      ownerUserIds: ["eve"],
      reservations: all,
    }).issues;
    expect(issue?.message).toContain("'Contoso.*' and 'Contoso.AspNet.*'");
  });

  it("refuses an exact reservation too", () => {
    const verdict = judgePrefixReservation({
      packageId: "json",
      isNewId: true,
      ownerUserIds: ["eve"],
      reservations: all,
    });
    expect(verdict.issues[0]?.message).toContain("reserved namespace 'Json'");
  });

  it("lets anyone into a public reservation, but only its owners get the checkmark", () => {
    expect(
      judgePrefixReservation({ packageId: "Community.Tool", isNewId: true, ownerUserIds: ["eve"], reservations: all }),
    ).toEqual({
      issues: [],
      verified: false,
    });
    expect(
      judgePrefixReservation({ packageId: "Community.Tool", isNewId: true, ownerUserIds: ["dave"], reservations: all }),
    ).toEqual({
      issues: [],
      verified: true,
    });
  });

  it("refuses everyone under an ownerless reservation, with its own message", () => {
    const verdict = judgePrefixReservation({
      packageId: "System.Evil",
      isNewId: true,
      ownerUserIds: ["eve"],
      reservations: all,
    });
    expect(verdict.issues).toHaveLength(1);
    expect(verdict.issues[0]?.code).toBe("PACKAGE_ID_RESERVED");
    expect(verdict.issues[0]?.message).toBe(
      "The package ID 'System.Evil' falls under the reserved namespace 'System.*', which no account may publish new packages under. Choose a different package ID.",
    );
  });
});

describe("judgePrefixReservation for an existing ID", () => {
  it("grandfathers the ID: no refusal even inside someone else's reservation", () => {
    expect(
      judgePrefixReservation({ packageId: "Contoso.Old", isNewId: false, ownerUserIds: ["eve"], reservations: all }),
    ).toEqual({
      issues: [],
      verified: false,
    });
  });

  it("is verified when any current owner owns a matching reservation", () => {
    expect(
      judgePrefixReservation({
        packageId: "Contoso.Old",
        isNewId: false,
        ownerUserIds: ["eve", "alice"],
        reservations: all,
      }),
    ).toEqual({
      issues: [],
      verified: true,
    });
  });
});

describe("isVerifiedPackage", () => {
  it("needs an owner who owns a reservation matching the ID", () => {
    expect(isVerifiedPackage("Contoso.X", ["alice"], all)).toBe(true);
    expect(isVerifiedPackage("Contoso.X", ["bob"], all)).toBe(false);
    expect(isVerifiedPackage("Fabrikam.X", ["alice"], all)).toBe(false);
    expect(isVerifiedPackage("Contoso.X", [], all)).toBe(false);
  });
});
