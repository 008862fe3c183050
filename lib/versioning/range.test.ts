import { describe, expect, it } from "vitest";
import { ANY_VERSION_RANGE, describeVersionRange, formatVersionRange, parseVersionRange } from "./range";

describe("parseVersionRange, formatVersionRange and describeVersionRange", () => {
  it.each([
    ["1.0", "[1.0.0, )", "≥ 1.0.0"],
    ["[1.0]", "[1.0.0, 1.0.0]", "= 1.0.0"],
    ["[1.0.0.0,1.0]", "[1.0.0, 1.0.0]", "= 1.0.0"],
    ["(1.0,)", "(1.0.0, )", "> 1.0.0"],
    ["[1.0,2.0)", "[1.0.0, 2.0.0)", "≥ 1.0.0 && < 2.0.0"],
    ["[1.0, 2.0]", "[1.0.0, 2.0.0]", "≥ 1.0.0 && ≤ 2.0.0"],
    ["(1.0,2.0)", "(1.0.0, 2.0.0)", "> 1.0.0 && < 2.0.0"],
    ["(,1.0]", "(, 1.0.0]", "≤ 1.0.0"],
    ["(,1.0)", "(, 1.0.0)", "< 1.0.0"],
    [" [ 1.0-beta.1 , 2.0 ) ", "[1.0.0-beta.1, 2.0.0)", "≥ 1.0.0-beta.1 && < 2.0.0"],
    ["1.2.3.4+meta", "[1.2.3.4, )", "≥ 1.2.3.4"],
    ["[1.0,]", "[1.0.0, )", "≥ 1.0.0"],
    ["(1.0,]", "(1.0.0, )", "> 1.0.0"],
    ["[,1.0]", "(, 1.0.0]", "≤ 1.0.0"],
  ])("%j formats as %j and reads %j", (text, formatted, described) => {
    const range = parseVersionRange(text);
    expect(formatVersionRange(range)).toBe(formatted);
    expect(describeVersionRange(range)).toBe(described);
  });

  it("keeps the bounds and their inclusiveness", () => {
    const range = parseVersionRange("(1.0,2.0]");
    expect(range.min?.major).toBe(1);
    expect(range.minInclusive).toBe(false);
    expect(range.max?.major).toBe(2);
    expect(range.maxInclusive).toBe(true);
  });

  it("round-trips its own normalised form", () => {
    for (const text of ["[1.0.0, )", "(, 2.0.0)", "[1.0.0, 1.0.0]", "(1.0.0, 2.0.0]"]) {
      expect(formatVersionRange(parseVersionRange(text))).toBe(text);
    }
  });

  it("describes the range of a dependency without a version", () => {
    expect(formatVersionRange(ANY_VERSION_RANGE)).toBe("(, )");
    expect(describeVersionRange(ANY_VERSION_RANGE)).toBe("any version");
  });

  it.each([
    ["", "empty"],
    ["(1.0)", "exact version must be written as [version]"],
    ["[1.0)", "exact version must be written as [version]"],
    ["[]", "interval is empty"],
    ["[,]", "at least one bound"],
    ["(,)", "at least one bound"],
    ["[1.0,2.0,3.0]", "at most two bounds"],
    ["[1.0,2.0", "must end with"],
    ["[2.0,1.0]", "lower bound is above the upper bound"],
    ["(1.0,1.0]", "range is empty"],
    ["[1.0,1.0)", "range is empty"],
    ["(1.0,1.0)", "range is empty"],
    ["1.*", "floating versions"],
    ["[1.0,x)", "'x' is not a valid NuGet version"],
    ["abc", "'abc' is not a valid NuGet version"],
  ])("refuses %j (%s)", (text, reason) => {
    expect(() => parseVersionRange(text)).toThrow(
      expect.objectContaining({
        name: "IssueError",
        code: "VERSION_RANGE_INVALID",
        message: expect.stringContaining(reason),
      }),
    );
  });

  it("accepts an inclusive range whose bounds are the same version written differently", () => {
    expect(describeVersionRange(parseVersionRange("[1.0, 1.0.0]"))).toBe("= 1.0.0");
  });
});
