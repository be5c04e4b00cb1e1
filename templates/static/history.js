// Sessions finished in the player, kept in this browser's storage only: the list on /history/
// (with export, import and clear-all) and the "last done" line of a routine page.
(() => {
  "use strict";
  const anchor = document.querySelector("[data-history], [data-last-done]");
  if (!anchor) return;
  const key = `guide:history:${new URL(anchor.dataset.home, location.href).pathname}`;
  const load = () => {
    try {
      const found = JSON.parse(localStorage.getItem(key));
      return Array.isArray(found) ? found.filter(valid) : [];
    } catch {
      return [];
    }
  };
  const store = (sessions) => {
    try {
      localStorage.setItem(key, JSON.stringify(sessions));
      return true;
    } catch {
      return false; // storage full or refused
    }
  };
  const valid = (session) =>
    session !== null &&
    typeof session === "object" &&
    typeof session.date === "string" &&
    !Number.isNaN(Date.parse(session.date)) &&
    typeof session.routine === "string" &&
    typeof session.title === "string" &&
    Number.isFinite(session.seconds) &&
    Number.isFinite(session.sets) &&
    Array.isArray(session.skipped) &&
    session.skipped.every((title) => typeof title === "string");
  const day = (iso) => new Date(iso).toLocaleDateString(document.documentElement.lang, { dateStyle: "medium" });

  if (anchor.matches("[data-last-done]")) {
    const last = load().filter((session) => session.routine === anchor.dataset.routine).pop();
    if (last) {
      anchor.querySelector("time").dateTime = last.date;
      anchor.querySelector("time").textContent = day(last.date);
      anchor.hidden = false;
    }
    return;
  }

  const $ = (selector) => anchor.querySelector(selector);
  const words = JSON.parse($("[data-strings]").textContent);
  const say = (name, values = {}) => words[name].replace(/\{(\w+)\}/g, (_, field) => values[field]);
  const routines = new URL(anchor.dataset.routines, location.href);
  const headings = [...anchor.querySelectorAll("th")].map((heading) => heading.textContent);
  const show = () => {
    const sessions = load();
    const rows = $("[data-rows]");
    rows.replaceChildren(
      ...sessions
        .slice()
        .reverse()
        .map((session) => {
          const row = document.createElement("tr");
          const link = document.createElement("a");
          link.href = new URL(`${encodeURIComponent(session.routine)}/`, routines).href;
          link.textContent = session.title;
          const cells = [
            day(session.date),
            link,
            say("minutes", { minutes: Math.max(1, Math.round(session.seconds / 60)) }),
            String(session.sets),
            session.skipped.join(", ") || words.none,
          ];
          cells.forEach((content, column) => {
            const cell = row.appendChild(document.createElement("td"));
            cell.dataset.label = headings[column];
            cell.append(content);
          });
          return row;
        }),
    );
    $("[data-table]").hidden = sessions.length === 0;
    $("[data-empty]").hidden = sessions.length > 0;
    $("[data-export]").disabled = $("[data-clear]").disabled = sessions.length === 0;
  };

  $("[data-export]").addEventListener("click", () => {
    const blob = new Blob([JSON.stringify(load(), null, 2)], { type: "application/json" });
    const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: "sessions.json" });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000); // some browsers read the file after the click returns
  });
  $("[data-import]").addEventListener("change", async (event) => {
    const [file] = event.target.files;
    event.target.value = "";
    if (!file) return;
    let found;
    try {
      found = JSON.parse(await file.text());
    } catch {
      found = null;
    }
    if (!Array.isArray(found) || !found.every(valid)) {
      $("[data-status]").textContent = words.bad;
      return;
    }
    const sessions = load();
    const known = new Set(sessions.map((session) => `${session.date} ${session.routine}`));
    const added = found.filter((session) => {
      const name = `${session.date} ${session.routine}`;
      return !known.has(name) && known.add(name); // once each, from the file too
    });
    const merged = [...sessions, ...added].sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
    if (!store(merged)) {
      $("[data-status]").textContent = words.full;
      return;
    }
    $("[data-status]").textContent = say("imported", { added: added.length, count: merged.length });
    show();
  });
  $("[data-clear]").addEventListener("click", () => {
    if (!confirm(say("confirm", { count: load().length }))) return;
    localStorage.removeItem(key);
    $("[data-status]").textContent = words.cleared;
    show();
  });
  show();
})();
