/* Landscape Commons service worker (served at /sw.js by config/webapp.py, release {{ release|escapejs }}).

   Online, every request goes to the network as if there were no worker. When the network
   fails, a page or file the learner saved for offline (one cache per course, filled only with
   the URLs of the course's offline manifest, courses/offline.py) answers instead, and a saved
   page says when it was saved, and whether a newer version was published since. */
"use strict";
const RELEASE = "{{ release|escapejs }}";
const PREFIX = "{{ cache_prefix|escapejs }}";
{% verbatim %}
// A course cache's own record: what was saved when, at which version (never a real address).
const META = "/__offline-meta__";
const MANIFEST_PATH = /^(\/[a-z]{2})?\/learning\/courses\/\d+\/offline\.json$/;
const SKIP = /^\/(admin|django-admin|ws)\//;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range")) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || SKIP.test(url.pathname)) return;
  event.respondWith(networkThenSaved(event, url));
});

async function networkThenSaved(event, url) {
  try {
    const preloaded = await event.preloadResponse;
    return preloaded || (await fetch(event.request));
  } catch (error) {
    const saved = await fromStore(event.request, url);
    if (saved) return saved;
    if (event.request.mode === "navigate") return notSaved();
    throw error;
  }
}

function key(url) {
  const parsed = new URL(url, self.location.origin);
  return parsed.pathname + parsed.search;
}

async function courseCaches() {
  const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX));
  return Promise.all(names.map((name) => caches.open(name)));
}

async function readMeta(cache) {
  const response = await cache.match(META);
  return response ? response.json() : null;
}

function writeMeta(cache, meta) {
  return cache.put(META, new Response(JSON.stringify(meta), { headers: { "Content-Type": "application/json" } }));
}

async function fromStore(request, url) {
  // An image saved at its phone-sized rendition (a lesson's 360 px, the cover's 400 px) answers
  // for its larger ones, which a phone with a dense screen picks from the srcset.
  const phone = [".width-360.", ".width-400."].map((width) => url.pathname.replace(/\.width-\d+\./, width)).filter((path) => path !== url.pathname);
  for (const cache of await courseCaches()) {
    let response = await cache.match(request, { ignoreVary: true });
    for (const path of request.destination === "image" ? phone : []) {
      response = response || (await cache.match(path, { ignoreVary: true }));
    }
    if (!response) continue;
    const isPage = (response.headers.get("Content-Type") || "").startsWith("text/html");
    return request.mode === "navigate" && isPage ? withBanner(response, await readMeta(cache), key(url)) : response;
  }
  return null;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function withBanner(response, meta, path) {
  const entry = (meta && meta.entries[path]) || {};
  const messages = (meta && meta.messages) || {};
  let when = entry.savedAt || "";
  try {
    when = new Intl.DateTimeFormat(meta.language, { dateStyle: "long", timeStyle: "short" }).format(new Date(entry.savedAt));
  } catch (error) {
    // an unknown language or date: the ISO date is still readable
  }
  let banner = `<div class="offline-banner" role="status"><p>${escapeHtml((messages.saved_on || "{date}").replace("{date}", when))}</p>`;
  if (entry.latest && entry.latest !== entry.version && messages.outdated) {
    banner += `<p class="offline-banner__outdated">${escapeHtml(messages.outdated)}</p>`;
  }
  banner += "</div>";
  const html = await response.text();
  const main = html.search(/<main[\s>]/);
  const at = main >= 0 ? html.indexOf(">", main) + 1 : 0;
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(html.slice(0, at) + banner + html.slice(at), { status: response.status, headers });
}

// A page that was not saved: said in the learner's language, with a way back to what was.
async function notSaved() {
  let message = "Offline";
  let language = "en";
  let heading = "";
  const links = [];
  for (const cache of await courseCaches()) {
    const meta = await readMeta(cache);
    if (!meta || !meta.messages) continue;
    ({ language } = meta);
    message = meta.messages.not_saved;
    heading = meta.messages.saved_courses || heading;
    if (meta.course) links.push(`<li><a href="${escapeHtml(key(meta.course.url))}">${escapeHtml(meta.course.title)}</a></li>`);
  }
  const list = links.length ? `<h2>${escapeHtml(heading)}</h2><ul>${links.join("")}</ul>` : "";
  const html = `<!DOCTYPE html><html lang="${escapeHtml(language || "en")}"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(message)}</title><main><h1>${escapeHtml(message)}</h1>${list}</main></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// --- Saving and refreshing a course ----------------------------------------------------------

// One run per course at a time: a save or refresh asked for while one runs joins it (two runs
// would each write their own record of the same cache, and the last one would win).
const running = new Map();

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if ((data.type === "save" || data.type === "refresh") && MANIFEST_PATH.test(key(data.manifest || "/"))) {
    const manifest = key(data.manifest);
    if (!running.has(manifest)) {
      running.set(manifest, saveCourse(manifest, data.type === "refresh").finally(() => running.delete(manifest)));
    }
    event.waitUntil(running.get(manifest));
  }
});

async function tell(message) {
  for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
    client.postMessage(message);
  }
}

async function store(cache, url) {
  // "reload": from the server itself, never an HTTP-cached copy.
  const response = await fetch(url, { credentials: "same-origin", cache: "reload" }).catch((error) => {
    throw new Error(`${url}: ${error.message}`);
  });
  // Only what this learner may read, as the site answered it to them: no redirect (to the
  // login page, to the course), nothing the site says must not be stored.
  const control = response.headers.get("Cache-Control") || "";
  if (!response.ok || response.redirected || response.type !== "basic" || /no-store/i.test(control)) {
    throw new Error(`${url}: ${response.status}`);
  }
  const size = (await response.clone().blob()).size;
  await cache.put(url, response);
  return size;
}

async function saveCourse(manifestUrl, refresh) {
  const told = (message) => tell({ manifest: manifestUrl, ...message });
  let cache = null;
  let meta = null;
  try {
    const response = await fetch(manifestUrl, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok || response.redirected) throw new Error(String(response.status));
    const manifest = await response.json();
    if (!manifest.cache.startsWith(PREFIX)) throw new Error("cache");
    if (refresh && !(await caches.has(manifest.cache))) return; // removed meanwhile
    cache = await caches.open(manifest.cache);
    meta = (await readMeta(cache)) || { entries: {}, savedAt: new Date().toISOString() };
    Object.assign(meta, { manifest: manifestUrl, course: manifest.course, user: manifest.user, messages: manifest.messages, language: manifest.language, release: RELEASE });
    const listed = new Set(manifest.entries.map((entry) => key(entry.url)));
    for (const request of await cache.keys()) {
      const path = key(request.url);
      if (path !== META && !listed.has(path)) {
        await cache.delete(request); // no longer in the course, or no longer readable
        delete meta.entries[path];
      }
    }
    for (const entry of manifest.entries) {
      const known = meta.entries[key(entry.url)];
      if (known) known.latest = entry.version;
    }
    let done = 0;
    for (const entry of manifest.entries) {
      const path = key(entry.url);
      const known = meta.entries[path];
      if (!known || known.version !== entry.version) {
        const bytes = await store(cache, path);
        meta.entries[path] = { version: entry.version, latest: entry.version, savedAt: new Date().toISOString(), bytes, kind: entry.kind };
        // The record follows the cache entry by entry: a learner who goes offline in the middle
        // of a refresh reads each page with its own version, not "out of date" on a fresh copy.
        await writeMeta(cache, meta);
      }
      done += 1;
      told({ type: "progress", done, total: manifest.entries.length });
    }
    meta.complete = true;
    meta.refreshedAt = new Date().toISOString();
    await writeMeta(cache, meta);
    told({ type: "saved" });
  } catch (error) {
    if (cache && meta) {
      meta.complete = false;
      await writeMeta(cache, meta);
    }
    told({ type: "failed", reason: String((error && error.message) || error) });
  }
}

// --- Sending answers made offline (js/offline.js keeps them; courses/offline_sync.py records) --

const OUTBOX = "lc-outbox";
const OUTBOX_PATH = "/__offline-outbox__/";
const SYNC_PATH = /^(\/[a-z]{2})?\/learning\/courses\/\d+\/offline\/sync\/$/;
let sending = null;

// One send at a time: the page's load, the "online" event and Background Sync may all ask.
function sendOutbox() {
  if (!sending) sending = sendWaiting().finally(() => (sending = null));
  return sending;
}

function putEntry(cache, entry) {
  return cache.put(OUTBOX_PATH + entry.id, new Response(JSON.stringify(entry), { headers: { "Content-Type": "application/json" } }));
}

// The server's refusal of every answer for a course (the learner withdrawn, the course gone or
// closed to them): JSON with the reason in the learner's language and whose session it is.
// Anything else that is not a success (an error page, a lost connection) is not a refusal:
// the answers wait and go again.
async function refusalOf(response) {
  if (response.ok || response.redirected || !(response.headers.get("Content-Type") || "").startsWith("application/json")) return null;
  const body = await response.json().catch(() => null);
  return body && typeof body.refused === "string" && Number.isInteger(body.user) ? body : null;
}

async function sendWaiting() {
  const cache = await caches.open(OUTBOX);
  const entries = await Promise.all((await cache.keys()).map((request) => cache.match(request).then((response) => response.json())));
  const waiting = entries.filter((entry) => !entry.result && SYNC_PATH.test(key(entry.sync || "/")));
  waiting.sort((a, b) => (a.made_at < b.made_at ? -1 : a.made_at > b.made_at ? 1 : 0));
  let failed = false;
  // Each answer of that learner for that course gets the reason as its result: the page shows
  // it beside what they typed, which stays on the device until they dismiss it.
  const refuseAll = async (sync, refusal) => {
    for (const entry of waiting.filter((item) => key(item.sync) === sync && item.user === refusal.user && !item.result)) {
      entry.result = { id: entry.id, kind: entry.kind, accepted: false, message: refusal.refused, course: true };
      await putEntry(cache, entry);
    }
  };
  for (const sync of new Set(waiting.map((entry) => key(entry.sync)))) {
    try {
      // A fresh token and whose session this is: the saved page's may be days old, and a
      // shared phone may now be signed in as someone else (their answers wait for them).
      const who = await fetch(sync, { credentials: "same-origin", cache: "no-store" });
      const refusedFirst = await refusalOf(who);
      if (refusedFirst) {
        await refuseAll(sync, refusedFirst);
        continue;
      }
      if (!who.ok || who.redirected) throw new Error(String(who.status));
      const { csrf, user } = await who.json();
      const mine = waiting.filter((entry) => key(entry.sync) === sync && entry.user === user);
      for (let start = 0; start < mine.length; start += 50) {
        const batch = mine.slice(start, start + 50);
        const response = await fetch(sync, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
          body: JSON.stringify({ submissions: batch.map(({ id, kind, lesson, block, made_at, fields }) => ({ id, kind, lesson, block, made_at, fields })) }),
        });
        const refused = await refusalOf(response);
        if (refused) {
          await refuseAll(sync, refused);
          break;
        }
        if (!response.ok || response.redirected) throw new Error(String(response.status));
        for (const result of (await response.json()).results) {
          const entry = batch.find((item) => item.id === result.id);
          if (!entry) continue;
          entry.result = result;
          await putEntry(cache, entry);
        }
      }
    } catch (error) {
      failed = true; // kept as they are; the same ids go again next time
    }
  }
  await tell({ type: "outbox" });
  if (failed) throw new Error("outbox");
}

self.addEventListener("sync", (event) => {
  if (event.tag === "lc-outbox") event.waitUntil(sendOutbox());
});

self.addEventListener("message", (event) => {
  if ((event.data || {}).type !== "outbox") return;
  const port = event.ports[0];
  event.waitUntil(sendOutbox().catch(() => {}).then(() => port && port.postMessage("done")));
});
{% endverbatim %}
