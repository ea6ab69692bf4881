/* Landscape Commons: one lesson as a SCORM 1.2 SCO.
 *
 * Finds the learning system's run-time API (window.API in a parent frame or the opener),
 * calls LMSInitialize, grades the lesson's quizzes here with the site's rules
 * (courses/grading.py: all or nothing per question, score in whole percent rounded down,
 * short answers compared ignoring case, accents, punctuation and extra spaces), and reports
 * cmi.core.lesson_status and cmi.core.score.raw/min/max; LMSFinish when the page goes away.
 * A lesson without a quiz is "completed" once opened. Each quiz keeps its attempts and best
 * score in cmi.suspend_data, so a learner who comes back finds them.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("sco-data").textContent);
  var messages = data.messages;
  var api = null;
  var finished = false;
  var startedAt = new Date().getTime();
  var state = {};

  function format(template, values) {
    return template
      .replace(/%\((\w+)\)[sd]/g, function (_match, name) {
        return String(values[name]);
      })
      .replace(/%%/g, "%");
  }

  /* courses.grading.normalise: casefold, NFKD without combining marks, anything but letters,
   * digits, "_" and spaces to a space, runs of spaces to one, trimmed. toLowerCase plus the
   * folds casefold makes beyond it (sharp s, final sigma). */
  function normalise(text) {
    var folded = text
      .toLowerCase()
      .replace(/[\u00df\u1e9e]/g, "ss")
      .replace(/\u03c2/g, "\u03c3");
    var decomposed = folded.normalize("NFKD").replace(/\p{Mn}/gu, "");
    return decomposed
      .replace(/[^\p{L}\p{N}_\s]/gu, " ")
      .replace(/\s+/g, " ")
      .trim();
  }

  function searchFrames(win) {
    var hops = 0;
    while (win && hops < 10) {
      try {
        if (win.API) {
          return win.API;
        }
      } catch (_error) {
        return null; /* another origin's frame: not our learning system's */
      }
      if (!win.parent || win.parent === win) {
        return null;
      }
      win = win.parent;
      hops += 1;
    }
    return null;
  }

  function findAPI() {
    var found = searchFrames(window);
    if (!found && window.opener) {
      found = searchFrames(window.opener);
    }
    return found;
  }

  function get(element) {
    return api ? String(api.LMSGetValue(element)) : "";
  }

  function set(element, value) {
    if (api) {
      api.LMSSetValue(element, String(value));
    }
  }

  function sessionTime() {
    var seconds = Math.floor((new Date().getTime() - startedAt) / 1000);
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    function pad(number, width) {
      var text = String(number);
      while (text.length < width) {
        text = "0" + text;
      }
      return text;
    }
    return pad(hours, 2) + ":" + pad(minutes, 2) + ":" + pad(seconds % 60, 2);
  }

  /* The lesson's result from its quizzes' best scores: passed once every quiz is passed,
   * failed while one is not, incomplete until each has been attempted. */
  function report() {
    if (!api) {
      return;
    }
    if (data.quizzes.length === 0) {
      if (get("cmi.core.lesson_status") !== "passed") {
        set("cmi.core.lesson_status", "completed");
      }
    } else {
      var attempted = data.quizzes.filter(function (quiz) {
        return state[quiz.id] && state[quiz.id].attempts > 0;
      });
      if (attempted.length < data.quizzes.length) {
        set("cmi.core.lesson_status", "incomplete");
      } else {
        var total = 0;
        var allPassed = true;
        data.quizzes.forEach(function (quiz) {
          total += state[quiz.id].best;
          allPassed = allPassed && state[quiz.id].passed;
        });
        set("cmi.core.score.min", 0);
        set("cmi.core.score.max", 100);
        set("cmi.core.score.raw", Math.floor(total / data.quizzes.length));
        set("cmi.core.lesson_status", allPassed ? "passed" : "failed");
      }
      set("cmi.suspend_data", JSON.stringify(state));
    }
    api.LMSCommit("");
  }

  function finish() {
    if (!api || finished) {
      return;
    }
    finished = true;
    set("cmi.core.session_time", sessionTime());
    var status = get("cmi.core.lesson_status");
    set("cmi.core.exit", status === "passed" || status === "completed" ? "" : "suspend");
    api.LMSCommit("");
    api.LMSFinish("");
  }

  function answersOf(form, question) {
    var fields = form.querySelectorAll('[name="q-' + question.id + '"]');
    var values = [];
    Array.prototype.forEach.call(fields, function (field) {
      if (field.type === "text") {
        if (field.value.trim()) {
          values.push(field.value.trim().slice(0, 200));
        }
      } else if (field.checked) {
        values.push(field.value);
      }
    });
    return values;
  }

  /* courses.grading.grade_question */
  function isRight(question, values) {
    if (question.kind === "short_answer") {
      return question.accepted.indexOf(normalise(values[0])) !== -1;
    }
    var wanted = question.correct.slice().sort();
    var given = values.slice().sort();
    return wanted.length === given.length && wanted.every(function (id, index) {
      return id === given[index];
    });
  }

  /* What the learner is told about a quiz's past attempts (and the form closed once the
   * attempts are used up), after ``lead`` (this attempt's verdict), if any. */
  function showAttempts(section, quiz, lead) {
    var record = state[quiz.id];
    var lines = lead ? [lead] : [];
    if (record && record.attempts > 0) {
      lines.push(format(messages.best, { score: record.best }));
      if (quiz.max_attempts) {
        var left = Math.max(quiz.max_attempts - record.attempts, 0);
        lines.push(format(messages.attempts_left, { left: left, total: quiz.max_attempts }));
        if (left === 0) {
          section.querySelector(".quiz-form button").disabled = true;
          lines.push(messages.no_attempts_left);
        }
      }
    }
    var result = section.querySelector(".quiz-result");
    result.textContent = lines.join(" · ");
    result.hidden = lines.length === 0;
  }

  function grade(section, quiz, event) {
    event.preventDefault();
    var form = section.querySelector(".quiz-form");
    var error = section.querySelector(".quiz-error");
    var record = state[quiz.id] || { attempts: 0, best: 0, passed: false };
    if (quiz.max_attempts && record.attempts >= quiz.max_attempts) {
      return;
    }
    var answers = [];
    for (var index = 0; index < quiz.questions.length; index += 1) {
      var values = answersOf(form, quiz.questions[index]);
      if (values.length === 0) {
        error.textContent = format(messages.answer_missing, { number: index + 1 });
        error.hidden = false;
        return;
      }
      answers.push(values);
    }
    error.hidden = true;
    var right = 0;
    quiz.questions.forEach(function (question, position) {
      var correct = isRight(question, answers[position]);
      right += correct ? 1 : 0;
      var feedback = form.querySelector('[data-question="' + question.id + '"] .quiz-feedback');
      feedback.textContent = (correct ? messages.right : messages.wrong) + " " +
        (correct ? question.feedback_correct : question.feedback_incorrect);
      feedback.className = "quiz-feedback " + (correct ? "is-right" : "is-wrong");
      feedback.hidden = false;
    });
    var score = Math.floor((100 * right) / quiz.questions.length);
    var passed = score >= quiz.pass_mark;
    record.attempts += 1;
    record.best = Math.max(record.best, score);
    record.passed = record.passed || passed;
    state[quiz.id] = record;
    showAttempts(
      section,
      quiz,
      (passed ? messages.passed : messages.not_passed) + ". " + format(messages.score, { score: score })
    );
    report();
  }

  function start() {
    api = findAPI();
    var connection = document.getElementById("sco-connection");
    if (!api) {
      connection.textContent = messages.no_lms;
      connection.hidden = false;
    } else {
      api.LMSInitialize("");
      try {
        state = JSON.parse(get("cmi.suspend_data") || "{}") || {};
      } catch (_error) {
        state = {};
      }
      if (get("cmi.core.lesson_status") === "not attempted") {
        set("cmi.core.lesson_status", "incomplete");
      }
    }
    data.quizzes.forEach(function (quiz) {
      var section = document.querySelector('[data-quiz="' + quiz.id + '"]');
      section.querySelector(".quiz-form").addEventListener("submit", function (event) {
        grade(section, quiz, event);
      });
      showAttempts(section, quiz, "");
    });
    report();
    window.addEventListener("pagehide", finish);
    window.addEventListener("beforeunload", finish);
  }

  start();
})();
