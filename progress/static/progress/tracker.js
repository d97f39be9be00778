/* Watch tracking: reports the media ranges actually played (video.played, kept
 * across source switches) to POST /api/v1/progress/heartbeat about every 10 s
 * while playing, on pause and end, and by sendBeacon when the page is hidden.
 * Shows coverage, the completed badge and buttons that seek to missing ranges. */
(function () {
  "use strict";
  // Interface text through Django's JavaScriptCatalog (/jsi18n/, loaded by the site frame).
  var gettext = window.gettext || function (text) { return text; };
  if (window.__lmsTrackerLoaded) return;
  window.__lmsTrackerLoaded = true;

  var INTERVAL_MS = 10000;
  var MAX_SEGMENTS = 200;

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(r).padStart(2, "0");
  }

  function merge(ranges) {
    var sorted = ranges.filter(function (r) { return r[1] > r[0]; })
      .sort(function (a, b) { return a[0] - b[0]; });
    var out = [];
    sorted.forEach(function (r) {
      var last = out[out.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else out.push([r[0], r[1]]);
    });
    return out;
  }

  function Tracker(player, panel) {
    this.player = player;
    this.video = player.querySelector("video");
    this.panel = panel;
    this.url = panel.dataset.heartbeatUrl;
    this.lesson = parseInt(player.dataset.lessonId, 10);
    this.session = player.dataset.viewingSession;
    this.duration = parseFloat(player.dataset.duration) || 0;
    var input = panel.querySelector("input[name=csrfmiddlewaretoken]");
    this.csrf = input ? input.value : "";
    this.played = [];
    this.lastSent = "";
    this.inflight = false;
    this.holdUntil = 0;
    this.resendTimer = null;
    this.failures = 0;
    this.bind();
  }

  Tracker.prototype.collect = function () {
    var p = this.video.played, ranges = this.played.slice();
    for (var i = 0; i < p.length; i++) ranges.push([p.start(i), p.end(i)]);
    this.played = merge(ranges);
  };

  Tracker.prototype.payload = function () {
    this.collect();
    var d = this.duration || this.video.duration || 0;
    var clamp = function (x) { return Math.round(Math.max(0, d ? Math.min(x, d) : x) * 1000) / 1000; };
    var segments = merge(this.played.map(function (r) { return [clamp(r[0]), clamp(r[1])]; }))
      .slice(0, MAX_SEGMENTS);
    return {
      lesson: this.lesson, session: this.session, segments: segments,
      position: clamp(this.video.currentTime || 0), csrf: this.csrf,
    };
  };

  Tracker.prototype.report = function (opts) {
    opts = opts || {};
    var body = this.payload();
    var key = JSON.stringify([body.segments, body.position]);
    if (!opts.force && key === this.lastSent) return;
    if (!body.segments.length && !opts.force) return;
    this.lastSent = key;
    var json = JSON.stringify(body);
    if (opts.beacon && navigator.sendBeacon) {
      // No headers on a beacon: the CSRF token travels in the body (the API accepts it there).
      navigator.sendBeacon(this.url, new Blob([json], { type: "text/plain;charset=UTF-8" }));
      return;
    }
    if (this.inflight && !opts.force) { this.lastSent = ""; return; }
    // Told to wait (429): keep every played range and send them all once the wait is over.
    if (!opts.force && Date.now() < this.holdUntil) { this.lastSent = ""; return; }
    var self = this;
    this.inflight = true;
    fetch(this.url, {
      method: "POST", credentials: "same-origin", keepalive: true, body: json,
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrf },
    }).then(function (r) {
      if (r.status === 429) {
        var wait = (parseInt(r.headers.get("Retry-After"), 10) || 15) * 1000;
        self.holdUntil = Date.now() + wait;
        self.resendLater(wait);
      } else {
        self.failures = 0;
      }
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (res) {
      if (res.ok) { self.show(res.data); delete self.panel.dataset.error; }
      else self.panel.dataset.error = res.data.detail || "";
      self.player.dispatchEvent(new CustomEvent("lms:progress", { bubbles: true, detail: res.data }));
    }).catch(function () {
      // Offline or the server did not answer: the same ranges go again, later and later.
      self.failures += 1;
      self.resendLater(Math.min(60000, 5000 * Math.pow(2, self.failures - 1)));
    }).then(function () { self.inflight = false; });
  };

  // Send everything played again after ``wait`` ms, also when the video is paused or has
  // ended (the 10 s timer only runs while it plays), with a little jitter so that many
  // players told to wait at once do not come back at the same instant.
  Tracker.prototype.resendLater = function (wait) {
    var self = this;
    this.lastSent = "";
    clearTimeout(this.resendTimer);
    this.resendTimer = setTimeout(function () {
      self.resendTimer = null;
      if (self.inflight) { self.resendLater(1000); return; }
      self.report({ force: true });
    }, wait + Math.floor(Math.random() * 1000));
  };

  Tracker.prototype.show = function (data) {
    var pct = Math.round((data.coverage || 0) * 100);
    var p = this.panel;
    p.querySelector("[data-coverage]").textContent = pct;
    var bar = p.querySelector("[data-coverage-bar]");
    bar.value = pct; bar.textContent = pct + "%";
    p.querySelector("[data-completed-badge]").hidden = !data.completed;
    var list = p.querySelector("[data-missing]");
    list.innerHTML = "";
    var label = gettext("ยังไม่ได้ดู");
    (data.missing || []).forEach(function (m) {
      if (m[1] - m[0] < 1) return;
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button"; b.className = "link-button";
      b.dataset.seekTo = m[0];
      b.textContent = label + " " + clock(m[0]) + "-" + clock(m[1]);
      li.appendChild(b); list.appendChild(li);
    });
  };

  Tracker.prototype.bind = function () {
    var self = this, v = this.video;
    v.addEventListener("timeupdate", function () { self.collect(); });
    v.addEventListener("emptied", function () { self.collect(); });
    v.addEventListener("pause", function () { self.report(); });
    v.addEventListener("ended", function () { self.report({ force: true }); });
    setInterval(function () { if (!v.paused) self.report(); }, INTERVAL_MS);
    window.addEventListener("pagehide", function () { self.report({ beacon: true }); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") self.report({ beacon: true });
    });
    this.panel.addEventListener("click", function (e) {
      var b = e.target.closest("[data-seek-to]");
      if (!b) return;
      var t = parseFloat(b.dataset.seekTo) || 0;
      if (self.player.lmsPlayer) self.player.lmsPlayer.seek(t); else v.currentTime = t;
      v.play().catch(function () {});
      var focusable = self.player.querySelector('[data-action="play"]') || v;
      focusable.focus();
    });
  };

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-lesson-player]"), function (box) {
      var player = box.querySelector("[data-player][data-viewing-session]");
      var panel = box.querySelector("[data-progress-panel]");
      if (player && panel && !player.lmsTracker) player.lmsTracker = new Tracker(player, panel);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
