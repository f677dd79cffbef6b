// One tap answers: choosing an option saves it on the server and moves on.
// Nothing is stored in the browser; without JavaScript the Next button does the same.
(function () {
  var form = document.querySelector(".answer-form");
  if (!form) { return; }
  var sent = false;
  form.addEventListener("change", function (event) {
    if (event.target.name === "value" && !sent) {
      sent = true;
      form.submit();
    }
  });
  form.addEventListener("submit", function () { sent = true; });
})();
