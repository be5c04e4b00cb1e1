// The search page: queries the Pagefind bundle that `guide build` writes to pagefind/, with facets, and keeps the
// query and the chosen facets in the URL so results can be linked. Where the bundle cannot load (a page opened
// from disk, a host that lacks it) the widget stays hidden and a plain notice points to the browse lists instead.
(() => {
  "use strict";

  const FACETS = [
    ["kind", "Kind"],
    ["region", "Region"],
    ["muscle", "Muscle"],
    ["equipment", "Equipment"],
    ["level", "Level"],
  ];
  const VALUE_ORDER = { kind: ["exercise", "routine", "article"], level: ["beginner", "intermediate", "advanced"] };
  const PAGE_SIZE = 10;
  // Long enough to skip the index chunks of words still being typed, short enough not to be noticed.
  const TYPING_PAUSE_MS = 50;

  const bundle = new URL("../pagefind/pagefind.js", document.currentScript.src).href;
  const widget = document.querySelector("[data-search]");
  const input = widget.querySelector("input[name=q]");
  const facetBox = widget.querySelector("[data-search-filters]");
  const status = widget.querySelector("[data-search-status]");
  const list = widget.querySelector("[data-search-results]");
  const more = widget.querySelector("[data-search-more]");

  // Filter values are taxonomy ids; the browse lists on the page give their names.
  const names = {};
  for (const link of document.querySelectorAll("[data-facet]")) {
    (names[link.dataset.facet] ||= {})[link.dataset.value] = link.textContent;
  }

  let pagefind = null;
  let generation = 0;
  let pending = [];
  let typing = 0;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function label(facet, value) {
    return names[facet]?.[value] ?? value.charAt(0).toUpperCase() + value.slice(1);
  }

  function unavailable() {
    widget.hidden = true;
    document.querySelector("[data-search-unavailable]").hidden = false;
  }

  // Pagefind's excerpts mark matches with <mark>; only text and those marks are copied into the page.
  function highlighted(excerpt) {
    const parsed = new DOMParser().parseFromString(excerpt, "text/html").body;
    const fragment = document.createDocumentFragment();
    for (const node of parsed.childNodes) {
      fragment.append(node.nodeName === "MARK" ? element("mark", "", node.textContent) : node.textContent);
    }
    return fragment;
  }

  function sortedValues(facet, counts) {
    const order = VALUE_ORDER[facet];
    const values = Object.keys(counts);
    if (order) return values.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    return values.sort((a, b) => label(facet, a).localeCompare(label(facet, b)));
  }

  function renderFacets(totals, chosen) {
    for (const [facet, name] of FACETS) {
      const counts = totals[facet] || {};
      if (!Object.keys(counts).length) continue;
      const fieldset = element("fieldset", "facet");
      fieldset.append(element("legend", "", name));
      for (const value of sortedValues(facet, counts)) {
        const option = element("label", "facet__option");
        const box = element("input");
        Object.assign(box, { type: "checkbox", name: facet, value, checked: chosen[facet].includes(value) });
        const count = element("span", "facet__count");
        count.dataset.facet = facet;
        count.dataset.value = value;
        option.append(box, ` ${label(facet, value)} `, count);
        fieldset.append(option);
      }
      facetBox.append(fieldset);
    }
  }

  function updateCounts(counts) {
    for (const count of facetBox.querySelectorAll(".facet__count")) {
      count.textContent = `(${(counts[count.dataset.facet] || {})[count.dataset.value] || 0})`;
    }
  }

  function chosenFacets() {
    const chosen = Object.fromEntries(FACETS.map(([facet]) => [facet, []]));
    for (const box of facetBox.querySelectorAll("input:checked")) chosen[box.name].push(box.value);
    return chosen;
  }

  function readUrl() {
    const params = new URLSearchParams(location.search);
    return {
      query: params.get("q") || "",
      chosen: Object.fromEntries(FACETS.map(([facet]) => [facet, params.getAll(facet)])),
    };
  }

  function writeUrl(query, chosen) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    for (const [facet, values] of Object.entries(chosen)) for (const value of values) params.append(facet, value);
    const search = params.toString();
    history.replaceState(null, "", search ? `?${search}` : location.pathname);
  }

  function resultItem(data) {
    const item = element("li", "search-result");
    const heading = element("h2", "search-result__title");
    const link = element("a", "", data.meta.title);
    link.href = data.url;
    heading.append(link);
    const facts = element("p", "search-result__facts");
    facts.append(element("span", "kind", label("kind", data.meta.kind || "page")));
    if (data.meta.dose) facts.append(" ", element("span", "dose-pill", data.meta.dose));
    item.append(heading, facts);
    if (data.meta.summary) item.append(element("p", "search-result__summary", data.meta.summary));
    const excerpt = element("p", "search-result__excerpt");
    excerpt.append(highlighted(data.excerpt));
    item.append(excerpt);
    return item;
  }

  async function showMore(ticket) {
    const shown = list.children.length;
    const loaded = await Promise.all(pending.slice(shown, shown + PAGE_SIZE).map((result) => result.data()));
    if (ticket !== generation) return;
    list.append(...loaded.map(resultItem));
    more.hidden = list.children.length >= pending.length;
  }

  function describe(total, query, chosen) {
    const names = Object.entries(chosen).flatMap(([facet, values]) => values.map((value) => label(facet, value)));
    let text = `${total} ${total === 1 ? "result" : "results"}`;
    if (query) text += ` for “${query}”`;
    if (names.length) text += `, filtered by ${names.join(", ")}`;
    return text;
  }

  async function run() {
    clearTimeout(typing);
    const ticket = ++generation;
    const query = input.value.trim();
    const chosen = chosenFacets();
    writeUrl(query, chosen);
    const filters = {};
    for (const [facet, values] of Object.entries(chosen)) if (values.length) filters[facet] = { any: values };
    if (!query && !Object.keys(filters).length) {
      pending = [];
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      updateCounts(await pagefind.filters());
      return;
    }
    const found = await pagefind.search(query || null, { filters });
    if (ticket !== generation) return;
    pending = found.results;
    updateCounts(found.filters);
    list.replaceChildren();
    await showMore(ticket);
    if (ticket === generation) status.textContent = describe(pending.length, query, chosen);
  }

  function guarded(task) {
    return () => task().catch(unavailable);
  }

  async function start() {
    if (location.protocol === "file:") {
      unavailable();
      return;
    }
    try {
      pagefind = await import(bundle);
      await pagefind.options({ baseUrl: new URL(widget.dataset.root, location.href).pathname, excerptLength: 24 });
      await pagefind.init();
      const { query, chosen } = readUrl();
      const totals = await pagefind.filters();
      renderFacets(totals, chosen);
      updateCounts(totals);
      input.value = query;
      const filtered = Object.values(chosen).some((values) => values.length);
      facetBox.open = filtered || matchMedia("(min-width: 52rem)").matches;
      widget.hidden = false;
      if (query || filtered) await run();
    } catch {
      unavailable();
      return;
    }
    input.addEventListener("input", () => {
      clearTimeout(typing);
      typing = setTimeout(guarded(run), TYPING_PAUSE_MS);
    });
    widget.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      guarded(run)();
    });
    facetBox.addEventListener("change", guarded(run));
    more.addEventListener("click", guarded(() => showMore(generation)));
  }

  start();
})();
