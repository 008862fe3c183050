import { describe, expect, it } from "vitest";
import { IssueError } from "@/lib/issues";
import { parseReservationPattern } from "./reservations";

describe("parseReservationPattern", () => {
  it.each([
    ["Contoso.*", { pattern: "Contoso.", isPrefix: true }],
    ["  Contoso-*  ", { pattern: "Contoso-", isPrefix: true }],
    ["Contoso*", { pattern: "Contoso", isPrefix: true }],
    ["Contoso.Utils", { pattern: "Contoso.Utils", isPrefix: false }],
    ["Contoso.", { pattern: "Contoso.", isPrefix: false }],
    ["Über_Paket.Ära", { pattern: "Über_Paket.Ära", isPrefix: false }],
    [`${"a".repeat(128)}*`, { pattern: "a".repeat(128), isPrefix: true }],
  ])("reads %j", (text, expected) => {
    expect(parseReservationPattern(text)).toEqual(expected);
  });

  it.each([
    "",
    "*",
    ".Contoso*",
    "Contoso..Utils",
    "Contoso.*.Utils",
    "Contoso Utils",
    "Contoso/Utils",
    "Contoso.**",
    `${"a".repeat(129)}*`,
  ])("refuses %j with INVALID_RESERVATION_PATTERN", (text) => {
    let caught: unknown;
    try {
      parseReservationPattern(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IssueError);
    expect((caught as IssueError).code).toBe("INVALID_RESERVATION_PATTERN");
  });
});
