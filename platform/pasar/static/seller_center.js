/* Seller center, live control: viewers' questions from the room's event stream, each with an
   answer form, and the viewer count. Without this script the page still works: answers can be
   sent by question number. The stream replays the room's kept events first, so questions asked
   before the page was opened (or reloaded after answering) show up too. */
(function () {
  "use strict";
  var panel = document.querySelector("[data-live-events]");
  if (!panel || !window.EventSource || panel.getAttribute("data-live-status") === "ended") { return; }
  var list = panel.querySelector("[data-questions]");
  var empty = panel.querySelector("[data-questions-empty]");
  var template = panel.querySelector("[data-question-template]");
  var viewers = document.querySelector("[data-viewers] output");
  var source = new EventSource(panel.getAttribute("data-live-events"));

  function read(event) {
    try { return JSON.parse(event.data); } catch (error) { return null; }
  }

  source.addEventListener("question", function (event) {
    var data = read(event);
    if (!data || list.querySelector('[data-question="' + event.lastEventId + '"]')) { return; }
    var item = template.content.firstElementChild.cloneNode(true);
    item.setAttribute("data-question", event.lastEventId);
    item.querySelector("[data-author]").textContent = data.author || "";
    item.querySelector("[data-text]").textContent = data.text || "";
    item.querySelector('input[name="question_id"]').value = event.lastEventId;
    var input = item.querySelector('input[name="text"]');
    var label = item.querySelector("[data-answer-label]");
    input.id = "answer-" + event.lastEventId;
    label.setAttribute("for", input.id);
    if (empty) { empty.hidden = true; }
    list.insertBefore(item, list.firstChild);
  });

  source.addEventListener("answer", function (event) {
    var data = read(event);
    if (!data) { return; }
    var item = list.querySelector('[data-question="' + data.question_id + '"]');
    if (!item) { return; }
    var answered = item.querySelector(".answered");
    answered.querySelector("[data-answer]").textContent = data.text || "";
    answered.hidden = false;
    var form = item.querySelector("form");
    if (form) { form.hidden = true; }
  });

  source.addEventListener("viewers", function (event) {
    var data = read(event);
    if (data && viewers) { viewers.textContent = String(data.count); }
  });

  source.addEventListener("status", function (event) {
    var data = read(event);
    if (data && data.status === "ended") { source.close(); }
  });
})();
