/* Live topic pages: new posts, edits, hides and reactions appear without a reload.
 *
 * The server sends HTML it rendered with the page's own template; this script only inserts it.
 * It remembers the last event id it saw and, after any reconnect, asks the server to replay
 * what it missed. Without JavaScript the page still works: it just needs reloading.
 */
(function () {
  "use strict";
  var topic = document.getElementById("topic");
  if (!topic || !("WebSocket" in window)) return;

  var posts = topic.querySelector("[data-posts]");
  var notice = topic.querySelector("[data-live-notice]");
  var reading = topic.querySelector("[data-reading]");
  var typing = topic.querySelector("[data-typing]");
  var lockedBadge = topic.querySelector("[data-topic-locked]");
  var newPosts = topic.querySelector("[data-new-posts]");
  var onLastPage = topic.dataset.lastPage === "true";
  var lastEvent = parseInt(topic.dataset.lastEvent, 10) || 0;
  var delay = 1000;
  var socket = null;
  var heartbeat = null;
  var typingTimer = null;
  var lastTypingSent = 0;
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var strings = {
    paused: topic.dataset.pausedText || "Live updates paused; reconnecting…",
    forbidden: topic.dataset.forbiddenText || "Live updates stopped.",
    reading: topic.dataset.readingText || "%s reading now",
    typing: topic.dataset.typingText || "%s is typing…"
  };

  var isModerator = topic.dataset.moderator === "true";
  var replyForm = document.getElementById("reply");
  var replyLocked = document.querySelector("[data-reply-locked]");

  /* A lock closes the reply form on every open page (an unlock opens it again). It is hidden,
   * not removed: a half-written reply is still there if the topic reopens. The server refuses
   * replies to a locked topic whatever the page shows. */
  function setReplyOpen(open) {
    if (replyForm) replyForm.hidden = !open;
    if (replyLocked) replyLocked.hidden = open;
  }

  function show(element, text) {
    if (!element) return;
    element.textContent = text;
    element.hidden = !text;
  }

  function addCsrf(root) {
    if (!csrfInput) return;
    root.querySelectorAll('form[method="post"]').forEach(function (form) {
      if (!form.querySelector("input[name=csrfmiddlewaretoken]")) {
        form.insertBefore(csrfInput.cloneNode(), form.firstChild);
      }
    });
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var element = template.content.firstElementChild;
    addCsrf(element);
    return element;
  }

  function upsert(frame) {
    var existing = document.getElementById("post-" + frame.post);
    if (existing) {
      // A keyboard user who just reacted keeps their place on the same button.
      var focused = existing.contains(document.activeElement) ? document.activeElement : null;
      var kind = focused && focused.form && focused.form.elements.kind ? focused.form.elements.kind.value : null;
      var replacement = fragment(frame.html);
      existing.replaceWith(replacement);
      if (kind) {
        var again = replacement.querySelector('form[data-reaction-form] input[name=kind][value="' + kind + '"]');
        if (again && again.form.querySelector("button")) again.form.querySelector("button").focus();
      }
    } else if (onLastPage) {
      posts.appendChild(fragment(frame.html));
    } else if (newPosts) {
      newPosts.hidden = false;
    }
  }

  function handle(frame) {
    if (typeof frame.event === "number" && frame.event > lastEvent) lastEvent = frame.event;
    switch (frame.type) {
      case "hello":
        socket.send(JSON.stringify({ type: "resume", after: lastEvent }));
        show(reading, strings.reading.replace("%s", frame.reading));
        break;
      case "post.created":
      case "post.edited":
      case "post.restored":
      case "reaction.changed":
        if (frame.html) upsert(frame);
        break;
      case "post.hidden":
        if (frame.html) {
          upsert(frame);
        } else {
          var gone = document.getElementById("post-" + frame.post);
          if (gone) gone.remove();
        }
        break;
      case "topic.changed":
        if (lockedBadge) lockedBadge.hidden = !frame.locked;
        setReplyOpen(!frame.locked || isModerator);
        break;
      case "poll.changed":
        // Numbers only: each count goes into the element the page rendered for its choice.
        if (frame.poll) {
          Object.keys(frame.poll.counts).forEach(function (choice) {
            var count = topic.querySelector('[data-poll-count="' + choice + '"]');
            if (count) count.textContent = String(frame.poll.counts[choice]);
          });
          var total = topic.querySelector("[data-poll-total]");
          if (total) total.textContent = String(frame.poll.total);
        }
        break;
      case "presence":
        show(reading, strings.reading.replace("%s", frame.reading));
        if (typeof frame.last_event === "number" && frame.last_event > lastEvent) {
          socket.send(JSON.stringify({ type: "resume", after: lastEvent }));
        }
        break;
      case "typing":
        show(typing, strings.typing.replace("%s", frame.name));
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { show(typing, ""); }, 4000);
        break;
      case "resumed":
        if (frame.last_event > lastEvent) lastEvent = frame.last_event;
        break;
      case "reload":
        window.location.reload();
        break;
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + topic.dataset.liveUrl + "?lang=" + encodeURIComponent(document.documentElement.lang || ""));
    socket.onopen = function () {
      delay = 1000;
      show(notice, "");
      topic.dataset.live = "connected";
      heartbeat = setInterval(function () {
        if (socket.readyState === WebSocket.OPEN) socket.send('{"type":"heartbeat"}');
      }, 25000);
    };
    socket.onmessage = function (message) {
      try { handle(JSON.parse(message.data)); } catch (error) { /* ignore a bad frame */ }
    };
    socket.onclose = function (event) {
      clearInterval(heartbeat);
      topic.dataset.live = "closed";
      if (event.code === 4403 || event.code === 4401) {
        show(notice, strings.forbidden);
        return;
      }
      show(notice, strings.paused);
      setTimeout(connect, delay + Math.random() * 500);
      delay = Math.min(delay * 2, 30000);
    };
  }

  var replyBody = document.querySelector("#reply textarea");
  if (replyBody) {
    replyBody.addEventListener("input", function () {
      var now = Date.now();
      if (socket && socket.readyState === WebSocket.OPEN && now - lastTypingSent > 3000) {
        lastTypingSent = now;
        socket.send('{"type":"typing"}');
      }
    });
  }
  connect();
})();
