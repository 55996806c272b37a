// Small enhancements; every page works without them.
document.addEventListener('change', function (event) {
  var el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute('data-autosubmit') && el.form) el.form.requestSubmit();
});

document.addEventListener('click', function (event) {
  var toggle = event.target instanceof Element ? event.target.closest('[data-theme-toggle]') : null;
  if (toggle) {
    const next = document.documentElement.getAttribute('data-bs-theme') === 'dark' ? 'light' : 'dark';
    document.documentElement.setAttribute('data-bs-theme', next);
    try {
      localStorage.setItem('steward-theme', next);
    } catch (e) {
      /* storage blocked */
    }
  }
  var copy = event.target instanceof Element ? event.target.closest('[data-copy]') : null;
  if (copy && navigator.clipboard) {
    navigator.clipboard.writeText(copy.getAttribute('data-copy') || '').then(function () {
      copy.textContent = 'Copied';
      setTimeout(function () {
        copy.textContent = 'Copy';
      }, 1500);
    });
  }
  var all = event.target instanceof Element ? event.target.closest('[data-check-all]') : null;
  if (all) {
    const boxes = document.querySelectorAll('input[type=checkbox][data-row-check]');
    boxes.forEach(function (box) {
      box.checked = all.checked;
    });
  }
});

// Forms that destroy or change many things ask first, in a dialog (#confirm-modal in the page).
// Confirmed, the form is sent with confirmed=1, so the server does not ask again; without JavaScript
// the server shows its own confirmation page instead.
document.addEventListener('submit', function (event) {
  var form = event.target;
  var submitter = event.submitter;
  if (!(form instanceof HTMLFormElement) || form.querySelector('input[name="confirmed"]')) return;
  var message = (submitter && submitter.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
  var modalEl = document.getElementById('confirm-modal');
  if (!message || !modalEl || !window.bootstrap) return;
  event.preventDefault();
  modalEl.querySelector('[data-confirm-message]').textContent = message;
  var modal = window.bootstrap.Modal.getOrCreateInstance(modalEl);
  var ok = modalEl.querySelector('[data-confirm-ok]');
  var onOk = function () {
    ok.removeEventListener('click', onOk);
    modal.hide();
    var flag = document.createElement('input');
    flag.type = 'hidden';
    flag.name = 'confirmed';
    flag.value = '1';
    form.appendChild(flag);
    form.requestSubmit(submitter || undefined);
  };
  ok.addEventListener('click', onOk);
  modalEl.addEventListener(
    'hidden.bs.modal',
    function () {
      ok.removeEventListener('click', onOk);
    },
    { once: true },
  );
  modal.show();
});
