// The roots uploads are judged against, loaded once per process: reading and splitting the PEM
// bundles for every upload would cost more than verifying the signature. The engine keeps its
// own index of each root list, keyed by the list, so handing it the same arrays matters too.

import type { TrustStore } from "@/lib/signing";
import { loadTrustStore } from "@/lib/trust";

const holder = globalThis as typeof globalThis & { signetTrustStore?: TrustStore };

export function galleryTrustStore(): TrustStore {
  if (!holder.signetTrustStore) {
    const loaded = loadTrustStore();
    for (const warning of loaded.warnings) console.warn(`[signet] ${warning}`);
    holder.signetTrustStore = loaded.store;
  }
  return holder.signetTrustStore;
}
