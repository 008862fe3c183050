import { describe, expect, it } from "vitest";
import { fieldErrorsOf, safeCallbackPath, signInSchema } from "@/lib/auth/forms";

describe("safeCallbackPath", () => {
  it.each([
    ["/account", "/account"],
    ["/packages?q=json", "/packages?q=json"],
    [null, "/"],
    ["", "/"],
    ["https://evil.example/", "/"],
    ["//evil.example/", "/"],
    ["/\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    // Browsers drop tabs and newlines inside URLs, so these are "//evil:8999/" to them.
    ["/\t/evil:8999/", "/"],
    ["/\n/evil.example/", "/"],
    ["/\r\n/evil.example/", "/"],
    ["/\t\\evil.example", "/"],
    ["\t//evil.example", "/"],
    // Dot segments that collapse into a network-path reference.
    ["/.//evil.example", "/"],
    ["/x/..//evil.example", "/"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/\\/evil.example", "/"],
    ["/@evil.example", "/@evil.example"],
    ["http://signet.invalid/account", "/"],
    ["/%0A", "/%0A"],
    ["/account\n", "/account"],
    ["/packages?q=a%0Db#top", "/packages?q=a%0Db#top"],
  ])("turns %j into %j", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });

  it("never returns a control character or a value a browser reads as another host", () => {
    const nasty = ["\t", "\n", "\r", "\\", "/", ".", "@", ":", "%", "0", "a", "?", "#", " "];
    // Every 4-character combination after a leading "/" (14^4 values).
    for (const a of nasty)
      for (const b of nasty)
        for (const c of nasty)
          for (const d of nasty) {
            const result = safeCallbackPath(`/${a}${b}${c}${d}`);
            expect(result.startsWith("/") && !result.startsWith("//") && !/[\t\n\r]/.test(result)).toBe(true);
            expect(new URL(result, "http://gallery.test").host).toBe("gallery.test");
          }
  });
});

describe("sign-in form rules", () => {
  it("asks for both fields when the form is empty", () => {
    const result = signInSchema.safeParse({ email: "", password: "" });
    expect(result.success).toBe(false);
    expect(fieldErrorsOf(result.error!)).toEqual({
      email: "Enter your email address.",
      password: "Enter your password.",
    });
  });
});
