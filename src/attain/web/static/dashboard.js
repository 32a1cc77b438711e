// Draws every chart of the page from the Vega-Lite spec embedded beside it as JSON.
// `ast: true` makes vega-embed evaluate expressions with its interpreter instead of
// `new Function`, so the page's Content-Security-Policy needs no 'unsafe-eval'.
(function () {
  "use strict";

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-spec"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(container, spec, { renderer: "svg", actions: false, ast: true })
      .then(function () {
        container.setAttribute("data-drawn", "true");
      })
      .catch(function (error) {
        container.setAttribute("data-drawn", "failed");
        console.error("chart " + container.id + ": " + error);
      });
  }

  function drawAll() {
    var charts = document.querySelectorAll(".chart[data-spec]");
    for (var i = 0; i < charts.length; i += 1) {
      draw(charts[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
