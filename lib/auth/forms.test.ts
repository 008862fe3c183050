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
  ])("turns %j into %j", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });
});

describe("sign-in form rules", () => {
  it("asks for both fields when the form is empty", () => {
    const result = signInSchema.safeParse({ email: "", password: "" });
    expect(result.success).toBe(false);
    expect(fieldErrorsOf(result.error!)).toEqual({ email: "Enter your email address.", password: "Enter your password." });
  });
});
