/* The new accounts' panel: brought into view, kept there until dismissed, and the
   credential slips printed on demand (one per trainee, in their language). */
(function () {
  "use strict";
  var panel = document.getElementById("new-accounts");
  if (!panel) { return; }
  panel.scrollIntoView({block: "start"});
  panel.focus({preventScroll: true});
  var dismiss = document.getElementById("dismiss-accounts");
  dismiss.addEventListener("click", function () {
    if (window.confirm(dismiss.dataset.confirmText)) {
      panel.remove();
      var slips = document.getElementById("credential-slips");
      if (slips) { slips.remove(); }
    }
  });
  document.getElementById("print-slips").addEventListener("click", function () {
    document.body.classList.add("printing-slips");
    window.print();
  });
  window.addEventListener("afterprint", function () { document.body.classList.remove("printing-slips"); });
}());
