import type { Metadata } from "next";
import type { ReactNode } from "react";
import { SiteFooter } from "@/app/_components/SiteFooter";
import { SiteHeader } from "@/app/_components/SiteHeader";
import { StepUpProvider } from "@/app/_components/StepUp";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Signet", template: "%s | Signet" },
  description: "A NuGet package gallery that shows who signed each package and whether it is intact.",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <a
          href="#main"
          className="sr-only z-50 rounded bg-white px-3 py-2 font-medium text-brand focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:outline-2 focus:outline-accent"
        >
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-5xl min-w-0 flex-1 px-4 py-8 focus:outline-none">
          <StepUpProvider>{children}</StepUpProvider>
        </main>
        <SiteFooter />
      </body>
    </html>
  );
}
