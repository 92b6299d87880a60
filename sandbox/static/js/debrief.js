// The debrief's Print button: the print stylesheet (css/debrief.css) lays the page out.
document.getElementById("print-debrief")?.addEventListener("click", () => window.print());
