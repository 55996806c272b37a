// Applies the saved light/dark choice before the page paints (the system's choice otherwise).
(function () {
  var saved = null;
  try {
    saved = localStorage.getItem('steward-theme');
  } catch (e) {
    /* storage blocked */
  }
  var dark = saved ? saved === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.setAttribute('data-bs-theme', dark ? 'dark' : 'light');
})();
