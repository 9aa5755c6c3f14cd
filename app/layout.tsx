import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell/AppShell";
import "./globals.css";

// Every page shows who is signed in (AppShell reads the session), so nothing is prerendered at build time — and
// the build never needs the database.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "FunReason Studio", template: "%s · FunReason Studio" },
  description: "Curate function-calling training data with the FunReason refinement pipeline.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <AppShell>{children}</AppShell>
      </body>
    </html>
  );
}
