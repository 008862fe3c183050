import Link from "next/link";
import type { DependencyGroupView } from "@/lib/packages/dependencies";
import { packageHref } from "./links";

export function DependencyGroups({ groups }: { groups: DependencyGroupView[] }) {
  if (groups.length === 0 || groups.every((group) => group.dependencies.length === 0)) {
    return <p className="text-sm text-slate-600">This package has no dependencies.</p>;
  }
  return (
    <div className="space-y-3">
      {groups.map((group) => (
        <section key={group.targetFramework} aria-label={`Dependencies for ${group.targetFramework}`}>
          <h3 className="text-sm font-medium">{group.targetFramework}</h3>
          {group.dependencies.length === 0 ? (
            <p className="text-sm text-slate-600">No dependencies.</p>
          ) : (
            <ul className="mt-1 space-y-0.5 text-sm">
              {group.dependencies.map((dependency) => (
                <li key={dependency.id} className="break-all">
                  {dependency.galleryId ? (
                    <Link href={packageHref(dependency.galleryId)}>{dependency.id}</Link>
                  ) : (
                    <span>{dependency.id}</span>
                  )}{" "}
                  <span className="text-slate-600">({dependency.range})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}
