/* Live dialogue room: chat, questions and host controls over the room's socket.
 * Without JavaScript the same forms post to the server and the page reloads. */
(function () {
  "use strict";
  var room = document.getElementById("room");
  if (!room || !("WebSocket" in window)) return;
  var chat = room.querySelector("[data-chat]");
  var questions = room.querySelector("[data-questions]");
  var notice = room.querySelector("[data-live-notice]");
  var reading = room.querySelector("[data-reading]");
  var lastEvent = parseInt(room.dataset.lastEvent, 10) || 0;
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var delay = 1000;
  var socket = null;

  function show(element, text) { if (element) { element.textContent = text; element.hidden = !text; } }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var element = template.content.firstElementChild;
    if (csrfInput) {
      element.querySelectorAll('form[method="post"]').forEach(function (form) {
        if (!form.querySelector("input[name=csrfmiddlewaretoken]")) form.prepend(csrfInput.cloneNode());
      });
    }
    return element;
  }

  function upsert(list, id, html) {
    var existing = document.getElementById(id);
    var element = fragment(html);
    if (existing) existing.replaceWith(element); else if (list) list.appendChild(element);
    return element;
  }

  function handle(frame) {
    if (typeof frame.event === "number" && frame.event > lastEvent) lastEvent = frame.event;
    switch (frame.type) {
      case "hello":
        socket.send(JSON.stringify({ type: "resume", after: lastEvent }));
        show(reading, room.dataset.readingText.replace("%s", frame.reading));
        break;
      case "presence":
        show(reading, room.dataset.readingText.replace("%s", frame.reading));
        break;
      case "message.created":
        upsert(chat, "message-" + frame.message, frame.html);
        if (chat) chat.scrollTop = chat.scrollHeight;
        break;
      case "message.removed":
        var gone = document.getElementById("message-" + frame.message);
        if (gone) gone.remove();
        break;
      case "question.changed":
        if (frame.removed) {
          var removedQuestion = document.getElementById("question-" + frame.question);
          if (removedQuestion) removedQuestion.remove();
        } else {
          upsert(questions, "question-" + frame.question, frame.html);
        }
        break;
      case "session.changed":
        sessionChanged(frame);
        break;
      case "reload":
        window.location.reload();
        break;
      case "error":
        show(notice, frame.message);
        break;
    }
  }

  // Opened or closed (by the host or by the clock): say so at once. An opened room reloads
  // a moment later for its chat and question forms; a closed one drops them and links the
  // transcript.
  function sessionChanged(frame) {
    var badge = room.querySelector("[data-status]");
    if (badge && frame.status_label) badge.textContent = frame.status_label;
    if (badge) badge.classList.toggle("badge--new", frame.status === "live");
    room.dataset.sessionStatus = frame.status;
    if (frame.status === "live") {
      show(notice, room.dataset.openedText);
      setTimeout(function () { window.location.reload(); }, 1500);
    } else if (frame.status === "ended") {
      show(notice, room.dataset.closedText);
      room.querySelectorAll("form[data-send], .actions").forEach(function (form) { form.remove(); });
      if (frame.archive_url && !room.querySelector("[data-transcript]")) {
        var link = document.createElement("a");
        link.href = frame.archive_url;
        link.className = "button";
        link.dataset.transcript = "";
        link.textContent = room.dataset.transcriptText;
        notice.parentNode.after(link);
      }
    }
  }

  room.addEventListener("submit", function (event) {
    var form = event.target;
    if (!socket || socket.readyState !== WebSocket.OPEN) return; // fall back to a normal post
    var send = form.dataset.send;
    var action = form.dataset.action;
    if (send) {
      var body = form.querySelector("textarea").value.trim();
      if (!body) return;
      event.preventDefault();
      socket.send(JSON.stringify({ type: send, body: body }));
      form.reset();
    } else if (action) {
      event.preventDefault();
      var field = { vote: "question", answer: "question", remove_question: "question", remove_message: "message", remove_participant: "user" }[action];
      var frame = { type: action };
      frame[field] = parseInt(form.dataset.target, 10);
      socket.send(JSON.stringify(frame));
    }
  });

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + room.dataset.liveUrl + "?lang=" + encodeURIComponent(document.documentElement.lang || ""));
    socket.onopen = function () { delay = 1000; show(notice, ""); room.dataset.live = "connected"; };
    socket.onmessage = function (message) {
      try { handle(JSON.parse(message.data)); } catch (error) { /* ignore a bad frame */ }
    };
    socket.onclose = function (event) {
      room.dataset.live = "closed";
      if (event.code === 4403 || event.code === 4401) { show(notice, room.dataset.forbiddenText); return; }
      show(notice, room.dataset.pausedText);
      setTimeout(connect, delay + Math.random() * 500);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
