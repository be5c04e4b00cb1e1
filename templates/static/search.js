// The search page: queries the Pagefind bundle that `guide build` writes to pagefind/, with facets, and keeps the
// query and the chosen facets in the URL so results can be linked. Where the bundle cannot load (a page opened
// from disk, a host that lacks it) the widget stays hidden and a plain notice points to the browse lists instead.
(() => {
  "use strict";

  const FACETS = ["kind", "region", "muscle", "equipment", "level"];
  const VALUE_ORDER = { kind: ["exercise", "routine", "article"], level: ["beginner", "intermediate", "advanced"] };
  const PAGE_SIZE = 10;
  // While typing, a word's first letters match many words and would fetch much of the index for nothing.
  const FEWEST_LETTERS = 3;

  const bundle = new URL("../pagefind/pagefind.js", document.currentScript.src).href;
  const widget = document.querySelector("[data-search]");
  const input = widget.querySelector("input[name=q]");
  const facetBox = widget.querySelector("[data-search-filters]");
  const facetList = widget.querySelector("[data-search-facets]");
  const status = widget.querySelector("[data-search-status]");
  const list = widget.querySelector("[data-search-results]");
  const more = widget.querySelector("[data-search-more]");
  // The words shown, from the page: its translation, in the guide's language.
  const words = JSON.parse(widget.querySelector("[data-strings]").textContent);

  // Filter values are ids; the page names the kinds and levels, and its browse lists name the others.
  const names = { ...words.values };
  for (const link of document.querySelectorAll("[data-facet]")) {
    (names[link.dataset.facet] ||= {})[link.dataset.value] = link.textContent;
  }

  let pagefind = null;
  let facetsLoaded = null;
  let generation = 0;
  let shown = { query: "", results: [] };
  let searching = false;
  let wanted = false;

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
    for (const facet of FACETS) {
      const counts = totals[facet] || {};
      if (!Object.keys(counts).length) continue;
      const fieldset = element("fieldset", "facet");
      fieldset.append(element("legend", "", words.facets[facet]));
      for (const value of sortedValues(facet, counts)) {
        const option = element("label", "facet__option");
        const box = element("input");
        Object.assign(box, { type: "checkbox", name: facet, value, checked: chosen[facet].includes(value) });
        const count = element("span", "facet__count");
        count.dataset.facet = facet;
        count.dataset.value = value;
        const text = element("span", "", `${label(facet, value)} `);
        text.append(count);
        option.append(box, text);
        fieldset.append(option);
      }
      facetList.append(fieldset);
    }
  }

  function updateCounts(counts) {
    for (const count of facetList.querySelectorAll(".facet__count")) {
      count.textContent = `(${(counts[count.dataset.facet] || {})[count.dataset.value] || 0})`;
    }
  }

  // Facets cost a download of every filter's index, so they load when the filters are first opened.
  function loadFacets(chosen) {
    facetsLoaded ||= pagefind.filters().then((totals) => {
      renderFacets(totals, chosen);
      updateCounts(totals);
    });
    return facetsLoaded;
  }

  function chosenFacets() {
    const chosen = Object.fromEntries(FACETS.map((facet) => [facet, []]));
    for (const box of facetList.querySelectorAll("input:checked")) chosen[box.name].push(box.value);
    return chosen;
  }

  function readUrl() {
    const params = new URLSearchParams(location.search);
    return {
      query: params.get("q") || "",
      chosen: Object.fromEntries(FACETS.map((facet) => [facet, params.getAll(facet)])),
    };
  }

  function writeUrl(query, chosen) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    for (const [facet, values] of Object.entries(chosen)) for (const value of values) params.append(facet, value);
    const search = params.toString();
    history.replaceState(null, "", search ? `?${search}` : location.pathname);
  }

  function resultItem(data, query) {
    const item = element("li", "search-result");
    const heading = element("h2", "search-result__title");
    const link = element("a", "", data.meta.title);
    link.href = data.url;
    heading.append(link);
    const facts = element("p", "search-result__facts");
    facts.append(element("span", "kind", label("kind", data.meta.kind || "page")));
    if (data.meta.dose) facts.append(" ", element("span", "dose-pill", data.meta.dose));
    item.append(heading, facts);
    if (data.meta.image) {
      // Written as the page links it; resolved against the page, wherever the search page is.
      const picture = element("img", "search-result__image", "");
      picture.src = new URL(data.meta.image, new URL(data.url, location.href)).href;
      picture.alt = "";
      picture.loading = "lazy";
      picture.width = 96;
      picture.height = 72;
      item.classList.add("search-result--pictured");
      item.prepend(picture);
      if (data.meta.image_credit) item.append(element("small", "search-result__credit", data.meta.image_credit));
    }
    if (data.meta.summary) item.append(element("p", "search-result__summary", data.meta.summary));
    if (query) {
      const excerpt = element("p", "search-result__excerpt");
      excerpt.append(highlighted(data.excerpt));
      item.append(excerpt);
    }
    return item;
  }

  async function showMore(ticket) {
    const start = list.children.length;
    const loaded = await Promise.all(shown.results.slice(start, start + PAGE_SIZE).map((result) => result.data()));
    if (ticket !== generation) return;
    list.append(...loaded.map((data) => resultItem(data, shown.query)));
    more.hidden = list.children.length >= shown.results.length;
  }

  // Each status line comes in two forms, the first for one result and the second for any other number.
  function describe(total, query, chosen) {
    const labels = Object.entries(chosen).flatMap(([facet, values]) => values.map((value) => label(facet, value)));
    const line = `found${query ? "_words" : ""}${labels.length ? "_filtered" : ""}`;
    const values = { count: total, query, filters: labels.join(", ") };
    return words[line][total === 1 ? 0 : 1].replace(/\{(\w+)\}/g, (_, name) => values[name]);
  }

  // One search for the box and filters as they are now; results of a search overtaken by typing are not shown.
  async function searchOnce() {
    const ticket = ++generation;
    const query = input.value.trim();
    const chosen = chosenFacets();
    writeUrl(query, chosen);
    const filters = {};
    for (const [facet, values] of Object.entries(chosen)) if (values.length) filters[facet] = { any: values };
    if (!query && !Object.keys(filters).length) {
      shown = { query, results: [] };
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      return;
    }
    const found = await pagefind.search(query || null, { filters });
    if (wanted) return;
    shown = { query, results: found.results };
    if (facetsLoaded) updateCounts(found.filters);
    list.replaceChildren();
    await showMore(ticket);
    if (ticket === generation) status.textContent = describe(found.results.length, query, chosen);
  }

  // Pagefind runs one search at a time, so searches asked for while one runs are folded into one for the latest.
  async function run() {
    wanted = true;
    if (searching) return;
    searching = true;
    try {
      while (wanted) {
        wanted = false;
        await searchOnce();
      }
    } catch {
      unavailable();
    } finally {
      searching = false;
    }
  }

  function typed() {
    const letters = input.value.trim().length;
    if (letters === 0 || letters >= FEWEST_LETTERS) run();
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
      input.value = query;
      const filtered = Object.values(chosen).some((values) => values.length);
      if (filtered) {
        facetBox.open = true;
        await loadFacets(chosen);
      }
      widget.hidden = false;
      facetBox.addEventListener("toggle", () => facetBox.open && loadFacets(chosen).then(run).catch(unavailable));
      if (query || filtered) await run();
    } catch {
      unavailable();
      return;
    }
    input.addEventListener("input", typed);
    widget.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      run();
    });
    facetList.addEventListener("change", run);
    more.addEventListener("click", () => showMore(generation).catch(unavailable));
  }

  start();
})();
