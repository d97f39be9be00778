/* The clip player: hls.js (or native HLS, or the MP4), speed, quality with data
 * saver, captions, seek previews from the sprite WebVTT, keyboard control.
 * Progressive enhancement: without this script the native controls play the MP4.
 * Each [data-player] element gets `element.lmsPlayer` ({video, seek, mode}) and
 * fires "lms:player-ready" when its source is attached. */
(function () {
  "use strict";
  if (window.__lmsPlayerLoaded) return;
  window.__lmsPlayerLoaded = true;

  // Interface text through Django's JavaScriptCatalog (/jsi18n/, loaded by the site
  // frame); without it the Thai msgids, the site's default language, are shown.
  var gettext = window.gettext || function (text) { return text; };
  var HLS_TYPE = "application/vnd.apple.mpegurl";

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(r).padStart(2, "0");
  }

  var hlsScript = null;
  function loadHls(src) {
    if (window.Hls) return Promise.resolve(window.Hls);
    if (!hlsScript) {
      hlsScript = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () { resolve(window.Hls); };
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return hlsScript;
  }

  function parseVttTime(t) {
    var parts = t.trim().split(":").map(parseFloat);
    return parts.reduce(function (acc, p) { return acc * 60 + p; }, 0);
  }

  function loadSprites(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("sprite vtt " + r.status);
      return r.text();
    }).then(function (text) {
      var cues = [];
      var blocks = text.replace(/\r/g, "").split("\n\n");
      blocks.forEach(function (block) {
        var lines = block.split("\n").filter(Boolean);
        var i = lines.findIndex(function (l) { return l.indexOf("-->") >= 0; });
        if (i < 0 || !lines[i + 1]) return;
        var times = lines[i].split("-->");
        var target = lines[i + 1].trim();
        var hash = target.split("#xywh=");
        var img = new URL(hash[0], new URL(url, window.location.href)).href;
        var xywh = (hash[1] || "0,0,0,0").split(",").map(Number);
        cues.push({ start: parseVttTime(times[0]), end: parseVttTime(times[1].split(" ")[1] || times[1]),
          img: img, x: xywh[0], y: xywh[1], w: xywh[2], h: xywh[3] });
      });
      return cues;
    });
  }

  function Player(root) {
    this.root = root;
    this.video = root.querySelector("video");
    this.controls = root.querySelector(".player-controls");
    this.status = root.querySelector(".player-status");
    this.seekInput = root.querySelector("[data-seek]");
    this.quality = root.querySelector("[data-quality]");
    this.speed = root.querySelector("[data-speed]");
    this.captions = root.querySelector("[data-captions]");
    this.preview = root.querySelector(".player-preview");
    this.sources = {
      hls: root.dataset.hls, mp4: root.dataset.mp4, audioOnly: root.dataset.audioOnly,
      sprites: root.dataset.spriteVtt, duration: parseFloat(root.dataset.duration) || 0,
    };
    this.resumeAt = parseFloat(root.dataset.resumeAt) || 0;
    this.hls = null;
    this.mode = null;
    this.sprites = [];
    this.savingData = false;
    root.lmsPlayer = this;
    this.setup();
  }

  Player.prototype.say = function (text) {
    this.status.textContent = text || "";
  };

  Player.prototype.setup = function () {
    var self = this, v = this.video;
    v.removeAttribute("controls");
    this.controls.hidden = false;
    // Seconds to start from, applied once the first metadata arrives.
    v.addEventListener("loadedmetadata", function onMeta() {
      v.removeEventListener("loadedmetadata", onMeta);
      var d = v.duration || self.sources.duration;
      if (self.resumeAt > 0 && self.resumeAt < d - 3) v.currentTime = self.resumeAt;
      self.sync();
    });
    ["timeupdate", "play", "pause", "durationchange", "volumechange", "ratechange", "ended"]
      .forEach(function (ev) { v.addEventListener(ev, function () { self.sync(); }); });
    this.bindControls();
    this.attach(this.sources.hls).then(function () {
      self.root.dispatchEvent(new CustomEvent("lms:player-ready", { bubbles: true, detail: self }));
    });
    if (this.sources.sprites) {
      loadSprites(this.sources.sprites).then(function (cues) { self.sprites = cues; })
        .catch(function () { self.sprites = []; });
    }
  };

  /* hls.js where Media Source works, native HLS (Safari, iOS) otherwise, the MP4 last. */
  Player.prototype.attach = function (url, keepTime) {
    var self = this, v = this.video;
    var at = keepTime ? v.currentTime : null;
    var wasPlaying = keepTime && !v.paused;
    var rate = v.playbackRate;
    function restore() {
      if (at !== null) {
        v.addEventListener("loadedmetadata", function once() {
          v.removeEventListener("loadedmetadata", once);
          v.currentTime = at;
          v.playbackRate = rate;
          if (wasPlaying) v.play().catch(function () {});
        });
      }
    }
    if (this.hls) { this.hls.destroy(); this.hls = null; }
    return loadHls(this.root.dataset.hlsScript).catch(function () { return null; }).then(function (Hls) {
      if (Hls && Hls.isSupported()) {
        self.mode = "hls.js";
        Array.prototype.slice.call(v.querySelectorAll("source")).forEach(function (s) { s.remove(); });
        v.removeAttribute("src");
        // Our own <track> elements render the captions, as the menu says: hls.js adds no
        // text tracks of its own and never turns on the playlist's default subtitles.
        var hls = new Hls({
          capLevelToPlayerSize: true,
          startPosition: at !== null ? at : -1,
          renderTextTracksNatively: false,
        });
        self.hls = hls;
        hls.on(Hls.Events.MANIFEST_PARSED, function () {
          hls.subtitleTrack = -1;
          self.setCaptions(self.captions.value);
          self.buildQualityMenu();
          var videoLevels = hls.levels.filter(function (l) { return l.height > 0; });
          if (videoLevels.length) {
            // Auto ABR never drops to an audio-only variant; that is the user's choice.
            hls.config.minAutoBitrate = Math.min.apply(null, videoLevels.map(function (l) { return l.bitrate; }));
          }
          if (at !== null) { v.playbackRate = rate; if (wasPlaying) v.play().catch(function () {}); }
        });
        hls.on(Hls.Events.ERROR, function (_e, data) {
          if (!data.fatal) return;
          if (data.type === Hls.ErrorTypes.NETWORK_ERROR) { hls.startLoad(); return; }
          if (data.type === Hls.ErrorTypes.MEDIA_ERROR) { hls.recoverMediaError(); return; }
          self.say(gettext("เล่นแบบสตรีมไม่ได้ กำลังใช้ไฟล์ MP4"));
          hls.destroy(); self.hls = null;
          self.useFile(self.sources.mp4, "mp4");
        });
        hls.loadSource(url);
        hls.attachMedia(v);
        v.preload = "auto";
        return;
      }
      if (v.canPlayType(HLS_TYPE)) {
        restore();
        self.useFile(url, "native");
        self.buildQualityMenu();
        return;
      }
      restore();
      self.useFile(self.sources.mp4, "mp4");
      self.buildQualityMenu();
    });
  };

  Player.prototype.useFile = function (url, mode) {
    var v = this.video;
    this.mode = mode;
    Array.prototype.slice.call(v.querySelectorAll("source")).forEach(function (s) { s.remove(); });
    v.src = url;
    v.preload = "metadata";
    v.load();
  };

  Player.prototype.buildQualityMenu = function () {
    var q = this.quality, self = this;
    var keep = q.value;
    q.innerHTML = "";
    function add(value, label) {
      var o = document.createElement("option");
      o.value = value; o.textContent = label; q.appendChild(o);
    }
    add("auto", gettext("อัตโนมัติ"));
    if (this.hls) {
      // One entry per height: with an AV1 ladder beside H.264 (issue 20) a height is listed
      // twice; a manual choice takes the first-listed one (H.264, which plays everywhere),
      // "auto" leaves hls.js to pick AV1 where MediaSource supports it.
      var seen = {};
      this.hls.levels.forEach(function (level, i) {
        if (level.height > 0 && !seen[level.height]) {
          seen[level.height] = true;
          add(String(i), level.height + "p");
        }
      });
      add("lowest", gettext("ประหยัดข้อมูล (ต่ำสุด)"));
    }
    if (this.sources.audioOnly) add("audio", gettext("ประหยัดข้อมูล (เสียงอย่างเดียว)"));
    q.value = Array.prototype.some.call(q.options, function (o) { return o.value === keep; }) ? keep : "auto";
    q.disabled = q.options.length < 2;
    void self;
  };

  Player.prototype.setQuality = function (value) {
    var self = this;
    if (value === "audio") {
      // Data saver: only the sound, over the poster.
      this.savingData = true;
      this.attach(this.sources.audioOnly, true);
      this.say(gettext("ประหยัดข้อมูล (เสียงอย่างเดียว)"));
      return;
    }
    if (this.savingData) {
      this.savingData = false;
      this.attach(this.sources.hls, true).then(function () {
        if (value !== "auto") self.quality.value = value;
      });
      this.say("");
      if (value === "auto") return;
    }
    if (!this.hls) return;
    if (value === "auto") { this.hls.currentLevel = -1; this.hls.autoLevelCapping = -1; return; }
    if (value === "lowest") {
      var idx = -1, best = Infinity;
      this.hls.levels.forEach(function (l, i) { if (l.height > 0 && l.bitrate < best) { best = l.bitrate; idx = i; } });
      this.hls.currentLevel = idx;
      return;
    }
    this.hls.currentLevel = parseInt(value, 10);
  };

  Player.prototype.setCaptions = function (lang) {
    Array.prototype.forEach.call(this.video.textTracks, function (t) {
      if (t.kind === "captions" || t.kind === "subtitles") t.mode = (lang && t.language === lang) ? "showing" : "disabled";
    });
    if (this.hls && this.hls.subtitleTracks && this.hls.subtitleTracks.length) {
      var idx = this.hls.subtitleTracks.findIndex(function (t) { return t.lang === lang; });
      // Our own <track> elements render the captions; hls.js subtitle tracks stay off.
      if (idx >= 0) this.hls.subtitleTrack = -1;
    }
  };

  Player.prototype.seek = function (seconds) {
    var d = this.video.duration || this.sources.duration;
    this.video.currentTime = Math.max(0, Math.min(seconds, d ? d - 0.05 : seconds));
    this.sync();
  };

  Player.prototype.sync = function () {
    var v = this.video, c = this.controls;
    var d = (isFinite(v.duration) && v.duration) || this.sources.duration;
    var play = c.querySelector('[data-action="play"]');
    play.setAttribute("aria-label", v.paused ? gettext("เล่น") : gettext("หยุดชั่วคราว"));
    play.firstElementChild.textContent = v.paused ? "▶" : "❚❚";
    c.querySelector("[data-current]").textContent = clock(v.currentTime);
    c.querySelector("[data-total]").textContent = clock(d);
    if (document.activeElement !== this.seekInput) {
      this.seekInput.max = d || 0;
      this.seekInput.value = v.currentTime;
    }
    this.seekInput.setAttribute("aria-valuetext", clock(v.currentTime) + " " + gettext("จาก") + " " + clock(d));
    var mute = c.querySelector('[data-action="mute"]');
    mute.setAttribute("aria-pressed", v.muted ? "true" : "false");
    mute.firstElementChild.textContent = v.muted ? "🔇" : "🔊";
    if (String(v.playbackRate) !== this.speed.value) this.speed.value = String(v.playbackRate);
  };

  Player.prototype.showPreview = function (seconds, fraction) {
    var cue = this.sprites.find(function (c) { return seconds >= c.start && seconds < c.end; });
    if (!cue) { this.preview.hidden = true; return; }
    var img = this.preview.firstElementChild;
    img.style.width = cue.w + "px";
    img.style.height = cue.h + "px";
    img.style.backgroundImage = "url(" + JSON.stringify(cue.img) + ")";
    img.style.backgroundPosition = "-" + cue.x + "px -" + cue.y + "px";
    this.preview.querySelector(".player-preview-time").textContent = clock(seconds);
    var stage = this.root.querySelector(".player-stage").getBoundingClientRect();
    var half = cue.w / 2 + 4;
    var x = Math.max(half, Math.min(stage.width - half, fraction * stage.width));
    this.preview.style.left = x + "px";
    this.preview.hidden = false;
  };

  Player.prototype.bindControls = function () {
    var self = this, v = this.video, c = this.controls, seek = this.seekInput;
    c.addEventListener("click", function (e) {
      var btn = e.target.closest("[data-action]");
      if (!btn) return;
      var action = btn.dataset.action;
      if (action === "play") { if (v.paused) v.play().catch(function () {}); else v.pause(); }
      if (action === "back") self.seek(v.currentTime - 10);
      if (action === "forward") self.seek(v.currentTime + 10);
      if (action === "mute") v.muted = !v.muted;
      if (action === "fullscreen") {
        if (document.fullscreenElement) document.exitFullscreen();
        else if (self.root.requestFullscreen) self.root.requestFullscreen();
        else if (v.webkitEnterFullscreen) v.webkitEnterFullscreen();
      }
    });
    seek.addEventListener("input", function () {
      self.seek(parseFloat(seek.value));
      self.showPreview(parseFloat(seek.value), parseFloat(seek.value) / (parseFloat(seek.max) || 1));
    });
    seek.addEventListener("change", function () { self.preview.hidden = true; });
    seek.addEventListener("blur", function () { self.preview.hidden = true; });
    seek.addEventListener("mousemove", function (e) {
      var r = seek.getBoundingClientRect();
      var f = Math.max(0, Math.min(1, (e.clientX - r.left) / r.width));
      self.showPreview(f * (parseFloat(seek.max) || 0), (e.clientX - self.root.getBoundingClientRect().left) / self.root.getBoundingClientRect().width);
    });
    seek.addEventListener("mouseleave", function () { self.preview.hidden = true; });
    this.speed.addEventListener("change", function () { v.playbackRate = parseFloat(self.speed.value); });
    this.quality.addEventListener("change", function () { self.setQuality(self.quality.value); });
    this.captions.addEventListener("change", function () { self.setCaptions(self.captions.value); });
    v.addEventListener("click", function () { if (v.paused) v.play().catch(function () {}); else v.pause(); });
    // Keyboard: anywhere inside the player, except while typing in a menu.
    this.root.addEventListener("keydown", function (e) {
      if (e.target.tagName === "SELECT" || e.altKey || e.ctrlKey || e.metaKey) return;
      var onRange = e.target === seek;
      var key = e.key.toLowerCase();
      var handled = true;
      if (key === " " || key === "k") {
        if (e.target.tagName === "BUTTON" && key === " ") return;
        if (v.paused) v.play().catch(function () {}); else v.pause();
      } else if (key === "j") self.seek(v.currentTime - 10);
      else if (key === "l") self.seek(v.currentTime + 10);
      else if (!onRange && key === "arrowleft") self.seek(v.currentTime - 5);
      else if (!onRange && key === "arrowright") self.seek(v.currentTime + 5);
      else if (key === "m") v.muted = !v.muted;
      else if (key === "f") c.querySelector('[data-action="fullscreen"]').click();
      else if (key === "c") {
        var opts = self.captions.options;
        self.captions.selectedIndex = (self.captions.selectedIndex + 1) % opts.length;
        self.setCaptions(self.captions.value);
      } else handled = false;
      if (handled) e.preventDefault();
    });
    this.root.tabIndex = this.root.tabIndex >= 0 ? this.root.tabIndex : -1;
  };

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-player]"), function (el) {
      if (!el.lmsPlayer) new Player(el);
    });
  }
  window.LmsPlayer = { init: init, clock: clock };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
