// The server's half of the password rules (NIST SP 800-63B-4 §3.1.1.2): besides the length in
// lib/auth/forms.ts, a new password must not be one that attackers try first: one of the ~49,000
// most common passwords from breach corpora that @zxcvbn-ts/language-common ships (MIT licence),
// compared without regard to case, or one padded to length with digits; a short unit repeated
// ("passwordpassword"); a run of sequential characters ("123456789012345"); or a word specific
// to this account and service. Every check is linear or, for repetition, bounded by the 256
// character maximum.
import { dictionary } from "@zxcvbn-ts/language-common";

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(dictionary["passwords-common"]);
  return common;
}

export interface PasswordContext {
  email: string;
  username: string;
}

/** Why this password may not be used, or null when it may. */
export function passwordProblem(password: string, context: PasswordContext): string | null {
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower) || commonPasswords().has(lower.trim())) {
    return "This password is one of the most commonly used passwords, which attackers try first. Choose another.";
  }
  const padded = /^(.*?)[\d\W_]+$/su.exec(lower)?.[1];
  if (padded && padded.length >= 4 && commonPasswords().has(padded)) {
    return "This password is a commonly used password with digits or symbols added, which attackers try early. Choose another.";
  }
  const characters = [...lower];
  if (isRepeatedUnit(characters)) return "A password that repeats a short part is guessed quickly. Choose another.";
  if (isSequential(characters))
    return "A run of consecutive characters (like 1234… or abcd…) is guessed at once. Choose another.";
  const localPart = context.email.split("@")[0] ?? "";
  const accountWords = [context.email, localPart, context.username, "signet"]
    .map((word) => word.toLowerCase())
    .filter((word) => word !== "");
  if (accountWords.some((word) => lower.replaceAll(/[^\p{L}\p{N}]/gu, "") === word.replaceAll(/[^\p{L}\p{N}]/gu, ""))) {
    return "A password that is your username, email address or this site's name is guessed at once. Choose another.";
  }
  return null;
}

/** "abcabcabc…", "passwordpassword": the whole password is one shorter unit repeated. */
function isRepeatedUnit(characters: readonly string[]): boolean {
  const length = characters.length;
  for (let unit = 1; unit <= length / 2; unit += 1) {
    if (length % unit !== 0) continue;
    if (characters.every((character, index) => character === characters[index % unit])) return true;
  }
  return false;
}

/** Every character one after (or one before) the previous; digits wrap from 9 to 0. */
function isSequential(characters: readonly string[]): boolean {
  const steps = new Set<number>();
  for (let index = 1; index < characters.length; index += 1) {
    const previous = characters[index - 1]!.codePointAt(0)!;
    const current = characters[index]!.codePointAt(0)!;
    const digits = /\d/.test(characters[index]!) && /\d/.test(characters[index - 1]!);
    const step = digits ? (((current - previous) % 10) + 10) % 10 : current - previous;
    steps.add(digits && step === 9 ? -1 : step);
    if (steps.size > 1 || (step !== 1 && step !== -1 && !(digits && step === 9))) return false;
  }
  return true;
}
