import type { Metadata } from "next";
import Link from "next/link";
import { searchUsers, type AdminUserView } from "@/lib/admin/users";
import { requireAdmin } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { ActionForm } from "@/app/_components/ActionForm";
import { AdminShell, AdminTable, CELL, SearchForm, UtcTime } from "../_components/AdminShell";

export const metadata: Metadata = { title: "Users | Admin" };
export const dynamic = "force-dynamic";

function UserActions({ user }: { user: AdminUserView }) {
  const endpoint = `/api/admin/users/${user.id}`;
  const isAdmin = user.role === "ADMIN";
  const locked = user.lockedAt !== null;
  // One form per concern, whatever the state, so the answer stays in view after the change.
  return (
    <div className="space-y-3">
      <ActionForm
        endpoint={endpoint}
        method="PATCH"
        submitLabel={isAdmin ? "Remove admin" : "Make admin"}
        fixed={{ action: isAdmin ? "remove-admin" : "make-admin" }}
        confirmText={
          isAdmin ? `Remove ${user.username}'s administrator role?` : `Make ${user.username} an administrator?`
        }
      />
      <ActionForm
        endpoint={endpoint}
        method="PATCH"
        submitLabel={locked ? "Unlock" : "Lock account"}
        danger={!locked}
        fixed={{ action: locked ? "unlock" : "lock" }}
        fields={locked ? [] : [{ kind: "text", name: "reason", label: "Reason for locking", required: true }]}
      />
    </div>
  );
}

export default async function UsersPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const admin = await requireAdmin("/admin/users");
  const { q } = await searchParams;
  const query = typeof q === "string" ? q : "";
  const users = await searchUsers(getDb(), query);
  return (
    <AdminShell
      section="/admin/users"
      title="Users"
      intro="Make or remove administrators and lock accounts. A locked account cannot sign in, its open sessions end on their next request, and its API keys are refused. You cannot change your own account here."
    >
      <SearchForm label="Username, email or name" query={query} />
      <AdminTable
        headings={["Account", "Joined", "Packages", "Certificates", "Status", "Change"]}
        empty={query ? `No account matches '${query}'.` : "No accounts."}
      >
        {users.map((user) => (
          <tr key={user.id} data-user={user.username}>
            <td className={CELL}>
              <div className="font-medium">{user.username}</div>
              <div className="text-xs text-slate-500">{user.email}</div>
            </td>
            <td className={CELL}>
              <UtcTime value={user.createdAt} />
            </td>
            <td className={CELL}>{user.packageCount}</td>
            <td className={CELL}>
              <Link href={`/account/certificates?username=${encodeURIComponent(user.username)}`}>
                {user.certificateCount}
              </Link>
            </td>
            <td className={CELL}>
              <div>{user.role === "ADMIN" ? "Administrator" : "Member"}</div>
              {user.lockedAt ? (
                <div className="text-red-700">
                  Locked <UtcTime value={user.lockedAt} />
                  {user.lockedReason ? `: ${user.lockedReason}` : null}
                </div>
              ) : null}
            </td>
            <td className={CELL}>
              {user.id === admin.id ? <span className="text-slate-500">This is you</span> : <UserActions user={user} />}
            </td>
          </tr>
        ))}
      </AdminTable>
    </AdminShell>
  );
}
