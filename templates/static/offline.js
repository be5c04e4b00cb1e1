// Registers the site's service worker when it is served over HTTP(S), and offers a reload
// once a newer build has taken over. `guide serve` refuses the worker, so the preview never has one.
(() => {
  "use strict";
  const script = document.currentScript;
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
    notice.textContent = `${script.dataset.updated} `;
    const button = Object.assign(document.createElement("button"), { type: "button", className: "button", textContent: script.dataset.reload });
    button.addEventListener("click", () => location.reload());
    notice.append(button);
    document.body.append(notice);
  });
})();
