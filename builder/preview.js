// Injected by `guide serve` into every page it serves, never part of a built site.
// Listens to the server's events: reload the page after a rebuild, swap the
// stylesheets after a CSS-only change, and list build errors over the page
// (which still shows the last good build) until a good rebuild.
(() => {
  "use strict";
  const events = new EventSource("/__guide/events");
  // A worker left by a build served on this address earlier would answer with stale pages.
  navigator.serviceWorker?.getRegistrations().then((found) => found.forEach((one) => one.unregister()));
  let overlay = null;

  function hideErrors() {
    overlay?.remove();
    overlay = null;
  }

  function showErrors(lines) {
    hideErrors();
    overlay = document.createElement("div");
    overlay.id = "guide-preview-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:1.5rem;" +
      "background:rgba(24,24,27,.94);color:#fafafa;font:14px/1.5 ui-monospace,monospace";
    const heading = document.createElement("h2");
    heading.textContent = `The last build failed (${lines.length} error${lines.length === 1 ? "" : "s"}); the page shows the last good one.`;
    heading.style.cssText = "margin:0 0 1rem;font:bold 16px/1.4 system-ui,sans-serif;color:#fca5a5";
    const list = document.createElement("pre");
    list.style.cssText = "margin:0;white-space:pre-wrap";
    list.textContent = lines.join("\n");
    overlay.append(heading, list);
    document.body.append(overlay);
  }

  events.addEventListener("reload", () => location.reload());
  events.addEventListener("errors", (event) => showErrors(JSON.parse(event.data)));
  events.addEventListener("ok", hideErrors);
  events.addEventListener("css", () => {
    const stamp = Date.now();
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("preview", stamp);
      link.href = url.href;
    }
  });
})();
