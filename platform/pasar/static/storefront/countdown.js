// Countdowns: every <time data-countdown datetime="..."> shows the time left (h:mm:ss, days
// first when more than a day), and its data-ended text once the moment has passed.
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function left(ms) {
    var s = Math.floor(ms / 1000), d = Math.floor(s / 86400);
    var text = Math.floor(s % 86400 / 3600) + ":" + pad(Math.floor(s % 3600 / 60)) + ":" + pad(s % 60);
    return d > 0 ? d + "d " + text : text;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (el) {
      var end = Date.parse(el.getAttribute("datetime"));
      if (isNaN(end)) { return; }
      el.textContent = end > now ? left(end - now) : (el.getAttribute("data-ended") || "0:00:00");
    });
  }
  tick();
  setInterval(tick, 1000);
})();
