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
  const OUTBOX = "lc-outbox";
  const OUTBOX_PATH = "/__offline-outbox__/";
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

  // A shared phone signed in as someone else (the last learner's session ended without a
  // logout): their saved pages show their name and progress, so they leave the device before
  // anything else is read. Their answers not yet sent stay, for them (the outbox is per learner).
  const panel = document.querySelector("[data-offline-outbox]");
  const user = panel ? Number(panel.dataset.offlineUser) : null;
  const othersForgotten = (async () => {
    if (user === null) return;
    for (const name of await caches.keys()) {
      const meta = name.startsWith(PREFIX) ? await readMeta(name) : null;
      if (meta && meta.user !== undefined && meta.user !== user) await caches.delete(name);
    }
  })();

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
    othersForgotten.then(() => render(control)).then((meta) => {
      // Back online on the course's own page: bring the saved copy up to date.
      if (meta && navigator.onLine) post("refresh", meta.manifest);
    });
  }

  // Back online, on whatever page (a lesson read from the device too): bring every saved course
  // up to date. A page loaded online does the same at most every REFRESH_EVERY ms (the course
  // page and the dashboard always do, above), so a learner who only opens lessons still gets
  // a trainer's new version.
  const REFRESH_EVERY = 15 * 60 * 1000;
  const pending = new Map();
  function refresh(manifest) {
    // Resolves true once the worker has stored the course, false if it could not.
    return new Promise((resolve) => {
      pending.set(manifest, [...(pending.get(manifest) || []), resolve]);
      setTimeout(() => resolve(false), 60000);
      post("refresh", manifest);
    });
  }

  async function refreshAll(onlyIfOlder) {
    const refreshed = [];
    for (const name of await caches.keys()) {
      const meta = name.startsWith(PREFIX) ? await readMeta(name) : null;
      if (!meta || (onlyIfOlder && meta.complete && Date.now() - Date.parse(meta.refreshedAt) < REFRESH_EVERY)) continue;
      refreshed.push(refresh(meta.manifest));
    }
    return (await Promise.all(refreshed)).every(Boolean);
  }

  // "online" may come before requests get through (a Wi-Fi still signing in; in Chromium, the
  // worker's network a moment after the page's): what it starts is tried again a few times.
  function retried(task) {
    let tries = 0;
    const run = async () => {
      if (!(await task()) && navigator.onLine && tries < 4) setTimeout(run, 1000 * 2 ** tries++);
    };
    run();
  }
  window.addEventListener("online", () => retried(() => refreshAll(false)));
  if (navigator.onLine && !controls.length) othersForgotten.then(() => refreshAll(true));

  // A page read from the device says when its copy is out of date; once a refresh has stored
  // the new version, it says so instead and links to it.
  async function updateBanner() {
    const outdated = document.querySelector(".offline-banner__outdated");
    if (!outdated) return;
    const path = location.pathname + location.search;
    for (const name of await caches.keys()) {
      const meta = name.startsWith(PREFIX) ? await readMeta(name) : null;
      const entry = meta && meta.entries[path];
      if (!entry || entry.version !== entry.latest || !meta.messages.updated) continue;
      const link = document.createElement("a");
      link.href = path;
      link.textContent = meta.messages.reload;
      outdated.className = "offline-banner__updated";
      outdated.replaceChildren(document.createTextNode(`${meta.messages.updated} `), link);
    }
  }
  navigator.serviceWorker.addEventListener("message", (event) => {
    const data = event.data || {};
    if (data.type !== "saved" && data.type !== "failed") return;
    for (const resolve of pending.get(data.manifest) || []) resolve(data.type === "saved");
    pending.delete(data.manifest);
    updateBanner();
  });

  // --- Answers made offline (courses/offline_sync.py) ----------------------------------------
  // Offline, a quiz or "Mark this lesson complete" is kept in the outbox cache (one entry per
  // submission, named by an id made here) instead of being posted; the worker sends them when
  // the connection returns and writes each result into its entry. An entry leaves the device
  // when the learner dismisses its result: nothing typed is lost before they have seen it.
  async function outbox() {
    const cache = await caches.open(OUTBOX);
    const entries = await Promise.all((await cache.keys()).map((request) => cache.match(request).then((response) => response.json())));
    return entries.filter((entry) => entry.user === user).sort((a, b) => (a.made_at < b.made_at ? -1 : a.made_at > b.made_at ? 1 : 0));
  }

  function askWorker() {
    // Resolves when the worker has tried to send what waits (or after 15 s without an answer).
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      const timer = setTimeout(resolve, 15000);
      channel.port1.onmessage = () => {
        clearTimeout(timer);
        resolve();
      };
      navigator.serviceWorker.ready.then((registration) => registration.active.postMessage({ type: "outbox" }, [channel.port2]));
    });
  }

  // What the learner answered, as they read it (questions and the labels of their choices),
  // kept with the entry: shown and downloadable wherever its result is read, on any page.
  function answersIn(form) {
    const answers = [];
    for (const fieldset of form.querySelectorAll("fieldset")) {
      const chosen = [];
      for (const input of fieldset.querySelectorAll("input")) {
        if (input.type === "text" && input.value) chosen.push(input.value);
        if ((input.type === "radio" || input.type === "checkbox") && input.checked) {
          const label = form.querySelector(`label[for="${CSS.escape(input.id)}"]`);
          chosen.push(label ? label.textContent.trim() : input.value);
        }
      }
      const legend = fieldset.querySelector("legend");
      answers.push({ question: legend ? legend.textContent.trim() : "", answer: chosen.join(", ") });
    }
    return answers;
  }

  function typed(entry) {
    if (entry.answers) return entry.answers.map((item) => `${item.question} ${item.answer}`).join("; ");
    const answers = [];
    for (const [name, values] of Object.entries(entry.fields)) {
      if (!name.startsWith("q-")) continue;
      for (const value of values) {
        const label = document.querySelector(`label[for="${CSS.escape(`${name}-${value}`)}"]`);
        answers.push(label ? label.textContent : value);
      }
    }
    return answers.join("; ");
  }

  let downloadUrl = null;
  function download(refused) {
    const link = panel.querySelector(".offline-outbox__download");
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = null;
    link.hidden = refused.length === 0;
    // ``download`` is valid HTML only beside an ``href``: both are set together.
    if (link.hidden) {
      link.removeAttribute("download");
      return link.removeAttribute("href");
    }
    link.download = link.dataset.filename;
    const text = refused.map((entry) => [
      `${entry.label} (${when(entry.made_at)})`,
      fill(panel.dataset.msgRefused, { reason: entry.result.message }),
      ...(entry.answers || []).map((item) => `${item.question} ${item.answer}`),
    ].join("\n"));
    downloadUrl = URL.createObjectURL(new Blob([`${text.join("\n\n")}\n`], { type: "text/plain;charset=utf-8" }));
    link.href = downloadUrl;
  }

  // Renders overlap (a dismissal, the worker's message, a sync): only the latest started
  // draws, so an earlier one finishing last cannot bring back what was dismissed.
  let renders = 0;
  async function renderOutbox() {
    if (!panel) return;
    const messages = panel.dataset;
    const render = ++renders;
    const entries = await outbox();
    if (render !== renders) return entries.filter((entry) => !entry.result).length;
    const waiting = entries.filter((entry) => !entry.result).length;
    const form = new Intl.PluralRules(language).select(waiting) === "one" ? messages.msgWaitingOne : messages.msgWaitingOther;
    const refused = entries.filter((entry) => entry.result && !entry.result.accepted);
    panel.querySelector(".offline-outbox__waiting").textContent = waiting ? fill(form, { count: waiting }) : refused.length ? messages.msgRefusedSome : "";
    download(refused);
    const list = panel.querySelector(".offline-outbox__results");
    list.replaceChildren();
    for (const entry of entries.filter((item) => item.result)) {
      const item = panel.querySelector(".offline-outbox__item").content.firstElementChild.cloneNode(true);
      const result = entry.result;
      item.classList.toggle("offline-outbox__refused", !result.accepted);
      item.querySelector(".offline-outbox__message").textContent = result.accepted ? result.message : `${entry.label}: ${fill(messages.msgRefused, { reason: result.message })}`;
      const answers = result.accepted ? "" : typed(entry);
      item.querySelector(".offline-outbox__typed").textContent = answers ? fill(messages.msgTyped, { answers }) : "";
      const link = item.querySelector(".offline-outbox__link");
      link.hidden = !(result.accepted && result.url);
      if (!link.hidden) link.href = result.url;
      item.querySelector(".offline-outbox__dismiss").addEventListener("click", async () => {
        await (await caches.open(OUTBOX)).delete(`${OUTBOX_PATH}${entry.id}`);
        renderOutbox();
      });
      list.append(item);
    }
    panel.hidden = entries.length === 0;
    return waiting;
  }

  function note(form, text) {
    let paragraph = form.querySelector(".offline-note");
    if (!paragraph) {
      paragraph = document.createElement("p");
      paragraph.className = "offline-note notice";
      paragraph.setAttribute("role", "status");
      form.append(paragraph);
    }
    paragraph.textContent = text;
  }

  async function keep(form) {
    const fields = {};
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string") (fields[name] = fields[name] || []).push(value);
    }
    const data = form.dataset;
    const entry = {
      id: crypto.randomUUID(),
      user: user,
      sync: data.offlineSync,
      kind: data.offlineSubmit,
      lesson: Number(data.offlineLesson),
      block: data.offlineBlock || "",
      label: data.offlineLabel || "",
      made_at: new Date().toISOString(),
      fields: fields,
      answers: answersIn(form),
    };
    const body = JSON.stringify(entry);
    await (await caches.open(OUTBOX)).put(`${OUTBOX_PATH}${entry.id}`, new Response(body, { headers: { "Content-Type": "application/json" } }));
    note(form, panel.dataset.msgKept);
    await renderOutbox();
    const registration = await navigator.serviceWorker.ready;
    if (registration.sync) registration.sync.register("lc-outbox").catch(() => {});
  }

  if (panel) {
    for (const form of document.querySelectorAll("form[data-offline-submit]")) {
      form.addEventListener("submit", (event) => {
        if (navigator.onLine) return; // online, the form posts as it does without this script
        event.preventDefault();
        keep(form);
      });
    }
    // Any other form (a reflection, a discussion, an enrolment) cannot be kept to send later:
    // offline, it stays on the page as typed and says so, rather than leaving for the
    // browser's error page and losing what was written.
    for (const form of document.querySelectorAll("form[method=post]:not([data-offline-submit]):not([data-offline-logout])")) {
      form.addEventListener("submit", (event) => {
        if (navigator.onLine) return;
        event.preventDefault();
        note(form, panel.dataset.msgNotSent);
      });
    }
    navigator.serviceWorker.addEventListener("message", (event) => {
      if ((event.data || {}).type === "outbox") renderOutbox();
    });
    renderOutbox().then((waiting) => {
      if (waiting && navigator.onLine) askWorker();
    });
    window.addEventListener("online", () => retried(async () => (await askWorker(), !(await renderOutbox()))));
  }

  // A shared phone: signing out forgets the saved courses and the outbox, also where the
  // browser ignores the logout response's Clear-Site-Data header. Answers not yet sent are
  // sent first; those that cannot be are only dropped if the learner says so.
  for (const form of document.querySelectorAll("form[data-offline-logout]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (panel && (await renderOutbox())) {
        if (navigator.onLine) await askWorker();
        if ((await renderOutbox()) && !window.confirm(panel.dataset.msgLogout)) return;
      }
      const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX) || name === OUTBOX);
      await Promise.all(names.map((name) => caches.delete(name)));
      form.submit();
    });
  }
})();
