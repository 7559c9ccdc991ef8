// Add to cart in place: every form[data-cart-form] posts with fetch (X-CSRF-Token header,
// Accept: application/json) and updates the header's cart badge. Without this script the form
// posts normally and the cart page opens.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');
  function badge() { return document.querySelector("[data-cart-count]"); }
  function say(form, text) { var s = form.querySelector("[data-cart-status]"); if (s) { s.textContent = text; } }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-cart-form]") || !window.fetch) { return; }
    event.preventDefault();
    var body = new FormData(form);
    var button = form.querySelector('button[type="submit"]');
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": token ? token.content : "" }
    }).then(function (response) {
      if (response.status === 401 || response.redirected && /\/signin/.test(response.url)) {
        form.submit();  // signed out: let the server send the buyer to sign in
        return null;
      }
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { say(form, data.error || data.detail || data.title || response.statusText); return; }
        var count = badge();
        var total = data.cart_count != null ? data.cart_count : data.count;
        if (count && total != null) { count.textContent = String(total); }
        else if (count) { count.textContent = String((parseInt(count.textContent, 10) || 0) + (parseInt(body.get("quantity"), 10) || 1)); }
        say(form, data.message || form.getAttribute("data-added") || "\u2713");
      });
    }).catch(function () { form.submit(); })
      .then(function () { if (button) { button.disabled = false; } });
  });
})();
