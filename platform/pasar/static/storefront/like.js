// The like button in place (it toggles): POST with X-CSRF-Token, show the new state and count. Without JavaScript the
// form posts and the page reloads.
(function () {
  "use strict";
  var form = document.querySelector("form[data-like-form]");
  var token = document.querySelector('meta[name="csrf-token"]');
  if (!form || !window.fetch) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST", credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": token ? token.content : "" }
    }).then(function (response) {
      if (!response.ok) { form.submit(); return null; }
      return response.json();
    }).then(function (data) {
      if (!data) { return; }
      form.querySelector("[data-like-count]").textContent = String(data.likes);
      var button = form.querySelector("button");
      button.setAttribute("aria-pressed", data.liked ? "true" : "false");
    }).catch(function () { form.submit(); });
  });
})();
