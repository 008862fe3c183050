// GitHub sign-in: a GitHub profile's public email is not proof of ownership, so the verified
// primary address is asked for separately with the user's own access token.
const GITHUB_EMAILS_URL = "https://api.github.com/user/emails";

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export async function fetchVerifiedPrimaryEmail(
  accessToken: string,
  fetchImpl: typeof fetch = fetch,
): Promise<string | null> {
  const response = await fetchImpl(GITHUB_EMAILS_URL, {
    headers: {
      Authorization: `Bearer ${accessToken}`,
      Accept: "application/vnd.github+json",
      "User-Agent": "signet-gallery",
    },
  });
  if (!response.ok) return null;
  const emails = (await response.json()) as GitHubEmail[];
  return emails.find((entry) => entry.primary && entry.verified)?.email ?? null;
}
