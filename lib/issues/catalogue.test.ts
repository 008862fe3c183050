import { describe, expect, it } from "vitest";
import { ISSUE_CATALOGUE } from "@/lib/issues/catalogue";
import {
  error,
  isClientFault,
  isErrorIssue,
  isIssueCode,
  IssueError,
  statusOf,
  warning,
  type ErrorCode,
  type IssueCode,
} from "@/lib/issues";

const entries = Object.entries(ISSUE_CATALOGUE) as [IssueCode, (typeof ISSUE_CATALOGUE)[IssueCode]][];

describe("the issue catalogue", () => {
  it("names codes as NuGet does (NUxxxx) or in UPPER_SNAKE, with a short title", () => {
    for (const [code, definition] of entries) {
      expect(code, code).toMatch(/^(NU\d{4}|[A-Z][A-Z0-9]*(_[A-Z0-9]+)*)$/);
      expect(definition.title.length, code).toBeGreaterThan(3);
      expect(definition.title.length, code).toBeLessThanOrEqual(60);
      expect(definition.title, code).not.toMatch(/\.$/);
    }
  });

  it("gives every code a refusal can carry an HTTP error status, and warnings none", () => {
    for (const [code, definition] of entries) {
      if (definition.level === "warning") expect("status" in definition, code).toBe(false);
      else expect(definition.status, code).toBeGreaterThanOrEqual(400);
    }
  });

  it("answers a reserved ID with 403 on every route, so --skip-duplicate (which skips on 409) cannot hide it", () => {
    expect(statusOf("PACKAGE_ID_RESERVED")).toBe(403);
    expect(statusOf("PACKAGE_VERSION_EXISTS")).toBe(409);
  });

  it("counts a missing stored file or a vanished uploader as the gallery's fault", () => {
    expect(isClientFault("STORAGE_OBJECT_NOT_FOUND")).toBe(false);
    expect(isClientFault("UPLOADER_NOT_FOUND")).toBe(false);
    expect(isClientFault("PACKAGE_NOT_FOUND")).toBe(true);
  });

  it("tells catalogued codes from other text", () => {
    expect(isIssueCode("NU3008")).toBe(true);
    expect(isIssueCode("PACKAGE_ID_RESERVD")).toBe(false);
    expect(isIssueCode("toString")).toBe(false);
  });

  it("recognises errors the gallery may refuse with", () => {
    expect(isErrorIssue(error("NU3018", "x"))).toBe(true);
    expect(isErrorIssue(warning("NU3018", "x"))).toBe(false);
    expect(isErrorIssue({ code: "API_KEY_EXPIRING", level: "error", message: "graded up by hand" })).toBe(false);
  });

  it("does not compile a code that is not in the catalogue, or one raised at a level it does not have", () => {
    // Each line below is a type error; tsc (run by the test command) fails if one of them compiles.
    // @ts-expect-error a misspelt code
    const misspelt: IssueCode = "PACKAGE_ID_RESERVD";
    // @ts-expect-error a warning-only code cannot refuse
    const refusal: ErrorCode = "API_KEY_EXPIRING";
    // @ts-expect-error an error-only code is not a warning
    warning("PACKAGE_ID_RESERVED", "x");
    // @ts-expect-error IssueError takes catalogued error codes only
    new IssueError("SOMETHING_ELSE", "x");
    expect([misspelt, refusal]).toHaveLength(2);
  });
});
