import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { Prisma } from "@/generated/prisma/sqlite/client";
import { IssueError } from "@/lib/issues";
import { errorResponse, issuesRefusal, withErrorHandling } from "@/lib/http/errors";
import { error, warning } from "@/lib/issues";

describe("errorResponse", () => {
  afterEach(() => vi.restoreAllMocks());

  it("turns an IssueError into its code and sentence", async () => {
    const response = errorResponse(new IssueError("PACKAGE_NOT_FOUND", "No package Contoso.Utils exists."));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "PACKAGE_NOT_FOUND", message: "No package Contoso.Utils exists." },
    });
  });

  it("answers with the status the catalogue gives the code, not one guessed from its name", async () => {
    // Named like "not found" or "forbidden", but a package's content fault: 400.
    expect(errorResponse(new IssueError("NUSPEC_NOT_FOUND", "The package has no .nuspec manifest.")).status).toBe(400);
    expect(errorResponse(new IssueError("NUSPEC_DTD_FORBIDDEN", "The nuspec declares a DTD.")).status).toBe(400);
    expect(errorResponse(new IssueError("PACKAGE_ID_RESERVED", "The ID prefix is reserved.")).status).toBe(403);
  });

  it("answers a server fault with 5xx, its sentence and a reference, and logs the detail", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = errorResponse(new IssueError("STORAGE_OBJECT_NOT_FOUND", 'No stored file "packages/a.nupkg".'));
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body.error.code).toBe("STORAGE_OBJECT_NOT_FOUND");
    expect(body.error.message).toMatch(/^No stored file "packages\/a.nupkg". \(reference [0-9a-f-]{36}\)$/);
    expect(log).toHaveBeenCalledOnce();
  });

  it("turns a zod error into a 400 listing each field", async () => {
    const result = z.object({ name: z.string().min(1, "Name is required.") }).safeParse({ name: "" });
    const response = errorResponse(result.error);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error).toEqual({
      code: "INVALID_REQUEST",
      message: "The request is not valid: name: Name is required.",
    });
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

  it("answers a database that stayed busy with 503 and Retry-After, keeping the other headers", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const timedOut = new Prisma.PrismaClientKnownRequestError("Operation has timed out", {
      code: "P1008",
      clientVersion: Prisma.prismaVersion.client,
    });
    const response = errorResponse(timedOut, { headers: { "X-NuGet-Warning": "kept" } });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("x-nuget-warning")).toBe("kept");
    const body = await response.json();
    expect(body.error.code).toBe("DATABASE_BUSY");
    expect(body.error.message).toMatch(/nothing was saved\. Try again in a few seconds \(reference [0-9a-f-]{36}\)\.$/);
    expect(log).toHaveBeenCalledOnce();
  });
});

describe("issuesRefusal", () => {
  it("refuses with the first error's code and status and carries every issue", async () => {
    const issues = [
      warning("NUSPEC_URL_NOT_WEB", "The projectUrl is not a web address."),
      error("PACKAGE_VERSION_EXISTS", "Version 1.0.0 exists."),
      error("NU3008", "Integrity."),
    ];
    const response = issuesRefusal(issues, error("UPLOAD_REFUSED", "Refused."));
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: { code: "PACKAGE_VERSION_EXISTS", message: "Version 1.0.0 exists." },
      issues,
    });
  });

  it("falls back to the given error when the issues hold none", async () => {
    const response = issuesRefusal([warning("NUSPEC_URL_NOT_WEB", "x")], error("UPLOAD_REFUSED", "Refused."));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({ code: "UPLOAD_REFUSED", message: "Refused." });
  });
});
