import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { IssueError } from "@/lib/issues";
import { errorResponse, statusForCode, withErrorHandling } from "@/lib/http/errors";

describe("statusForCode", () => {
  it.each([
    ["UNAUTHENTICATED", 401],
    ["FORBIDDEN", 403],
    ["PACKAGE_NOT_FOUND", 404],
    ["PACKAGE_VERSION_EXISTS", 409],
    ["EMAIL_TAKEN", 409],
    ["PACKAGE_TOO_LARGE", 413],
    ["NU3008", 400],
    ["INVALID_STORAGE_KEY", 400],
  ])("maps %s to %i", (code, status) => {
    expect(statusForCode(code)).toBe(status);
  });
});

describe("errorResponse", () => {
  afterEach(() => vi.restoreAllMocks());

  it("turns an IssueError into its code and sentence", async () => {
    const response = errorResponse(new IssueError("PACKAGE_NOT_FOUND", "No package Contoso.Utils exists."));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "PACKAGE_NOT_FOUND", message: "No package Contoso.Utils exists." },
    });
  });

  it("turns a zod error into a 400 listing each field", async () => {
    const result = z.object({ name: z.string().min(1, "Name is required.") }).safeParse({ name: "" });
    const response = errorResponse(result.error);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("INVALID_REQUEST");
    expect(body.issues).toEqual([{ code: "INVALID_FIELD", level: "error", message: "name: Name is required." }]);
  });

  it("hides unexpected errors behind a generic 500 and logs the detail", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const handler = withErrorHandling(async () => {
      throw new TypeError("secret internal detail");
    });
    const response = await handler();
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("secret internal detail");
    expect(text).not.toContain("at ");
    expect(JSON.parse(text).error.code).toBe("INTERNAL_ERROR");
    expect(log).toHaveBeenCalledOnce();
  });
});
