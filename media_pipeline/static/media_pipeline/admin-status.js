// Live pipeline state in the admin listing: polls the JSON status endpoint every 2 s
// while any clip is still being processed.
(function () {
  const table = document.querySelector("[data-pipeline-status-url]");
  if (!table) return;
  const url = table.dataset.pipelineStatusUrl;
  const active = new Set(["uploaded", "probing", "transcoding"]);

  // The status page's one sentence for the clip's state (the listing has none).
  function showIntro(status) {
    const intro = document.querySelector(".js-intro");
    if (!intro) return;
    for (const p of intro.querySelectorAll("[data-when]")) {
      p.hidden = !p.dataset.when.split(" ").includes(status);
    }
  }

  function rows() {
    return Array.from(table.querySelectorAll("tr[data-asset-id]"));
  }

  async function poll() {
    // A ready clip may still be getting its AV1 ladder (a second task).
    const pending = rows().filter(
      (r) => active.has(r.dataset.status) || r.dataset.av1 === "queued" || r.dataset.av1 === "encoding",
    );
    if (!pending.length) return;
    const ids = pending.map((r) => r.dataset.assetId).join(",");
    try {
      const res = await fetch(url + "?ids=" + ids, { credentials: "same-origin" });
      const data = await res.json();
      for (const a of data.assets) {
        const row = table.querySelector('tr[data-asset-id="' + a.id + '"]');
        if (!row) continue;
        row.dataset.status = a.status;
        row.dataset.av1 = a.av1_status;
        row.querySelector(".js-status").textContent = a.status_label;
        const bar = row.querySelector(".js-progress");
        bar.hidden = a.status !== "transcoding";
        bar.value = a.progress;
        row.querySelector(".js-percent").textContent =
          a.status === "transcoding" ? a.progress + "%" : "";
        const stage = row.querySelector(".js-stage");
        if (stage) {
          stage.textContent =
            a.stage_label + (a.stage === "av1" ? " " + a.av1_progress + "%" : "");
        }
        const err = row.querySelector(".js-error");
        err.textContent = a.error_message;
        err.hidden = !a.error_message;
        row.querySelector(".js-retry").hidden = a.status !== "failed";
        showIntro(a.status);
      }
    } catch (e) {
      /* network hiccup: try again on the next tick */
    }
    setTimeout(poll, 2000);
  }
  setTimeout(poll, 2000);
})();
