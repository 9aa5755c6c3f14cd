import Link from "next/link";
import type { ReactNode } from "react";
import { currentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { unreadMentionsNow } from "@/lib/comments/list-mentions";
import { BUILT_IN_FAKE_NOTICE } from "@/lib/llm/built-in-fake";
import { isBuiltInFakeInForce } from "@/lib/settings/store";
import { cx } from "@/components/ui/cx";
import { NavLinks } from "./NavLinks";
import { ThemeToggle } from "./ThemeToggle";
import { UserMenu } from "./UserMenu";

/**
 * The frame around every page: a side navigation (a top bar on small screens) and the main column. Signed out
 * (the sign-in page), just the page, centred.
 */
export async function AppShell({ children }: { children: ReactNode }) {
  const [user, fakeJudge] = await Promise.all([currentUser(), isBuiltInFakeInForce()]);
  if (!user) {
    return (
      <main id="main" className="flex min-h-dvh flex-col items-center justify-center px-6 py-10">
        {fakeJudge ? <FakeJudgeBanner className="mb-8 max-w-xl rounded-lg border px-4" /> : null}
        <div className="mb-6 flex items-center gap-2.5">
          <Logo />
          <span className="text-[15px] font-semibold tracking-tight text-stone-900">FunReason Studio</span>
        </div>
        {children}
        <ThemeToggle className="mt-8" />
      </main>
    );
  }
  const unreadMentions = can(user.role, "comments.read") ? await unreadMentionsNow(user.id) : { count: 0, asOf: 0 };
  return (
    <div className="min-h-dvh md:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow"
      >
        Skip to content
      </a>
      <aside className="border-b border-stone-200 bg-white md:w-60 md:shrink-0 md:border-r md:border-b-0">
        <div className="md:sticky md:top-0 md:flex md:h-dvh md:flex-col">
        <div className="flex items-center gap-2.5 px-5 pt-5 pb-4">
          <Logo />
          <Link href="/datasets" className="rounded text-[15px] font-semibold tracking-tight text-stone-900">
            FunReason Studio
          </Link>
        </div>
        <nav aria-label="Main" className="overflow-x-auto px-3 pt-1 pb-3 md:flex-1 md:overflow-visible md:pb-0">
          <NavLinks role={user.role} unreadMentions={unreadMentions} />
        </nav>
        <UserMenu name={user.name} email={user.email} role={user.role} />
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1">
        {fakeJudge ? <FakeJudgeBanner className="border-b px-6 md:px-8 lg:px-10" /> : null}
        <div className="mx-auto max-w-[96rem] px-6 py-8 md:px-8 md:py-10 lg:px-10">{children}</div>
      </main>
    </div>
  );
}

/** Said on every page while the judge is the built-in fake LLM (lib/llm/built-in-fake.ts). */
function FakeJudgeBanner({ className }: { className: string }) {
  return (
    <p role="note" data-testid="fake-llm-banner" className={cx("border-amber-200 bg-amber-50 py-2 text-sm text-amber-900", className)}>
      <strong className="font-semibold">{BUILT_IN_FAKE_NOTICE}</strong>
      <span className="text-amber-800">
        {" "}
        — it decides by simple word matches between the query, the tools and the values, to show how the studio works.
        An admin sets a real OpenAI-compatible endpoint on the Settings page.
      </span>
    </p>
  );
}

function Logo() {
  return (
    <span aria-hidden className="flex size-7 items-center justify-center rounded-lg bg-accent-700 text-white shadow-sm">
      <svg viewBox="0 0 24 24" width={16} height={16} fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round">
        <path d="M8 6c-2 0-3 1-3 3v1.5c0 1-.6 1.5-1.5 1.5.9 0 1.5.5 1.5 1.5V15c0 2 1 3 3 3M16 6c2 0 3 1 3 3v1.5c0 1 .6 1.5 1.5 1.5-.9 0-1.5.5-1.5 1.5V15c0 2-1 3-3 3" />
        <path d="M10.5 12h3" />
      </svg>
    </span>
  );
}
