/* /me/notifications/: subscribe or unsubscribe this browser for push. */
"use strict";
(function () {
  const box = document.getElementById("push-controls");
  if (!box) return;
  const status = box.querySelector("[data-push-status]");
  const subscribeBtn = box.querySelector("[data-push-subscribe]");
  const unsubscribeBtn = box.querySelector("[data-push-unsubscribe]");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const say = (key) => { status.textContent = box.dataset[key] || ""; };

  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    say("msgUnsupported");
    subscribeBtn.disabled = true;
    unsubscribeBtn.disabled = true;
    return;
  }
  const keyBytes = (b64) => {
    const pad = "=".repeat((4 - (b64.length % 4)) % 4);
    const raw = atob((b64 + pad).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  };
  const post = (url, body) => fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(body),
  });
  const registration = () => navigator.serviceWorker.register(box.dataset.swUrl, { scope: "/" });

  subscribeBtn.addEventListener("click", async () => {
    try {
      if ((await Notification.requestPermission()) !== "granted") { say("msgDenied"); return; }
      const reg = await registration();
      await navigator.serviceWorker.ready;
      const sub = await reg.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(box.dataset.vapidKey),
      });
      const res = await post(box.dataset.subscribeUrl, sub.toJSON());
      say(res.ok ? "msgOn" : "msgError");
    } catch (e) {
      say("msgError");
    }
  });
  unsubscribeBtn.addEventListener("click", async () => {
    try {
      const reg = await registration();
      const sub = await reg.pushManager.getSubscription();
      if (sub) {
        await post(box.dataset.unsubscribeUrl, { endpoint: sub.endpoint });
        await sub.unsubscribe();
      }
      say("msgOff");
    } catch (e) {
      say("msgError");
    }
  });
})();
