// Progressive enhancement only: every page works without this file.
document.addEventListener('change', (event) => {
  const target = event.target;
  if (
    target instanceof HTMLSelectElement &&
    target.form &&
    target.form.hasAttribute('data-autosubmit')
  ) {
    target.form.requestSubmit();
  }
});
