// The signed-in account as the gallery's code sees it: its own module, so the helpers that take
// one (second factors, passkeys) need not import the session code that makes it.
export interface CurrentUser {
  id: string;
  email: string;
  username: string;
  displayName: string | null;
  role: "USER" | "ADMIN";
  createdAt: Date;
  /** The server-side session this request was made in. */
  sessionId: string;
}
