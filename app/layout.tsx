import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell/AppShell";
import { nonceOf } from "@/lib/http/security-headers";
import { THEME_SCRIPT } from "@/lib/theme";
import "./globals.css";

// Every page shows who is signed in (AppShell reads the session), so nothing is prerendered at build time — and
// the build never needs the database.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "FunReason Studio", template: "%s · FunReason Studio" },
  description: "Curate function-calling training data with the FunReason refinement pipeline.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The theme script runs before the first paint; the Content-Security-Policy allows it by this response's nonce.
  const nonce = nonceOf((await headers()).get("content-security-policy"));
  return (
    // The script sets <html>'s class before React hydrates it.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <AppShell>{children}</AppShell>
      </body>
    </html>
  );
}
