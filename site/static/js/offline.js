/* Offline reading: registers the service worker (/sw.js) and drives "Save this course for
   offline" (courses/templates/courses/_offline_control.html). Pages work the same without
   it: the controls stay hidden, and nothing else on the site depends on this script.
   Every text shown comes translated from the control's data-msg-* attributes and is set as
   text, never as HTML. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches) return;
  const PREFIX = "lc-offline-";
  const META = "/__offline-meta__";
  const language = document.documentElement.lang || undefined;

  navigator.serviceWorker.register("/sw.js").catch(() => {});
  navigator.serviceWorker.startMessages();

  async function readMeta(name) {
    if (!(await caches.has(name))) return null;
    const response = await (await caches.open(name)).match(META);
    return response ? response.json() : null;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? values[name] : match));
  }

  function megabytes(bytes) {
    return new Intl.NumberFormat(language, { style: "unit", unit: "megabyte", maximumFractionDigits: 1 }).format(bytes / 1e6);
  }

  function when(iso) {
    return new Intl.DateTimeFormat(language, { dateStyle: "long", timeStyle: "short" }).format(new Date(iso));
  }

  async function render(control, note) {
    const messages = control.dataset;
    const meta = await readMeta(messages.offlineCache);
    const status = control.querySelector(".offline-save__status");
    const space = control.querySelector(".offline-save__space");
    if (note) {
      status.textContent = note;
    } else if (meta) {
      const entries = Object.values(meta.entries);
      const bytes = entries.reduce((sum, entry) => sum + (entry.bytes || 0), 0);
      const lessons = entries.filter((entry) => entry.kind === "lesson").length;
      status.textContent = fill(meta.complete ? messages.msgSaved : messages.msgPartial, {
        date: when(meta.savedAt),
        lessons: lessons,
        size: megabytes(bytes),
      });
    } else {
      status.textContent = messages.msgNotSaved;
    }
    if (navigator.storage && navigator.storage.estimate) {
      const estimate = await navigator.storage.estimate();
      space.textContent = fill(messages.msgSpace, { usage: megabytes(estimate.usage || 0), quota: megabytes(estimate.quota || 0) });
    }
    control.querySelector("[data-offline-action=save]").hidden = Boolean(meta && meta.complete);
    control.querySelector("[data-offline-action=remove]").hidden = !meta;
    control.hidden = false;
    return meta;
  }

  async function post(type, manifest) {
    const registration = await navigator.serviceWorker.ready;
    registration.active.postMessage({ type: type, manifest: manifest });
  }

  const controls = [...document.querySelectorAll("[data-offline-manifest]")];
  const byManifest = (url) => controls.filter((control) => control.dataset.offlineManifest === url);

  navigator.serviceWorker.addEventListener("message", (event) => {
    const data = event.data || {};
    for (const control of byManifest(data.manifest)) {
      const messages = control.dataset;
      if (data.type === "progress") {
        control.querySelector(".offline-save__status").textContent = fill(messages.msgProgress, { done: data.done, total: data.total });
      } else if (data.type === "saved") {
        render(control);
      } else if (data.type === "failed") {
        render(control, fill(messages.msgFailed, { reason: data.reason }));
      }
    }
  });

  for (const control of controls) {
    control.querySelector("[data-offline-action=save]").addEventListener("click", () => {
      control.querySelector(".offline-save__status").textContent = fill(control.dataset.msgProgress, { done: 0, total: "…" });
      post("save", control.dataset.offlineManifest);
    });
    control.querySelector("[data-offline-action=remove]").addEventListener("click", async () => {
      await caches.delete(control.dataset.offlineCache);
      render(control, control.dataset.msgRemoved);
    });
    render(control).then((meta) => {
      // Back online on the course's own page: bring the saved copy up to date.
      if (meta && navigator.onLine) post("refresh", meta.manifest);
    });
  }

  async function refreshAll() {
    for (const name of await caches.keys()) {
      const meta = name.startsWith(PREFIX) ? await readMeta(name) : null;
      if (meta) post("refresh", meta.manifest);
    }
  }
  window.addEventListener("online", refreshAll);

  // A shared phone: signing out forgets the saved courses, also where the browser ignores the
  // logout response's Clear-Site-Data header. (Answers not yet sent must be sent first: next slice.)
  for (const form of document.querySelectorAll("form[data-offline-logout]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX));
      await Promise.all(names.map((name) => caches.delete(name)));
      form.submit();
    });
  }
})();
