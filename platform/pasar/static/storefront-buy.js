// The checkout page's one script; the page works without it. "Place order" is disabled once
// pressed: the Idempotency-Key the page carries already makes a second submit harmless (one
// checkout), this only spares the buyer a second wait.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.id === "place-order") {
      window.setTimeout(function () { submitter.disabled = true; }, 0);
    }
  });
})();
