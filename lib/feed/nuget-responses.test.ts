import { describe, expect, it } from "vitest";
import { error, IssueError, warning } from "@/lib/issues";
import { asciiHeaderText } from "@/lib/http/errors";
import { nugetRefusal, nugetWarningHeaders, withNuGetErrorHandling } from "./nuget-responses";

describe("asciiHeaderText", () => {
  it("keeps a plain sentence as it is", () => {
    expect(asciiHeaderText("This package must be signed with a registered certificate.")).toBe("This package must be signed with a registered certificate.");
  });

  it("spells typographic punctuation in ASCII, drops accents and marks other characters", () => {
    expect(asciiHeaderText("Signed by ‘Zoë’ – “Café” … → 漢")).toBe("Signed by 'Zoe' - \"Cafe\" ... -> ?");
  });

  it("makes one line of the text and cuts it at 512 characters", () => {
    expect(asciiHeaderText("first line\r\nsecond\tline")).toBe("first line second line");
    const long = asciiHeaderText("x".repeat(600));
    expect(long).toHaveLength(512);
    expect(long.endsWith("...")).toBe(true);
  });

  it("yields text Node accepts as a reason phrase", () => {
    const response = new Response(null, { status: 400, statusText: asciiHeaderText("Zoë’s\npackage\u0000") });
    expect(response.statusText).toBe("Zoe's package?");
  });
});

describe("nugetRefusal", () => {
  it("answers with the first error's status and sentence, and every issue in the body", async () => {
    const issues = [
      warning("NUSPEC_URL_NOT_WEB", "The projectUrl is not a web address."),
      error("PACKAGE_ID_RESERVED", "The ID prefix 'Contoso.' is reserved by its owners."),
      error("NU3008", "The package integrity check failed."),
    ];
    const response = nugetRefusal(issues);
    expect(response.status).toBe(403);
    expect(response.statusText).toBe("The ID prefix 'Contoso.' is reserved by its owners.");
    expect(await response.json()).toEqual({ error: { code: "PACKAGE_ID_RESERVED", message: "The ID prefix 'Contoso.' is reserved by its owners." }, issues });
  });
});

describe("nugetWarningHeaders", () => {
  it("gives each warning, and only warnings, an X-NuGet-Warning header", () => {
    const headers = nugetWarningHeaders([warning("NUSPEC_URL_NOT_WEB", "First – warning."), error("NU3008", "An error."), warning("API_KEY_EXPIRING", "Second.")]);
    expect(headers.get("X-NuGet-Warning")).toBe("NUSPEC_URL_NOT_WEB: First - warning., API_KEY_EXPIRING: Second.");
  });
});

describe("withNuGetErrorHandling", () => {
  it("turns a thrown IssueError into a NuGet refusal", async () => {
    const handler = withNuGetErrorHandling(async () => {
      throw new IssueError("API_KEY_INVALID", "The API key is not valid.");
    });
    const response = await handler();
    expect(response.status).toBe(401);
    expect(response.statusText).toBe("The API key is not valid.");
  });

  it("answers anything unexpected with a 500 that names a reference, not the error", async () => {
    const handler = withNuGetErrorHandling(async () => {
      throw new Error("secret internals");
    });
    const response = await handler();
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain("secret internals");
  });
});
