/* Briefings: the reader-side glue of the Pagefind header search.
 *
 * 1. `/`, `s` and `f` focus the search box from anywhere, as in Material's own
 *    search (which this site replaces); Ctrl/Cmd+K works too (Pagefind's own).
 * 2. A page opened from a search result (`?h=<term>`) marks the terms in its
 *    content with Pagefind's highlighter, loaded only then.
 * 3. Opened from files (file://), where browsers refuse to load the index, the
 *    box says that search needs a web server instead of searching forever.
 * 4. The box lists the first results only (its `max-results`): a word found on
 *    thousands of pages would make thousands of options, built before the first
 *    one shows. A line under them says how many there are and how to narrow them.
 * Works from any page depth: paths come from Material's `__config.base`.
 */
(() => {
  "use strict";

  const FOCUS_KEYS = new Set(["/", "s", "f"]);
  const HIGHLIGHT_PARAM = "h";

  if (window.location.protocol === "file:") {
    for (const input of document.querySelectorAll(".bs-search .pf-searchbox-input")) {
      input.disabled = true;
      input.placeholder = "Search needs a web server";
      input.title = "Serve the site folder, e.g.: python3 -m http.server --directory site";
    }
  }

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

  const searchbox = document.querySelector(".bs-search pagefind-searchbox");
  const components = window.PagefindComponents;
  if (searchbox && components && searchbox.hasAttribute("max-results")) {
    const shown = Number(searchbox.getAttribute("max-results"));
    const number = new Intl.NumberFormat("en");
    const instance = components
      .getInstanceManager()
      .getInstance(searchbox.getAttribute("instance") || "default");
    const dropdown = () => searchbox.querySelector(".pf-searchbox-dropdown");
    // A new search is on its way: the count of the last one no longer holds.
    instance.on("loading", () => dropdown()?.querySelector(".bs-search__more")?.remove());
    instance.on("results", (response) => {
      const box = dropdown();
      const total = response?.results?.length ?? 0;
      let note = box?.querySelector(".bs-search__more");
      if (!box || total <= shown) {
        note?.remove();
        return;
      }
      if (!note) {
        note = document.createElement("p");
        note.className = "bs-search__more";
        const footer = box.querySelector(".pf-searchbox-footer");
        if (footer) footer.before(note);
        else box.append(note);
      }
      note.textContent =
        `The first ${number.format(shown)} of ${number.format(total)} results ` +
        "are listed: add a word to narrow them.";
      // Pagefind announces the listed count ("50 results"); say the whole of it too.
      instance.announceRaw?.(note.textContent);
    });
  }

  const siteBase = () => {
    const config = document.getElementById("__config");
    const base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(`${base}/`, window.location.href);
  };

  // Pagefind writes the terms decomposed (NFD), which never match Korean text as
  // written (NFC): recompose them, in the address bar too, before marking.
  const params = new URLSearchParams(window.location.search);
  if (params.has(HIGHLIGHT_PARAM)) {
    const terms = params.getAll(HIGHLIGHT_PARAM).map((term) => term.normalize("NFC"));
    params.delete(HIGHLIGHT_PARAM);
    terms.forEach((term) => params.append(HIGHLIGHT_PARAM, term));
    const { pathname, hash } = window.location;
    window.history.replaceState(window.history.state, "", `${pathname}?${params}${hash}`);
    import(new URL("pagefind/pagefind-highlight.js", siteBase()).href)
      .then(({ default: PagefindHighlight }) => {
        // Marks go inside [data-pagefind-body]; Material styles <mark> for both palettes.
        new PagefindHighlight({ highlightParam: HIGHLIGHT_PARAM, addStyles: false });
      })
      .catch((error) => console.warn("Search highlighting is unavailable:", error));
  }
})();
