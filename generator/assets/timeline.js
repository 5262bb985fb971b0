/* Briefings: the timeline filter (/timeline/).
 *
 * The page lists every event as `li.bs-event` with `data-actors`, `data-tags` and
 * `data-claimants` (space-separated ids; the claimants are who the event is according
 * to), under a heading per year and per month, and carries a hidden `form.bs-filter`. This
 * script shows the form and, when an actor, a tag or a claimant is chosen, hides the events
 * that do not match and the headings left without events. The choice is kept in the
 * address (`?actor=<id>&tag=<tag>&claimant=<id>`), so a filtered timeline can be linked
 * to. The claimant list is there only when some event is attributed. Without this script the form stays hidden and every event is shown.
 *
 * A timeline of more than one page (`form[data-paged]`) filters the events of the page
 * shown, and each choice links to where all its events are.
 */
(() => {
  "use strict";

  const form = document.querySelector("form.bs-filter");
  const events = Array.from(document.querySelectorAll("li.bs-event[data-actors]"));
  if (!form || events.length === 0) return;

  const fields = ["actor", "tag", "claimant"].filter((name) => form.elements[name]);
  const listOf = (element, name) => (element.dataset[name] || "").split(" ").filter(Boolean);
  const status = form.querySelector(".bs-filter__status");
  /* On one page of a long timeline: the filter shows this page's events, and links to the
   * page listing all the events of the chosen actor or tag (`data-whole`). */
  const paged = form.hasAttribute("data-paged");
  const container = events[0].closest("ul").parentElement;

  const matches = (event, chosen) =>
    (!chosen.actor || listOf(event, "actors").includes(chosen.actor)) &&
    (!chosen.tag || listOf(event, "tags").includes(chosen.tag)) &&
    (!chosen.claimant || listOf(event, "claimants").includes(chosen.claimant));

  /* Hide each list with no event left, then each heading whose section has none. */
  const hideEmptySections = () => {
    let heading = { H2: null, H3: null };
    const shown = new Set();
    for (const child of container.children) {
      if (child.tagName === "H2") heading = { H2: child, H3: null };
      else if (child.tagName === "H3") heading = { ...heading, H3: child };
      else if (child.tagName === "UL" && child.querySelector("li.bs-event")) {
        const any = Array.from(child.children).some((item) => !item.hidden);
        child.hidden = !any;
        if (any) Object.values(heading).forEach((h) => h && shown.add(h));
      }
    }
    for (const h of container.querySelectorAll(":scope > h2, :scope > h3")) {
      h.hidden = !shown.has(h);
    }
  };

  const apply = () => {
    const chosen = Object.fromEntries(fields.map((name) => [name, form.elements[name].value]));
    let count = 0;
    for (const event of events) {
      event.hidden = !matches(event, chosen);
      if (!event.hidden) count += 1;
    }
    hideEmptySections();
    const filtered = fields.some((name) => chosen[name]);
    const where = paged ? " on this page" : "";
    status.textContent = filtered
      ? `Showing ${count} of ${events.length} events${where}.`
      : `Showing all ${events.length} events${where}.`;
    if (paged) {
      for (const name of fields) {
        const option = form.elements[name].selectedOptions[0];
        if (!option || !option.dataset.whole) continue;
        const link = document.createElement("a");
        link.href = option.dataset.whole;
        link.textContent = `All events of ${option.dataset.name}`;
        status.append(" ", link);
      }
    }
    const params = new URLSearchParams(window.location.search);
    fields.forEach((name) => (chosen[name] ? params.set(name, chosen[name]) : params.delete(name)));
    const query = params.toString();
    const address = `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`;
    window.history.replaceState(window.history.state, "", address);
  };

  const params = new URLSearchParams(window.location.search);
  for (const name of fields) {
    const select = form.elements[name];
    const wanted = params.get(name);
    if (wanted && Array.from(select.options).some((option) => option.value === wanted)) {
      select.value = wanted;
    }
  }
  form.addEventListener("change", apply);
  form.addEventListener("reset", () => window.setTimeout(apply));
  form.addEventListener("submit", (event) => event.preventDefault());
  form.hidden = false;
  apply();
})();
