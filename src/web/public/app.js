// Small enhancements; every page works without them.
document.addEventListener('change', function (event) {
  var el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute('data-autosubmit') && el.form) el.form.requestSubmit();
});

document.addEventListener('click', function (event) {
  var toggle = event.target instanceof Element ? event.target.closest('[data-theme-toggle]') : null;
  if (toggle) {
    var next = document.documentElement.getAttribute('data-bs-theme') === 'dark' ? 'light' : 'dark';
    document.documentElement.setAttribute('data-bs-theme', next);
    try { localStorage.setItem('steward-theme', next); } catch (e) { /* storage blocked */ }
  }
  var copy = event.target instanceof Element ? event.target.closest('[data-copy]') : null;
  if (copy && navigator.clipboard) {
    navigator.clipboard.writeText(copy.getAttribute('data-copy') || '').then(function () {
      copy.textContent = 'Copied';
      setTimeout(function () { copy.textContent = 'Copy'; }, 1500);
    });
  }
  var all = event.target instanceof Element ? event.target.closest('[data-check-all]') : null;
  if (all) {
    var boxes = document.querySelectorAll('input[type=checkbox][data-row-check]');
    boxes.forEach(function (box) { box.checked = all.checked; });
  }
});

// Forms that destroy or change many things ask first.
document.addEventListener('submit', function (event) {
  var form = event.target;
  var submitter = event.submitter;
  var message = (submitter && submitter.getAttribute('data-confirm')) || (form instanceof HTMLFormElement && form.getAttribute('data-confirm'));
  if (message && !window.confirm(message)) event.preventDefault();
});
