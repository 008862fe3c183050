// The gallery's repository signer, loaded once per process (key files, the development PKI on
// first start); lib/trust/repository-signing.ts says where it comes from. A failure to load is
// not cached, so fixing the configuration does not need a restart of every worker.

import { dataDir } from "@/lib/config";
import { loadRepositorySigner, type RepositorySigner } from "@/lib/trust/repository-signing";

const holder = globalThis as typeof globalThis & { signetRepositorySigner?: Promise<RepositorySigner> };

export function galleryRepositorySigner(): Promise<RepositorySigner> {
  if (!holder.signetRepositorySigner) {
    const loading = loadRepositorySigner(dataDir());
    holder.signetRepositorySigner = loading;
    loading.catch(() => {
      if (holder.signetRepositorySigner === loading) delete holder.signetRepositorySigner;
    });
  }
  return holder.signetRepositorySigner;
}
