"""The year's account (årets uppföljning) at /uppfoljning/<year>/: each app's part of the
year (settings.YEAR_ACCOUNT_MODULES, allas.year_account.parts) drawn as SVG charts with
tables beside them, printable as an A4 report and downloadable as CSV and JSON."""
