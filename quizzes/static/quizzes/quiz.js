/* Quiz UI: start an attempt through the API, render its questions accessibly
   (fieldsets, legends, native inputs, keyboard-operable ordering), submit,
   then show score, per-choice feedback and the explanation with its law. */
(function () {
  "use strict";
  if (window.__lmsQuizLoaded) return;
  window.__lmsQuizLoaded = true;

  // Interface text through Django's JavaScriptCatalog (/jsi18n/, loaded by the site
  // frame): gettext() gives the interface language, t() fills %(name)s; without the
  // catalogue the Thai msgids, the site's default language, are shown.
  var gettext = window.gettext || function (text) { return text; };
  function t(text, vars) {
    return text.replace(/%\((\w+)\)s/g, function (_m, name) { return String((vars || {})[name]); });
  }
  var HINTS = {
    single: gettext("เลือกหนึ่งข้อ"),
    true_false: gettext("เลือกถูกหรือผิด"),
    multiple: gettext("เลือกได้หลายข้อ"),
    ordering: gettext("เรียงลำดับด้วยปุ่มขึ้น/ลง"),
  };

  function csrfToken(root) {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function post(root, url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(root) },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        return { ok: res.ok, status: res.status, data: data };
      });
    });
  }

  function say(root, text) {
    root.querySelector(".quiz-status").textContent = text;
  }

  function orderingList(q, qid) {
    var list = el("ol", { "class": "quiz-order", "data-question": q.id });
    function moveButtons(li) {
      var up = el("button", { type: "button", "class": "quiz-up" }, "▲");
      var down = el("button", { type: "button", "class": "quiz-down" }, "▼");
      up.setAttribute("aria-label", t(gettext("เลื่อนขึ้น: %(text)s"), { text: li.dataset.text }));
      down.setAttribute("aria-label", t(gettext("เลื่อนลง: %(text)s"), { text: li.dataset.text }));
      up.addEventListener("click", function () {
        if (li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
        up.focus(); announce();
      });
      down.addEventListener("click", function () {
        if (li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
        down.focus(); announce();
      });
      li.appendChild(up); li.appendChild(down);
    }
    var live = el("p", { "class": "visually-hidden", "aria-live": "polite", id: qid + "-live" });
    function announce() {
      var texts = Array.prototype.map.call(list.children, function (li, i) {
        return (i + 1) + ". " + li.dataset.text;
      });
      live.textContent = t(gettext("ลำดับปัจจุบัน: %(order)s"), { order: texts.join(", ") });
    }
    q.choices.forEach(function (c) {
      var li = el("li", { "data-choice": c.id });
      li.dataset.text = c.text;
      li.appendChild(el("span", { "class": "quiz-order-text" }, c.text));
      moveButtons(li);
      list.appendChild(li);
    });
    var wrap = el("div");
    wrap.appendChild(list); wrap.appendChild(live);
    return wrap;
  }

  function renderQuestions(root, questions) {
    var box = root.querySelector(".quiz-questions");
    box.innerHTML = "";
    questions.forEach(function (q, i) {
      var qid = "quiz-" + root.dataset.quizId + "-q" + q.id;
      var fs = el("fieldset", { "class": "quiz-question", "data-question": q.id, "data-kind": q.kind });
      var legend = el("legend");
      legend.appendChild(el("span", { "class": "quiz-number" }, (i + 1) + ". "));
      legend.appendChild(document.createTextNode(q.text));
      fs.appendChild(legend);
      fs.appendChild(el("p", { "class": "quiz-hint", id: qid + "-hint", lang: document.documentElement.lang }, HINTS[q.kind] || ""));
      fs.setAttribute("aria-describedby", qid + "-hint");
      if (q.kind === "ordering") {
        fs.appendChild(orderingList(q, qid));
      } else {
        var type = q.kind === "multiple" ? "checkbox" : "radio";
        q.choices.forEach(function (c) {
          var id = qid + "-c" + c.id;
          var row = el("div", { "class": "quiz-choice" });
          var input = el("input", { type: type, id: id, name: qid, value: c.id });
          row.appendChild(input);
          row.appendChild(el("label", { "for": id }, c.text));
          fs.appendChild(row);
        });
      }
      box.appendChild(fs);
    });
  }

  function collectAnswers(root) {
    var answers = {};
    root.querySelectorAll(".quiz-question").forEach(function (fs) {
      var id = fs.dataset.question;
      if (fs.dataset.kind === "ordering") {
        answers[id] = Array.prototype.map.call(fs.querySelectorAll("li[data-choice]"), function (li) {
          return li.dataset.choice;
        });
      } else {
        answers[id] = Array.prototype.map.call(fs.querySelectorAll("input:checked"), function (inp) {
          return inp.value;
        });
      }
    });
    return answers;
  }

  function choiceText(root, questionId, choiceId) {
    var node = root.querySelector(
      '.quiz-question[data-question="' + questionId + '"] [for$="-c' + choiceId + '"], ' +
      '.quiz-question[data-question="' + questionId + '"] li[data-choice="' + choiceId + '"]'
    );
    return node ? (node.dataset.text || node.textContent) : String(choiceId);
  }

  function renderResult(root, data) {
    var result = root.querySelector(".quiz-result");
    result.innerHTML = "";
    var passed = data.passed;
    var head = el("h3", {}, (passed ? gettext("ผ่าน") : gettext("ไม่ผ่าน")) +
      " — " + t(gettext("%(score)s (เกณฑ์ %(mark)s)"), { score: data.score + "%", mark: data.pass_mark + "%" }));
    head.className = "badge " + (passed ? "ok" : "bad");
    result.appendChild(head);
    var list = el("ol", { "class": "quiz-feedback" });
    data.feedback.forEach(function (f) {
      var li = el("li");
      var status = f.correct ? gettext("ถูกต้อง") : (f.credit > 0 ? gettext("ถูกบางส่วน") : gettext("ยังไม่ถูก"));
      li.appendChild(el("p", { "class": "quiz-feedback-q" }, f.text));
      li.appendChild(el("p", { "class": "badge " + (f.correct ? "ok" : (f.credit > 0 ? "warn" : "bad")) },
        status + " (" + Math.round(f.credit * 100) + "%)"));
      f.choice_feedback.forEach(function (cf) {
        if (!cf.feedback) return;
        li.appendChild(el("p", { "class": "quiz-choice-feedback" }, cf.text + ": " + cf.feedback));
      });
      if (f.correct_answer) {
        var answer = f.correct_answer.map(function (cid) { return choiceText(root, f.question, cid); });
        li.appendChild(el("p", { "class": "quiz-answer" }, t(gettext("เฉลย: %(answer)s"), { answer: answer.join(f.kind === "ordering" ? " → " : ", ") })));
      }
      if (f.explanation) li.appendChild(el("p", { "class": "quiz-explanation" }, f.explanation));
      if (f.provisions.length) {
        var laws = el("ul", { "class": "quiz-provisions", "aria-label": gettext("ฐานทางกฎหมาย") });
        f.provisions.forEach(function (p) {
          var item = el("li");
          var title = p.shown || p.law_name_th + (p.section ? " " + p.section : "");
          var name = p.url
            ? el("a", { href: p.url, rel: "noopener", target: "_blank" }, title)
            : el("strong", {}, title);
          if (p.shown_lang) name.setAttribute("lang", p.shown_lang);
          item.appendChild(name);
          // The summary is content, written in Thai.
          if (p.summary) item.appendChild(el("span", { lang: "th" }, " — " + p.summary));
          laws.appendChild(item);
        });
        li.appendChild(laws);
      }
      list.appendChild(li);
    });
    result.appendChild(list);
    if (!data.revealed) {
      result.appendChild(el("p", { "class": "quiz-hidden-note" }, gettext("แบบทดสอบนี้ยังไม่เฉลยรายข้อในตอนนี้")));
    }
    if (data.attempts_left === 0) {
      result.appendChild(el("p", { "class": "quiz-no-more" }, gettext("ใช้สิทธิ์ทำแบบทดสอบนี้ครบแล้ว ไม่มีครั้งถัดไป")));
    } else if (data.next_attempt_at) {
      result.appendChild(el("p", { "class": "quiz-next" },
        gettext("ทำครั้งถัดไปได้ตั้งแต่") + " " + new Date(data.next_attempt_at).toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "th-TH")));
    } else {
      var again = el("button", { type: "button", "class": "button quiz-again" }, gettext("ทำอีกครั้ง"));
      again.addEventListener("click", function () { start(root); });
      result.appendChild(again);
    }
    result.hidden = false;
    result.focus();
  }

  var timers = {};

  function runTimer(root, deadline) {
    var box = root.querySelector(".quiz-timer");
    clearInterval(timers[root.id]);
    if (!deadline) { box.hidden = true; return; }
    var end = new Date(deadline).getTime();
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      box.textContent = t(gettext("เวลาที่เหลือ %(time)s"), { time: Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") });
      if (left === 0) clearInterval(timers[root.id]);
    }
    box.hidden = false;
    tick();
    timers[root.id] = setInterval(tick, 1000);
  }

  function start(root) {
    var form = root.querySelector(".quiz-form");
    say(root, gettext("กำลังเริ่ม..."));
    post(root, root.dataset.startUrl).then(function (res) {
      if (!res.ok) { say(root, res.data.detail || t(gettext("ข้อผิดพลาด %(status)s"), { status: res.status })); return; }
      root.dataset.attempt = res.data.attempt;
      renderQuestions(root, res.data.questions);
      root.querySelector(".quiz-result").hidden = true;
      root.querySelector(".quiz-actions").hidden = true;
      form.hidden = false;
      runTimer(root, res.data.deadline);
      var left = res.data.attempts_left;
      say(root, t(gettext("%(n)s ข้อ"), { n: res.data.questions.length }) +
        (left === null ? "" : " · " + t(gettext("เหลืออีก %(n)s ครั้ง"), { n: left })));
      // The form starts with the hidden CSRF input, which cannot take the focus.
      var first = form.querySelector("input:not([type=hidden]), button");
      if (first) first.focus();
    }).catch(function () { say(root, gettext("เชื่อมต่อไม่ได้")); });
  }

  // Numbers (1-based, as shown) of the choice questions with nothing ticked.
  // An ordering question always holds an order, so it counts as answered.
  function unanswered(root) {
    var out = [];
    root.querySelectorAll(".quiz-question").forEach(function (fs, i) {
      if (fs.dataset.kind !== "ordering" && !fs.querySelector("input:checked")) out.push(i + 1);
    });
    return out;
  }

  function submit(root, event) {
    event.preventDefault();
    var form = root.querySelector(".quiz-form");
    var missing = unanswered(root);
    var total = root.querySelectorAll(".quiz-question").length;
    if (missing.length && missing.length === total) {
      say(root, gettext("ยังไม่ได้ตอบคำถามข้อใดเลย กรุณาตอบก่อนส่ง"));
      return;
    }
    if (missing.length) {
      var ask = t(gettext("ยังไม่ได้ตอบข้อ %(numbers)s ต้องการส่งคำตอบเลยหรือไม่"), { numbers: missing.join(", ") });
      if (!window.confirm(ask)) { say(root, ask); return; }
    }
    var url = root.dataset.submitUrl.replace("{attempt}", root.dataset.attempt);
    form.querySelector(".quiz-submit").disabled = true;
    say(root, gettext("กำลังส่ง..."));
    post(root, url, { answers: collectAnswers(root) }).then(function (res) {
      form.querySelector(".quiz-submit").disabled = false;
      clearInterval(timers[root.id]);
      if (!res.ok) { say(root, res.data.detail || t(gettext("ข้อผิดพลาด %(status)s"), { status: res.status })); return; }
      form.hidden = true;
      say(root, t(gettext("ได้ %(score)s"), { score: res.data.score + "%" }));
      renderResult(root, res.data);
      root.dispatchEvent(new CustomEvent("quiz:graded", { bubbles: true, detail: res.data }));
    }).catch(function () {
      form.querySelector(".quiz-submit").disabled = false;
      say(root, gettext("เชื่อมต่อไม่ได้"));
    });
  }

  function init(root) {
    var button = root.querySelector(".quiz-start");
    var form = root.querySelector(".quiz-form");
    if (!button || !form) return;
    button.addEventListener("click", function () { start(root); });
    form.addEventListener("submit", function (e) { submit(root, e); });
  }

  function boot() { document.querySelectorAll(".quiz[data-quiz-id]").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
