// The live board: refresh progress and critical alerts every few seconds.
// Text is always inserted as text, never as markup (names are data).
(function () {
  var alerts = document.getElementById("alerts");
  var table = document.querySelector("#board tbody");
  if (!alerts || !table) { return; }
  var source = alerts.dataset.source;
  var lang = alerts.dataset.lang;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function link(href, text, className) {
    var node = el("a", text, className);
    node.href = href;
    return node;
  }

  function alertCard(a) {
    var card = el("article", undefined, "alert level-" + a.level);
    card.dataset.alertId = a.id;
    card.appendChild(el("h2", a.name + " — " + a.instrument));
    card.appendChild(el("p", a.reason[lang] || a.reason.ru));
    card.appendChild(el("p", alerts.dataset.nextSteps, "next-steps"));
    var result = el("p");
    result.appendChild(link(a.result_url, alerts.dataset.resultLabel, "result-link"));
    card.appendChild(result);
    var form = el("form");
    form.method = "post";
    form.action = alerts.dataset.ack.replace(/\/0\/acknowledge$/, "/" + a.id + "/acknowledge");
    var token = el("input");
    token.type = "hidden"; token.name = "csrf_token"; token.value = alerts.dataset.csrf;
    form.appendChild(token);
    form.appendChild(el("button", alerts.dataset.ackLabel));
    card.appendChild(form);
    return card;
  }

  function handoverForm(url) {
    var data = document.getElementById("board").dataset;
    var form = el("form", undefined, "handover");
    form.method = "post";
    form.action = url;
    form.appendChild(el("span", data.waitingLabel));
    var token = el("input");
    token.type = "hidden"; token.name = "csrf_token"; token.value = data.csrf;
    form.appendChild(token);
    form.appendChild(el("button", data.handoverLabel));
    return form;
  }

  function row(c) {
    var tr = el("tr");
    tr.dataset.seat = c.seat;
    tr.appendChild(el("td", String(c.seat)));
    var name = el("td");
    name.appendChild(c.result_url ? link(c.result_url, c.name) : document.createTextNode(c.name));
    tr.appendChild(name);
    var status = el("td", c.status_label);
    if (c.handover_url) { status.appendChild(handoverForm(c.handover_url)); }
    tr.appendChild(status);
    tr.appendChild(el("td", String(c.answered)));
    var level = el("td");
    if (c.level) { level.appendChild(el("span", c.level_label, "level level-" + c.level)); }
    tr.appendChild(level);
    return tr;
  }

  function render(data) {
    var open = data.alerts.filter(function (a) { return !a.acknowledged; });
    alerts.replaceChildren.apply(alerts, open.map(alertCard));
    table.replaceChildren.apply(table, data.codes.map(row));
  }

  function poll() {
    fetch(source, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () {})
      .then(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 3000);
})();
