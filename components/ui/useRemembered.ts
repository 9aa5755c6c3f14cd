"use client";

import { useCallback, useEffect, useState } from "react";

/**
 * A yes/no the person sets once and finds again on every page load (localStorage, this browser only). Starts at
 * `initial` on the server and in the first render, then takes the remembered value.
 */
export function useRemembered(key: string, initial: boolean): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(initial);
  useEffect(() => {
    const stored = window.localStorage.getItem(key);
    if (stored !== null) setValue(stored === "true");
  }, [key]);
  const remember = useCallback(
    (next: boolean) => {
      setValue(next);
      try {
        window.localStorage.setItem(key, String(next));
      } catch {
        // Private mode or a full storage: the choice holds for this page only.
      }
    },
    [key],
  );
  return [value, remember];
}
