// The phone header's menu button (a static file: the CSP allows no inline script).
// Without JavaScript the menu stays open, so every link is still reachable.
(function () {
  var header = document.querySelector("[data-site-header]");
  var button = header && header.querySelector("[data-menu-toggle]");
  if (!button) return;
  header.classList.add("has-menu");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      button.setAttribute("aria-expanded", "false");
      header.classList.remove("menu-open");
      button.focus();
    }
  });
})();
