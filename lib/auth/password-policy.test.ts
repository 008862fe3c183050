import { describe, expect, it } from "vitest";
import { signUpSchema } from "@/lib/auth/forms";
import { passwordProblem } from "./password-policy";

const context = { email: "ada.lovelace@example.test", username: "ada" };

function formMessage(password: string): string | undefined {
  const result = signUpSchema.safeParse({ email: "ada@example.test", username: "ada", password });
  return result.success ? undefined : result.error.issues.find((issue) => issue.path[0] === "password")?.message;
}

describe("password rules", () => {
  it.each(["12345678", "password", "        ", "               ", "short"])("the form refuses %j", (password) => {
    expect(formMessage(password)).toBeDefined();
  });

  it("counts characters, not UTF-16 units, and allows spaces and any character", () => {
    expect(formMessage("🔑".repeat(14))).toMatch(/at least 15/);
    expect(formMessage("correct horse battery staple")).toBeUndefined();
    expect(formMessage("ünïcödé pässwörd ✓")).toBeUndefined();
    expect(formMessage("x".repeat(256))).toBeUndefined();
    expect(formMessage("x".repeat(257))).toMatch(/at most 256/);
  });

  it.each([
    ["123456789987654321", /most commonly used/],
    ["1QAZ2WSX3EDC4RFV", /most commonly used/],
    ["password1234567", /digits or symbols added/],
    ["iloveyou!!!!!!!!", /digits or symbols added/],
    ["passwordpassword", /most commonly used/],
    ["tulip-tulip-tulip-", /repeats a short part/],
    ["aaaaaaaaaaaaaaa", /repeats a short part/],
    ["123456789012345", /consecutive/],
    ["zyxwvutsrqponmlk", /consecutive/],
    ["ada.lovelace@example.test", /username, email address/],
  ])("the server refuses %j", (password, message) => {
    expect(passwordProblem(password, context)).toMatch(message);
  });

  it.each(["correct horse battery staple", "tr0ub4dor&3-is-not-enough", "a quiet river at night", "9f3k!x2m-q8v_w1z"])(
    "the server accepts %j",
    (password) => {
      expect(passwordProblem(password, context)).toBeNull();
    },
  );
});
