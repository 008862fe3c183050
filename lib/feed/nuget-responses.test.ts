import { describe, expect, it } from "vitest";
import { error, IssueError, warning } from "@/lib/issues";
import { asciiHeaderText } from "@/lib/http/errors";
import { nugetRefusal, nugetWarningHeaders, withNuGetErrorHandling } from "./nuget-responses";

describe("asciiHeaderText", () => {
  it("keeps a plain sentence as it is", () => {
    expect(asciiHeaderText("This package must be signed with a registered certificate.")).toBe(
      "This package must be signed with a registered certificate.",
    );
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
  it("answers with the most actionable error's status, every error in the reason phrase, and every issue in the body", async () => {
    const issues = [
      warning("NUSPEC_URL_NOT_WEB", "The projectUrl is not a web address."),
      error("NU3028", "The timestamp's certificate chain does not end in a trusted root."),
      error("PACKAGE_ID_RESERVED", "The ID prefix 'Contoso.' is reserved by its owners."),
      error("NU3028", "The timestamp's certificate chain does not end in a trusted root."),
    ];
    const response = nugetRefusal(issues);
    expect(response.status).toBe(403);
    expect(response.statusText).toBe(
      "2 problems stop this package: 1. [PACKAGE_ID_RESERVED] The ID prefix 'Contoso.' is reserved by its owners. 2. [NU3028] The timestamp's certificate chain does not end in a trusted root.",
    );
    expect(response.headers.get("X-NuGet-Warning")).toBe("NUSPEC_URL_NOT_WEB: The projectUrl is not a web address.");
    expect(await response.json()).toEqual({
      error: { code: "PACKAGE_ID_RESERVED", message: "The ID prefix 'Contoso.' is reserved by its owners." },
      issues: [issues[2], issues[0], issues[1]],
    });
  });

  it("keeps a lone reason as its plain sentence, and a version that exists first (409 for --skip-duplicate)", () => {
    expect(nugetRefusal([error("NU3008", "The package integrity check failed.")]).statusText).toBe(
      "The package integrity check failed.",
    );
    const duplicate = nugetRefusal([
      error("SIGNER_NOT_REGISTERED", "Not registered."),
      error("PACKAGE_VERSION_EXISTS", "Exists."),
    ]);
    expect(duplicate.status).toBe(409);
    expect(duplicate.statusText).toBe(
      "2 problems stop this package: 1. [PACKAGE_VERSION_EXISTS] Exists. 2. [SIGNER_NOT_REGISTERED] Not registered.",
    );
  });
});

describe("nugetWarningHeaders", () => {
  it("gives each warning, and only warnings, an X-NuGet-Warning header", () => {
    const headers = nugetWarningHeaders([
      warning("NUSPEC_URL_NOT_WEB", "First – warning."),
      error("NU3008", "An error."),
      warning("API_KEY_EXPIRING", "Second."),
    ]);
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
