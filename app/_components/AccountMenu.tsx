"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";

const ACCOUNT_LINKS = [
  { href: "/account", label: "Account" },
  { href: "/account/certificates", label: "Certificates" },
  { href: "/account/api-keys", label: "API keys" },
  { href: "/account/uploads", label: "My uploads" },
];

export function AccountMenu({ username, isAdmin }: { username: string; isAdmin: boolean }) {
  const links = isAdmin ? [...ACCOUNT_LINKS, { href: "/admin", label: "Admin" }] : ACCOUNT_LINKS;
  return (
    <details className="group relative">
      <summary className="flex cursor-pointer list-none items-center gap-1 text-white" aria-label={`Account menu for ${username}`}>
        {username}
        <span aria-hidden className="text-xs transition-transform group-open:rotate-180">
          ▾
        </span>
      </summary>
      <ul className="absolute right-0 z-10 mt-2 w-48 overflow-hidden rounded border border-slate-200 bg-white py-1 text-slate-900 shadow-lg">
        {links.map((link) => (
          <li key={link.href}>
            <Link href={link.href} className="block px-4 py-2 text-slate-900 hover:bg-brand-light hover:no-underline">
              {link.label}
            </Link>
          </li>
        ))}
        <li className="border-t border-slate-200">
          <button
            type="button"
            onClick={() => signOut({ callbackUrl: "/" })}
            className="block w-full px-4 py-2 text-left hover:bg-brand-light"
          >
            Sign out
          </button>
        </li>
      </ul>
    </details>
  );
}
