// Registers the site's service worker when it is served over HTTP(S), and offers a reload
// once a newer build has taken over. `guide serve` refuses the worker, so the preview never has one.
// The offer's words come from the page (data-updated, data-reload on this script's tag), in the guide's language;
// a theme's page that lacks them gets the English ones.
(() => {
  "use strict";
  const script = document.currentScript;
  const { updated: news = "A new version of this guide is ready.", reload = "Reload" } = script.dataset;
  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  let controlled = Boolean(navigator.serviceWorker.controller); // the first worker to take over is no update
  navigator.serviceWorker.register(new URL(script.dataset.worker, location.href)).catch(() => {});
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    const updated = controlled;
    controlled = true;
    if (!updated || document.querySelector(".update-notice")) return;
    const notice = document.createElement("p");
    notice.className = "update-notice";
    notice.setAttribute("role", "status");
    notice.textContent = `${news} `;
    const button = Object.assign(document.createElement("button"), { type: "button", className: "button", textContent: reload });
    button.addEventListener("click", () => location.reload());
    notice.append(button);
    document.body.append(notice);
  });
})();
