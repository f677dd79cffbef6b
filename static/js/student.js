// The next page comes as the reply to the answer's POST: the address bar is set to the page's
// own address, so that a reload or the back button asks for the page again instead of offering
// to send the answer once more (the server would refuse an outdated one anyway).
(function () {
  var main = document.querySelector("main[data-here]");
  if (main && window.history && location.pathname !== main.getAttribute("data-here")) {
    history.replaceState(null, "", main.getAttribute("data-here"));
  }
})();

// A tap or a click on an option saves it on the server and moves on.
// From the keyboard the arrows only move between options (a radio group changes its choice
// as the focus moves), and Enter or "Next" saves: a keyboard-only child must be able to reach
// the third option without saving the first or the second by accident.
// Nothing is stored in the browser; without JavaScript the Next button does the same.
(function () {
  var form = document.querySelector(".answer-form");
  if (!form) { return; }
  var sent = false;
  var pointer = false;
  form.addEventListener("pointerdown", function () { pointer = true; });
  form.addEventListener("keydown", function (event) {
    pointer = false;
    if (event.key === "Enter" && event.target.name === "value" && !sent) {
      event.preventDefault();
      sent = true;
      form.submit();
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "value" && pointer && !sent) {
      sent = true;
      form.submit();
    }
  });
  form.addEventListener("submit", function () { sent = true; });
})();
