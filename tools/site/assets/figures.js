/* global window, document */
/*
 * Draws the figures of a course page with the page's one copy of plotly.js (assets/plotly.min.js).
 * Each figure is a <div class="plot" data-spec="…"> whose plotly spec is in the <script
 * type="application/json"> it names. A figure wider than the text column is fitted to it. If
 * plotly.js is missing or a figure cannot be drawn, the headless run's PNG is shown instead (the
 * same image readers without JavaScript get from <noscript>).
 */
(function () {
  "use strict";

  function showImage(el, reason) {
    var png = el.getAttribute("data-png");
    el.style.height = "";
    el.classList.add("plot-failed");
    el.setAttribute("data-plot-error", reason);
    if (png) {
      var img = document.createElement("img");
      img.src = png;
      img.alt = el.getAttribute("data-alt") || "";
      el.replaceChildren(img);
    } else {
      var p = document.createElement("p");
      p.className = "figure-missing";
      p.textContent = (el.getAttribute("data-alt") || "Figure") + ". This figure could not be drawn (" + reason + ").";
      el.replaceChildren(p);
    }
  }

  function drawOne(el) {
    var spec;
    try {
      spec = JSON.parse(document.getElementById(el.getAttribute("data-spec")).textContent);
    } catch {
      showImage(el, "its data could not be read");
      return;
    }
    if (!window.Plotly) {
      showImage(el, "plotly.js did not load");
      return;
    }
    var layout = spec.layout || {};
    if (typeof layout.width === "number" && layout.width > el.clientWidth) delete layout.width;
    var config = Object.assign({ responsive: true, displaylogo: false }, spec.config || {});
    window.Plotly.newPlot(el, spec.data, layout, config).then(
      function () {
        el.classList.add("plot-drawn");
      },
      function (err) {
        showImage(el, String((err && err.message) || err));
      },
    );
  }

  function drawAll() {
    var plots = document.querySelectorAll("div.plot[data-spec]");
    for (var i = 0; i < plots.length; i++) {
      try {
        drawOne(plots[i]);
      } catch (err) {
        showImage(plots[i], String((err && err.message) || err));
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
