// The live room: Server-Sent Events from /api/v1/live/<id>/events (comment, question, answer,
// pin, showcase, purchase, viewers, status, resync) update the chat, the pinned product card and
// the viewer count; the comment form posts in place with the X-CSRF-Token header.
(function () {
  "use strict";
  var room = document.getElementById("live-room");
  if (!room || !window.EventSource) { return; }
  var comments = document.getElementById("comments");
  var token = document.querySelector('meta[name="csrf-token"]');
  var opened = 0;

  function text(name) { return room.getAttribute("data-i18n-" + name) || ""; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return values[key] != null ? values[key] : all; });
  }
  function add(kind, who, message) {
    var item = document.createElement("li");
    item.className = kind;
    if (who) {
      var name = document.createElement("span");
      name.className = "who";
      name.textContent = who;
      item.appendChild(name);
    }
    item.appendChild(document.createTextNode(message));
    comments.appendChild(item);
    while (comments.children.length > 100) { comments.removeChild(comments.firstChild); }
    comments.scrollTop = comments.scrollHeight;
  }
  function data(event) { try { return JSON.parse(event.data); } catch (e) { return {}; } }

  var source = new EventSource(room.getAttribute("data-events-url"));
  source.addEventListener("open", function () { opened += 1; });
  source.addEventListener("comment", function (e) { var d = data(e); add("comment", d.author, d.text); });
  source.addEventListener("question", function (e) {
    var d = data(e); add("question", d.author + " · " + text("question"), d.text);
  });
  source.addEventListener("answer", function (e) { var d = data(e); add("answer", text("answer"), d.text); });
  source.addEventListener("purchase", function (e) {
    var d = data(e);
    var items = (d.items || []).map(function (i) { return i.quantity > 1 ? i.quantity + " × " + i.title : i.title; });
    var line = d.city ? fill(text("purchase"), { city: d.city, item: items.join(", ") })
                      : fill(text("purchase-nocity"), { item: items.join(", ") });
    add("purchase", "", line);
  });
  source.addEventListener("viewers", function (e) {
    var counter = room.querySelector("[data-viewers]");
    if (counter) { counter.textContent = fill(text("viewers"), { count: data(e).count }); }
  });
  source.addEventListener("pin", function (e) {
    var wanted = data(e).product_id;
    var cards = room.querySelectorAll("[data-test=pinned-product]");
    var found = false;
    cards.forEach(function (card) {
      var match = wanted != null && String(wanted) === card.getAttribute("data-product-id");
      card.hidden = !match;
      found = found || match;
    });
    var none = room.querySelector("[data-no-pin]");
    if (none) { none.hidden = wanted != null; }
    if (wanted != null && !found) { window.location.reload(); }  // pinned something new to the page
  });
  source.addEventListener("showcase", function () { window.location.reload(); });
  source.addEventListener("status", function (e) {
    if (data(e).status !== room.getAttribute("data-status")) { window.location.reload(); }
  });
  source.addEventListener("resync", function () { if (opened > 1) { window.location.reload(); } });

  var form = document.getElementById("comment-form");
  if (form && window.fetch) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = form.querySelector("[data-comment-status]");
      var input = form.querySelector("[name=text]");
      fetch(form.action, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRF-Token": token ? token.content : "" }
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (response.ok) { input.value = ""; status.textContent = ""; }
          else { status.textContent = body.error || response.statusText; }
        });
      }).catch(function () { form.submit(); });
    });
  }
})();
