/* Briefings: the reader-side glue of the Pagefind header search.
 *
 * 1. `/`, `s` and `f` focus the search box from anywhere, as in Material's own
 *    search (which this site replaces); Ctrl/Cmd+K works too (Pagefind's own).
 * 2. A page opened from a search result (`?h=<term>`) marks the terms in its
 *    content with Pagefind's highlighter, loaded only then.
 * Works from any page depth: paths come from Material's `__config.base`.
 */
(() => {
  "use strict";

  const FOCUS_KEYS = new Set(["/", "s", "f"]);
  const HIGHLIGHT_PARAM = "h";

  const isEditable = (element) =>
    element instanceof HTMLElement &&
    (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName));

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (!FOCUS_KEYS.has(event.key) || isEditable(document.activeElement)) return;
    const input = document.querySelector(".bs-search .pf-searchbox-input");
    if (!input) return;
    event.preventDefault();
    input.focus();
    input.select();
  });

  const siteBase = () => {
    const config = document.getElementById("__config");
    const base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(`${base}/`, window.location.href);
  };

  if (new URLSearchParams(window.location.search).has(HIGHLIGHT_PARAM)) {
    import(new URL("pagefind/pagefind-highlight.js", siteBase()).href)
      .then(({ default: PagefindHighlight }) => {
        // Marks go inside [data-pagefind-body]; Material styles <mark> for both palettes.
        new PagefindHighlight({ highlightParam: HIGHLIGHT_PARAM, addStyles: false });
      })
      .catch((error) => console.warn("Search highlighting is unavailable:", error));
  }
})();
