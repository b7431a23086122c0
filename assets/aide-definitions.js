/*
 * Definition popovers ((i) buttons, layouts/components.py::help_popover) open above their
 * button and never flip below it, where they covered the value they explain. When the button
 * is near the top of the screen, the popover would start above it: the page scrolls just enough
 * for the whole definition to show.
 */
(function () {
  "use strict";

  function montrer(popover) {
    window.requestAnimationFrame(function () {
      var haut = popover.getBoundingClientRect().top;
      if (haut < 8) { window.scrollBy(0, haut - 8); }
    });
  }

  new MutationObserver(function (mutations) {
    mutations.forEach(function (m) {
      m.addedNodes.forEach(function (n) {
        if (n.nodeType === 1 && n.classList.contains("popover")) {
          // popper places it on the next frame
          window.requestAnimationFrame(function () { montrer(n); });
        }
      });
    });
  }).observe(document.body, { childList: true, subtree: true });
})();
