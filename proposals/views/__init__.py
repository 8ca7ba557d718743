"""The dialogue's pages, one module per job: `proposals` (the list, a proposal's page and
the author's forms), `supports`, `comments`, `moderation` (reports and the moderators'
decisions), `answers` (the group's answer and its page of what waits), `follow`, `timeline` (a
proposal's whole path, from submitted to the municipality's decision), `municipality`
(lifting, registering and deciding, and staff's list), `open_data` (the CSV and JSON).
`access` finds the proposal or comment a request may reach. Views are thin: rules live
in permissions and services."""
