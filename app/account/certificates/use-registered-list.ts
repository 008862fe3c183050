"use client";
// The state behind a list of things registered on the account (certificates, signer identities):
// what the server rendered, then additions and removals as they happen, and a reload from the
// API after a change the server makes (a proof of possession activates an entry).
import { useState } from "react";

export function useRegisteredList<Entry extends { id: string }>(initial: Entry[], api: string, key: string) {
  const [entries, setEntries] = useState(initial);
  return {
    entries,
    add: (entry: Entry) => setEntries((current) => [...current, entry]),
    remove: (id: string) => setEntries((current) => current.filter((entry) => entry.id !== id)),
    async reload() {
      const response = await fetch(api, { cache: "no-store" });
      if (response.ok) setEntries(((await response.json()) as Record<string, Entry[]>)[key] ?? []);
    },
  };
}
