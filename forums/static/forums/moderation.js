/* The moderation queue follows new held posts and reports while it is open. The server sends
   the queue's lists rendered from the page's own include; without JavaScript (or on a later
   page) a reload shows the same. */
(function () {
  "use strict";
  var queue = document.querySelector("[data-moderation-queue][data-live-url]");
  if (!queue || !("WebSocket" in window)) return;
  var status = document.querySelector("[data-queue-status]");
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var delay = 1000;

  function addCsrf(root) {
    if (!csrfInput) return;
    root.querySelectorAll('form[method="post"]').forEach(function (form) {
      if (!form.querySelector("input[name=csrfmiddlewaretoken]")) {
        form.insertBefore(csrfInput.cloneNode(), form.firstChild);
      }
    });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + queue.dataset.liveUrl +
      "?lang=" + encodeURIComponent(document.documentElement.lang || ""));
    socket.onopen = function () { delay = 1000; queue.dataset.live = "connected"; };
    socket.onmessage = function (message) {
      var frame;
      try { frame = JSON.parse(message.data); } catch (error) { return; }
      if (frame.type !== "queue" || typeof frame.html !== "string") return;
      // A moderator half-way through a rejection keeps their form: the update waits.
      if (queue.querySelector("details[open]") || queue.contains(document.activeElement)) {
        queue.dataset.pending = message.data;
        if (status) status.textContent = frame.status || "";
        return;
      }
      apply(frame);
    };
    socket.onclose = function (event) {
      queue.dataset.live = "closed";
      if (event.code === 4403 || event.code === 4401) return;
      setTimeout(connect, delay + Math.random() * 500);
      delay = Math.min(delay * 2, 30000);
    };
  }

  function apply(frame) {
    var template = document.createElement("template");
    template.innerHTML = frame.html;
    addCsrf(template.content);
    queue.replaceChildren(template.content);
    delete queue.dataset.pending;
    if (status) status.textContent = frame.status || "";
  }

  queue.addEventListener("focusout", function () {
    setTimeout(function () {
      var pending = queue.dataset.pending;
      if (!pending || queue.querySelector("details[open]") ||
          queue.contains(document.activeElement)) return;
      apply(JSON.parse(pending));
    }, 0);
  });
  connect();
})();
