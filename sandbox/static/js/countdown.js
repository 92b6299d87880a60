/* Countdowns to a deadline the server set: `data-ends` and the server's `data-now` (ISO),
   so that a wrong clock on the trainee's computer changes nothing. When the time is up,
   the form next to the countdown (if any) is sent: the server decides what follows. */
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + ":" + pad(m) : String(m)) + ":" + pad(s);
  }
  function start(element) {
    if (element.dataset.started) { return; }
    element.dataset.started = "1";
    var ends = Date.parse(element.dataset.ends);
    var offset = Date.parse(element.dataset.now) - Date.now();
    var done = element.parentElement.querySelector("form.countdown-done");
    function tick() {
      // Rounded up: zero only once the deadline has passed, so the server agrees it is up.
      var left = Math.max(0, Math.ceil((ends - (Date.now() + offset)) / 1000));
      element.textContent = format(left);
      element.dataset.left = String(left);
      if (left > 0) { window.setTimeout(tick, 1000 - ((Date.now() + offset) % 1000)); return; }
      if (done && !done.dataset.sent) { done.dataset.sent = "1"; done.submit(); }
    }
    tick();
  }
  function all() { document.querySelectorAll(".countdown[data-ends]").forEach(start); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); }
  else { all(); }
}());
