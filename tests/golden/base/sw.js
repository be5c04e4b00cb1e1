// The service worker of the built site: keeps the routines, their players and every file they
// load available offline. Its cache is named after a digest of all it holds, so a new build
// replaces it as a whole; old caches are deleted once the new one is complete.
const VERSION = "DIGEST";
const FILES = ["history/", "icon-192.png", "icon-512.png", "manifest.webmanifest", "routines/", "routines/core-basics/", "routines/core-basics/play/", "static/favicon.svg", "static/history.js", "static/offline.js", "static/player.css", "static/player.js", "static/style.css"];
const SCOPE = new URL("./", self.location).href;
// Guides under other paths of the same host share its caches: each names and deletes its own alone.
const OURS = `guide ${new URL(SCOPE).pathname} `;
const CACHE = OURS + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((file) => new Request(SCOPE + file, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith(OURS) && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

// Kept files from the cache (they change only with a new worker); anything else from the network. Offline, a
// picture's rendition that was not kept is answered with the one that was: all its files share the name up to
// the digest (`media/plank.0123456789ab.`), and the worker keeps one of each picture the players show.
const SAME_PICTURE = /^(.*\/media\/[^/]*\.[0-9a-f]{12}\.)/;

const answer = async (request) => {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreSearch: true });
  if (kept) return kept;
  try {
    return await fetch(request);
  } catch (error) {
    const picture = SAME_PICTURE.exec(request.url);
    const other = picture && (await cache.keys()).find((key) => key.url.startsWith(picture[1]));
    if (other) return cache.match(other);
    throw error;
  }
};

self.addEventListener("fetch", (event) => {
  if (event.request.method === "GET") event.respondWith(answer(event.request));
});
