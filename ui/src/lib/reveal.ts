/** Svelte action: scrolls an element that has just appeared (a form, a warning) into view. */
export function reveal(node: HTMLElement): void {
  node.scrollIntoView({ block: "nearest" });
}
