// The live board: refresh progress and critical alerts every few seconds.
// Text is always inserted as text, never as markup (names are data).
(function () {
  var alerts = document.getElementById("alerts");
  var table = document.querySelector("#board tbody");
  var counts = document.getElementById("board-counts");
  var entry = document.getElementById("code-entry");
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

  function postForm(action, csrf, className, extra) {
    var form = el("form", undefined, className);
    form.method = "post";
    form.action = action;
    var token = el("input");
    token.type = "hidden"; token.name = "csrf_token"; token.value = csrf;
    form.appendChild(token);
    Object.keys(extra || {}).forEach(function (name) {
      var field = el("input");
      field.type = "hidden"; field.name = name; field.value = extra[name];
      form.appendChild(field);
    });
    return form;
  }

  // One card per child: every reason listed, one acknowledgement for all of them.
  function childCard(c) {
    var card = el("article", undefined, "alert level-" + c.level);
    card.dataset.codeId = c.code_id;
    card.appendChild(el("h2", c.name));
    var action = alerts.dataset.ack.replace(/\/0\/acknowledge$/, "/" + c.code_id + "/acknowledge");
    var form = postForm(action, alerts.dataset.csrf, "acknowledge");
    form.appendChild(el("button", alerts.dataset.ackLabel, "primary big"));
    card.appendChild(form);
    var reasons = el("ul", undefined, "reasons");
    c.reasons.forEach(function (r) {
      var item = el("li");
      item.appendChild(el("strong", r.instrument + ":"));
      item.appendChild(document.createTextNode(" " + (r.text[lang] || r.text.ru)));
      reasons.appendChild(item);
    });
    card.appendChild(reasons);
    card.appendChild(el("p", alerts.dataset.nextSteps, "next-steps"));
    var result = el("p");
    result.appendChild(link(c.result_url, alerts.dataset.resultLabel, "result-link"));
    card.appendChild(result);
    return card;
  }

  function restingAddress(w) {
    var data = entry.dataset;
    var form = postForm(data.resume, data.csrf, "code-entry-resting", { address: w.address });
    form.insertBefore(el("span", w.label), form.firstChild);
    form.appendChild(el("button", data.resumeLabel));
    return form;
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
    alerts.replaceChildren.apply(alerts, data.children.map(childCard));
    table.replaceChildren.apply(table, data.codes.map(row));
    if (counts) { counts.textContent = data.counts_label; }
    if (entry) { entry.replaceChildren.apply(entry, data.waiting_addresses.map(restingAddress)); }
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
