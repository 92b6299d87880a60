/* Countdowns to a deadline the server set: `data-ends` and the server's `data-now` (ISO,
   on the element or an ancestor),
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
    // The server's time: on the element, or on the block it belongs to (the live board).
    var holder = element.dataset.now ? element : element.closest("[data-now]");
    var offset = holder ? Date.parse(holder.dataset.now) - Date.now() : 0;
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
