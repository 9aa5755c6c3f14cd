// The contrast of every visible text on a page with what is behind it (WCAG's ratio, backgrounds composed up the
// tree), in document order. Runs in the page (page.evaluate), so it uses nothing from outside its body.
export function textContrasts(): { text: string; ratio: number }[] {
  const context = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
  // Computed colours may be oklch() or lab(): the canvas turns any CSS colour into sRGB bytes.
  const rgba = (css: string): number[] => {
    context.clearRect(0, 0, 1, 1);
    context.fillStyle = css;
    context.fillRect(0, 0, 1, 1);
    const d = context.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top: number[], bottom: number[]) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const channel = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  const luminance = (c: number[]) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const behind = (element: Element) => {
    const layers: number[][] = [];
    for (let e: Element | null = element; e; e = e.parentElement) {
      const layer = rgba(getComputedStyle(e).backgroundColor);
      if (layer[3] > 0) layers.push(layer);
      if (layer[3] >= 1) break;
    }
    return layers.reverse().reduce((colour, layer) => over(layer, colour), [255, 255, 255, 1]);
  };
  const found: { text: string; ratio: number }[] = [];
  const seen = new Set<Element>();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    // Disabled controls are exempt (WCAG), hidden text is not seen, SVG text is drawn with fill, not color.
    if (!element || seen.has(element) || !node.textContent?.trim() || element.closest("svg, option, [aria-hidden=true], .sr-only, :disabled")) continue;
    seen.add(element);
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width === 0 || box.height === 0 || style.visibility === "hidden") continue;
    let opacity = 1;
    for (let e: Element | null = element; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    const background = behind(element);
    const colour = rgba(style.color);
    const text = over([colour[0], colour[1], colour[2], colour[3] * opacity], background);
    const [a, b] = [luminance(text), luminance(background)];
    found.push({ text: node.textContent.trim().slice(0, 60), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) });
  }
  return found;
}
