import { describe, expect, it } from "vitest";

import {
  errorMessageOf,
  failureIssues,
  failureMessage,
  failureSummary,
  isErrorBody,
  readResponseJson,
} from "./api-errors";

const REFUSAL = {
  error: { code: "CERTIFICATE_EXPIRED", message: "The certificate expired." },
  issues: [
    { code: "CERTIFICATE_EXPIRED", level: "error", message: "The certificate expired." },
    { code: "NU3018", level: "error", message: "The chain does not build." },
  ],
};

describe("reading the API's error body in the browser", () => {
  it("knows the error body by its error sentence, not by any 'error' key", () => {
    expect(isErrorBody(REFUSAL)).toBe(true);
    expect(isErrorBody({ error: "boom" })).toBe(false);
    expect(isErrorBody({ error: { code: "X" } })).toBe(false);
    expect(isErrorBody(null)).toBe(false);
  });

  it("lists every issue, or the one error as an issue when the body lists none", () => {
    expect(failureIssues(400, REFUSAL)).toEqual(REFUSAL.issues);
    expect(failureIssues(403, { error: REFUSAL.error })).toEqual([
      { code: "CERTIFICATE_EXPIRED", level: "error", message: "The certificate expired." },
    ]);
    expect(failureSummary(400, REFUSAL)).toBe("The certificate expired. The chain does not build.");
  });

  it("names the status when the answer is not an error body", () => {
    expect(failureMessage(502, null)).toBe("The server answered 502 without an explanation; try again.");
    expect(failureMessage(502, "<html>", "Try later.")).toBe("Try later.");
    expect(failureIssues(502, null)).toEqual([
      { code: "INTERNAL_ERROR", level: "error", message: "The server answered 502 without an explanation; try again." },
    ]);
  });

  it("reads a response that is not JSON as null, and a failed response's sentence", async () => {
    expect(await readResponseJson(new Response("<html>proxy error</html>", { status: 502 }))).toBeNull();
    expect(await errorMessageOf(Response.json(REFUSAL, { status: 400 }))).toBe("The certificate expired.");
    expect(
      await errorMessageOf(new Response("", { status: 504 }), "The certificate could not be registered; try again."),
    ).toBe("The certificate could not be registered; try again.");
  });
});
