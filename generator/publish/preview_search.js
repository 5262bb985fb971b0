/* Live preview only: generator/mkdocs_hooks.py puts this script into each page while
 * `serve` runs, never into a built site. The search index is rebuilt in the background
 * after each save (generator/publish/search.py, PreviewIndex); meanwhile a line under the
 * search box says that results are updating, announced politely to screen readers, and
 * it goes once the index matches the pages. The state comes from pagefind-status.json at
 * the site's root, on the same server, asked again every second while it is not ready.
 */
(() => {
  "use strict";

  const MESSAGES = {
    updating: "Search results are updating…",
    failed: "Search results could not be updated: see the terminal.",
  };
  const box = document.querySelector(".bs-search");
  const config = document.getElementById("__config");
  if (!box || !config) return;
  const base = JSON.parse(config.textContent).base;
  const status = new URL(`${base}/pagefind-status.json`, window.location.href);

  const style = document.createElement("style");
  style.textContent =
    ".bs-search { position: relative; }" +
    ".bs-search__status { position: absolute; top: 100%; left: 0; margin: 0;" +
    " font-size: 0.6rem; line-height: 1.2; white-space: nowrap; }" +
    ".bs-search__status:empty { display: none; }";
  document.head.append(style);
  const note = document.createElement("p");
  note.className = "bs-search__status";
  note.setAttribute("role", "status"); // a polite live region
  box.append(note);

  const check = async () => {
    let state = "updating";
    try {
      const response = await fetch(status, { cache: "no-store" });
      if (response.ok) state = (await response.json()).state;
    } catch {
      // The server is restarting or the file is being replaced: ask again.
    }
    note.textContent = MESSAGES[state] ?? "";
    if (state === "updating") window.setTimeout(check, 1000);
  };
  check();
})();
