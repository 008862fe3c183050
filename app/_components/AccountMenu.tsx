"use client";
// The account menu: a <details> element (it opens without JavaScript and with the keyboard) that
// also closes on Escape, returning focus to its button, and when focus or a click leaves it.

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useEffect, useRef } from "react";

const ACCOUNT_LINKS = [
  { href: "/account", label: "Account" },
  { href: "/account/certificates", label: "Certificates" },
  { href: "/account/api-keys", label: "API keys" },
  { href: "/account/trusted-publishing", label: "Trusted publishing" },
  { href: "/account/uploads", label: "My uploads" },
];

export function AccountMenu({ username, isAdmin }: { username: string; isAdmin: boolean }) {
  const links = isAdmin ? [...ACCOUNT_LINKS, { href: "/admin", label: "Admin" }] : ACCOUNT_LINKS;
  const menu = useRef<HTMLDetailsElement>(null);

  useEffect(() => {
    const close = (event: Event) => {
      const details = menu.current;
      if (!details?.open) return;
      if (event instanceof KeyboardEvent) {
        if (event.key !== "Escape") return;
        details.open = false;
        details.querySelector("summary")?.focus();
        return;
      }
      if (!details.contains(event.target as Node)) details.open = false;
    };
    document.addEventListener("keydown", close);
    document.addEventListener("pointerdown", close);
    document.addEventListener("focusin", close);
    return () => {
      document.removeEventListener("keydown", close);
      document.removeEventListener("pointerdown", close);
      document.removeEventListener("focusin", close);
    };
  }, []);

  return (
    <details ref={menu} className="group relative">
      <summary
        className="flex cursor-pointer list-none items-center gap-1 rounded text-white focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-amber-400"
        aria-label={`Account menu for ${username}`}
      >
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
