// Keeps only the Bootstrap rules whose classes appear in the portal's templates, Python
// (form widgets) and the form templates of crispy-bootstrap5 and allauth.
const venv = process.env.SITE_PACKAGES || ".venv/lib/python3.11/site-packages";
module.exports = {
  content: [
    "templates/**/*.html",
    "allas/**/*.py",
    "groups/**/*.py",
    "proposals/**/*.py",
    "meetings/**/*.py",
    "notifications/**/*.py",
    "static/js/**/*.js",
    `${venv}/crispy_bootstrap5/templates/**/*.html`,
    `${venv}/crispy_forms/templates/**/*.html`,
    `${venv}/allauth/templates/**/*.html`,
  ],
  // Classes built in templates from a value ("alert-{{ level }}", "btn-{% if %}...").
  safelist: {
    standard: [/^alert-/, /^btn-/, /^text-bg-/, /^badge/, /^is-/, /^was-validated/, /-feedback$/],
    greedy: [/^form-/, /^navbar/],
  },
  variables: true,
  keyframes: true,
};
