// The sign-up and sign-in rules, shared by the browser (messages next to fields before a round
// trip) and the server (which never trusts the browser). No server-only imports here.
import { z, type ZodError } from "zod";

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "Email addresses are at most 254 characters.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

// NIST SP 800-63B-4: a password that is the only thing needed to sign in is at least 15
// characters (counted as Unicode code points), any characters are allowed, spaces included, and
// there are no composition rules; very long passphrases are welcome. The server also refuses
// commonly used passwords (lib/auth/password-policy.ts), a list too large to send to browsers.
export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MAX_LENGTH = 256;

export function newPasswordSchema(emptyMessage: string) {
  return z
    .string({ error: emptyMessage })
    .min(1, emptyMessage)
    .refine((password) => password.trim() !== "", "A password cannot be only spaces.")
    .refine(
      (password) => [...password].length >= PASSWORD_MIN_LENGTH,
      `Passwords are at least ${PASSWORD_MIN_LENGTH} characters; a few words make one easy to remember.`,
    )
    .refine(
      (password) => [...password].length <= PASSWORD_MAX_LENGTH,
      `Passwords are at most ${PASSWORD_MAX_LENGTH} characters.`,
    );
}

export const signUpSchema = z.object({
  email: emailSchema,
  username: z
    .string({ error: "Choose a username." })
    .trim()
    .min(1, "Choose a username.")
    .min(3, "Usernames are at least 3 characters.")
    .max(32, "Usernames are at most 32 characters.")
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Use letters, digits, '.', '_' or '-', starting with a letter or digit."),
  password: newPasswordSchema("Choose a password."),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password."),
  // The second step, for accounts with two-factor authentication: a code from the app or a
  // recovery code, or a passkey's response (JSON).
  otp: z.string().max(100).optional(),
  webauthn: z.string().max(20_000).optional(),
});

/** The second step of signing in, checked in the browser before it is sent. */
export const secondFactorCodeSchema = z.object({
  otp: z
    .string({ error: "Enter the code." })
    .trim()
    .min(1, "Enter the 6-digit code from your app, or a recovery code.")
    .max(100),
});

export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;

/** One message per field: the first problem is the one worth fixing first. */
export type FieldErrors = Partial<Record<string, string>>;

export function fieldErrorsOf(error: ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

// Callback values are resolved against this stand-in origin: only the path, query and fragment
// of a same-origin result are kept, so the real host never matters here.
const CALLBACK_BASE = "http://signet.invalid";

/**
 * Where to go after signing in: only a path on this site, so a link cannot send people away.
 * The value is parsed the way a browser would parse it (which drops tabs and newlines and reads
 * "\\" as "/"), and anything that resolves to another origin, or to a path a browser would read
 * as another host ("//host"), becomes "/".
 */
export function safeCallbackPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(value, CALLBACK_BASE);
  } catch {
    return "/";
  }
  if (url.origin !== CALLBACK_BASE || url.pathname.startsWith("//")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sentence a sign-in form shows for next-auth's `error` value. */
export function signInErrorMessage(code: string): string {
  switch (code) {
    case "CredentialsSignin":
      return "Wrong email or password.";
    case "ACCOUNT_LOCKED":
      return "This account is locked. Contact an administrator of this gallery.";
    case "GITHUB_EMAIL_UNVERIFIED":
      return "Your GitHub account has no verified primary email address; verify one on GitHub and try again.";
    case "SECOND_FACTOR_REQUIRED":
      return "Enter the 6-digit code from your authenticator app, a recovery code, or use your passkey.";
    case "SECOND_FACTOR_INVALID":
      return "That code or passkey did not work. Codes can be used once; wait for the next one from your app.";
    case "SIGN_IN_THROTTLED":
      return "Too many sign-in attempts for this account or from your network. Wait a few minutes and try again.";
    case "SIGN_IN_BUSY":
      return "The gallery is busy checking other sign-ins. Try again in a moment.";
    case "SessionRequired":
      return "Sign in to see that page.";
    default:
      return "Sign-in did not work. Please try again.";
  }
}
