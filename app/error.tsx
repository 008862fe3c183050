"use client";

// Shown when a page fails unexpectedly: a plain apology and a way out, never the error itself
// (the server log has it, under the digest shown here).
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="space-y-3 py-10 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-slate-600">
        The page could not be shown. Please try again{error.digest ? ` (reference ${error.digest})` : ""}.
      </p>
      <button type="button" onClick={reset} className="rounded bg-accent px-4 py-2 text-white hover:bg-brand">
        Try again
      </button>
    </div>
  );
}
