// A module resolution hook for the Playwright processes (registered in playwright.config.ts): specs and the global
// setup import server modules (lib/db/client …, and the route files the role matrix lists), which are marked
// `import "server-only"`. Outside Next that package throws unless resolved under the react-server condition, which
// only this one import is given here. Next's own entry points (`next/headers`, `next/server`) have no package
// exports map, so plain Node needs their file name.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === "server-only") return nextResolve(specifier, { ...context, conditions: [...context.conditions, "react-server"] });
  if (/^next\/[\w-]+$/.test(specifier)) return nextResolve(`${specifier}.js`, context);
  return nextResolve(specifier, context);
}
