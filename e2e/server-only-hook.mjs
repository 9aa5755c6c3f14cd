// A module resolution hook for the Playwright processes (registered in playwright.config.ts): specs and the global
// setup import server modules (lib/db/client …), which are marked `import "server-only"`. Outside Next that package
// throws unless resolved under the react-server condition, which only this one import is given here.
export async function resolve(specifier, context, nextResolve) {
  if (specifier !== "server-only") return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, "react-server"] });
}
